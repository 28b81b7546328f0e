import type { ZhTexts } from './types.js';

/** scenarios/reference.ts in Simplified Chinese. */
export const referenceZh: ZhTexts = {
  'reference-etcd-fixed': { title: '参考文档中的 etcd，加上 --trusted-ca-file 和 --client-cert-auth',
    description: '修正参考文档的第一个错误：客户端 CA 是 --trusted-ca-file（配合 --client-cert-auth=true），而不是 --peer-trusted-ca-file。这样 etcd 就会要求 apiserver 出示证书。' },
  'reference-etcd-anyone-gets-in': { title: '参考文档中的 etcd：不带任何证书的客户端也能进入',
    description: '第一个错误的实际后果：没有 --etcd-certfile 的 apiserver 照样能读 etcd，任何能访问 2379 端口的进程也都能。' },
  'reference-kubelet-fixed': { title: '参考文档中的 kubelet，tlsCertFile 和 tlsPrivateKeyFile 改回正确的顺序',
    description: '修正第二个错误：tlsCertFile 指向 kubelet.crt，tlsPrivateKeyFile 指向 kubelet.key。该证书由根 CA 签发并包含节点名称和 IP，能通过 --kubelet-certificate-authority 的校验：这条连接因此实现了双向认证，而 kubeadm 的并没有。' },
  'reference-kubelet-fixed-but-anonymous': { title: '……但仍开着匿名访问，且 authorization.mode 为 AlwaysAllow',
    description: '双方都经过了认证（apiserver 校验 kubelet 的证书，kubelet 校验 apiserver 的证书），可是同样的 /containerLogs 请求在完全不带证书时也会以 system:anonymous 的身份得到响应：只要匿名请求能进来、所有请求都被放行，客户端 CA 就什么也保护不了。' },
};
