import type { Lang } from './phrases.js';
import { REASONS, type Reason, type Side, type Stage, type Verdict } from './reasons.js';

/**
 * The closed vocabularies of a result in each language: verdicts, stages, sides, and each reason's
 * one-line meaning. Records keyed by the type, so a new verdict, stage or reason does not compile
 * without its Chinese form. Reason codes themselves (UNKNOWN_AUTHORITY…) are identifiers and are
 * printed as they are in every language.
 */
export const VERDICT_WORDS: Record<Lang, Record<Verdict, string>> = {
  en: { ok: 'OK', rejected: 'REJECTED', insecure: 'INSECURE', 'config-error': 'CONFIG-ERROR' },
  zh: { ok: '通过', rejected: '拒绝', insecure: '不安全', 'config-error': '配置错误' },
};

export const STAGE_WORDS: Record<Lang, Record<Stage, string>> = {
  en: { config: 'config', tls: 'tls', authn: 'authn', authz: 'authz', request: 'request' },
  zh: { config: '配置', tls: 'TLS 握手', authn: '认证', authz: '授权', request: '请求' },
};

export const SIDE_WORDS: Record<Lang, Record<Side, string>> = {
  en: { client: 'client', server: 'server' },
  zh: { client: '客户端', server: '服务端' },
};

export const REASON_TEXT: Record<Lang, Record<Reason, string>> = {
  en: REASONS,
  zh: {
    OK: '双向认证成功，请求被允许。',
    NO_CLIENT_CERT: '服务端要求客户端证书，但客户端没有出示。',
    UNKNOWN_AUTHORITY: '证书无法链到校验方信任的 CA（另一个 CA、自签名、同名的冒充 CA，或缺少中间 CA）。',
    NOT_A_CA: '签发该证书的证书不是 CA（CA:FALSE 或没有 keyCertSign）。',
    CERT_EXPIRED: '按集群时钟，证书已过 NotAfter。',
    CERT_NOT_YET_VALID: '按集群时钟，证书尚未到 NotBefore。',
    WRONG_EKU: '证书的扩展密钥用法不允许这一角色（服务端需要 serverAuth，客户端需要 clientAuth）。',
    SAN_MISMATCH: '客户端所拨的名称或 IP 不在服务端证书的 SAN 中。',
    TLS_VERSION: '客户端与服务端没有共同的 TLS 版本（例如 `--tls-min-version` 高于客户端所支持的）。',
    HANDSHAKE_FAILED: 'TLS 握手因其他原因失败（没有共同的密码套件或签名算法）。',
    NO_TRUSTED_CA: 'etcd 设置了 `--client-cert-auth=true` 却没有 `--trusted-ca-file`：没有 CA 可用于校验客户端证书，所有客户端都被拒绝。',
    NO_CLIENT_AUTH: '服务端从不要求客户端证书：任何能连到端口的客户端都能进入。',
    ANONYMOUS_ALLOWED: '服务端以 system:anonymous 身份放行了请求：没有校验任何凭据，任何能连到端口的人都享有同样的权限。',
    SERVER_NOT_VERIFIED: '客户端没有校验服务端证书：任何能截获连接的人都能冒充服务端。',
    INVALID_TOKEN: 'Bearer Token 被拒绝（签名错误、签发者错误、未知或错误的引导令牌）。',
    TOKEN_EXPIRED: '按集群时钟，Bearer Token 已过期。',
    NO_CREDENTIALS: '没有凭据，且匿名请求已禁用：401。',
    FORBIDDEN: '已认证（或匿名），但授权器不允许该请求：403。',
    KEY_MISMATCH: '私钥与其证书不匹配（组件拒绝启动）。',
    PEM_SWITCHED: '证书路径里是私钥，私钥路径里是证书（组件拒绝启动）。',
    FILE_MISSING: '参数或配置字段指定的文件不存在（组件拒绝启动）。',
    BAD_FILE: '参数或配置字段指定的文件无法解析（组件拒绝启动）。',
    NO_SERVING_CERT: 'kubelet 还没有服务证书（serverTLSBootstrap 的 CSR 尚未批准）：每次握手都失败。',
    HTTP_ERROR: '已认证并已授权，但服务端返回了其他 HTTP 错误（404、5xx）。',
    CLIENT_KEY_UNUSABLE: '客户端的证书或私钥能解析，但 TLS 库拒绝使用（例如小于 1024 位的 RSA 密钥）。',
    CONNECTION_REFUSED: '客户端所拨的地址上没有任何程序在监听。',
    CONNECTION_CLOSED: '连接在得到应答前关闭（例如拨号期间集群被停止）。',
    TIMEOUT: '在拨号超时（`timeoutMs`，默认 15 秒）内没有应答：服务端挂起，或机器过于繁忙。',
    BAD_FLAG: '组件参数的值被真实程序在启动时拒绝（未知的 `--authorization-mode`、超出范围的端口）：组件没有启动。',
    FRONT_PROXY_NOT_ALLOWED: '前端代理的客户端证书能用 `--requestheader-client-ca-file` 校验通过，但其 CN 不在 `--requestheader-allowed-names` 中：扩展服务器不信任它的 X-Remote-User 请求头（401）。',
    CREDENTIALS_PROMPT: 'kubeconfig 中 kubectl 的用户没有任何凭据：kubectl 会提示输入用户名（`Please enter Username:`），没有终端时以 `error: EOF` 退出，不发送任何请求。',
  },
};
