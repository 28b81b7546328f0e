import { derived } from '../cluster-config.js';
import type { CertRecord, KubeconfigRecord, Preset } from '../types.js';
import {
  apiServerSans, CA_USAGES, CA_VALIDITY, CLIENT_USAGES, controlPlaneURL, etcdSans, hostnameSan,
  KUBELET_SELF_SIGNED_VALIDITY, LEAF_VALIDITY, localAPIURL, nodeName, nodeUser, PEER_USAGES, SERVER_USAGES,
} from './derived.js';

const PKI = '/etc/kubernetes/pki';
const KUBELET_PKI = '/var/lib/kubelet/pki';
const pair = (stem: string) => ({ kind: 'pair', cert: `${PKI}/${stem}.crt`, key: `${PKI}/${stem}.key` }) as const;
const embedded = (kubeconfig: string) => ({ kind: 'kubeconfig', kubeconfig }) as const;
const unixSeconds = (now: Date) => Math.floor(now.getTime() / 1000);

/**
 * kubeadm ≥1.29: cmd/kubeadm/app/phases/certs/certlist.go, the kubeconfig phase, and the kubelet's
 * own files under /var/lib/kubelet/pki. CNs are what kubeadm's code writes (the "PKI certificates"
 * doc page shows different ones for the CAs and etcd; see docs/pki.md).
 */
