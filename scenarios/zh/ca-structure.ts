import type { ZhTexts } from './types.js';

/** scenarios/ca-structure.ts in Simplified Chinese. */
export const caStructureZh: ZhTexts = {
  'kubelet-client-issuer-utf8-name': { title: 'kubelet 客户端证书的签发者名称用 UTF8String 编码，而 CA 的主体是 PrintableString',
    description: '由正确的 CA 密钥签名，显示的也是同样的 "CN=kubernetes"，但 Go 按签发者名称的原始字节查找父证书：UTF8String 和 PrintableString 的字节不同，没有任何受信任的 CA 成为候选，apiserver 的 x509 认证器返回 "x509: certificate signed by unknown authority"，401。' },
  'apiserver-serving-via-pathlen0-intermediate': { title: 'ca.crt 设置了 pathlen:0，而 apiserver 的证书经由中间 CA 签发',
    description: 'pathLenConstraint 为 0 的 CA 只能签发叶子证书。apiserver 发送了中间证书，kubectl 构建出 叶子 → 中间 CA → ca.crt，Go 在根证书处拒绝这条链："x509: too many intermediates for path length constraint"。' },
  'apiserver-serving-excluded-by-name-constraints': { title: 'ca.crt 的名称约束排除了 "kubernetes"，而 apiserver 的证书中有这个名字',
    description: '无论连接时用的是哪个名字，Go 都会用上层每个 CA 的名称约束检查叶子证书的每个 DNS 名称："x509: a root or intermediate certificate is not authorized to sign for this name: DNS name \\"kubernetes\\" is excluded by constraint \\"kubernetes\\""。' },
  'etcd-server-unknown-critical-extension': { title: 'etcd 的服务证书带有一个无人认识的关键扩展',
    description: 'RFC 5280 要求校验方拒绝带有无法理解的关键扩展的证书，Go 正是这样做的，而且在查找证书链之前："x509: unhandled critical extension"。' },
  'kubelet-client-signed-sha1': { title: 'kubelet 的客户端证书用 SHA-1 签名（ecdsa-with-SHA1）',
    description: '签发它的是正确的 CA，但用的哈希算法 Go 已不再接受：该 CA 是候选，但签名校验失败，apiserver 返回 401 和 "x509: certificate signed by unknown authority (possibly because of \\"x509: cannot verify signature: insecure algorithm ECDSA-SHA1 (temporarily override with GODEBUG=x509sha1=1)\\" …)"。' },
  'apiserver-serving-signed-sha1': { title: 'apiserver 的服务证书用 SHA-1 签名（ecdsa-with-SHA1）',
    description: 'SHA-1 被拒绝的服务端情形：kube-apiserver 能加载并出示这张证书（Go 能加载它不会校验通过的证书），kubectl 在握手时拒绝它："x509: certificate signed by unknown authority (possibly because of \\"x509: cannot verify signature: insecure algorithm ECDSA-SHA1 (temporarily override with GODEBUG=x509sha1=1)\\" …)"。' },
  'apiserver-serving-signed-md5': { title: 'RSA 密钥，apiserver 的服务证书用 MD5 签名（md5WithRSAEncryption）',
    description: 'Go 拒绝 MD5 的时间比 SHA-1 更久，而且无法临时放开："x509: cannot verify signature: insecure algorithm MD5-RSA" 就是 kubectl 针对正确 CA 给出的提示。' },
  'apiserver-serving-ecdsa-chain-under-rsa-ca': { title: 'RSA 密钥，而 apiserver 的证书由名为 "kubernetes" 的 ECDSA CA 签发',
    description: '同名的 CA 不论密钥类型都是候选：叶子证书写的是 ECDSA-SHA256，受信任的 CA 持有的是 RSA 密钥，Go 在提示中指出了这一点："x509: signature algorithm specifies an ECDSA public key, but have public key of type *rsa.PublicKey"。常见于用另一种密钥类型重建 CA 之后（cfssl 和 cert-manager 默认用 ECDSA，kubeadm 默认用 RSA）。' },
  'apiserver-serving-rsa-chain-under-ecdsa-ca': { title: '……反过来：ECDSA 密钥，apiserver 的证书由同名的 RSA CA 签发',
    description: '提示中说的是另一种组合："x509: signature algorithm specifies an RSA public key, but have public key of type *ecdsa.PublicKey"。' },
  'apiserver-serving-expired-intermediate': { title: 'apiserver 发送的中间 CA 已过期',
    description: '叶子证书有效，ca.crt 也有效，但两者之间的中间证书昨天就到期了：Go 检查证书链上每张证书的有效期，给出的只是一句 "x509: certificate has expired or is not yet valid: current time … is after …"，完全没说过期的是中间证书，而不是服务端自己的证书。' },
};
