import type { CertRecord, KubeconfigRecord, Preset } from '../types.js';
import {
  apiServerSans, CA_USAGES, CA_VALIDITY, CLIENT_USAGES, controlPlaneURL, etcdSans, LEAF_VALIDITY, nodeName, nodeUser,
  PEER_USAGES, SERVER_USAGES,
} from './derived.js';
import { derived } from '../cluster-config.js';

const VLK = '/var/lib/kubernetes';
const pem = (dir: string, stem: string) => ({ kind: 'pair', cert: `${dir}/${stem}.pem`, key: `${dir}/${stem}-key.pem` }) as const;
const embedded = (kubeconfig: string) => ({ kind: 'kubeconfig', kubeconfig }) as const;

/**
 * The reference document's layout: one root CA (`cluster-root-ca.pem`) signs everything, files
 * under /var/lib/kubernetes and /etc/etcd, a kubectl kubeconfig named `kind-kind`, and the
 * kubelet's KubeletConfiguration exactly as the document writes it — including its mistakes,
 * which the simulator reports rather than copies: `tlsCertFile`/`tlsPrivateKeyFile` swapped, and
 * etcd given only `--peer-trusted-ca-file`.
 */
const certs: CertRecord[] = [
  { kind: 'ca', id: 'cluster-root-ca', description: 'The single root CA: apiserver `--client-ca-file`, `--etcd-cafile`, `--kubelet-certificate-authority`; etcd `--peer-trusted-ca-file`; kubelet `clientCAFile`.',
    cn: 'cluster-root-ca', o: [], ...CA_USAGES, sans: [{ dns: 'cluster-root-ca' }], validity: CA_VALIDITY,
    files: pem(VLK, 'cluster-root-ca'), copies: ['/etc/etcd/cluster-root-ca.pem', '/etc/kubernetes/pki/ca.crt', '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt'] },
  { kind: 'leaf', id: 'kube-apiserver', ca: 'cluster-root-ca', role: 'server', chain: false, description: 'kube-apiserver serving cert: `--tls-cert-file`/`--tls-private-key-file`.',
    cn: 'kube-apiserver', o: [], ...SERVER_USAGES, sans: apiServerSans, validity: LEAF_VALIDITY, files: pem(VLK, 'kube-apiserver') },
  { kind: 'leaf', id: 'kube-apiserver-etcd-client', ca: 'cluster-root-ca', role: 'client', chain: false, description: 'The apiserver towards etcd: `--etcd-certfile`/`--etcd-keyfile`.',
    cn: 'kube-apiserver-etcd-client', o: [], ...CLIENT_USAGES, sans: [], validity: LEAF_VALIDITY, files: pem(VLK, 'kube-apiserver-etcd-client') },
  { kind: 'leaf', id: 'kube-apiserver-kubelet-client', ca: 'cluster-root-ca', role: 'client', chain: false, description: 'The apiserver towards kubelets: `--kubelet-client-certificate`/`--kubelet-client-key` (O=system:masters, the pre-1.29 convention).',
    cn: 'kube-apiserver-kubelet-client', o: ['system:masters'], ...CLIENT_USAGES, sans: [], validity: LEAF_VALIDITY, files: pem(VLK, 'kube-apiserver-kubelet-client') },
  { kind: 'leaf', id: 'kube-etcd', ca: 'cluster-root-ca', role: 'server-and-client', chain: false, description: 'etcd serving cert: `--cert-file`/`--key-file`.',
    cn: 'kube-etcd', o: [], ...PEER_USAGES, sans: etcdSans('etcdServerCertSans'), validity: LEAF_VALIDITY, files: pem('/etc/etcd', 'kube-etcd') },
  { kind: 'leaf', id: 'kubelet', ca: 'cluster-root-ca', role: 'server', chain: false, description: 'The kubelet\'s serving cert on port 10250, named in the KubeletConfiguration (swapped there: see the document\'s mistakes).',
    cn: nodeName, o: [], ...SERVER_USAGES, sans: derived('<node name>, IP <advertise address>', ({ config }) => [{ dns: config.nodeName }, { ip: config.advertiseAddress }]),
    validity: LEAF_VALIDITY, files: { kind: 'pair', cert: '/var/lib/kubelet/pki/kubelet.crt', key: '/var/lib/kubelet/pki/kubelet.key' } },
  { kind: 'leaf', id: 'admin', ca: 'cluster-root-ca', role: 'client', chain: false, description: 'kubectl (the document\'s `kind-kind` user).',
    cn: 'kubernetes-admin', o: ['system:masters'], ...CLIENT_USAGES, sans: [], validity: LEAF_VALIDITY, files: embedded('admin.conf') },
  { kind: 'leaf', id: 'kube-scheduler', ca: 'cluster-root-ca', role: 'client', chain: false, description: 'kube-scheduler towards the apiserver.',
    cn: 'system:kube-scheduler', o: [], ...CLIENT_USAGES, sans: [], validity: LEAF_VALIDITY, files: embedded('scheduler.conf') },
  { kind: 'leaf', id: 'kube-controller-manager', ca: 'cluster-root-ca', role: 'client', chain: false, description: 'kube-controller-manager towards the apiserver.',
    cn: 'system:kube-controller-manager', o: [], ...CLIENT_USAGES, sans: [], validity: LEAF_VALIDITY, files: embedded('controller-manager.conf') },
  { kind: 'leaf', id: 'kubelet-client', ca: 'cluster-root-ca', role: 'client', chain: false, description: 'The kubelet towards the apiserver, inside kubelet.conf.',
    cn: nodeUser, o: ['system:nodes'], ...CLIENT_USAGES, sans: [], validity: LEAF_VALIDITY, files: embedded('kubelet.conf') },
];

