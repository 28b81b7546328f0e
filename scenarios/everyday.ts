import type { Scenario } from '../lib/scenarios/types.js';

const PKI = '/etc/kubernetes/pki';
const SCHEDULER = '/etc/kubernetes/scheduler.conf';
const CONTROLLER_MANAGER = '/etc/kubernetes/controller-manager.conf';
const ADMIN = '/etc/kubernetes/admin.conf';

const authn = (reason: 'UNKNOWN_AUTHORITY' | 'CERT_EXPIRED' | 'CERT_NOT_YET_VALID' | 'WRONG_EKU') =>
  ({ verdict: 'rejected', stage: 'authn', detectedBy: 'server', reason, identity: null }) as const;
const byClient = (reason: 'UNKNOWN_AUTHORITY' | 'CERT_EXPIRED') =>
  ({ verdict: 'rejected', stage: 'tls', detectedBy: 'client', reason, identity: null }) as const;

/**
 * The everyday mistakes of the other clients: the same few faults (a certificate from the wrong
 * CA, a kubeconfig trusting the wrong CA, a clock behind, a typo in the CN, a missing group) that
 * kubectl's scenarios show, met by the scheduler, the controller-manager, etcd and the kubelet,
 * where the symptom is a log line instead of a command's error.
 */
export const everydayScenarios: Scenario[] = [
  { edge: 'scheduler-to-apiserver', preset: 'kubeadm', name: 'scheduler-cert-from-etcd-ca', title: 'scheduler.conf\'s cert is signed by the etcd CA',
    description: 'kube-apiserver verifies client certificates with --client-ca-file (ca.crt); the etcd CA is trusted only by etcd. The scheduler connects, presents its certificate and gets 401 on every list.',
    source: 'k8s.io/apiserver x509 authenticator (--client-ca-file)', responsible: SCHEDULER,
    changes: { faults: { scheduler: { kind: 'signed-by', issuer: 'etcd-ca' } } }, expect: authn('UNKNOWN_AUTHORITY') },
  { edge: 'scheduler-to-apiserver', preset: 'kubeadm', name: 'scheduler-kubeconfig-trusts-wrong-ca', title: 'scheduler.conf\'s certificate-authority-data holds the front-proxy CA',
    description: 'The scheduler\'s own certificate is fine; its kubeconfig trusts a CA that did not sign the apiserver\'s serving certificate, so client-go refuses the server before sending anything.',
    source: 'client-go TLS config (certificate-authority-data)', responsible: 'certificate-authority-data',
    changes: { kubeconfigEdits: { [SCHEDULER]: { 'clusters.0.cluster.certificate-authority-data': { fromFile: `${PKI}/front-proxy-ca.crt` } } } }, expect: byClient('UNKNOWN_AUTHORITY') },
  { edge: 'scheduler-to-apiserver', preset: 'kubeadm', name: 'scheduler-cert-not-yet-valid', title: 'scheduler.conf\'s cert starts tomorrow (the node\'s clock is behind the one that signed it)',
    description: 'Certificates carry a NotBefore; a control-plane node whose clock lags the machine that ran kubeadm sees fresh certificates as not yet valid, and the apiserver answers 401 with "current time … is before …". Fix the clock (NTP), not the certificate.',
    source: 'Go crypto/x509 (CertificateInvalidError Expired)', responsible: SCHEDULER,
    changes: { faults: { scheduler: { kind: 'not-yet-valid' } } }, expect: authn('CERT_NOT_YET_VALID') },
  { edge: 'controller-manager-to-apiserver', preset: 'kubeadm', name: 'controller-manager-wrong-cn', title: 'controller-manager.conf\'s cert says CN=system:kube-controller-manger (a typo)',
    description: 'Authentication succeeds (the CA is right), but the bootstrap RBAC policy binds system:kube-controller-manager, not the misspelt user, so reading its leader-election lease is forbidden: 403, and the controller-manager never becomes leader.',
    source: 'RBAC bootstrap policy (system:kube-controller-manager binding)', responsible: CONTROLLER_MANAGER,
    changes: { faults: { 'controller-manager': { kind: 'subject', cn: 'system:kube-controller-manger' } } },
    expect: { verdict: 'rejected', stage: 'authz', detectedBy: 'server', reason: 'FORBIDDEN', identity: { user: 'system:kube-controller-manger', groups: ['system:authenticated'] } } },
  { edge: 'controller-manager-to-apiserver', preset: 'kubeadm', name: 'controller-manager-cert-expired', title: 'controller-manager.conf\'s cert has expired',
    description: 'kubeadm\'s certificates live a year; `kubeadm certs renew all` renews the kubeconfigs too, but the static Pod must be restarted to read the new one. Until then: 401 on every request.',
    source: 'kubeadm certs check-expiration', responsible: CONTROLLER_MANAGER,
    changes: { faults: { 'controller-manager': { kind: 'expired' } } }, expect: authn('CERT_EXPIRED') },
  { edge: 'controller-manager-to-apiserver', preset: 'kubeadm', name: 'controller-manager-cert-without-clientauth', title: 'controller-manager.conf\'s cert has only the serverAuth usage',
    description: 'A certificate made with a serving profile (cfssl\'s "server", openssl\'s serverAuth only) used as a client certificate: the apiserver verifies with KeyUsages [ClientAuth] and answers 401.',
    source: 'k8s.io/apiserver x509 DefaultVerifyOptions', responsible: CONTROLLER_MANAGER,
    changes: { faults: { 'controller-manager': { kind: 'usages', extKeyUsage: ['serverAuth'] } } }, expect: authn('WRONG_EKU') },
  { edge: 'controller-manager-to-apiserver', preset: 'kubeadm', name: 'controller-manager-kubeconfig-trusts-wrong-ca', title: 'controller-manager.conf\'s certificate-authority-data holds the etcd CA',
    description: 'A kubeconfig assembled by hand with the wrong ca.crt: the controller-manager refuses the apiserver\'s certificate before sending anything.',
    source: 'client-go TLS config (certificate-authority-data)', responsible: 'certificate-authority-data',
    changes: { kubeconfigEdits: { [CONTROLLER_MANAGER]: { 'clusters.0.cluster.certificate-authority-data': { fromFile: `${PKI}/etcd/ca.crt` } } } }, expect: byClient('UNKNOWN_AUTHORITY') },
  { edge: 'kubectl-to-apiserver', preset: 'kubeadm', name: 'kubectl-admin-without-cluster-admins-group', title: 'admin.conf\'s cert has no O=kubeadm:cluster-admins',
    description: 'Since kubeadm 1.29 admin.conf carries O=kubeadm:cluster-admins, a group bound to cluster-admin; super-admin.conf keeps system:masters. A hand-made admin certificate without the group authenticates as kubernetes-admin with only system:authenticated: 403.',
    source: 'kubeadm 1.29 release notes (kubeadm:cluster-admins); RBAC', responsible: ADMIN,
    changes: { faults: { admin: { kind: 'subject', o: [] } } },
    expect: { verdict: 'rejected', stage: 'authz', detectedBy: 'server', reason: 'FORBIDDEN', identity: { user: 'kubernetes-admin', groups: ['system:authenticated'] } } },
  { edge: 'apiserver-to-etcd', preset: 'kubeadm', name: 'etcd-client-cert-not-yet-valid', title: '--etcd-certfile starts tomorrow (clock skew between control-plane nodes)',
    description: 'etcd verifies the apiserver\'s client certificate in the handshake; one whose NotBefore is still ahead is refused there, and etcd logs "current time … is before …".',
    source: 'etcd embed (client-cert-auth); Go crypto/x509', responsible: 'kube-apiserver --etcd-certfile',
    changes: { faults: { 'apiserver-etcd-client': { kind: 'not-yet-valid' } } },
    expect: { verdict: 'rejected', stage: 'tls', detectedBy: 'server', reason: 'CERT_NOT_YET_VALID', identity: null } },
  { edge: 'apiserver-to-etcd', preset: 'kubeadm', name: 'etcd-server-cert-expired', title: 'etcd\'s serving certificate has expired',
    description: 'The apiserver verifies etcd\'s certificate with --etcd-cafile; an expired one fails the handshake on the apiserver\'s side, and the apiserver cannot read or write anything. `kubeadm certs renew etcd-server`, then restart etcd.',
    source: 'kubeadm certs check-expiration; Go crypto/x509', responsible: `${PKI}/etcd/server.crt`,
    changes: { faults: { 'etcd-server': { kind: 'expired' } } }, expect: byClient('CERT_EXPIRED') },
  { edge: 'kubelet-to-apiserver', preset: 'kubeadm', name: 'kubelet-client-cert-not-yet-valid', title: 'the kubelet\'s client cert starts tomorrow (signed by a clock that runs ahead)',
    description: 'A client certificate made on a machine whose clock runs ahead of the control plane\'s (a CA operated elsewhere, a node set up with the wrong time) is not valid yet by the apiserver\'s clock, and the apiserver judges by its own clock: 401 until that time comes.',
    source: 'Go crypto/x509 (CertificateInvalidError Expired)', responsible: '/var/lib/kubelet/pki/kubelet-client-current.pem',
    changes: { faults: { 'kubelet-client': { kind: 'not-yet-valid' } } }, expect: authn('CERT_NOT_YET_VALID') },
];
