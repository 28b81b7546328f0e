import type { Scenario } from '../lib/scenarios/types.js';

const KUBELET_PKI = '/var/lib/kubelet/pki';
const DAY = 24 * 3_600_000;
/** A fresh node: no kubelet.conf, no client certificate yet. */
const freshNode = { '/etc/kubernetes/kubelet.conf': null, [`${KUBELET_PKI}/kubelet-client-current.pem`]: null } as const;
/** An apiserver certificate that outlives the kubelet's, so the kubelet's own expiry is what shows. */
const longLivedApiserver = { apiserver: { kind: 'validity', notBefore: -5 * 60_000, notAfter: 3 * 365 * DAY } } as const;

/** The kubelet over time: TLS bootstrap, serving certificate bootstrap, client certificate rotation. */
export const kubeletLifecycleScenarios: Scenario[] = [
  { edge: 'kubelet-to-apiserver', preset: 'kubeadm', name: 'kubelet-tls-bootstrap', title: 'a new kubelet joins with a bootstrap token',
    description: 'The kubelet authenticates with the bootstrap token (system:bootstrap:<id> in system:bootstrappers:kubeadm:default-node-token), creates a kubernetes.io/kube-apiserver-client-kubelet CSR; csrapproving approves it after a SubjectAccessReview for nodeclient, csrsigning issues it; the kubelet writes kubelet-client-<time>.pem and the -current link and talks to the apiserver as system:node:<node>.',
    source: 'kubernetes.io kubelet TLS bootstrapping', responsible: `${KUBELET_PKI}/kubelet-client-current.pem`,
    changes: { files: freshNode, steps: [{ kind: 'bootstrap-kubelet' }] },
    expect: { verdict: 'ok', stage: null, detectedBy: null, reason: 'OK', identity: { user: 'system:node:control-plane', groups: ['system:nodes', 'system:authenticated'] } },
    onDisk: { expressible: false, why: 'the TLS bootstrap happens on the running cluster (a token Secret added, a CSR approved and signed, the kubelet writing its certificate): a folder holds only its result' } },
  { edge: 'kubelet-to-apiserver', preset: 'kubeadm', name: 'kubelet-tls-bootstrap-expired-token', title: '…with a bootstrap token that has expired',
    description: 'The bootstrap authenticator refuses the expired token, the CSR is never created, and the kubelet has no kubeconfig to talk with.',
    source: 'kubernetes.io bootstrap tokens (expiration)', responsible: '/etc/kubernetes/kubelet.conf',
    changes: { files: freshNode, steps: [{ kind: 'bootstrap-kubelet', expiresInMs: -3_600_000 }] },
    expect: { verdict: 'config-error', stage: 'config', detectedBy: 'client', reason: 'FILE_MISSING', identity: null },
    onDisk: { expressible: false, why: 'the TLS bootstrap happens on the running cluster (a token Secret added, a CSR refused): a folder holds only its result' } },
  { edge: 'apiserver-to-kubelet', preset: 'kubeadm', name: 'kubelet-serving-csr-pending', title: 'serverTLSBootstrap: the kubelet-serving CSR is not approved yet',
    description: 'kubelet-serving CSRs are never auto-approved. Until someone approves it, the kubelet has no serving certificate: it answers every handshake with an internal_error alert and logs "no serving certificate available for the kubelet"; kubectl logs fails with "remote error: tls: internal error".',
    source: 'kubernetes.io kubelet TLS bootstrapping (serving certificates); kubeadm#591', responsible: 'serverTLSBootstrap',
    changes: { kubelet: { serverTLSBootstrap: true }, apiserver: { '--kubelet-certificate-authority': '/etc/kubernetes/pki/ca.crt' } },
    expect: { verdict: 'rejected', stage: 'tls', detectedBy: 'server', reason: 'NO_SERVING_CERT', identity: null } },
  { edge: 'apiserver-to-kubelet', preset: 'kubeadm', name: 'kubelet-serving-csr-approved', title: '…approved: now both sides are authenticated',
    description: 'After `kubectl certificate approve`, csrsigning issues a certificate from ca with the node\'s name and IP; the kubelet serves it, and --kubelet-certificate-authority=ca.crt verifies it. This is the fix for the self-signed kubelet certificate.',
    source: 'kubernetes.io kubelet TLS bootstrapping', responsible: 'kube-apiserver --kubelet-certificate-authority',
    changes: { kubelet: { serverTLSBootstrap: true }, apiserver: { '--kubelet-certificate-authority': '/etc/kubernetes/pki/ca.crt' }, steps: [{ kind: 'approve-serving-csr' }] },
    expect: { verdict: 'ok', stage: null, detectedBy: null, reason: 'OK', identity: { user: 'kube-apiserver-kubelet-client' } },
    onDisk: { expressible: false, why: 'someone approves the CSR on the running cluster (kubectl certificate approve): a folder holds only the certificate signed afterwards' } },
  { edge: 'kubelet-to-apiserver', preset: 'kubeadm', name: 'kubelet-client-cert-rotated', title: 'a year and five days later, with rotateCertificates',
    description: 'The kubelet rotated its client certificate when it was 70–90 % through its life (a selfnodeclient CSR, auto-approved): at day 370 the old certificate would have expired, the new one is valid.',
    source: 'client-go certificate manager (nextRotationDeadline)', responsible: `${KUBELET_PKI}/kubelet-client-current.pem`,
    changes: { faults: longLivedApiserver, steps: [{ kind: 'advance-clock', days: 330 }, { kind: 'advance-clock', days: 40 }] },
    expect: { verdict: 'ok', stage: null, detectedBy: null, reason: 'OK', identity: { user: 'system:node:control-plane' } },
    onDisk: { expressible: false, why: 'the kubelet rotates its certificate while time passes on the running cluster: the folder checked a year later still holds the first, expired one' } },
  { edge: 'kubelet-to-apiserver', preset: 'kubeadm', name: 'kubelet-client-cert-expired-without-rotation', title: '…and without rotateCertificates',
    description: 'With rotation off nobody renews kubelet-client-current.pem: at day 370 it has expired, every request is 401 and the node goes NotReady.',
    source: 'kubeadm troubleshooting (kubelet client certificate rotation fails)', responsible: `${KUBELET_PKI}/kubelet-client-current.pem`,
    changes: { faults: longLivedApiserver, kubelet: { rotateCertificates: false }, steps: [{ kind: 'advance-clock', days: 370 }] },
    expect: { verdict: 'rejected', stage: 'authn', detectedBy: 'server', reason: 'CERT_EXPIRED', identity: null } },
  { edge: 'kubelet-to-apiserver', preset: 'kubeadm', name: 'kubelet-fallback-to-bootstrap-token', title: 'a node powered off for a year and five days, its bootstrap kubeconfig still holding a valid token',
    description: 'While the node was off nothing rotated kubelet-client-current.pem, and it expired. As it starts, the kubelet finds the certificate in kubelet.conf expired (isClientConfigStillValid logs "part of the existing bootstrap client certificate in /etc/kubernetes/kubelet.conf is expired"), falls back to the token in --bootstrap-kubeconfig, creates a new kube-apiserver-client-kubelet CSR as system:bootstrap:<id>, which is auto-approved (nodeclient) and signed; it writes the new pair and talks as system:node:<node> again. kubeadm deletes bootstrap-kubelet.conf once a node has joined, so this is a node that kept it (or got a fresh one).',
    source: 'pkg/kubelet/certificate/bootstrap/bootstrap.go (LoadClientConfig, isClientConfigStillValid); kubernetes#65991', responsible: `${KUBELET_PKI}/kubelet-client-current.pem`,
    changes: { faults: longLivedApiserver, steps: [{ kind: 'advance-clock', days: 370, nodeOff: true }, { kind: 'restart-kubelet', tokenExpiresInMs: DAY }] },
    expect: { verdict: 'ok', stage: null, detectedBy: null, reason: 'OK', identity: { user: 'system:node:control-plane', groups: ['system:nodes', 'system:authenticated'] } },
    onDisk: { expressible: false, why: 'whether the fallback works depends on the bootstrap token Secret in etcd, which a folder does not hold: `check DIR` on a folder with an expired kubelet-client-current.pem and a bootstrap-kubelet.conf says the kubelet falls back and dials both outcomes as assumptions (test/check-kubelet-fallback.test.ts), but cannot tell which one happens' } },
  { edge: 'kubelet-to-apiserver', preset: 'kubeadm', name: 'kubelet-fallback-bootstrap-token-expired', title: '…and with a bootstrap token that has expired too',
    description: 'The kubelet falls back to --bootstrap-kubeconfig as above, but the apiserver refuses its expired token with 401, so the CSR is never created: the certificate manager logs "Failed while requesting a signed certificate from the control plane: cannot create certificate signing request: Unauthorized" and keeps retrying, while the kubelet runs on with its expired certificate and every request is 401. A new token (kubeadm token create) in bootstrap-kubelet.conf, or a new kubelet.conf, brings the node back.',
    source: 'pkg/kubelet/certificate/bootstrap/bootstrap.go; client-go util/certificate (rotateCerts); kubeadm#809', responsible: `${KUBELET_PKI}/kubelet-client-current.pem`,
    changes: { faults: longLivedApiserver, steps: [{ kind: 'advance-clock', days: 370, nodeOff: true }, { kind: 'restart-kubelet', tokenExpiresInMs: -DAY }] },
    expect: { verdict: 'rejected', stage: 'authn', detectedBy: 'server', reason: 'CERT_EXPIRED', identity: null },
    onDisk: { expressible: false, why: 'the bootstrap token Secret (and its expiration) lives in etcd, not in the folder: `check DIR` reports this outcome as the assumption "the token has expired or was deleted", beside the other one (test/check-kubelet-fallback.test.ts)' } },
  { edge: 'kubectl-to-apiserver', preset: 'kubeadm', name: 'kubectl-after-a-year', title: 'a kubeadm cluster nobody renewed, a year and a day later',
    description: 'kubeadm\'s leaf certificates last one year: the apiserver\'s serving certificate has expired, and every client refuses it.',
    source: 'kubeadm certs (check-expiration, renew)', responsible: '/etc/kubernetes/pki/apiserver.crt',
    changes: { steps: [{ kind: 'advance-clock', days: 366 }] },
    expect: { verdict: 'rejected', stage: 'tls', detectedBy: 'client', reason: 'CERT_EXPIRED', identity: null } },
];