const certKubeconfig = (id: string, file: string, cert: string, user: string, usedBy: string, clusterName = 'kubernetes'): KubeconfigRecord => ({
  id, file, description: `${usedBy} kubeconfig; client cert, key and CA embedded.`, usedBy, clusterName, ca: 'cluster-root-ca', server: controlPlaneURL,
  userName: user, contextName: clusterName === 'kind-kind' ? 'kind-kind' : `${user}@${clusterName}`, auth: { kind: 'client-cert-data', cert },
});

const kubeconfigs: KubeconfigRecord[] = [
  certKubeconfig('admin.conf', '/root/.kube/config', 'admin', 'kind-kind', 'kubectl', 'kind-kind'),
  certKubeconfig('scheduler.conf', '/etc/kubernetes/scheduler.conf', 'kube-scheduler', 'system:kube-scheduler', 'kube-scheduler'),
  certKubeconfig('controller-manager.conf', '/etc/kubernetes/controller-manager.conf', 'kube-controller-manager', 'system:kube-controller-manager', 'kube-controller-manager'),
  { ...certKubeconfig('kubelet.conf', '/etc/kubernetes/kubelet.conf', 'kubelet-client', 'system:node', 'kubelet'),
    userName: nodeUser, contextName: derived('system:node:<node name>@kubernetes', ({ config }) => `system:node:${config.nodeName}@kubernetes`) },
  { id: 'kube-proxy.conf', file: '/var/lib/kube-proxy/kubeconfig.conf', usedBy: 'kube-proxy', description: 'kube-proxy authenticates with its ServiceAccount (`serviceAccount: kube-proxy` in the Pod spec).',
    clusterName: 'default', ca: 'cluster-root-ca', caFile: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt', server: controlPlaneURL,
    userName: 'default', contextName: 'default',
    auth: { kind: 'token-file', tokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token', signingKey: 'service-account', namespace: 'kube-system', serviceAccount: 'kube-proxy' } },
];

export const referencePreset: Preset = {
  name: 'reference',
  title: 'The reference document',
  description: 'The single-root layout of the reference document ("Kubernetes – certificates"), with its file names and its two configuration mistakes.',
  certs,
  keyPairs: [{ id: 'service-account', description: 'ServiceAccount token signing key pair.', privateKey: `${VLK}/service-account-key.pem`, publicKey: `${VLK}/service-account.pem` }],
  kubeconfigs,
  kubelet: {
    configFile: '/var/lib/kubelet/config.yaml', certDir: '/var/lib/kubelet/pki', clientCAFile: '/etc/kubernetes/pki/ca.crt', clientCA: 'cluster-root-ca',
    kubeconfig: '/etc/kubernetes/kubelet.conf',
    // The document's mistake, kept on purpose: the key path in tlsCertFile and the cert path in tlsPrivateKeyFile.
    tlsCertFile: '/var/lib/kubelet/pki/kubelet.key', tlsPrivateKeyFile: '/var/lib/kubelet/pki/kubelet.crt',
  },
};
