import type { Scenario } from '../lib/scenarios/types.js';

/**
 * The seven edges of the reference document, each as its preset configures it, with the outcome
 * Kubernetes documents (kubernetes-pki.md §3–4, real etcd 3.4 for the etcd edge).
 */
const kubeadm: Scenario[] = [
  { name: 'kubectl-to-apiserver', edge: 'kubectl-to-apiserver', preset: 'kubeadm', title: 'kubectl lists pods with admin.conf',
    description: 'admin.conf embeds a client cert CN=kubernetes-admin, O=kubeadm:cluster-admins signed by ca, and ca.crt to verify the apiserver. The apiserver requests client certificates (--client-ca-file), maps CN to the user and O to groups; kubeadm binds kubeadm:cluster-admins to cluster-admin.',
    source: 'kubeadm kubeconfig phase; k8s.io/apiserver x509 authenticator', responsible: 'kube-apiserver --client-ca-file',
    expect: { verdict: 'ok', stage: null, detectedBy: null, reason: 'OK', identity: { user: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:authenticated'] } } },
  { name: 'apiserver-to-etcd', edge: 'apiserver-to-etcd', preset: 'kubeadm', title: 'the apiserver reads from etcd',
    description: 'The apiserver presents apiserver-etcd-client (signed by etcd-ca) and verifies etcd/server.crt with --etcd-cafile. etcd has --trusted-ca-file and --client-cert-auth=true, so it requires and verifies the client certificate during the handshake.',
    source: 'kubeadm etcd/local.go and manifests.go; etcd transport/listener.go; real etcd 3.4', responsible: 'etcd --trusted-ca-file',
    expect: { verdict: 'ok', stage: null, detectedBy: null, reason: 'OK', identity: { user: 'kube-apiserver-etcd-client' } } },
  { name: 'scheduler-to-apiserver', edge: 'scheduler-to-apiserver', preset: 'kubeadm', title: 'the scheduler lists pods with scheduler.conf',
    description: 'scheduler.conf embeds CN=system:kube-scheduler; the default ClusterRoleBinding system:kube-scheduler lets it list pods.',
    source: 'kubeadm kubeconfig phase; RBAC bootstrap policy', responsible: '/etc/kubernetes/scheduler.conf',
    expect: { verdict: 'ok', stage: null, detectedBy: null, reason: 'OK', identity: { user: 'system:kube-scheduler', groups: ['system:authenticated'] } } },
  { name: 'controller-manager-to-apiserver', edge: 'controller-manager-to-apiserver', preset: 'kubeadm', title: 'the controller-manager reads its lease with controller-manager.conf',
    description: 'controller-manager.conf embeds CN=system:kube-controller-manager; its ClusterRole lets it read its leader-election lease.',
    source: 'kubeadm kubeconfig phase; RBAC bootstrap policy', responsible: '/etc/kubernetes/controller-manager.conf',
    expect: { verdict: 'ok', stage: null, detectedBy: null, reason: 'OK', identity: { user: 'system:kube-controller-manager', groups: ['system:authenticated'] } } },
  { name: 'kube-proxy-to-apiserver', edge: 'kube-proxy-to-apiserver', preset: 'kubeadm', title: 'kube-proxy lists services with its ServiceAccount token',
    description: 'kube-proxy has no client certificate: its kubeconfig names the ServiceAccount token file, a JWT signed with sa.key that the apiserver checks with sa.pub (--service-account-key-file). kubeadm:node-proxier binds the ServiceAccount to system:node-proxier.',
    source: 'kubeadm addons/proxy; ServiceAccount token authenticator', responsible: '/var/run/secrets/kubernetes.io/serviceaccount/token',
    expect: { verdict: 'ok', stage: null, detectedBy: null, reason: 'OK', identity: { user: 'system:serviceaccount:kube-system:kube-proxy' } } },
  { name: 'kubelet-to-apiserver', edge: 'kubelet-to-apiserver', preset: 'kubeadm', title: 'the kubelet reads its Node object with kubelet.conf',
    description: 'kubelet.conf points at /var/lib/kubelet/pki/kubelet-client-current.pem: CN=system:node:<node>, O=system:nodes, signed by ca. The Node authorizer lets a node read its own Node object.',
    source: 'kubeadm kubelet-finalize; Node authorizer', responsible: '/var/lib/kubelet/pki/kubelet-client-current.pem',
    expect: { verdict: 'ok', stage: null, detectedBy: null, reason: 'OK', identity: { user: 'system:node:control-plane', groups: ['system:nodes', 'system:authenticated'] } } },
  { name: 'apiserver-to-kubelet', edge: 'apiserver-to-kubelet', preset: 'kubeadm', title: 'the apiserver fetches logs from the kubelet',
    description: 'The apiserver presents apiserver-kubelet-client, which the kubelet verifies against clientCAFile. kubeadm does not set --kubelet-certificate-authority, so the apiserver does not verify the kubelet\'s self-signed serving certificate: the edge works, but only one side is authenticated.',
    source: 'kubelet client transport (Insecure without a CA); kubernetes.io control-plane-node-communication', responsible: 'kube-apiserver --kubelet-certificate-authority',
    expect: { verdict: 'insecure', stage: 'tls', detectedBy: 'client', reason: 'SERVER_NOT_VERIFIED', identity: { user: 'kube-apiserver-kubelet-client', groups: ['kubeadm:cluster-admins', 'system:authenticated'] } } },
];

const reference: Scenario[] = [
  { name: 'reference-kubectl-to-apiserver', edge: 'kubectl-to-apiserver', preset: 'reference', title: 'kubectl with the document\'s kind-kind kubeconfig',
    description: 'The kubeconfig embeds a client cert signed by cluster-root-ca, which is also the apiserver\'s --client-ca-file.',
    source: 'the reference document §1.1 edge 1', responsible: '/root/.kube/config',
    expect: { verdict: 'ok', stage: null, detectedBy: null, reason: 'OK', identity: { user: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] } } },
  { name: 'reference-apiserver-to-etcd', edge: 'apiserver-to-etcd', preset: 'reference', title: 'etcd with only --peer-trusted-ca-file (the document\'s mistake)',
    description: 'The document calls --peer-trusted-ca-file etcd\'s "Client CA". It is the CA for member-to-member traffic on port 2380. With neither --trusted-ca-file nor --client-cert-auth, etcd never asks clients for a certificate: the apiserver connects, and so can anyone who reaches port 2379.',
    source: 'etcd transport/listener.go; real etcd 3.4, config B', responsible: 'etcd --trusted-ca-file',
    expect: { verdict: 'insecure', stage: 'tls', detectedBy: 'server', reason: 'NO_CLIENT_AUTH', identity: null } },
  { name: 'reference-scheduler-to-apiserver', edge: 'scheduler-to-apiserver', preset: 'reference', title: 'the scheduler with scheduler.conf',
    description: 'Like kubectl: a client cert signed by the root CA.', source: 'the reference document §1.1 edge 3',
    responsible: '/etc/kubernetes/scheduler.conf',
    expect: { verdict: 'ok', stage: null, detectedBy: null, reason: 'OK', identity: { user: 'system:kube-scheduler' } } },
  { name: 'reference-controller-manager-to-apiserver', edge: 'controller-manager-to-apiserver', preset: 'reference', title: 'the controller-manager with controller-manager.conf',
    description: 'Like kubectl: a client cert signed by the root CA.', source: 'the reference document §1.1 edge 4',
    responsible: '/etc/kubernetes/controller-manager.conf',
    expect: { verdict: 'ok', stage: null, detectedBy: null, reason: 'OK', identity: { user: 'system:kube-controller-manager' } } },
  { name: 'reference-kube-proxy-to-apiserver', edge: 'kube-proxy-to-apiserver', preset: 'reference', title: 'kube-proxy with its ServiceAccount',
    description: 'The document: kube-proxy authenticates with its ServiceAccount (serviceAccount: kube-proxy), not a certificate.', source: 'the reference document §1.1 edge 5',
    responsible: '/var/run/secrets/kubernetes.io/serviceaccount/token',
    expect: { verdict: 'ok', stage: null, detectedBy: null, reason: 'OK', identity: { user: 'system:serviceaccount:kube-system:kube-proxy' } } },
  { name: 'reference-kubelet-to-apiserver', edge: 'kubelet-to-apiserver', preset: 'reference', title: 'the kubelet with /etc/kubernetes/kubelet.conf',
    description: 'kubelet.conf embeds CN=system:node:<node>, O=system:nodes signed by the root CA.', source: 'the reference document §1.1 edge 6',
    responsible: '/etc/kubernetes/kubelet.conf',
    expect: { verdict: 'ok', stage: null, detectedBy: null, reason: 'OK', identity: { user: 'system:node:control-plane', groups: ['system:nodes', 'system:authenticated'] } } },
  { name: 'reference-apiserver-to-kubelet', edge: 'apiserver-to-kubelet', preset: 'reference', title: 'the kubelet\'s swapped tlsCertFile/tlsPrivateKeyFile (the document\'s mistake)',
    description: 'The document\'s KubeletConfiguration puts kubelet.key in tlsCertFile and kubelet.crt in tlsPrivateKeyFile. The kubelet loads them with Go\'s tls.X509KeyPair, which refuses: it finds a private key where the certificate should be. The kubelet does not start, so there is nothing to connect to.',
    source: 'Go crypto/tls X509KeyPair; KubeletConfiguration v1beta1', responsible: 'tlsCertFile',
    expect: { verdict: 'config-error', stage: 'config', detectedBy: 'server', reason: 'PEM_SWITCHED', identity: null } },
];

export const edgeScenarios: readonly Scenario[] = [...kubeadm, ...reference];
