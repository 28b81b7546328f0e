import type { ZhTexts } from './types.js';

/** scenarios/everyday.ts in Simplified Chinese. */
export const everydayZh: ZhTexts = {
  'scheduler-cert-from-etcd-ca': { title: 'scheduler.conf 的证书由 etcd CA 签发',
    description: 'kube-apiserver 用 --client-ca-file（ca.crt）校验客户端证书；etcd CA 只被 etcd 信任。scheduler 能连上并出示证书，但每次 list 都得到 401。' },
  'scheduler-kubeconfig-trusts-wrong-ca': { title: 'scheduler.conf 的 certificate-authority-data 中是 front-proxy CA',
    description: 'scheduler 自己的证书没有问题；它的 kubeconfig 信任的 CA 并没有签发 apiserver 的服务证书，因此 client-go 在发送任何内容之前就拒绝了服务端。' },
  'scheduler-cert-not-yet-valid': { title: 'scheduler.conf 的证书明天才生效（节点时钟比签发证书的机器慢）',
    description: '证书带有 NotBefore；控制平面节点的时钟落后于运行 kubeadm 的机器时，会把新签发的证书视为尚未生效，apiserver 返回 401 和 "current time … is before …"。要修的是时钟（NTP），而不是证书。' },
  'controller-manager-wrong-cn': { title: 'controller-manager.conf 的证书写成了 CN=system:kube-controller-manger（拼写错误）',
    description: '认证成功（CA 是对的），但引导 RBAC 策略绑定的是 system:kube-controller-manager，而不是这个拼错的用户，所以读取选主 Lease 被禁止：403，controller-manager 永远当不上 leader。' },
  'controller-manager-cert-expired': { title: 'controller-manager.conf 的证书已过期',
    description: 'kubeadm 的证书有效期为一年；`kubeadm certs renew all` 也会续期各个 kubeconfig，但必须重启静态 Pod 才会读取新文件。在此之前：每个请求都是 401。' },
  'controller-manager-cert-without-clientauth': { title: 'controller-manager.conf 的证书只有 serverAuth 用途',
    description: '用服务端模板（cfssl 的 "server"、openssl 只带 serverAuth）生成的证书被当作客户端证书使用：apiserver 按 KeyUsages [ClientAuth] 校验，返回 401。' },
  'controller-manager-kubeconfig-trusts-wrong-ca': { title: 'controller-manager.conf 的 certificate-authority-data 中是 etcd CA',
    description: '手工拼装的 kubeconfig 用错了 ca.crt：controller-manager 在发送任何内容之前就拒绝了 apiserver 的证书。' },
  'kubectl-admin-without-cluster-admins-group': { title: 'admin.conf 的证书没有 O=kubeadm:cluster-admins',
    description: '从 kubeadm 1.29 起，admin.conf 带有 O=kubeadm:cluster-admins，这个组被绑定到 cluster-admin；super-admin.conf 保留 system:masters。手工制作、不带该组的管理员证书认证为 kubernetes-admin，只属于 system:authenticated：403。' },
  'etcd-client-cert-not-yet-valid': { title: '--etcd-certfile 明天才生效（控制平面节点之间时钟偏差）',
    description: 'etcd 在握手时校验 apiserver 的客户端证书；NotBefore 尚未到来的证书在此被拒绝，etcd 记录 "current time … is before …"。' },
  'etcd-server-cert-expired': { title: 'etcd 的服务证书已过期',
    description: 'apiserver 用 --etcd-cafile 校验 etcd 的证书；过期的证书在 apiserver 一侧握手失败，apiserver 什么也读写不了。执行 `kubeadm certs renew etcd-server`，然后重启 etcd。' },
  'kubelet-client-cert-not-yet-valid': { title: 'kubelet 的客户端证书明天才生效（签发机器的时钟偏快）',
    description: '在时钟快于控制平面的机器上制作的客户端证书（在别处运维的 CA、时间设置错误的节点），按 apiserver 的时钟尚未生效，而 apiserver 以自己的时钟为准：在那个时间到来之前都是 401。' },
};
