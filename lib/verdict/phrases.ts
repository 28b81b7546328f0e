import type { ReasonOf } from './reasons.js';
import type { EdgeResult } from './result.js';
import { EXTRA_PHRASES, type ExtraPhrases } from './phrases-extra.js';

/** The configuration errors whose fix is one sentence, whatever the edge. */
export type ConfigReason = ReasonOf<'config-error'>;

export type Lang = 'en' | 'zh';

/** Go refusals that are about how a certificate is built, not who signed it (each has its own why and fix). */
export type StructureCause = 'name-encoding' | 'insecure-signature' | 'critical-extension' | 'path-length' | 'name-constraints';

/** Every sentence of an explanation, in each language. Identifiers (flags, files, subjects) stay as they are. */
export interface Phrases extends ExtraPhrases {
  labels: { why: string; attacker: string; fix: string; explanation: string };
  nothing: string;
  keyId: string;
  cert(subject: string, serial: string, issuer: string, akid: string, field?: string, file?: string): string;
  token(field: string, file: string): string;
  clientPresents(who: string, what: string): string;
  serverPresents(who: string, what: string): string;
  trustCa(field: string, file: string | undefined, subjects: string): string;
  trustNone(field: string, switchedOff: boolean): string;
  trustSystemRoots(field: string): string;
  clientTrusts(who: string, what: string, url: string, name?: { name: string; from: 'url' | 'tls-server-name' }): string;
  serverTrusts(who: string, what: string): string;
  whyOk(r: EdgeResult): string;
  whyGeneric(summary: string): string;
  whyNoAnchor(cert: string, issuer: string, field: string): string;
  whyImpostor(cert: string, issuer: string, akid: string, trustedKeyIds: string): string;
  whyMissingIntermediate(cert: string, issuer: string, trusted: string): string;
  whyUnknownCa(cert: string, issuer: string, akid: string, trusted: string, where: string): string;
  whyNotACa(cert: string, issuer: string): string;
  /** `error` is Go's text; `ca` the CA (subject or file) the cause points at. */
  whyStructure(cause: StructureCause, cert: string, ca: string, error: string): string;
  fixStructure(cause: StructureCause, certFile: string, ca: string): string;
  whyExpired(cert: string, notAfter: string, at: string): string;
  whyNotYetValid(cert: string, notBefore: string, at: string): string;
  whyEku(cert: string, has: string[], needs: string, verifier: string): string;
  whyEkuFromChain(cert: string, needs: string, verifier: string, trusted: string): string;
  fixEkuFromChain(needs: string, trusted: string): string;
  whyCaExpired(cert: string, ca: string, error: string, where: string): string;
  fixCaExpired(ca: string, where: string): string;
  whyNotRequested(client: string, server: string, setting: string): string;
  fixNotRequested(server: string, setting: string): string;
  whySan(cert: string, name: string, from: 'url' | 'tls-server-name', url: string, sans: string[]): string;
  whyNoClientCert(client: string, server: string, field: string): string;
  whyNoTrustedCa(): string;
  whyTlsVersion(server: string, min: string, client: string, max: string): string;
  whyForbidden(user: string, groups: string[], message: string, anonymousSetting: string | undefined): string;
  whyToken(reason: 'INVALID_TOKEN' | 'TOKEN_EXPIRED', source: string, error: string): string;
  whyNoCredentials(client: string, config: string, setting: string): string;
  whyNoClientAuth(field: string): string;
  whyServerNotVerified(client: string, server: string, field: string): string;
  whyConfig(component: string, isServer: boolean, summary: string): string;
  whyRefused(url: string, config: string): string;
  whyNoServingCert(): string;
  fixNoServingCert(): string;
  /** `despite`: the client's own credential was accepted, and a probe without one was let in too. */
  whyAnonymousAllowed(server: string, setting: string, despite?: { client: string; user: string; status: number }): string;
  fixAnonymousAllowed(server: string, setting: string): string;
  attacker(r: EdgeResult): string | undefined;
  fixNone: string;
  fixGeneric: string;
  fixServerCa(certFile: string, certField: string, trustField: string, trustFile?: string): string;
  fixClientCa(certFile: string, trustField: string, trustFile?: string): string;
  fixExpired(certFile: string): string;
  fixNotYetValid(certFile: string): string;
  fixEku(certFile: string, needs: string): string;
  fixSan(certFile: string, name: string, server: string): string;
  fixNoClientCert(setting: string, caFile: string): string;
  fixNoTrustedCa(): string;
  fixTlsVersion(): string;
  fixForbidden(user: string, setting: string): string;
  fixInvalidToken(source: string, bootstrap: boolean): string;
  fixTokenExpired(source: string): string;
  fixNoCredentials(config: string): string;
  fixNoClientAuth(): string;
  fixServerNotVerified(field: string, server: string): string;
  fixConfig(reason: Exclude<ConfigReason, 'CREDENTIALS_PROMPT'>): string;
  fixRefused(config: string): string;
}

