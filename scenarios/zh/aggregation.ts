import type { ZhTexts } from './types.js';

/** scenarios/aggregation.ts in Simplified Chinese. */
export const aggregationZh: ZhTexts = {
  'metrics-apiservice-ca-bundle': { title: 'APIService 的 caBundle 中是签发 metrics-server 证书的 CA',
    description: 'kube-apiserver 出示 front-proxy-client.crt（--proxy-client-cert-file）；metrics-server 用 --requestheader-client-ca-file（front-proxy-ca.crt，从 extension-apiserver-authentication ConfigMap 读取）校验它，用 --requestheader-allowed-names 检查其 CN，然后从 X-Remote-User 中取得用户。apiserver 用 APIService 的 caBundle 校验 metrics-server 针对 metrics-server.kube-system.svc 的证书。' },
  'metrics-apiservice-insecure-skip-tls-verify': { title: '原样使用 components.yaml：insecureSkipTLSVerify: true',
    description: 'metrics-server 自带的清单注册 APIService 时设置了 insecureSkipTLSVerify，因为它使用的是自己为 localhost 生成的自签名证书。一切正常，但 apiserver 会把用户的请求连同 X-Remote-User 请求头发给任何冒充该 Service 的一方。' },
  'metrics-apiservice-no-ca-bundle': { title: '去掉了 insecureSkipTLSVerify，也没有设置 caBundle',
    description: '两者都没有时，聚合器用 Go 的系统根证书校验，而其中没有集群 CA："x509: certificate signed by unknown authority"，APIService 变为 Available=False（FailedDiscoveryCheck），kubectl top 提示 Metrics API 不可用。' },
  'metrics-server-self-signed-with-ca-bundle': { title: '设置了 caBundle，但 metrics-server 仍使用自签名证书',
    description: '没有 --tls-cert-file 时，metrics-server 会在 --cert-dir 中为 localhost 和 127.0.0.1 生成证书。聚合器先检查名字 metrics-server.kube-system.svc（Go 先查名字再查证书链），所以只有 caBundle 没用：Service 需要一张写有它名字的证书。' },
  'front-proxy-client-signed-by-cluster-ca': { title: 'front-proxy-client.crt 由集群 CA 签发',
    description: '请求头认证器拒绝它（它不是 front-proxy-ca 签发的），但 x509 认证器接受它，因为 --client-ca-file 就是集群 CA：metrics-server 看到的用户是 front-proxy-client，而不是 X-Remote-User，SubjectAccessReview 的结果是不允许。这正是 kubeadm 单独保留一个 front-proxy CA 的原因。' },
  'front-proxy-allowed-names-mismatch': { title: '--requestheader-allowed-names=aggregator，而证书写的是 front-proxy-client',
    description: '自己制作 front-proxy 证书的教程常把它叫作 "aggregator"；kubeadm 的是 CN=front-proxy-client。证书校验通过，但 CN 不在列表中："x509: subject with cn=front-proxy-client is not in the allowed list"，也没有其他认证器接受它：401。' },
  'metrics-server-kubelet-self-signed': { title: 'metrics-server 与 kubelet 的自签名证书',
    description: 'kubeadm issue 1602：metrics-server 连接节点的 InternalIP，并用集群 CA 校验 kubelet 的证书；自签名的 kubelet.crt 只写了主机名，Go 在名字这一步就停下了："cannot validate certificate for <ip> because it doesn\'t contain any IP SANs"。每次采集都失败，kubectl top 什么也拿不到。' },
  'metrics-server-kubelet-insecure-tls': { title: 'metrics-server 加上 --kubelet-insecure-tls',
    description: '对上面那个错误的常见回答：metrics-server 不再校验 kubelet 的证书。采集能用了，但任何能在节点地址上应答的人都可以给 metrics-server（以及读取它的自动伸缩器）喂任意数字。' },
  'metrics-server-kubelet-serving-csr': { title: '通过 CSR 流程获得的 kubelet 服务证书',
    description: 'kubeadm 文档给出的修复方法：serverTLSBootstrap: true，批准 kubelet-serving CSR；证书由集群 CA 签发并包含节点 IP，metrics-server 用集群内的 CA 校验它们，不需要任何额外参数。' },
  'metrics-server-kubelet-wrong-ca': { title: '--kubelet-certificate-authority 指向了 front-proxy CA',
    description: 'kubelet 的证书由集群 CA 签发；让 --kubelet-certificate-authority 指向另一个 CA（这里是 front-proxy-ca.crt）会让每次采集都以 "certificate signed by unknown authority" 失败。' },
};