const certs: CertRecord[] = [
  // Certificate authorities
  { kind: 'ca', id: 'ca', description: 'Kubernetes general CA: signs the apiserver, its clients and every kubeconfig cert; `--client-ca-file` of the apiserver, `clientCAFile` of the kubelet, the CSR signer of the controller-manager.',
    cn: 'kubernetes', o: [], ...CA_USAGES, sans: [{ dns: 'kubernetes' }], validity: CA_VALIDITY, files: pair('ca'), copies: ['/var/run/secrets/kubernetes.io/serviceaccount/ca.crt'] },
  { kind: 'ca', id: 'front-proxy-ca', description: 'Front-proxy CA: signs the apiserver\'s aggregation client cert; `--requestheader-client-ca-file`.',
    cn: 'front-proxy-ca', o: [], ...CA_USAGES, sans: [{ dns: 'front-proxy-ca' }], validity: CA_VALIDITY, files: pair('front-proxy-ca'), copies: [] },
  { kind: 'ca', id: 'etcd-ca', description: 'etcd CA: signs etcd\'s serving and peer certs and every etcd client; etcd `--trusted-ca-file`, apiserver `--etcd-cafile`.',
    cn: 'etcd-ca', o: [], ...CA_USAGES, sans: [{ dns: 'etcd-ca' }], validity: CA_VALIDITY, files: pair('etcd/ca'), copies: [] },
  // Leaves under /etc/kubernetes/pki
  { kind: 'leaf', id: 'apiserver', ca: 'ca', role: 'server', chain: false, description: 'kube-apiserver serving cert: `--tls-cert-file`/`--tls-private-key-file`.',
    cn: 'kube-apiserver', o: [], ...SERVER_USAGES, sans: apiServerSans, validity: LEAF_VALIDITY, files: pair('apiserver') },
  { kind: 'leaf', id: 'apiserver-kubelet-client', ca: 'ca', role: 'client', chain: false, description: 'The apiserver\'s client cert towards kubelets: `--kubelet-client-certificate`/`--kubelet-client-key`.',
    cn: 'kube-apiserver-kubelet-client', o: ['kubeadm:cluster-admins'], ...CLIENT_USAGES, sans: [], validity: LEAF_VALIDITY, files: pair('apiserver-kubelet-client') },
  { kind: 'leaf', id: 'front-proxy-client', ca: 'front-proxy-ca', role: 'client', chain: false, description: 'The apiserver\'s client cert towards aggregated API servers: `--proxy-client-cert-file`/`--proxy-client-key-file`.',
    cn: 'front-proxy-client', o: [], ...CLIENT_USAGES, sans: [], validity: LEAF_VALIDITY, files: pair('front-proxy-client') },
  { kind: 'leaf', id: 'etcd-server', ca: 'etcd-ca', role: 'server-and-client', chain: false, description: 'etcd serving cert on the client port (2379): `--cert-file`/`--key-file`; etcd also dials itself with it.',
    cn: nodeName, o: [], ...PEER_USAGES, sans: etcdSans('etcdServerCertSans'), validity: LEAF_VALIDITY, files: pair('etcd/server') },
  { kind: 'leaf', id: 'etcd-peer', ca: 'etcd-ca', role: 'server-and-client', chain: false, description: 'etcd member-to-member cert on the peer port (2380): `--peer-cert-file`/`--peer-key-file`.',
    cn: nodeName, o: [], ...PEER_USAGES, sans: etcdSans('etcdPeerCertSans'), validity: LEAF_VALIDITY, files: pair('etcd/peer') },
  { kind: 'leaf', id: 'etcd-healthcheck-client', ca: 'etcd-ca', role: 'client', chain: false, description: 'Client cert for etcd liveness probes and etcdctl: `--cert`/`--key`.',
    cn: 'kube-etcd-healthcheck-client', o: [], ...CLIENT_USAGES, sans: [], validity: LEAF_VALIDITY, files: pair('etcd/healthcheck-client') },
  { kind: 'leaf', id: 'apiserver-etcd-client', ca: 'etcd-ca', role: 'client', chain: false, description: 'The apiserver\'s client cert towards etcd: `--etcd-certfile`/`--etcd-keyfile`.',
    cn: 'kube-apiserver-etcd-client', o: [], ...CLIENT_USAGES, sans: [], validity: LEAF_VALIDITY, files: pair('apiserver-etcd-client') },
  // Client certs embedded in the kubeconfigs under /etc/kubernetes
  { kind: 'leaf', id: 'admin', ca: 'ca', role: 'client', chain: false, description: 'kubectl as the cluster administrator (bound to cluster-admin by the `kubeadm:cluster-admins` ClusterRoleBinding).',
    cn: 'kubernetes-admin', o: ['kubeadm:cluster-admins'], ...CLIENT_USAGES, sans: [], validity: LEAF_VALIDITY, files: embedded('admin.conf') },
  { kind: 'leaf', id: 'super-admin', ca: 'ca', role: 'client', chain: false, description: 'Break-glass administrator in `system:masters`, which bypasses RBAC.',
    cn: 'kubernetes-super-admin', o: ['system:masters'], ...CLIENT_USAGES, sans: [], validity: LEAF_VALIDITY, files: embedded('super-admin.conf') },
  { kind: 'leaf', id: 'controller-manager', ca: 'ca', role: 'client', chain: false, description: 'kube-controller-manager towards the apiserver.',
    cn: 'system:kube-controller-manager', o: [], ...CLIENT_USAGES, sans: [], validity: LEAF_VALIDITY, files: embedded('controller-manager.conf') },
  { kind: 'leaf', id: 'scheduler', ca: 'ca', role: 'client', chain: false, description: 'kube-scheduler towards the apiserver.',
    cn: 'system:kube-scheduler', o: [], ...CLIENT_USAGES, sans: [], validity: LEAF_VALIDITY, files: embedded('scheduler.conf') },
  // The kubelet's own files under /var/lib/kubelet/pki
  { kind: 'leaf', id: 'kubelet-client', ca: 'ca', role: 'client', chain: false, description: 'The kubelet towards the apiserver (Node authorizer identity); rotated by the kubelet, referenced from kubelet.conf through the `-current` link.',
    cn: nodeUser, o: ['system:nodes'], ...CLIENT_USAGES, sans: [], validity: LEAF_VALIDITY,
    files: { kind: 'bundle', file: `${KUBELET_PKI}/kubelet-client-{timestamp}.pem`, link: `${KUBELET_PKI}/kubelet-client-current.pem` } },
  { kind: 'ca', id: 'kubelet-serving-ca', description: 'The throwaway CA the kubelet creates to self-sign its serving cert (client-go GenerateSelfSignedCertKey); its key is discarded and nobody trusts it.',
    cn: derived('<node name>-ca@<unix time>', ({ config, now }) => `${config.nodeName}-ca@${unixSeconds(now)}`), o: [],
    keyUsage: ['digitalSignature', 'keyEncipherment', 'keyCertSign'], extKeyUsage: [], sans: [], validity: KUBELET_SELF_SIGNED_VALIDITY, files: { kind: 'none' }, copies: [], serial: '01' },
  { kind: 'leaf', id: 'kubelet-serving', ca: 'kubelet-serving-ca', role: 'server', chain: true, description: 'The kubelet\'s self-signed serving cert on port 10250 (`tlsCertFile` unset): leaf then throwaway CA in kubelet.crt; only SAN is the hostname.',
    cn: derived('<node name>@<unix time>', ({ config, now }) => `${config.nodeName}@${unixSeconds(now)}`), o: [], ...SERVER_USAGES,
    sans: hostnameSan, validity: KUBELET_SELF_SIGNED_VALIDITY, files: { kind: 'pair', cert: `${KUBELET_PKI}/kubelet.crt`, key: `${KUBELET_PKI}/kubelet.key` }, serial: '02' },
];