const where = (field?: string, file?: string) => (field ? ` — ${field}${file ? ` (${file})` : ''}` : file ? ` (${file})` : '');

const en: Phrases = {
  ...EXTRA_PHRASES.en,
  labels: { why: 'Why', attacker: 'What an attacker can do', fix: 'Fix', explanation: 'EXPLANATION' },
  nothing: 'no certificate',
  keyId: 'key id',
  cert: (subject, serial, issuer, akid, field, file) => `${subject} (serial ${serial}), issued by ${issuer}${akid ? ` [authority key id ${akid}]` : ''}${where(field, file)}`,
  token: (field, file) => `a bearer token from ${field} (${file})`,
  clientPresents: (who, what) => `${who} presented ${what}.`,
  serverPresents: (who, what) => `${who} presented ${what}.`,
  trustCa: (field, file, subjects) => `the CA file ${field}${file ? ` (${file})` : ''}, which holds ${subjects}`,
  trustNone: (field, off) => `nothing: verification is off (${field} ${off ? 'is true' : 'is not set'})`,
  trustSystemRoots: (field) => `only the system roots, which hold no cluster CA (${field})`,
  clientTrusts: (who, what, url, name) => `${who} verifies the server with ${what}${name ? `, and checks the name ${name.name} (${name.from === 'url' ? `the host in ${url}` : 'its tls-server-name'})` : ''}.`,
  serverTrusts: (who, what) => `${who} verifies client certificates with ${what}.`,
  whyOk: (r) => `Both sides checked each other: ${r.client.component} found ${r.server.component}'s certificate issued by a CA it trusts and valid for the name it dialled; ${r.server.component} ${r.identity ? `authenticated the client as ${r.identity.name}${r.identity.groups.length ? ` (groups ${r.identity.groups.join(', ')})` : ''} and allowed the request` : 'accepted the request'}.`,
  whyGeneric: (summary) => summary,
  whyNoAnchor: (cert, issuer, field) => `${cert} is signed by ${issuer}, but the verifier has no cluster CA to check it against (${field}).`,
  whyImpostor: (cert, issuer, akid, ids) => `${cert} names ${issuer} as its issuer, and a CA of that name is trusted — but it is not the same CA: the certificate was signed by the key ${akid}, the trusted CA's key is ${ids}. Typical after a cluster is re-initialised: same CA name, new key.`,
  whyMissingIntermediate: (cert, issuer, trusted) => `${cert} is signed by the intermediate CA ${issuer}, which is not trusted itself and was not sent with the certificate, so nothing links it to the trusted ${trusted}.`,
  whyUnknownCa: (cert, issuer, akid, trusted, whereFile) => `${cert} is signed by ${issuer}${akid ? ` [key ${akid}]` : ''}, but the verifier only trusts ${trusted} (${whereFile}). Neither the issuer name nor the key matches a trusted CA.`,
  whyNotACa: (cert, issuer) => `${cert} was signed by ${issuer}, which is not a CA (CA:FALSE, no keyCertSign): Go refuses a chain through it ("parent certificate cannot sign this kind of certificate").`,
  whyExpired: (cert, notAfter, at) => `${cert} was valid until ${notAfter}; the cluster clock says ${at}.`,
  whyNotYetValid: (cert, notBefore, at) => `${cert} is valid only from ${notBefore}; the cluster clock says ${at} (a clock running behind, or a certificate dated in the future).`,
  whyEku: (cert, has, needs, verifier) => `${cert} has the extended key usage ${has.join(', ') || '(none)'}; ${verifier} needs ${needs} for this role.`,
  whyEkuFromChain: (cert, needs, verifier, trusted) => `${cert} itself allows ${needs}, but a CA above it does not: Go intersects the extended key usages down the whole chain, so a CA limited to other usages (${trusted}) takes ${needs} away from every certificate it signs, and ${verifier} refuses it.`,
  fixEkuFromChain: (needs, trusted) => `Re-issue the CA in ${trusted} without an extended key usage extension (kubeadm's CAs have none), or with ${needs} among its usages, and re-sign the certificates under it.`,
  whyCaExpired: (cert, ca, error, whereFile) => `${cert} does chain to the trusted CA ${ca} (${whereFile}), by name and key, but that CA itself is not valid at this time: ${error}.`,
  fixCaExpired: (ca, whereFile) => `Renew the CA ${ca} (${whereFile}) with the same key, so that certificates it signed stay valid (kubeadm does not renew CAs: \`kubeadm certs renew\` only renews leaves), then distribute the new CA file; or re-issue the whole PKI from a new CA.`,
  whyNotRequested: (client, server, setting) => `${server} never asked for a client certificate (${setting} is not set), so ${client} sent none, although one is configured: the request arrived without credentials.`,
  fixNotRequested: (server, setting) => `Set ${setting} on ${server} to the CA that signs its clients' certificates (kubeadm: /etc/kubernetes/pki/ca.crt); ${server} then requests and checks them.`,
  whySan: (cert, name, from, url, sans) => `The client checks the name ${name} (${from === 'url' ? `the host in ${url}` : 'its tls-server-name'}), and ${cert} is valid only for ${sans.length ? sans.join(', ') : 'no names at all (no SANs)'}.`,
  whyNoClientCert: (client, server, field) => `${client} presented no client certificate, and ${server} requires one (${field}).`,
  whyNoTrustedCa: () => 'etcd requires client certificates (--client-cert-auth=true) but has no --trusted-ca-file to verify them against, so it checks them against the system roots: no client can ever pass.',
  whyTlsVersion: (server, min, client, max) => `${server} accepts ${min} and newer only (kube-apiserver --tls-min-version); ${client} offers at most ${max}. The handshake fails before any certificate is looked at.`,
  whyForbidden: (user, groups, message, anon) => `Authentication worked: the request was made as ${user}${groups.length ? ` (groups ${groups.join(', ')})` : ''}${anon ? `, an anonymous request allowed by ${anon}` : ''}. The authorizer refused it: ${message}`,
  whyToken: (reason, source, error) => `The bearer token from ${source} ${reason === 'TOKEN_EXPIRED' ? 'has expired' : 'was not accepted'}; kube-apiserver checks ServiceAccount tokens with the keys in kube-apiserver --service-account-key-file and bootstrap tokens against their Secrets: ${error}`,
  whyNoCredentials: (client, config, setting) => `${client} sent neither a client certificate nor a token (${config}), and anonymous requests are off (${setting}).`,
  whyNoClientAuth: (field) => `etcd never asked for a client certificate: neither of ${field} is set. --peer-trusted-ca-file and --peer-client-cert-auth only protect member-to-member traffic on port 2380. The connection is encrypted, but the client is not authenticated.`,
  whyServerNotVerified: (client, server, field) => `${client} connected without checking ${server}'s certificate (${field}): the request succeeded, but only one side of the connection is authenticated.`,
  whyConfig: (component, isServer, summary) => `${component} ${isServer ? 'refuses to start' : 'cannot load its client configuration'}: ${summary.replace(/^.*?: /, '')}`,
  whyRefused: (url, config) => `Nothing listens at ${url} (configured in ${config}).`,
  whyNoServingCert: () => 'The kubelet runs with serverTLSBootstrap: true, and its kubernetes.io/kubelet-serving CSR has not been approved (the controller-manager never approves those by itself): it has no serving certificate, so it answers every handshake with an internal_error alert.',
  fixNoServingCert: () => 'Approve the kubelet\'s serving CSR (`kubectl get csr`, then `kubectl certificate approve <name>` after checking its node name and addresses), or run an approver for kubelet-serving CSRs; or give the kubelet tlsCertFile/tlsPrivateKeyFile instead of serverTLSBootstrap.',
  whyAnonymousAllowed: (server, setting, despite) => despite
    ? `${server} authenticated ${despite.client} as ${despite.user}, but the same request sent with no certificate and no token got ${despite.status} too: it was taken as system:anonymous (${setting}) and the authorizer allowed it. The client certificate protects nothing while anonymous requests get in.`
    : `${server} checked no credential: the request was authenticated as system:anonymous (${setting}) and the authorizer allowed it. The answer came, but nobody proved who asked.`,
  fixAnonymousAllowed: (server, setting) => server === 'kubelet'
    ? `Turn anonymous access off (${setting}: false), set authentication.x509.clientCAFile to the cluster CA and authorization.mode to Webhook, as kubeadm does.`
    : `Turn anonymous access off (${setting}=false) or take the permission away from system:anonymous / system:unauthenticated, and give the client a certificate or token.`,
  attacker: (r) => r.reason === 'NO_CLIENT_AUTH'
    ? 'Anyone who can reach etcd\'s client port (2379) can read and write every key without a credential: all Secrets and ServiceAccount tokens, and RBAC objects that make them cluster-admin.'
    : r.reason === 'ANONYMOUS_ALLOWED'
      ? (r.server.component === 'kubelet'
        ? 'Anyone who can reach the kubelet\'s port (10250) can run commands in every pod on the node (exec, run), read their logs and the Secrets mounted into them.'
        : `Anyone who can reach ${r.client.dialled} gets whatever system:anonymous is allowed, without any credential.`)
    : r.reason === 'SERVER_NOT_VERIFIED'
      ? `Anyone who can intercept traffic to ${r.client.dialled} can pose as ${r.server.component}: read what is sent to it (for the kubelet: exec and attach sessions, logs) and answer with anything.`
      : undefined,
  fixNone: 'Nothing to fix.',
  fixGeneric: 'See what Kubernetes prints above.',
  fixServerCa: (certFile, certField, trustField, trustFile) => `Either re-issue the server certificate ${certFile} (${certField}) from the CA in ${trustField}${trustFile ? ` (${trustFile})` : ''}, or point ${trustField} at the CA that really signs it.`,
  fixClientCa: (certFile, trustField, trustFile) => `Re-issue the client certificate ${certFile} from the CA in ${trustField}${trustFile ? ` (${trustFile})` : ''}, or add its issuing CA to that file (a bundle may hold several CAs, as during a rotation).`,
  fixExpired: (certFile) => `Renew ${certFile} (kubeadm: \`kubeadm certs renew\`, then restart the component; the kubelet rotates its own client certificate) and check the expiry with \`kubeadm certs check-expiration\` or \`kube-mtls-sim pki inspect\`.`,
  fixNotYetValid: (certFile) => `Fix the clocks (NTP) or re-issue ${certFile} with a NotBefore in the past (kubeadm back-dates by 5 minutes).`,
  fixEku: (certFile, needs) => `Re-issue ${certFile} with the extended key usage ${needs}${needs === 'serverAuth' ? ' (and the names it is dialled by in its SANs)' : ''}.`,
  fixSan: (certFile, name, server) => server === 'kubelet'
    ? `Give the kubelet a serving certificate that names ${name} (serverTLSBootstrap: true, then approve its kubelet-serving CSR, which carries the node's addresses), or have kube-apiserver dial an address the certificate has (--kubelet-preferred-address-types).`
    : server === 'etcd-peer' ? `Re-issue ${certFile} with ${name} in its SANs on every member (kubeadm: etcd.local.peerCertSANs), or advertise a peer URL the certificate names (--initial-advertise-peer-urls, --initial-cluster).`
    : server === 'etcd'
      ? `Re-issue ${certFile} with ${name} in its SANs (kubeadm: etcd.local.serverCertSANs), or point kube-apiserver --etcd-servers at a name the certificate has.`
      : `Re-issue ${certFile} with ${name} in its SANs (kubeadm: apiServer.certSANs, then \`kubeadm init phase certs apiserver\`), or have the client dial a name the certificate has (kubeconfig tls-server-name).`,
  fixNoClientCert: (setting, caFile) => `Set ${setting} to a client certificate and key issued by the CA in ${caFile || 'the server\'s client CA file'}.`,
  fixNoTrustedCa: () => 'Set etcd --trusted-ca-file to the CA that signs the clients (kubeadm: /etc/kubernetes/pki/etcd/ca.crt).',
  fixTlsVersion: () => 'Lower kube-apiserver --tls-min-version to a version the client supports, or update the client.',
  fixForbidden: (user, setting) => `Either give ${user} the permission (a RoleBinding or ClusterRoleBinding), or present the identity the request needs: the CN (user) and O (groups) of ${setting}, or the right ServiceAccount.`,
  fixInvalidToken: (source, bootstrap) => bootstrap
    ? `Give ${source} a bootstrap token that exists: \`kubeadm token create\` (or a bootstrap-token-<id> Secret in kube-system with usage-bootstrap-authentication: "true"), and check \`kubeadm token list\`.`
    : `Make kube-apiserver --service-account-key-file hold the public half of the key that signed the token in ${source} (kubeadm: sa.pub for sa.key), or give the client a token this cluster issued.`,
  fixTokenExpired: (source) => `Replace the token in ${source}: a projected ServiceAccount token is refreshed by the kubelet; a bootstrap token is re-created with \`kubeadm token create\`.`,
  fixNoCredentials: (config) => `Give the client credentials in ${config} (client-certificate-data and client-key-data, or a token).`,
  fixNoClientAuth: () => 'Set etcd --trusted-ca-file to the CA that signs --etcd-certfile (kubeadm: /etc/kubernetes/pki/etcd/ca.crt) and --client-cert-auth=true.',
  fixServerNotVerified: (field, server) => `Set ${field} to the CA that signs ${server}'s serving certificate, and give ${server} a certificate from that CA with the dialled address in its SANs (for the kubelet: serverTLSBootstrap with approved kubelet-serving CSRs).`,
  fixConfig: (reason) => ({
    KEY_MISMATCH: 'Point the key path at the private key that belongs to the certificate (compare `openssl x509 -noout -pubkey` with `openssl pkey -pubout`).',
    PEM_SWITCHED: 'Swap the two paths: the certificate field must name the .crt/.pem certificate and the key field the private key.',
    FILE_MISSING: 'Create the file, or correct the path in the flag or field that names it.',
    BAD_FILE: 'Replace the file with a valid PEM certificate or key (see the error for what is wrong).',
    CLIENT_KEY_UNUSABLE: 'Re-issue the client certificate with a key the TLS library accepts (RSA of at least 2048 bits, or ECDSA P-256).',
    BAD_FLAG: 'Correct the flag\'s value in the component\'s static pod manifest or unit file (the error quotes what the real binary says and which values it takes).',
  })[reason],
  fixRefused: (config) => `Correct the server address in ${config}, or start the server that should listen there.`,
  whyStructure: (cause, cert, ca, error) => ({
    'name-encoding': `${cert} names its issuer ${ca} with the same text and key id as the trusted CA, but not the same bytes (one side writes the name as UTF8String, the other as PrintableString). Go looks for a certificate's parent by the raw bytes of its issuer name, so the trusted CA is not even a candidate: "${error}".`,
    'insecure-signature': `${cert} is signed by ${ca}, the trusted CA, but with a hash Go refuses as insecure (SHA-1 or MD5): the signature check fails, and Go reports the CA as unknown with that hint: "${error}".`,
    'critical-extension': `${cert} carries an extension marked critical that Go does not know; a verifier must refuse such a certificate (RFC 5280), and Go does before it builds any chain: "${error}".`,
    'path-length': `A CA of the chain that ends at ${ca} limits how many intermediate CAs may stand below it (basicConstraints pathLenConstraint), and the chain to ${cert} has more: "${error}".`,
    'name-constraints': `A CA of the chain that ends at ${ca} carries name constraints that a name of ${cert} breaks; Go checks every name of the leaf against them, not only the one dialled: "${error}".`,
  })[cause],
  fixStructure: (cause, certFile, ca) => ({
    'name-encoding': `Re-issue ${certFile} with a tool that copies the CA's subject bytes into the issuer field (openssl, cfssl, kubeadm and cert-manager do), rather than re-encoding the name.`,
    'insecure-signature': `Re-issue ${certFile} signed with SHA-256 or stronger (kubeadm, cfssl and openssl's defaults).`,
    'critical-extension': `Re-issue ${certFile} without that extension, or with it marked non-critical.`,
    'path-length': `Issue ${certFile} with fewer intermediate CAs (directly from ${ca} if that CA says pathlen:0), or re-issue the limiting CA with a pathLenConstraint that allows the intermediates below it (or none).`,
    'name-constraints': `Re-issue ${certFile} without the names the constraints forbid, or re-issue the constraining CA (in the chain to ${ca}) with constraints that allow them.`,
  })[cause],
};

