import type { Scenario } from '../lib/scenarios/types.js';

const PKI = '/etc/kubernetes/pki';
const KUBELET_PKI = '/var/lib/kubelet/pki';
const rejectedByClient = (reason: Scenario['expect']['reason']) => ({ verdict: 'rejected', stage: 'tls', detectedBy: 'client', reason, identity: null }) as const;

/**
 * Certificates built the way other CAs and tools build them (cfssl, openssl, Vault, a hand-made
 * lab): the right key signs, the names read the same, and Go still refuses them, because it
 * compares names by their bytes and enforces every constraint a CA writes. Each outcome is the one
 * real Go gives on a chain of the same shape (test/go-diff.test.ts runs such chains through Go).
 */
export const caStructureScenarios: Scenario[] = [
  { edge: 'kubelet-to-apiserver', preset: 'kubeadm', name: 'kubelet-client-issuer-utf8-name', title: 'the kubelet\'s client cert writes its issuer name as UTF8String, the CA\'s subject says PrintableString',
    description: 'Signed by the right CA key and showing the same "CN=kubernetes", yet Go looks up a certificate\'s parent by the raw bytes of its issuer name: UTF8String and PrintableString bytes differ, no trusted CA is a candidate, and the apiserver\'s x509 authenticator answers "x509: certificate signed by unknown authority", 401.',
    source: 'Go crypto/x509 CertPool.findPotentialParents (bytes of RawIssuer/RawSubject); go-diff corpus shape issuer-name-other-encoding', responsible: `${KUBELET_PKI}/kubelet-client-current.pem`,
    changes: { faults: { 'kubelet-client': { kind: 'name-encoding', encoding: 'utf8' } } },
    expect: { verdict: 'rejected', stage: 'authn', detectedBy: 'server', reason: 'UNKNOWN_AUTHORITY', identity: null } },
  { edge: 'kubectl-to-apiserver', preset: 'kubeadm', name: 'apiserver-serving-via-pathlen0-intermediate', title: 'ca.crt says pathlen:0, and the apiserver\'s certificate comes through an intermediate CA',
    description: 'A CA with pathLenConstraint 0 may sign only leaves. The apiserver sends its intermediate, kubectl builds leaf → intermediate → ca.crt, and Go refuses the chain at the root: "x509: too many intermediates for path length constraint".',
    source: 'Go crypto/x509 Certificate.isValid (MaxPathLen); go-diff corpus shape path-length-0-root-one-intermediate', responsible: `${PKI}/ca.crt`,
    changes: { faults: { ca: { kind: 'path-length', pathLen: 0 }, apiserver: { kind: 'via-intermediate', sendIntermediate: true } } },
    expect: rejectedByClient('NOT_A_CA') },
  { edge: 'kubectl-to-apiserver', preset: 'kubeadm', name: 'apiserver-serving-excluded-by-name-constraints', title: 'ca.crt\'s name constraints exclude "kubernetes", a name in the apiserver\'s certificate',
    description: 'Go checks every DNS name of the leaf against the name constraints of each CA above it, whatever name was dialled: "x509: a root or intermediate certificate is not authorized to sign for this name: DNS name \\"kubernetes\\" is excluded by constraint \\"kubernetes\\"".',
    source: 'Go crypto/x509 Certificate.checkNameConstraints; go-diff corpus shape name-constraints-excluded', responsible: `${PKI}/ca.crt`,
    changes: { faults: { ca: { kind: 'name-constraints', excludedDNS: ['kubernetes'] } } },
    expect: rejectedByClient('NOT_A_CA') },
  { edge: 'apiserver-to-etcd', preset: 'kubeadm', name: 'etcd-server-unknown-critical-extension', title: 'etcd\'s serving certificate carries a critical extension no one knows',
    description: 'RFC 5280 asks a verifier to refuse a certificate with a critical extension it does not understand, and Go does, before it looks for a chain: "x509: unhandled critical extension".',
    source: 'Go crypto/x509 Certificate.Verify (UnhandledCriticalExtensions); go-diff corpus shape leaf-unknown-critical-extension', responsible: `${PKI}/etcd/server.crt`,
    changes: { faults: { 'etcd-server': { kind: 'critical-extension', oid: '1.3.6.1.4.1.99999.1' } } },
    expect: rejectedByClient('UNKNOWN_AUTHORITY') },
  { edge: 'kubelet-to-apiserver', preset: 'kubeadm', name: 'kubelet-client-signed-sha1', title: 'the kubelet\'s client cert is signed with SHA-1 (ecdsa-with-SHA1)',
    description: 'The right CA signed it, with a hash Go no longer accepts: the CA is a candidate, its signature check fails, and the apiserver answers 401 with "x509: certificate signed by unknown authority (possibly because of \\"x509: cannot verify signature: insecure algorithm ECDSA-SHA1 (temporarily override with GODEBUG=x509sha1=1)\\" …)".',
    source: 'Go crypto/x509 checkSignature (InsecureAlgorithmError, Go 1.23); go-diff corpus shape leaf-sha1-signature', responsible: `${KUBELET_PKI}/kubelet-client-current.pem`,
    changes: { faults: { 'kubelet-client': { kind: 'signature-algorithm', hash: 'sha1' } } },
    expect: { verdict: 'rejected', stage: 'authn', detectedBy: 'server', reason: 'UNKNOWN_AUTHORITY', identity: null } },
  { edge: 'kubectl-to-apiserver', preset: 'kubeadm', name: 'apiserver-serving-signed-sha1', title: 'the apiserver\'s serving certificate is signed with SHA-1 (ecdsa-with-SHA1)',
    description: 'The server side of the SHA-1 refusal: kube-apiserver loads and presents the certificate (Go loads what it will not verify), and kubectl refuses it at the handshake: "x509: certificate signed by unknown authority (possibly because of \\"x509: cannot verify signature: insecure algorithm ECDSA-SHA1 (temporarily override with GODEBUG=x509sha1=1)\\" …)".',
    source: 'Go crypto/x509 checkSignature (InsecureAlgorithmError, Go 1.23); go-diff corpus shape leaf-sha1-signature', responsible: `${PKI}/apiserver.crt`,
    changes: { faults: { apiserver: { kind: 'signature-algorithm', hash: 'sha1' } } },
    expect: rejectedByClient('UNKNOWN_AUTHORITY') },
  { edge: 'kubectl-to-apiserver', preset: 'kubeadm', name: 'apiserver-serving-signed-md5', title: 'RSA keys, and the apiserver\'s serving certificate signed with MD5 (md5WithRSAEncryption)',
    description: 'MD5 has been refused by Go for longer than SHA-1, and with no override: "x509: cannot verify signature: insecure algorithm MD5-RSA" is the hint kubectl gives for the right CA.',
    source: 'Go crypto/x509 checkSignature (InsecureAlgorithmError)', responsible: `${PKI}/apiserver.crt`,
    // Only the CA's key is RSA (MD5 signatures are RSA's); the others stay P-256, as fast to make as the rest of the catalogue's.
    changes: { faults: { ca: { kind: 'key-algorithm', algorithm: 'rsa-2048' }, apiserver: { kind: 'signature-algorithm', hash: 'md5' } } },
    expect: rejectedByClient('UNKNOWN_AUTHORITY') },
  { edge: 'kubectl-to-apiserver', preset: 'kubeadm', name: 'apiserver-serving-ecdsa-chain-under-rsa-ca', title: 'RSA keys, and an apiserver certificate signed by an ECDSA CA named "kubernetes"',
    description: 'A CA of the same name is a candidate whatever its key: the leaf says ECDSA-SHA256, the trusted CA holds an RSA key, and Go says so in its hint: "x509: signature algorithm specifies an ECDSA public key, but have public key of type *rsa.PublicKey". Typical after re-creating a CA with another key type (cfssl and cert-manager default to ECDSA, kubeadm to RSA).',
    source: 'Go crypto/x509 checkSignature (signature algorithm vs public key type); go-diff corpus shape impostor-ca-other-key-type', responsible: `${PKI}/apiserver.crt`,
    // The trusted CA's key is the RSA one the hint is about; no other key needs to be.
    changes: { faults: { ca: { kind: 'key-algorithm', algorithm: 'rsa-2048' }, apiserver: { kind: 'issuer-key-type', keyType: 'ecdsa' } } },
    expect: rejectedByClient('UNKNOWN_AUTHORITY') },
  { edge: 'kubectl-to-apiserver', preset: 'kubeadm', name: 'apiserver-serving-rsa-chain-under-ecdsa-ca', title: '…and the reverse: ECDSA keys, an apiserver certificate signed by an RSA CA of the same name',
    description: 'The hint names the other pair: "x509: signature algorithm specifies an RSA public key, but have public key of type *ecdsa.PublicKey".',
    source: 'Go crypto/x509 checkSignature (signature algorithm vs public key type); go-diff corpus shape impostor-ca-other-key-type', responsible: `${PKI}/apiserver.crt`,
    changes: { faults: { apiserver: { kind: 'issuer-key-type', keyType: 'rsa' } } },
    expect: rejectedByClient('UNKNOWN_AUTHORITY') },
  { edge: 'kubectl-to-apiserver', preset: 'kubeadm', name: 'apiserver-serving-expired-intermediate', title: 'the apiserver sends an intermediate CA that has expired',
    description: 'The leaf is valid and so is ca.crt, but the intermediate between them ended yesterday: Go checks the dates of every certificate of the chain and gives the bare "x509: certificate has expired or is not yet valid: current time … is after …" — with no word that it is the intermediate, not the server\'s own certificate.',
    source: 'Go crypto/x509 Certificate.isValid (every certificate of the chain); go-diff corpus shape intermediate-not-yet-valid', responsible: `${PKI}/apiserver.crt`,
    changes: { faults: { apiserver: { kind: 'expired-intermediate' } } },
    expect: rejectedByClient('UNKNOWN_AUTHORITY') },
];