const kubeconfig = (
  id: string, cert: string, usedBy: string, description: string, server = controlPlaneURL,
): KubeconfigRecord => ({
  id, file: `/etc/kubernetes/${id}`, description, usedBy, clusterName: 'kubernetes', ca: 'ca', server,
  userName: certUser(cert), contextName: derived(`${certUserLabel(cert)}@kubernetes`, (c) => `${certUser(cert).resolve(c)}@kubernetes`),
  auth: { kind: 'client-cert-data', cert },
});

const USERS: Record<string, string> = {
  admin: 'kubernetes-admin', 'super-admin': 'kubernetes-super-admin',
  'controller-manager': 'system:kube-controller-manager', scheduler: 'system:kube-scheduler',
};
const certUserLabel = (cert: string) => USERS[cert] ?? 'system:node:<node name>';
const certUser = (cert: string) => derived(certUserLabel(cert), ({ config }) => USERS[cert] ?? `system:node:${config.nodeName}`);

const kubeconfigs: KubeconfigRecord[] = [
  kubeconfig('admin.conf', 'admin', 'kubectl, kubeadm', 'Administrator kubeconfig.'),
  kubeconfig('super-admin.conf', 'super-admin', 'kubectl (emergencies only)', 'Break-glass kubeconfig in system:masters.'),
  kubeconfig('controller-manager.conf', 'controller-manager', 'kube-controller-manager `--kubeconfig`', 'Controller-manager kubeconfig (local API endpoint).', localAPIURL),
  kubeconfig('scheduler.conf', 'scheduler', 'kube-scheduler `--kubeconfig`', 'Scheduler kubeconfig (local API endpoint).', localAPIURL),
  { ...kubeconfig('kubelet.conf', 'kubelet-client', 'kubelet `--kubeconfig`', 'Kubelet kubeconfig after kubeadm\'s kubelet-finalize phase: points at the rotating client cert.'),
    contextName: derived('system:node:<node name>@kubernetes', ({ config }) => `system:node:${config.nodeName}@kubernetes`),
    auth: { kind: 'client-cert-file', cert: 'kubelet-client', path: '/var/lib/kubelet/pki/kubelet-client-current.pem' } },
  { id: 'kube-proxy.conf', file: '/var/lib/kube-proxy/kubeconfig.conf', usedBy: 'kube-proxy `--kubeconfig` (ConfigMap kube-proxy, key kubeconfig.conf)',
    description: 'kube-proxy authenticates with its ServiceAccount token, not a certificate.',
    clusterName: 'default', ca: 'ca', caFile: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt', server: controlPlaneURL,
    userName: 'default', contextName: 'default',
    auth: { kind: 'token-file', tokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token', signingKey: 'sa', namespace: 'kube-system', serviceAccount: 'kube-proxy' } },
];

export const kubeadmPreset: Preset = {
  name: 'kubeadm',
  title: 'kubeadm ≥1.29',
  description: 'The layout `kubeadm init` writes on a control-plane node: three CAs, the control-plane leaves, the kubeconfigs, and the kubelet\'s rotating client cert and self-signed serving pair.',
  certs,
  keyPairs: [{ id: 'sa', description: 'ServiceAccount token signing key: controller-manager `--service-account-private-key-file`, apiserver `--service-account-signing-key-file` (sa.key) and `--service-account-key-file` (sa.pub).',
    privateKey: `${PKI}/sa.key`, publicKey: `${PKI}/sa.pub` }],
  kubeconfigs,
  kubelet: { configFile: '/var/lib/kubelet/config.yaml', certDir: KUBELET_PKI, clientCAFile: `${PKI}/ca.crt`, clientCA: 'ca', kubeconfig: '/etc/kubernetes/kubelet.conf' },
};
