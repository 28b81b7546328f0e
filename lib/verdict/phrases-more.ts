/**
 * Sentences added after phrases.ts reached its size limit, in each language: kubectl's credential
 * prompt (reason CREDENTIALS_PROMPT), a chain signed by a CA of the same name with another key type,
 * and an expired intermediate CA sent by the peer.
 */
export interface MorePhrases {
  /** `user`: the kubeconfig field of the user entry; `config`: the kubeconfig file. */
  whyPrompt(user: string, config: string): string;
  fixPrompt(user: string, config: string): string;
  /** `error`: Go's whole error, whose hint names the signature's key type and the trusted key's. */
  whyKeyType(cert: string, issuer: string, error: string): string;
  fixKeyType(certFile: string, trust: string): string;
  whyIntermediateExpired(cert: string, intermediate: string, error: string): string;
  fixIntermediateExpired(certFile: string, intermediate: string): string;
}

export const MORE_PHRASES: Readonly<Record<'en' | 'zh', MorePhrases>> = {
  en: {
    whyPrompt: (user, config) => `${user} in ${config} has no client certificate, no token, no exec or auth-provider plugin and no username. kubectl then asks for a username and password on its terminal ("Please enter Username: "); with no terminal (a script, CI, stdin closed) it reads end of input, prints "error: EOF" and exits 1 without sending any request. (The kubelet, the scheduler and the other components read such a kubeconfig without prompting and send their requests anonymously.)`,
    fixPrompt: (user, config) => `Give ${user} in ${config} a credential: client-certificate-data and client-key-data (kubeadm: \`kubeadm kubeconfig user --client-name=<name>\`, or copy /etc/kubernetes/admin.conf), or a token, or an exec plugin.`,
    whyKeyType: (cert, issuer, error) => `${cert} names ${issuer} as its issuer, and a CA of that name is trusted, but its key is of another type than the key that signed the certificate (an RSA CA and an ECDSA chain, or the reverse: the CA was re-created with another key type, as cfssl and cert-manager default to ECDSA and kubeadm to RSA). Go tries the trusted CA as a candidate and says why it cannot fit: "${error}".`,
    fixKeyType: (certFile, trust) => `Re-issue ${certFile} from the CA in ${trust} (with that CA's key, whatever its type), or trust the CA that really signed it.`,
    whyIntermediateExpired: (cert, intermediate, error) => `${cert} is valid, and so is the trusted CA, but the intermediate CA ${intermediate} sent with it between the two is out of its dates. Go checks every certificate of a chain and gives the bare validity error, without saying which certificate it is: "${error}".`,
    fixIntermediateExpired: (certFile, intermediate) => `Renew the intermediate CA ${intermediate} (same key, so the certificates it signed stay valid) and put the renewed one after the leaf in ${certFile}; or re-issue ${certFile} from a valid CA.`,
  },
  zh: {
    whyPrompt: (user, config) => `${config} 中的 ${user} 既没有客户端证书，也没有 Token、exec 或 auth-provider 插件和用户名。此时 kubectl 会在终端上询问用户名和密码（"Please enter Username: "）；没有终端时（脚本、CI、stdin 已关闭）它读到输入结束，打印 "error: EOF" 并以 1 退出，不发送任何请求。（kubelet、scheduler 等组件读取这样的 kubeconfig 时不会询问，而是以匿名身份发送请求。）`,
    fixPrompt: (user, config) => `为 ${config} 中的 ${user} 配置凭据：client-certificate-data 和 client-key-data（kubeadm：\`kubeadm kubeconfig user --client-name=<name>\`，或复制 /etc/kubernetes/admin.conf），或 Token，或 exec 插件。`,
    whyKeyType: (cert, issuer, error) => `${cert} 的签发者是 ${issuer}，同名的 CA 也受信任，但它的密钥类型与签署该证书的密钥不同（RSA 的 CA 配 ECDSA 的证书链，或反过来：CA 被用另一种密钥类型重建过，cfssl 和 cert-manager 默认 ECDSA，kubeadm 默认 RSA）。Go 把受信任的 CA 当作候选，并说明它为何不匹配："${error}"。`,
    fixKeyType: (certFile, trust) => `用 ${trust} 中的 CA（用该 CA 的密钥，无论其类型）重新签发 ${certFile}，或信任真正签发它的 CA。`,
    whyIntermediateExpired: (cert, intermediate, error) => `${cert} 本身有效，受信任的 CA 也有效，但随它一起发送、位于两者之间的中间 CA ${intermediate} 已不在有效期内。Go 会检查证书链中的每一张证书，并只给出笼统的有效期错误，不说明是哪一张："${error}"。`,
    fixIntermediateExpired: (certFile, intermediate) => `续期中间 CA ${intermediate}（保持同一密钥，使它签发的证书仍然有效），并把续期后的证书放在 ${certFile} 中叶子证书之后；或用有效的 CA 重新签发 ${certFile}。`,
  },
};
