import type { ZhTexts } from './types.js';

/** scenarios/kubelet-lifecycle.ts in Simplified Chinese. */
export const kubeletLifecycleZh: ZhTexts = {
  'kubelet-tls-bootstrap': { title: '新的 kubelet 用引导令牌加入集群',
    description: 'kubelet 用引导令牌认证（system:bootstrappers:kubeadm:default-node-token 组中的 system:bootstrap:<id>），创建一个 kubernetes.io/kube-apiserver-client-kubelet 类型的 CSR；csrapproving 针对 nodeclient 做过 SubjectAccessReview 后批准它，csrsigning 签发证书；kubelet 写入 kubelet-client-<time>.pem 和 -current 链接，之后以 system:node:<node> 的身份与 apiserver 通信。' },
  'kubelet-tls-bootstrap-expired-token': { title: '……使用已过期的引导令牌',
    description: '引导认证器拒绝过期的令牌，CSR 始终没有被创建，kubelet 也就没有可用来通信的 kubeconfig。' },
  'kubelet-serving-csr-pending': { title: 'serverTLSBootstrap：kubelet-serving CSR 尚未批准',
    description: 'kubelet-serving CSR 从不会被自动批准。在有人批准之前，kubelet 没有服务证书：它对每次握手都回以 internal_error 告警，并记录 "no serving certificate available for the kubelet"；kubectl logs 报 "remote error: tls: internal error" 失败。' },
  'kubelet-serving-csr-approved': { title: '……批准之后：双方都经过了认证',
    description: '执行 `kubectl certificate approve` 后，csrsigning 用 ca 签发一张包含节点名称和 IP 的证书；kubelet 用它提供服务，--kubelet-certificate-authority=ca.crt 能校验通过。这就是自签名 kubelet 证书问题的修复方法。' },
  'kubelet-client-cert-rotated': { title: '开启 rotateCertificates，一年零五天之后',
    description: 'kubelet 在客户端证书有效期过去 70–90 % 时完成了轮换（一个自动批准的 selfnodeclient CSR）：到第 370 天，旧证书本该过期，新证书仍然有效。' },
  'kubelet-client-cert-expired-without-rotation': { title: '……不开启 rotateCertificates',
    description: '关闭轮换后没有人续期 kubelet-client-current.pem：到第 370 天它已过期，每个请求都是 401，节点变为 NotReady。' },
  'kubelet-fallback-to-bootstrap-token': { title: '节点关机一年零五天，其引导 kubeconfig 中的令牌仍然有效',
    description: '节点关机期间没有人轮换 kubelet-client-current.pem，它过期了。启动时 kubelet 发现 kubelet.conf 中的证书已过期（isClientConfigStillValid 记录 "part of the existing bootstrap client certificate in /etc/kubernetes/kubelet.conf is expired"），于是退回使用 --bootstrap-kubeconfig 中的令牌，以 system:bootstrap:<id> 的身份创建新的 kube-apiserver-client-kubelet CSR，该 CSR 被自动批准（nodeclient）并签发；kubelet 写入新的证书和私钥，重新以 system:node:<node> 的身份通信。节点加入后 kubeadm 会删除 bootstrap-kubelet.conf，所以这是一个保留了它（或拿到了新文件）的节点。' },
  'kubelet-fallback-bootstrap-token-expired': { title: '……而且引导令牌也已过期',
    description: 'kubelet 如上退回使用 --bootstrap-kubeconfig，但 apiserver 以 401 拒绝了过期的令牌，CSR 始终没有被创建：证书管理器记录 "Failed while requesting a signed certificate from the control plane: cannot create certificate signing request: Unauthorized" 并不断重试，而 kubelet 继续带着过期证书运行，每个请求都是 401。在 bootstrap-kubelet.conf 中放入新令牌（kubeadm token create），或换一个新的 kubelet.conf，节点就能恢复。' },
  'kubectl-after-a-year': { title: '一个没人续期的 kubeadm 集群，一年零一天之后',
    description: 'kubeadm 的叶子证书有效期为一年：apiserver 的服务证书已过期，所有客户端都拒绝它。' },
};
