import type { ZhTexts } from './types.js';

/** scenarios/etcd-peer.ts in Simplified Chinese. */
export const etcdPeerZh: ZhTexts = {
  'etcd-peer-ok': { title: '三个成员使用 kubeadm 的 etcd/peer.crt：互相认证通过',
    description: 'kubeadm 的 peer 证书同时具有 serverAuth 和 clientAuth，并包含节点 IP：每个成员都用 --peer-trusted-ca-file（etcd/ca.crt）校验对方的证书，自己也以同样的方式被校验。' },
  'etcd-peer-cert-without-clientauth': { title: 'etcd/peer.crt 只有 serverAuth 用途',
    description: '成员作为 TLS 客户端连接其他成员时，使用的是与提供服务相同的证书：对方在握手时拒绝它，"tls: failed to verify client certificate: x509: certificate specifies an incompatible key usage"，发起连接的一方记录 "health check for peer … could not connect: remote error: tls: bad certificate"。' },
  'etcd-peer-cert-without-member-ip': { title: 'etcd/peer.crt 中没有成员 peer URL 的 IP',
    description: '发起连接的成员按对方 peer URL 中的主机（10.0.0.10）校验其证书："x509: certificate is valid for 127.0.0.1, ::1, not 10.0.0.10"；kubeadm 正是为此把 advertise 地址写进 etcd/peer.crt。' },
  'etcd-peer-trusted-ca-wrong-ca': { title: '--peer-trusted-ca-file 指向 Kubernetes CA，而不是 etcd CA',
    description: '发起连接的成员先校验对方的证书（TLS 1.3 中服务端证书先于客户端证书）："x509: certificate signed by unknown authority"；对方记录下告警 "remote error: tls: bad certificate"。' },
  'etcd-peer-client-cert-auth-off-still-enforces': { title: '没有 --peer-client-cert-auth，单独的 --peer-trusted-ca-file 仍然要求 peer 证书',
    description: '与客户端端口一样，非空的 --peer-trusted-ca-file 会开启 RequireAndVerifyClientCert（此时 etcd 的 peerTLS 启动日志显示 client-cert-auth = false）：没有 clientAuth 的 peer 证书依然被拒绝。在 etcd 3.4 上实测：不带证书的客户端得到 "tls: client didn\'t provide a certificate"。' },
  'etcd-peer-no-peer-ca': { title: '既没有 --peer-trusted-ca-file 也没有 --peer-client-cert-auth：peer 端口敞开，成员之间也无法互相校验',
    description: '监听的成员不索要证书（任何能访问 2380 的人都会得到服务），而发起连接的成员没有 CA，只能用系统根证书校验对方："x509: certificate signed by unknown authority"。集群始终无法组建。' },
  'reference-etcd-peer-flags-used-right': { title: '参考文档中的 --peer-* 参数用在它们该在的地方：peer 端口',
    description: '参考文档给 etcd 的客户端配置了 --peer-trusted-ca-file，但在那里它不起作用。在 peer 端口上，配合 --peer-cert-file/--peer-key-file（其 kube-etcd 证书同时具有 serverAuth 和 clientAuth）和 --peer-client-cert-auth，三个成员用同一个根 CA 互相认证。' },
};
