import type { ClusterConfig, PresetName } from '../pki/types.js';
import { hostPortURL } from '../pki/cluster-config.js';
import type { Flags } from './flags.js';

export type ClientComponent = 'kubectl' | 'kube-scheduler' | 'kube-controller-manager' | 'kube-proxy' | 'kubelet';

/** How each component of a preset is configured: flags, the kubelet's files, each client's kubeconfig. */
export interface ControlPlaneSpec {
  'kube-apiserver': Flags;
  etcd: Flags;
  'kube-controller-manager': Flags;
  kubelet: { config: string; kubeconfig: string; certDir: string };
  clients: Record<ClientComponent, { kubeconfig: string }>;
}

const PKI = '/etc/kubernetes/pki';

/** kubeadm's static Pod manifests (cmd/kubeadm/app/phases/controlplane/manifests.go, etcd/local.go). */
function kubeadm(config: ClusterConfig): ControlPlaneSpec {
  return {
    'kube-apiserver': {
      '--advertise-address': config.advertiseAddress,
      '--secure-port': String(config.bindPort),
      '--tls-cert-file': `${PKI}/apiserver.crt`,
      '--tls-private-key-file': `${PKI}/apiserver.key`,
      '--client-ca-file': `${PKI}/ca.crt`,
      '--etcd-servers': 'https://127.0.0.1:2379',
      '--etcd-cafile': `${PKI}/etcd/ca.crt`,
      '--etcd-certfile': `${PKI}/apiserver-etcd-client.crt`,
      '--etcd-keyfile': `${PKI}/apiserver-etcd-client.key`,
      '--kubelet-client-certificate': `${PKI}/apiserver-kubelet-client.crt`,
      '--kubelet-client-key': `${PKI}/apiserver-kubelet-client.key`,
      '--kubelet-preferred-address-types': 'InternalIP,ExternalIP,Hostname',
      '--service-account-key-file': `${PKI}/sa.pub`,
      '--service-account-issuer': `https://kubernetes.default.svc.${config.dnsDomain}`,
      '--enable-bootstrap-token-auth': 'true',
      '--authorization-mode': 'Node,RBAC',
    },
    etcd: {
      '--name': config.nodeName,
      '--cert-file': `${PKI}/etcd/server.crt`,
      '--key-file': `${PKI}/etcd/server.key`,
      '--trusted-ca-file': `${PKI}/etcd/ca.crt`,
      '--client-cert-auth': 'true',
      '--peer-cert-file': `${PKI}/etcd/peer.crt`,
      '--peer-key-file': `${PKI}/etcd/peer.key`,
      '--peer-trusted-ca-file': `${PKI}/etcd/ca.crt`,
      '--peer-client-cert-auth': 'true',
      '--listen-client-urls': `https://127.0.0.1:2379,${hostPortURL(config.advertiseAddress, 2379)}`,
      '--advertise-client-urls': hostPortURL(config.advertiseAddress, 2379),
    },
    'kube-controller-manager': {
      '--cluster-signing-cert-file': `${PKI}/ca.crt`,
      '--cluster-signing-key-file': `${PKI}/ca.key`,
      '--kubeconfig': '/etc/kubernetes/controller-manager.conf',
    },
    kubelet: { config: '/var/lib/kubelet/config.yaml', kubeconfig: '/etc/kubernetes/kubelet.conf', certDir: '/var/lib/kubelet/pki' },
    clients: {
      kubectl: { kubeconfig: '/etc/kubernetes/admin.conf' },
      'kube-scheduler': { kubeconfig: '/etc/kubernetes/scheduler.conf' },
      'kube-controller-manager': { kubeconfig: '/etc/kubernetes/controller-manager.conf' },
      'kube-proxy': { kubeconfig: '/var/lib/kube-proxy/kubeconfig.conf' },
      kubelet: { kubeconfig: '/etc/kubernetes/kubelet.conf' },
    },
  };
}

const VLK = '/var/lib/kubernetes';

/**
 * The reference document's flags, verbatim where it gives them (including etcd's lone
 * `--peer-trusted-ca-file`), plus what any apiserver needs and the document leaves out
 * (`--etcd-servers`, `--service-account-key-file`, `--authorization-mode`).
 */
function reference(config: ClusterConfig): ControlPlaneSpec {
  return {
    'kube-apiserver': {
      '--advertise-address': config.advertiseAddress,
      '--secure-port': String(config.bindPort),
      '--tls-cert-file': `${VLK}/kube-apiserver.pem`,
      '--tls-private-key-file': `${VLK}/kube-apiserver-key.pem`,
      '--client-ca-file': `${VLK}/cluster-root-ca.pem`,
      '--etcd-servers': 'https://127.0.0.1:2379',
      '--etcd-certfile': `${VLK}/kube-apiserver-etcd-client.pem`,
      '--etcd-keyfile': `${VLK}/kube-apiserver-etcd-client-key.pem`,
      '--etcd-cafile': `${VLK}/cluster-root-ca.pem`,
      '--kubelet-client-certificate': `${VLK}/kube-apiserver-kubelet-client.pem`,
      '--kubelet-client-key': `${VLK}/kube-apiserver-kubelet-client-key.pem`,
      '--kubelet-certificate-authority': `${VLK}/cluster-root-ca.pem`,
      '--service-account-key-file': `${VLK}/service-account.pem`,
      '--service-account-issuer': `https://kubernetes.default.svc.${config.dnsDomain}`,
      '--authorization-mode': 'Node,RBAC',
    },
    etcd: {
      '--name': config.nodeName,
      '--cert-file': '/etc/etcd/kube-etcd.pem',
      '--key-file': '/etc/etcd/kube-etcd-key.pem',
      '--peer-trusted-ca-file': '/etc/etcd/cluster-root-ca.pem',
      '--listen-client-urls': 'https://127.0.0.1:2379',
      '--advertise-client-urls': 'https://127.0.0.1:2379',
    },
    // "By default the apiserver's CA": the document's controller-manager signs with the root CA.
    'kube-controller-manager': {
      '--cluster-signing-cert-file': `${VLK}/cluster-root-ca.pem`,
      '--cluster-signing-key-file': `${VLK}/cluster-root-ca-key.pem`,
      '--kubeconfig': '/etc/kubernetes/controller-manager.conf',
    },
    kubelet: { config: '/var/lib/kubelet/config.yaml', kubeconfig: '/etc/kubernetes/kubelet.conf', certDir: '/var/lib/kubelet/pki' },
    clients: {
      kubectl: { kubeconfig: '/root/.kube/config' },
      'kube-scheduler': { kubeconfig: '/etc/kubernetes/scheduler.conf' },
      'kube-controller-manager': { kubeconfig: '/etc/kubernetes/controller-manager.conf' },
      'kube-proxy': { kubeconfig: '/var/lib/kube-proxy/kubeconfig.conf' },
      kubelet: { kubeconfig: '/etc/kubernetes/kubelet.conf' },
    },
  };
}

export function controlPlaneSpec(preset: PresetName, config: ClusterConfig): ControlPlaneSpec {
  return preset === 'kubeadm' ? kubeadm(config) : reference(config);
}