const zh: Phrases = {
  ...EXTRA_PHRASES.zh,
  labels: { why: '原因', attacker: '攻击者能做什么', fix: '修复', explanation: '解释' },
  nothing: '没有证书',
  keyId: '密钥标识',
  cert: (subject, serial, issuer, akid, field, file) => `${subject}（序列号 ${serial}），签发者 ${issuer}${akid ? `［颁发机构密钥标识 ${akid}］` : ''}${where(field, file)}`,
  token: (field, file) => `来自 ${field}（${file}）的 Bearer Token`,
  clientPresents: (who, what) => `${who} 出示了 ${what}。`,
  serverPresents: (who, what) => `${who} 出示了 ${what}。`,
  trustCa: (field, file, subjects) => `CA 文件 ${field}${file ? `（${file}）` : ''}，其中包含 ${subjects}`,
  trustNone: (field, off) => `什么都不信任：校验已关闭（${off ? `${field} 为 true` : `未设置 ${field}`}）`,
  trustSystemRoots: (field) => `仅系统根证书，其中没有集群 CA（${field}）`,
  clientTrusts: (who, what, url, name) => `${who} 用 ${what} 校验服务端${name ? `，并检查名称 ${name.name}（${name.from === 'url' ? `${url} 中的主机名` : '其 tls-server-name'}）` : ''}。`,
  serverTrusts: (who, what) => `${who} 用 ${what} 校验客户端证书。`,
  whyOk: (r) => `双方都校验了对方：${r.client.component} 确认 ${r.server.component} 的证书由其信任的 CA 签发，且对所拨名称有效；${r.server.component} ${r.identity ? `将客户端认证为 ${r.identity.name}${r.identity.groups.length ? `（组 ${r.identity.groups.join(', ')}）` : ''} 并允许了该请求` : '接受了该请求'}。`,
  whyGeneric: (summary) => summary,
  whyNoAnchor: (cert, issuer, field) => `${cert} 由 ${issuer} 签发，但校验方没有可用于校验的集群 CA（${field}）。`,
  whyImpostor: (cert, issuer, akid, ids) => `${cert} 的签发者名为 ${issuer}，校验方也信任同名 CA——但不是同一个 CA：该证书由密钥 ${akid} 签名，而受信任 CA 的密钥是 ${ids}。常见于集群重新初始化之后：CA 名称相同，密钥已更换。`,
  whyMissingIntermediate: (cert, issuer, trusted) => `${cert} 由中间 CA ${issuer} 签发，该中间 CA 本身不受信任，也没有随证书一起发送，因此无法连接到受信任的 ${trusted}。`,
  whyUnknownCa: (cert, issuer, akid, trusted, whereFile) => `${cert} 由 ${issuer}${akid ? `［密钥 ${akid}］` : ''} 签发，但校验方只信任 ${trusted}（${whereFile}）。签发者的名称和密钥都不匹配任何受信任的 CA。`,
  whyNotACa: (cert, issuer) => `${cert} 由 ${issuer} 签名，而它不是 CA（CA:FALSE，没有 keyCertSign）：Go 拒绝经过它的证书链（"parent certificate cannot sign this kind of certificate"）。`,
  whyExpired: (cert, notAfter, at) => `${cert} 的有效期截至 ${notAfter}；集群时钟为 ${at}。`,
  whyNotYetValid: (cert, notBefore, at) => `${cert} 自 ${notBefore} 起才有效；集群时钟为 ${at}（时钟落后，或证书日期在未来）。`,
  whyEku: (cert, has, needs, verifier) => `${cert} 的扩展密钥用法为 ${has.join(', ') || '（无）'}；${verifier} 对该角色要求 ${needs}。`,
  whyEkuFromChain: (cert, needs, verifier, trusted) => `${cert} 本身允许 ${needs}，但它上方的某个 CA 不允许：Go 会沿整条链对扩展密钥用法取交集，因此限定为其他用法的 CA（${trusted}）会让它签发的每张证书都失去 ${needs}，${verifier} 于是拒绝它。`,
  fixEkuFromChain: (needs, trusted) => `重新签发 ${trusted} 中的 CA，不带扩展密钥用法扩展（kubeadm 的 CA 都没有），或在其中包含 ${needs}，然后重新签发其下的证书。`,
  whyCaExpired: (cert, ca, error, whereFile) => `${cert} 确实按名称和密钥链接到受信任的 CA ${ca}（${whereFile}），但该 CA 本身在此时无效：${error}。`,
  fixCaExpired: (ca, whereFile) => `用同一把密钥续期 CA ${ca}（${whereFile}），使它签发的证书继续有效（kubeadm 不续期 CA：\`kubeadm certs renew\` 只续期叶子证书），再分发新的 CA 文件；或者从新 CA 重新签发整套 PKI。`,
  whyNotRequested: (client, server, setting) => `${server} 从未要求客户端证书（未设置 ${setting}），所以 ${client} 虽然配置了证书也没有发送：请求没有携带任何凭据。`,
  fixNotRequested: (server, setting) => `为 ${server} 设置 ${setting}，指向签发其客户端证书的 CA（kubeadm：/etc/kubernetes/pki/ca.crt）；${server} 随后会请求并校验客户端证书。`,
  whySan: (cert, name, from, url, sans) => `客户端检查名称 ${name}（${from === 'url' ? `${url} 中的主机名` : '其 tls-server-name'}），而 ${cert} 只对 ${sans.length ? sans.join(', ') : '任何名称都无效（没有 SAN）'} 有效。`,
  whyNoClientCert: (client, server, field) => `${client} 没有出示客户端证书，而 ${server} 要求客户端证书（${field}）。`,
  whyNoTrustedCa: () => 'etcd 要求客户端证书（--client-cert-auth=true），却没有配置 --trusted-ca-file 来校验它们，于是只能用系统根证书校验：任何客户端都无法通过。',
  whyTlsVersion: (server, min, client, max) => `${server} 只接受 ${min} 及以上版本（kube-apiserver --tls-min-version）；${client} 最高只支持 ${max}。握手在查看任何证书之前就失败了。`,
  whyForbidden: (user, groups, message, anon) => `认证成功：请求的身份是 ${user}${groups.length ? `（组 ${groups.join(', ')}）` : ''}${anon ? `，这是 ${anon} 允许的匿名请求` : ''}。但鉴权拒绝了它：${message}`,
  whyToken: (reason, source, error) => `来自 ${source} 的 Bearer Token ${reason === 'TOKEN_EXPIRED' ? '已过期' : '未被接受'}；kube-apiserver 用 kube-apiserver --service-account-key-file 中的密钥校验 ServiceAccount Token，用 Secret 校验引导令牌：${error}`,
  whyNoCredentials: (client, config, setting) => `${client} 既没有发送客户端证书也没有发送 Token（${config}），而匿名请求已关闭（${setting}）。`,
  whyNoClientAuth: (field) => `etcd 从未要求客户端证书：${field} 都没有设置。--peer-trusted-ca-file 和 --peer-client-cert-auth 只保护 2380 端口上成员之间的流量。连接是加密的，但客户端没有经过认证。`,
  whyServerNotVerified: (client, server, field) => `${client} 没有校验 ${server} 的证书就建立了连接（${field}）：请求成功了，但连接只有一方经过认证。`,
  whyConfig: (component, isServer, summary) => `${component} ${isServer ? '拒绝启动' : '无法加载其客户端配置'}：${summary.replace(/^.*?: /, '')}`,
  whyRefused: (url, config) => `${url} 上没有任何服务在监听（配置于 ${config}）。`,
  whyNoServingCert: () => 'kubelet 以 serverTLSBootstrap: true 运行，而它的 kubernetes.io/kubelet-serving CSR 尚未被批准（controller-manager 从不自动批准此类 CSR）：它没有服务证书，于是对每次握手都回以 internal_error 告警。',
  fixNoServingCert: () => '批准 kubelet 的服务证书 CSR（`kubectl get csr`，核对节点名称和地址后 `kubectl certificate approve <名称>`），或运行一个 kubelet-serving CSR 的审批器；或者不用 serverTLSBootstrap，而为 kubelet 配置 tlsCertFile/tlsPrivateKeyFile。',
  whyAnonymousAllowed: (server, setting, despite) => despite
    ? `${server} 认证了 ${despite.client}（身份 ${despite.user}），但不带证书也不带 Token 的同一请求同样得到了 ${despite.status}：它被认证为 system:anonymous（${setting}），并且鉴权放行了它。只要匿名请求能进来，客户端证书就什么也保护不了。`
    : `${server} 没有校验任何凭据：请求被认证为 system:anonymous（${setting}），并且鉴权放行了它。应答返回了，但没有人证明请求者是谁。`,
  fixAnonymousAllowed: (server, setting) => server === 'kubelet'
    ? `关闭匿名访问（${setting}: false），将 authentication.x509.clientCAFile 设为集群 CA，authorization.mode 设为 Webhook，与 kubeadm 的配置一致。`
    : `关闭匿名访问（${setting}=false），或收回 system:anonymous / system:unauthenticated 的权限，并为客户端配置证书或 Token。`,
  attacker: (r) => r.reason === 'NO_CLIENT_AUTH'
    ? '任何能访问 etcd 客户端端口（2379）的人都无需凭据即可读写所有键：所有 Secret 和 ServiceAccount Token，以及能让自己成为 cluster-admin 的 RBAC 对象。'
    : r.reason === 'ANONYMOUS_ALLOWED'
      ? (r.server.component === 'kubelet'
        ? '任何能访问 kubelet 端口（10250）的人都可以在该节点的每个 Pod 中执行命令（exec、run），读取它们的日志和挂载到其中的 Secret。'
        : `任何能访问 ${r.client.dialled} 的人无需凭据即可获得 system:anonymous 被允许的一切。`)
    : r.reason === 'SERVER_NOT_VERIFIED'
      ? `任何能截获发往 ${r.client.dialled} 的流量的人都可以冒充 ${r.server.component}：读取发给它的内容（对 kubelet 而言：exec 和 attach 会话、日志），并随意应答。`
      : undefined,
  fixNone: '无需修复。',
  fixGeneric: '请参见上面 Kubernetes 打印的信息。',
  fixServerCa: (certFile, certField, trustField, trustFile) => `要么用 ${trustField}${trustFile ? `（${trustFile}）` : ''} 中的 CA 重新签发服务端证书 ${certFile}（${certField}），要么让 ${trustField} 指向真正签发它的 CA。`,
  fixClientCa: (certFile, trustField, trustFile) => `用 ${trustField}${trustFile ? `（${trustFile}）` : ''} 中的 CA 重新签发客户端证书 ${certFile}，或者把它的签发 CA 加入该文件（CA 文件可以包含多个 CA，轮换期间就是如此）。`,
  fixExpired: (certFile) => `续期 ${certFile}（kubeadm：\`kubeadm certs renew\`，然后重启组件；kubelet 会自行轮换其客户端证书），并用 \`kubeadm certs check-expiration\` 或 \`kube-mtls-sim pki inspect\` 检查到期时间。`,
  fixNotYetValid: (certFile) => `修正时钟（NTP），或重新签发 NotBefore 在过去的 ${certFile}（kubeadm 会提前 5 分钟）。`,
  fixEku: (certFile, needs) => `重新签发带有扩展密钥用法 ${needs} 的 ${certFile}${needs === 'serverAuth' ? '（并在 SAN 中包含客户端拨号所用的名称）' : ''}。`,
  fixSan: (certFile, name, server) => server === 'kubelet'
    ? `为 kubelet 提供包含 ${name} 的服务证书（serverTLSBootstrap: true，然后批准其 kubelet-serving CSR，其中带有节点的地址），或让 kube-apiserver 拨号证书中已有的地址（--kubelet-preferred-address-types）。`
    : server === 'etcd-peer' ? `在每个成员上重新签发 ${certFile}，在其 SAN 中加入 ${name}（kubeadm：etcd.local.peerCertSANs），或通告证书中已有的对等 URL（--initial-advertise-peer-urls、--initial-cluster）。`
    : server === 'etcd'
      ? `重新签发 ${certFile}，在其 SAN 中加入 ${name}（kubeadm：etcd.local.serverCertSANs），或让 kube-apiserver --etcd-servers 指向证书中已有的名称。`
      : `重新签发 ${certFile}，在其 SAN 中加入 ${name}（kubeadm：apiServer.certSANs，然后 \`kubeadm init phase certs apiserver\`），或让客户端使用证书中已有的名称（kubeconfig 的 tls-server-name）。`,
  fixNoClientCert: (setting, caFile) => `将 ${setting} 设置为由 ${caFile || '服务端客户端 CA 文件'} 中的 CA 签发的客户端证书和密钥。`,
  fixNoTrustedCa: () => '将 etcd --trusted-ca-file 设置为签发客户端证书的 CA（kubeadm：/etc/kubernetes/pki/etcd/ca.crt）。',
  fixTlsVersion: () => '将 kube-apiserver --tls-min-version 降到客户端支持的版本，或升级客户端。',
  fixForbidden: (user, setting) => `要么授予 ${user} 所需权限（RoleBinding 或 ClusterRoleBinding），要么出示请求所需的身份：${setting} 的 CN（用户）和 O（组），或正确的 ServiceAccount。`,
  fixInvalidToken: (source, bootstrap) => bootstrap
    ? `为 ${source} 提供一个存在的引导令牌：\`kubeadm token create\`（或在 kube-system 中创建带 usage-bootstrap-authentication: "true" 的 bootstrap-token-<id> Secret），并用 \`kubeadm token list\` 核对。`
    : `让 kube-apiserver --service-account-key-file 包含签发 ${source} 中 Token 的密钥的公钥（kubeadm：sa.key 对应 sa.pub），或给客户端一个本集群签发的 Token。`,
  fixTokenExpired: (source) => `替换 ${source} 中的 Token：投射的 ServiceAccount Token 由 kubelet 刷新；引导令牌用 \`kubeadm token create\` 重新创建。`,
  fixNoCredentials: (config) => `在 ${config} 中为客户端提供凭据（client-certificate-data 和 client-key-data，或 Token）。`,
  fixNoClientAuth: () => '将 etcd --trusted-ca-file 设置为签发 --etcd-certfile 的 CA（kubeadm：/etc/kubernetes/pki/etcd/ca.crt），并设置 --client-cert-auth=true。',
  fixServerNotVerified: (field, server) => `将 ${field} 设置为签发 ${server} 服务证书的 CA，并为 ${server} 配置由该 CA 签发、SAN 中包含拨号地址的证书（kubelet：serverTLSBootstrap 并批准 kubelet-serving CSR）。`,
  fixConfig: (reason) => ({
    KEY_MISMATCH: '让密钥路径指向与证书匹配的私钥（对比 `openssl x509 -noout -pubkey` 与 `openssl pkey -pubout` 的输出）。',
    PEM_SWITCHED: '交换这两个路径：证书字段必须指向 .crt/.pem 证书，密钥字段指向私钥。',
    FILE_MISSING: '创建该文件，或修正引用它的参数或字段中的路径。',
    BAD_FILE: '用有效的 PEM 证书或密钥替换该文件（错误信息说明了问题所在）。',
    CLIENT_KEY_UNUSABLE: '用 TLS 库接受的密钥重新签发客户端证书（至少 2048 位的 RSA，或 ECDSA P-256）。',
    BAD_FLAG: '在该组件的静态 Pod 清单或 unit 文件中修正这个参数的值（错误信息引用了真实程序的输出及可接受的取值）。',
  })[reason],
  fixRefused: (config) => `修正 ${config} 中的服务端地址，或启动应在该地址监听的服务。`,
  whyStructure: (cause, cert, ca, error) => ({
    'name-encoding': `${cert} 写的签发者 ${ca} 与受信任 CA 的文字和密钥标识都相同，但字节不同（一方用 UTF8String，另一方用 PrintableString 编码名称）。Go 按签发者名称的原始字节查找父证书，所以受信任的 CA 连候选都不是："${error}"。`,
    'insecure-signature': `${cert} 确实由受信任的 CA ${ca} 签发，但用的哈希算法被 Go 视为不安全（SHA-1 或 MD5）：签名校验失败，Go 把该 CA 报告为未知并附上提示："${error}"。`,
    'critical-extension': `${cert} 带有一个标记为关键（critical）而 Go 不认识的扩展；按 RFC 5280 校验方必须拒绝这样的证书，Go 在构建证书链之前就拒绝了："${error}"。`,
    'path-length': `以 ${ca} 为终点的证书链中，有一个 CA 限制了它下面可以有几级中间 CA（basicConstraints 的 pathLenConstraint），而到 ${cert} 的证书链超过了这个数："${error}"。`,
    'name-constraints': `以 ${ca} 为终点的证书链中，有一个 CA 带有名称约束，${cert} 的某个名称违反了它；Go 会用约束检查叶子证书的每一个名称，而不只是所拨的那个："${error}"。`,
  })[cause],
  fixStructure: (cause, certFile, ca) => ({
    'name-encoding': `用会把 CA 主题的原始字节照抄进签发者字段的工具重新签发 ${certFile}（openssl、cfssl、kubeadm、cert-manager 都是这样），不要重新编码名称。`,
    'insecure-signature': `用 SHA-256 或更强的哈希重新签发 ${certFile}（kubeadm、cfssl、openssl 的默认值都是如此）。`,
    'critical-extension': `重新签发 ${certFile}，去掉该扩展，或把它标记为非关键。`,
    'path-length': `减少 ${certFile} 之上的中间 CA（若 ${ca} 写着 pathlen:0，就直接由它签发），或者重新签发起限制作用的 CA，使其 pathLenConstraint 容许下面的中间 CA（或不设限制）。`,
    'name-constraints': `重新签发 ${certFile}，去掉约束所禁止的名称，或者重新签发带约束的 CA（在到 ${ca} 的证书链中），使其约束允许这些名称。`,
  })[cause],
};

export const PHRASES: Readonly<Record<Lang, Phrases>> = { en, zh };
