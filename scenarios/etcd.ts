import type { Scenario } from '../lib/scenarios/types.js';

const PKI = '/etc/kubernetes/pki';
const base = { edge: 'apiserver-to-etcd', preset: 'kubeadm' } as const;
const rejectedByEtcd = (reason: Scenario['expect']['reason']) => ({ verdict: 'rejected', stage: 'tls', detectedBy: 'server', reason, identity: null }) as const;

/**
 * kube-apiserver → etcd. etcd decides at the TLS layer (RequireAndVerifyClientCert) whenever
 * --trusted-ca-file or --client-cert-auth is set; the outcomes follow the truth table measured on a
 * real etcd 3.4 (real-peers.md §1).
 */
export const etcdScenarios: Scenario[] = [
  { ...base, name: 'etcd-client-cert-from-kubernetes-ca', title: '--etcd-certfile is signed by the Kubernetes CA, not the etcd CA',
    description: 'etcd verifies client certificates against --trusted-ca-file (etcd/ca.crt) during the handshake and drops the connection: "tls: failed to verify client certificate: x509: certificate signed by unknown authority" in etcd\'s log, "remote error: tls: bad certificate" for the apiserver.',
    source: 'real etcd 3.4, config A, case (c)', responsible: 'etcd --trusted-ca-file',
    changes: { faults: { 'apiserver-etcd-client': { kind: 'signed-by', issuer: 'ca' } } }, expect: rejectedByEtcd('UNKNOWN_AUTHORITY') },
  { ...base, name: 'etcd-client-cert-from-kubernetes-ca-tls12', title: '…the same over TLS 1.2',
    description: 'Under TLS 1.2 the client learns of the rejection before its handshake completes, under TLS 1.3 only afterwards; etcd\'s verdict, recorded on its side, is the same.',
    source: 'node-tls.md §4.3', responsible: 'etcd --trusted-ca-file',
    changes: { faults: { 'apiserver-etcd-client': { kind: 'signed-by', issuer: 'ca' } }, dial: { clientMaxVersion: 'TLSv1.2' } }, expect: rejectedByEtcd('UNKNOWN_AUTHORITY') },
  { ...base, name: 'etcd-no-client-cert', title: 'the apiserver has no --etcd-certfile/--etcd-keyfile',
    description: 'etcd requires a client certificate: "tls: client didn\'t provide a certificate".',
    source: 'real etcd 3.4, config A, case (b)', responsible: 'kube-apiserver --etcd-certfile',
    changes: { apiserver: { '--etcd-certfile': null, '--etcd-keyfile': null } }, expect: rejectedByEtcd('NO_CLIENT_CERT') },
  { ...base, name: 'etcd-apiserver-did-not-start', title: 'kube-apiserver did not start (--authorization-mode=Bogus): it never dials etcd',
    description: 'A component that exits on its own flags opens no connection: etcd runs and is configured right, but this edge ends with the apiserver\'s startup error, on the client\'s side, instead of a handshake that never happens.',
    source: 'cmd/kube-apiserver (flag validation runs before any storage connection)', responsible: '--authorization-mode',
    changes: { apiserver: { '--authorization-mode': 'Bogus' } }, expect: { verdict: 'config-error', stage: 'config', detectedBy: 'client', reason: 'BAD_FLAG', identity: null } },
  { ...base, name: 'etcd-client-cert-expired', title: '--etcd-certfile has expired',
    description: 'etcd checks the client certificate\'s dates in the handshake.',
    source: 'Go crypto/tls server client-auth verification', responsible: `${PKI}/apiserver-etcd-client.crt`,
    changes: { faults: { 'apiserver-etcd-client': { kind: 'expired' } } }, expect: rejectedByEtcd('CERT_EXPIRED') },
  { ...base, name: 'etcd-client-cert-without-clientauth', title: '--etcd-certfile has only the serverAuth usage',
    description: 'Measured on etcd 3.4: "tls: failed to verify client certificate: x509: certificate specifies an incompatible key usage".',
    source: 'real etcd 3.4 §1.2', responsible: `${PKI}/apiserver-etcd-client.crt`,
    changes: { faults: { 'apiserver-etcd-client': { kind: 'usages', extKeyUsage: ['serverAuth'] } } }, expect: rejectedByEtcd('WRONG_EKU') },
  { ...base, name: 'etcd-trusted-ca-file-alone-still-enforces', title: '--trusted-ca-file without --client-cert-auth still enforces client certs',
    description: 'In etcd\'s code a non-empty --trusted-ca-file alone switches on RequireAndVerifyClientCert (its startup line still says client-cert-auth = false): a wrong client certificate is refused.',
    source: 'etcd transport/listener.go; real etcd 3.4, config C', responsible: 'etcd --trusted-ca-file',
    changes: { etcd: { '--client-cert-auth': null }, faults: { 'apiserver-etcd-client': { kind: 'signed-by', issuer: 'ca' } } }, expect: rejectedByEtcd('UNKNOWN_AUTHORITY') },
  { ...base, name: 'etcd-trusted-ca-file-alone-accepts-good-client', title: '…while the right client certificate gets in',
    description: 'Config C with the right client certificate: etcd 3.4 behaves exactly as with --client-cert-auth=true.',
    source: 'real etcd 3.4, config C, case (a)', responsible: 'etcd --trusted-ca-file',
    changes: { etcd: { '--client-cert-auth': null } }, expect: { verdict: 'ok', stage: null, detectedBy: null, reason: 'OK', identity: { user: 'kube-apiserver-etcd-client' } } },
  { ...base, name: 'etcd-client-cert-auth-without-trusted-ca', title: '--client-cert-auth=true without --trusted-ca-file: everyone is rejected',
    description: 'With no client CA pool, Go verifies client certificates against the system roots, which hold no cluster CA: even the right certificate is refused.',
    source: 'real etcd 3.4, config B2', responsible: 'etcd --trusted-ca-file',
    changes: { etcd: { '--trusted-ca-file': null } }, expect: rejectedByEtcd('NO_TRUSTED_CA') },
  { ...base, name: 'etcd-peer-flags-only', title: 'only the --peer-* flags name a CA: the client port is open to anyone',
    description: 'Without --trusted-ca-file and --client-cert-auth, etcd does not even request a client certificate on 2379; --peer-trusted-ca-file and --peer-client-cert-auth only protect member-to-member traffic on 2380.',
    source: 'etcd transport/listener.go; real etcd 3.4, config B', responsible: 'etcd --trusted-ca-file',
    changes: { etcd: { '--trusted-ca-file': null, '--client-cert-auth': null } }, expect: { verdict: 'insecure', stage: 'tls', detectedBy: 'server', reason: 'NO_CLIENT_AUTH', identity: null } },
  { ...base, name: 'etcd-server-cert-from-kubernetes-ca', title: 'etcd serves a certificate signed by the Kubernetes CA',
    description: 'The apiserver verifies etcd against --etcd-cafile (etcd/ca.crt): unknown authority; etcd logs the client\'s bad_certificate alert.',
    source: 'kubernetes-pki.md §6 (transport: authentication handshake failed)', responsible: 'kube-apiserver --etcd-cafile',
    changes: { faults: { 'etcd-server': { kind: 'signed-by', issuer: 'ca' } } }, expect: { verdict: 'rejected', stage: 'tls', detectedBy: 'client', reason: 'UNKNOWN_AUTHORITY', identity: null } },
  { ...base, name: 'etcd-server-cert-without-loopback-ip', title: 'etcd\'s certificate lacks 127.0.0.1, the address in --etcd-servers',
    description: 'kubeadm puts localhost, 127.0.0.1 and ::1 in etcd\'s serving certificate because the apiserver dials https://127.0.0.1:2379.',
    source: 'kubeadm GetEtcdAltNames', responsible: `${PKI}/etcd/server.crt`,
    changes: { faults: { 'etcd-server': { kind: 'sans', sans: [{ dns: 'control-plane' }, { dns: 'localhost' }] } } }, expect: { verdict: 'rejected', stage: 'tls', detectedBy: 'client', reason: 'SAN_MISMATCH', identity: null } },
  { ...base, name: 'etcd-no-etcd-cafile', title: 'the apiserver has no --etcd-cafile',
    description: 'Without it the apiserver\'s etcd client verifies etcd against the system roots, which do not hold the etcd CA.',
    source: 'k8s.io/apiserver storage options (--etcd-cafile)', responsible: 'kube-apiserver --etcd-cafile',
    changes: { apiserver: { '--etcd-cafile': null } }, expect: { verdict: 'rejected', stage: 'tls', detectedBy: 'client', reason: 'UNKNOWN_AUTHORITY', identity: null } },
  { ...base, name: 'etcd-cert-file-missing', title: 'etcd\'s --cert-file does not exist',
    description: 'etcd cannot load its serving key pair and does not start; the apiserver has nothing to connect to.',
    source: 'etcd embed (client TLS info)', responsible: `${PKI}/etcd/server.crt`,
    changes: { files: { [`${PKI}/etcd/server.crt`]: null } }, expect: { verdict: 'config-error', stage: 'config', detectedBy: 'server', reason: 'FILE_MISSING', identity: null } },
];
