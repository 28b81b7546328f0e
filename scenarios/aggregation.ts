import type { Scenario } from '../lib/scenarios/types.js';

const PKI = '/etc/kubernetes/pki';
const APISERVICE = 'APIService v1beta1.metrics.k8s.io';
// An addon runs in the API (a Deployment, a Service, an APIService), not in a node's folder.
const inApi = { expressible: false, why: 'the metrics-server addon is a Deployment and an APIService in the API, not files of the node' } as const;
/** metrics-server serving the cluster-CA-signed certificate for metrics-server.kube-system.svc. */
const servingCert = { '--tls-cert-file': `${PKI}/metrics-server.crt`, '--tls-private-key-file': `${PKI}/metrics-server.key` };
/** The APIService done right: the caBundle holds the CA that signs metrics-server's serving certificate. */
const verified = { flags: servingCert, apiService: { caBundleFile: `${PKI}/ca.crt` } };
const kubeadmAdmin = { user: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:authenticated'] };
const servingCsr = { kubelet: { serverTLSBootstrap: true }, steps: [{ kind: 'approve-serving-csr' as const }] };

/**
 * The metrics-server addon (issue 14; kubeadm issue 1602 and its duplicates): kube-apiserver →
 * metrics-server through the aggregation layer, and metrics-server → each kubelet.
 */
export const aggregationScenarios: Scenario[] = [
  { edge: 'apiserver-to-metrics-server', preset: 'kubeadm', name: 'metrics-apiservice-ca-bundle', title: 'the APIService\'s caBundle holds the CA of metrics-server\'s certificate',
    description: 'kube-apiserver presents front-proxy-client.crt (--proxy-client-cert-file); metrics-server checks it against --requestheader-client-ca-file (front-proxy-ca.crt, read from the extension-apiserver-authentication ConfigMap) and its CN against --requestheader-allowed-names, then takes the user from X-Remote-User. The apiserver checks metrics-server\'s certificate for metrics-server.kube-system.svc against the APIService\'s caBundle.',
    source: 'kubernetes.io "Configure the Aggregation Layer"; k8s.io/apiserver request/x509 and headerrequest', responsible: `${APISERVICE} spec.caBundle`,
    changes: { metricsServer: verified }, onDisk: inApi,
    expect: { verdict: 'ok', stage: null, detectedBy: null, reason: 'OK', identity: kubeadmAdmin } },
  { edge: 'apiserver-to-metrics-server', preset: 'kubeadm', name: 'metrics-apiservice-insecure-skip-tls-verify', title: 'components.yaml as shipped: insecureSkipTLSVerify: true',
    description: 'metrics-server\'s own manifest registers its APIService with insecureSkipTLSVerify, because it serves a self-signed certificate it made for localhost. Everything works, and the apiserver would send any impostor of the Service the users\' requests and their X-Remote-User headers.',
    source: 'kubernetes-sigs/metrics-server components.yaml', responsible: `${APISERVICE} spec.insecureSkipTLSVerify`,
    changes: { metricsServer: {} }, onDisk: inApi,
    expect: { verdict: 'insecure', stage: 'tls', detectedBy: 'client', reason: 'SERVER_NOT_VERIFIED', identity: kubeadmAdmin } },
  { edge: 'apiserver-to-metrics-server', preset: 'kubeadm', name: 'metrics-apiservice-no-ca-bundle', title: 'insecureSkipTLSVerify removed, no caBundle set',
    description: 'With neither, the aggregator verifies with Go\'s system roots, which hold no cluster CA: "x509: certificate signed by unknown authority", the APIService goes Available=False (FailedDiscoveryCheck) and kubectl top says the Metrics API is not available.',
    source: 'kube-aggregator available_controller.go ("failing or missing response from")', responsible: `${APISERVICE} spec.caBundle`,
    changes: { metricsServer: { flags: servingCert, apiService: { insecureSkipTLSVerify: false } } }, onDisk: inApi,
    expect: { verdict: 'rejected', stage: 'tls', detectedBy: 'client', reason: 'UNKNOWN_AUTHORITY', identity: null } },
  { edge: 'apiserver-to-metrics-server', preset: 'kubeadm', name: 'metrics-server-self-signed-with-ca-bundle', title: 'a caBundle, but metrics-server still serves its self-signed certificate',
    description: 'Without --tls-cert-file metrics-server generates a certificate for localhost and 127.0.0.1 in --cert-dir. The aggregator checks the name metrics-server.kube-system.svc first (Go checks the name before the chain), so a caBundle alone does not help: the Service needs a certificate that names it.',
    source: 'metrics-server options (MaybeDefaultWithSelfSignedCerts); kube-aggregator proxy (ServerName <service>.<namespace>.svc)', responsible: 'metrics-server --cert-dir (self-signed apiserver.crt)',
    changes: { metricsServer: { apiService: { caBundleFile: `${PKI}/ca.crt` } } }, onDisk: inApi,
    expect: { verdict: 'rejected', stage: 'tls', detectedBy: 'client', reason: 'SAN_MISMATCH', identity: null } },
  { edge: 'apiserver-to-metrics-server', preset: 'kubeadm', name: 'front-proxy-client-signed-by-cluster-ca', title: 'front-proxy-client.crt is signed by the cluster CA',
    description: 'The request-header authenticator refuses it (it is not from front-proxy-ca), but the x509 authenticator accepts it, since --client-ca-file is the cluster CA: metrics-server sees the user front-proxy-client instead of X-Remote-User, and the SubjectAccessReview says no. This is why kubeadm keeps a separate front-proxy CA.',
    source: 'kubernetes.io "Configure the Aggregation Layer" (CA reusage and conflicts)', responsible: `kube-apiserver --proxy-client-cert-file (${PKI}/front-proxy-client.crt)`,
    changes: { metricsServer: verified, faults: { 'front-proxy-client': { kind: 'signed-by', issuer: 'ca' } } }, onDisk: inApi,
    expect: { verdict: 'rejected', stage: 'authz', detectedBy: 'server', reason: 'FORBIDDEN', identity: { user: 'front-proxy-client', groups: ['system:authenticated'] } } },
  { edge: 'apiserver-to-metrics-server', preset: 'kubeadm', name: 'front-proxy-allowed-names-mismatch', title: '--requestheader-allowed-names=aggregator, the certificate says front-proxy-client',
    description: 'Guides that make their own front-proxy certificate call it "aggregator"; kubeadm\'s is CN=front-proxy-client. The certificate verifies, but its CN is not in the list: "x509: subject with cn=front-proxy-client is not in the allowed list", and no other authenticator accepts it: 401.',
    source: 'k8s.io/apiserver request/x509 verifySubject', responsible: 'kube-apiserver --requestheader-allowed-names',
    changes: { metricsServer: verified, apiserver: { '--requestheader-allowed-names': 'aggregator' } }, onDisk: inApi,
    expect: { verdict: 'rejected', stage: 'authn', detectedBy: 'server', reason: 'FRONT_PROXY_NOT_ALLOWED', identity: null } },
  { edge: 'metrics-server-to-kubelet', preset: 'kubeadm', name: 'metrics-server-kubelet-self-signed', title: 'metrics-server and the kubelet\'s self-signed certificate',
    description: 'kubeadm issue 1602: metrics-server dials the node\'s InternalIP and checks the kubelet\'s certificate with the cluster CA; the self-signed kubelet.crt names only the hostname, so Go stops at the name: "cannot validate certificate for <ip> because it doesn\'t contain any IP SANs". Every scrape fails and kubectl top has nothing.',
    source: 'kubeadm#1602; metrics-server#196 and #1025', responsible: '/var/lib/kubelet/pki/kubelet.crt',
    changes: { metricsServer: {} }, onDisk: inApi,
    expect: { verdict: 'rejected', stage: 'tls', detectedBy: 'client', reason: 'SAN_MISMATCH', identity: null } },
  { edge: 'metrics-server-to-kubelet', preset: 'kubeadm', name: 'metrics-server-kubelet-insecure-tls', title: '--kubelet-insecure-tls',
    description: 'The usual answer to the error above: metrics-server stops checking kubelets\' certificates. Scrapes work, and anyone who can answer on a node\'s address can feed metrics-server (and the autoscalers that read it) any numbers.',
    source: 'metrics-server README (--kubelet-insecure-tls: "for testing purposes only")', responsible: 'metrics-server --kubelet-insecure-tls',
    changes: { metricsServer: { flags: { '--kubelet-insecure-tls': 'true' } } }, onDisk: inApi,
    expect: { verdict: 'insecure', stage: 'tls', detectedBy: 'client', reason: 'SERVER_NOT_VERIFIED', identity: { user: 'kube-apiserver-kubelet-client' } } },
  { edge: 'metrics-server-to-kubelet', preset: 'kubeadm', name: 'metrics-server-kubelet-serving-csr', title: 'kubelet serving certificates from the CSR flow',
    description: 'The fix kubeadm documents: serverTLSBootstrap: true, approve the kubelet-serving CSRs; the certificates come from the cluster CA with the node\'s IP, and metrics-server verifies them with the in-cluster CA, no flag needed.',
    source: 'kubeadm docs "Enabling signed kubelet serving certificates"', responsible: '/var/lib/kubelet/pki/kubelet-server-current.pem',
    changes: { metricsServer: {}, ...servingCsr }, onDisk: inApi,
    expect: { verdict: 'ok', stage: null, detectedBy: null, reason: 'OK', identity: { user: 'kube-apiserver-kubelet-client' } } },
  { edge: 'metrics-server-to-kubelet', preset: 'kubeadm', name: 'metrics-server-kubelet-wrong-ca', title: '--kubelet-certificate-authority names the front-proxy CA',
    description: 'The kubelets\' certificates are signed by the cluster CA; pointing --kubelet-certificate-authority at another CA (here front-proxy-ca.crt) makes every scrape fail with "certificate signed by unknown authority".',
    source: 'metrics-server --kubelet-certificate-authority', responsible: 'metrics-server --kubelet-certificate-authority',
    changes: { metricsServer: { flags: { '--kubelet-certificate-authority': `${PKI}/front-proxy-ca.crt` } }, ...servingCsr }, onDisk: inApi,
    expect: { verdict: 'rejected', stage: 'tls', detectedBy: 'client', reason: 'UNKNOWN_AUTHORITY', identity: null } },
];
