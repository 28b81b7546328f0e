import type { Scenario } from '../lib/scenarios/types.js';

const PKI = '/etc/kubernetes/pki';
/**
 * Three members on the node's address (10.0.0.10 by default), on three peer ports: one host, so one
 * peer certificate whose IP SAN must hold that address. The node's etcd is the first member and
 * dials the second.
 */
const THREE_MEMBERS = 'control-plane=https://10.0.0.10:2380,etcd-2=https://10.0.0.10:12380,etcd-3=https://10.0.0.10:22380';
const members = { '--initial-cluster': THREE_MEMBERS, '--initial-advertise-peer-urls': 'https://10.0.0.10:2380', '--listen-peer-urls': 'https://10.0.0.10:2380' };
const base = { edge: 'etcd-peer', preset: 'kubeadm' } as const;
const rejected = (detectedBy: 'client' | 'server', reason: Scenario['expect']['reason']) => ({ verdict: 'rejected', stage: 'tls', detectedBy, reason, identity: null }) as const;
const SOURCE = 'real etcd 3.4.23, three members on loopback (test/real-etcd-peer.test.ts)';

/**
 * etcd member → member on the peer port (2380). etcd builds the peer listener and the peer dialler
 * from the --peer-* flags with the same transport.TLSInfo code as the client port: the member that
 * listens requires a client certificate when --peer-trusted-ca-file or --peer-client-cert-auth is
 * set, and the member that dials checks the peer's certificate against --peer-trusted-ca-file and
 * the host of the peer URL. These are the flags the reference document puts on the client port.
 */
export const etcdPeerScenarios: Scenario[] = [
  { ...base, name: 'etcd-peer-ok', title: 'three members with kubeadm\'s etcd/peer.crt: they authenticate each other',
    description: 'kubeadm\'s peer certificate has serverAuth and clientAuth and the node\'s IP: each member verifies the other\'s certificate against --peer-trusted-ca-file (etcd/ca.crt) and is verified the same way.',
    source: SOURCE, responsible: 'etcd --peer-trusted-ca-file',
    changes: { etcd: members }, expect: { verdict: 'ok', stage: null, detectedBy: null, reason: 'OK', identity: { user: 'control-plane' } } },
  { ...base, name: 'etcd-peer-cert-without-clientauth', title: 'etcd/peer.crt has only the serverAuth usage',
    description: 'A member dials its peers as a TLS client with the same certificate it serves: the peer refuses it in the handshake, "tls: failed to verify client certificate: x509: certificate specifies an incompatible key usage", and the dialler logs "health check for peer … could not connect: remote error: tls: bad certificate".',
    source: SOURCE, responsible: `${PKI}/etcd/peer.crt`,
    changes: { etcd: members, faults: { 'etcd-peer': { kind: 'usages', extKeyUsage: ['serverAuth'] } } }, expect: rejected('server', 'WRONG_EKU') },
  { ...base, name: 'etcd-peer-cert-without-member-ip', title: 'etcd/peer.crt lacks the IP of the members\' peer URLs',
    description: 'The dialling member checks the peer\'s certificate against the host of its peer URL (10.0.0.10): "x509: certificate is valid for 127.0.0.1, ::1, not 10.0.0.10"; kubeadm puts the advertise address in etcd/peer.crt for this.',
    source: SOURCE, responsible: `${PKI}/etcd/peer.crt`,
    changes: { etcd: members, faults: { 'etcd-peer': { kind: 'sans', sans: [{ dns: 'control-plane' }, { dns: 'localhost' }, { ip: '127.0.0.1' }, { ip: '::1' }] } } },
    expect: rejected('client', 'SAN_MISMATCH') },
  { ...base, name: 'etcd-peer-trusted-ca-wrong-ca', title: '--peer-trusted-ca-file points at the Kubernetes CA, not the etcd CA',
    description: 'The dialling member verifies the peer\'s certificate first (TLS 1.3: the server\'s certificate comes before the client\'s): "x509: certificate signed by unknown authority"; the peer logs the alert, "remote error: tls: bad certificate".',
    source: SOURCE, responsible: 'etcd --peer-trusted-ca-file',
    changes: { etcd: { ...members, '--peer-trusted-ca-file': `${PKI}/ca.crt` } }, expect: rejected('client', 'UNKNOWN_AUTHORITY') },
  { ...base, name: 'etcd-peer-client-cert-auth-off-still-enforces', title: 'without --peer-client-cert-auth, --peer-trusted-ca-file alone still requires peer certificates',
    description: 'As on the client port, a non-empty --peer-trusted-ca-file switches on RequireAndVerifyClientCert (etcd\'s peerTLS startup line then says client-cert-auth = false): a peer certificate without clientAuth is still refused. Measured on etcd 3.4: a client without a certificate gets "tls: client didn\'t provide a certificate".',
    source: `etcd transport/listener.go ServerConfig; ${SOURCE}`, responsible: 'etcd --peer-trusted-ca-file',
    changes: { etcd: { ...members, '--peer-client-cert-auth': null }, faults: { 'etcd-peer': { kind: 'usages', extKeyUsage: ['serverAuth'] } } }, expect: rejected('server', 'WRONG_EKU') },
  { ...base, name: 'etcd-peer-no-peer-ca', title: 'neither --peer-trusted-ca-file nor --peer-client-cert-auth: the peer port is open, and the members cannot verify each other',
    description: 'The listening member asks for no certificate (anyone reaching 2380 is served), and the dialling member, with no CA, verifies the peer against the system roots: "x509: certificate signed by unknown authority". The cluster never forms.',
    source: SOURCE, responsible: 'etcd --peer-trusted-ca-file',
    changes: { etcd: { ...members, '--peer-trusted-ca-file': null, '--peer-client-cert-auth': null } }, expect: rejected('client', 'UNKNOWN_AUTHORITY') },
  { edge: 'etcd-peer', preset: 'reference', name: 'reference-etcd-peer-flags-used-right', title: 'the reference document\'s --peer-* flags where they belong: on the peer port',
    description: 'The reference document gives etcd --peer-trusted-ca-file for its clients, where it does nothing. On the peer port, with --peer-cert-file/--peer-key-file (its kube-etcd pair has serverAuth and clientAuth) and --peer-client-cert-auth, three members authenticate each other with the one root CA.',
    source: `reference document §etcd; ${SOURCE}`, responsible: 'etcd --peer-trusted-ca-file',
    changes: { etcd: { ...members, '--name': 'control-plane', '--peer-cert-file': '/etc/etcd/kube-etcd.pem', '--peer-key-file': '/etc/etcd/kube-etcd-key.pem', '--peer-client-cert-auth': 'true' } },
    expect: { verdict: 'ok', stage: null, detectedBy: null, reason: 'OK', identity: { user: 'kube-etcd' } } },
];
