import type { Scenario } from '../lib/scenarios/types.js';

/** The reference document's layout, with its two mistakes corrected one at a time. */
export const referenceFixScenarios: Scenario[] = [
  { edge: 'apiserver-to-etcd', preset: 'reference', name: 'reference-etcd-fixed', title: 'the document\'s etcd, given --trusted-ca-file and --client-cert-auth',
    description: 'The fix for the document\'s first mistake: the client CA is --trusted-ca-file (with --client-cert-auth=true), not --peer-trusted-ca-file. Then etcd requires the apiserver\'s certificate.',
    source: 'etcd security guide', responsible: 'etcd --trusted-ca-file',
    changes: { etcd: { '--trusted-ca-file': '/etc/etcd/cluster-root-ca.pem', '--client-cert-auth': 'true' } },
    expect: { verdict: 'ok', stage: null, detectedBy: null, reason: 'OK', identity: { user: 'kube-apiserver-etcd-client' } } },
  { edge: 'apiserver-to-etcd', preset: 'reference', name: 'reference-etcd-anyone-gets-in', title: 'with the document\'s etcd, a client without any certificate gets in',
    description: 'What the first mistake means in practice: the apiserver without --etcd-certfile still reads etcd, and so can any process that reaches port 2379.',
    source: 'real etcd 3.4, config B, case (b)', responsible: 'etcd --trusted-ca-file',
    changes: { apiserver: { '--etcd-certfile': null, '--etcd-keyfile': null } },
    expect: { verdict: 'insecure', stage: 'tls', detectedBy: 'server', reason: 'NO_CLIENT_AUTH', identity: null } },
  { edge: 'apiserver-to-kubelet', preset: 'reference', name: 'reference-kubelet-fixed', title: 'the document\'s kubelet with tlsCertFile and tlsPrivateKeyFile the right way round',
    description: 'The fix for the second mistake: tlsCertFile names kubelet.crt and tlsPrivateKeyFile kubelet.key. Signed by the root CA with the node\'s name and IP, the certificate passes --kubelet-certificate-authority: this edge is then mutually authenticated, which kubeadm\'s is not.',
    source: 'KubeletConfiguration v1beta1', responsible: 'tlsCertFile',
    changes: { kubelet: { tlsCertFile: '/var/lib/kubelet/pki/kubelet.crt', tlsPrivateKeyFile: '/var/lib/kubelet/pki/kubelet.key' } },
    expect: { verdict: 'ok', stage: null, detectedBy: null, reason: 'OK', identity: { user: 'kube-apiserver-kubelet-client', groups: ['system:masters', 'system:authenticated'] } } },
  { edge: 'apiserver-to-kubelet', preset: 'reference', name: 'reference-kubelet-fixed-but-anonymous', title: '…and anonymous access with authorization.mode AlwaysAllow left on',
    description: 'Both sides are authenticated (the apiserver verifies the kubelet\'s certificate, the kubelet the apiserver\'s), yet the same /containerLogs request sent with no certificate at all is answered too, as system:anonymous: a client CA protects nothing while anonymous requests get in and every request is allowed.',
    source: 'kubernetes.io kubelet-authn-authz; pkg/kubelet/server/server.go (InstallAuthFilter)', responsible: 'authentication.anonymous.enabled',
    changes: {
      kubelet: { tlsCertFile: '/var/lib/kubelet/pki/kubelet.crt', tlsPrivateKeyFile: '/var/lib/kubelet/pki/kubelet.key', authentication: { anonymous: { enabled: true } }, authorization: { mode: 'AlwaysAllow' } },
    },
    expect: { verdict: 'insecure', stage: 'authn', detectedBy: 'server', reason: 'ANONYMOUS_ALLOWED', identity: { user: 'kube-apiserver-kubelet-client', groups: ['system:masters', 'system:authenticated'] } } },
];
