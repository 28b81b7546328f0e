import { KubeMtlsSimError } from '../errors.js';
import type { ClusterConfig, Preset, PresetName } from '../pki/types.js';
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
  /** The metrics-server addon's command line, when the cluster runs it (the `metricsServer` option). */
  'metrics-server'?: Flags;
  /** The APIService the aggregator reaches metrics-server through, when the cluster runs it. */
  apiService?: ApiServiceSpec;
  /**
   * Components that cannot be configured at all (a node folder whose manifest for it is not YAML,
   * or that does not run it): the error each one fails with, by component name.
   */
  problems?: Partial<Record<string, KubeMtlsSimError>>;
}

/** An apiregistration.k8s.io/v1 APIService: where the aggregator proxies a group-version, and how it checks the server. */
export interface ApiServiceSpec {
  /** metadata.name, e.g. v1beta1.metrics.k8s.io. */
  name: string;
  service: { namespace: string; name: string; port: number };
  /** spec.caBundle as PEM (the object holds it base64-encoded) and the file it was made from. */
  caBundle?: { pem: string; from: string };
  insecureSkipTLSVerify: boolean;
}

/**
 * The paths of a preset's records, by id: component flags name a PKI record, never repeat its path,
 * so a preset with other file names (a custom table with the same ids) gets flags that match it.
 */
export interface PresetFiles {
  cert(id: string): string;
  key(id: string): string;
  /** The n-th copy of a CA certificate (the reference layout keeps three). */
  copy(id: string, n: number): string;
  kubeconfig(id: string): string;
  publicKey(id: string): string;
}

export function presetFiles(preset: Preset): PresetFiles {
  const missing = (what: string, id: string): never => {
    throw new KubeMtlsSimError('ERR_TABLE_INVALID', `preset ${preset.name}: no ${what} "${id}" for the component flags to name`, { field: id });
  };
  const pair = (id: string) => {
    const files = preset.certs.find((r) => r.id === id)?.files;
    return files?.kind === 'pair' ? files : missing('certificate with a cert and key file', id);
  };
  return {
    cert: (id) => pair(id).cert,
    key: (id) => pair(id).key,
    copy: (id, n) => {
      const record = preset.certs.find((r) => r.id === id);
      return (record?.kind === 'ca' ? record.copies[n] : undefined) ?? missing(`copy ${n} of CA`, id);
    },
    kubeconfig: (id) => preset.kubeconfigs.find((k) => k.id === id)?.file ?? missing('kubeconfig', id),
    publicKey: (id) => preset.keyPairs.find((k) => k.id === id)?.publicKey ?? missing('key pair', id),
  };
}

/** A preset's component specs, from its files and the cluster config. */
export type ComponentSpecs = (files: PresetFiles, config: ClusterConfig, preset: Preset) => ControlPlaneSpec;

const kubeletSpec = (preset: Preset): ControlPlaneSpec['kubelet'] => ({ config: preset.kubelet.configFile, kubeconfig: preset.kubelet.kubeconfig, certDir: preset.kubelet.certDir });

const clients = (f: PresetFiles): ControlPlaneSpec['clients'] => ({
  kubectl: { kubeconfig: f.kubeconfig('admin.conf') },
  'kube-scheduler': { kubeconfig: f.kubeconfig('scheduler.conf') },
  'kube-controller-manager': { kubeconfig: f.kubeconfig('controller-manager.conf') },
  'kube-proxy': { kubeconfig: f.kubeconfig('kube-proxy.conf') },
  kubelet: { kubeconfig: f.kubeconfig('kubelet.conf') },
});

/** kubeadm's static Pod manifests (cmd/kubeadm/app/phases/controlplane/manifests.go, etcd/local.go). */
const kubeadm: ComponentSpecs = (f, config, preset) => ({
  'kube-apiserver': {
    '--advertise-address': config.advertiseAddress,
    '--secure-port': String(config.bindPort),
    '--tls-cert-file': f.cert('apiserver'),
    '--tls-private-key-file': f.key('apiserver'),
    '--client-ca-file': f.cert('ca'),
    '--etcd-servers': 'https://127.0.0.1:2379',
    '--etcd-cafile': f.cert('etcd-ca'),
    '--etcd-certfile': f.cert('apiserver-etcd-client'),
    '--etcd-keyfile': f.key('apiserver-etcd-client'),
    '--kubelet-client-certificate': f.cert('apiserver-kubelet-client'),
    '--kubelet-client-key': f.key('apiserver-kubelet-client'),
    '--kubelet-preferred-address-types': 'InternalIP,ExternalIP,Hostname',
    // The aggregation layer (kubeadm's manifests.go sets these five on every control plane).
    '--proxy-client-cert-file': f.cert('front-proxy-client'),
    '--proxy-client-key-file': f.key('front-proxy-client'),
    '--requestheader-client-ca-file': f.cert('front-proxy-ca'),
    '--requestheader-allowed-names': 'front-proxy-client',
    '--requestheader-username-headers': 'X-Remote-User',
    '--requestheader-group-headers': 'X-Remote-Group',
    '--requestheader-extra-headers-prefix': 'X-Remote-Extra-',
    '--service-account-key-file': f.publicKey('sa'),
    '--service-account-issuer': `https://kubernetes.default.svc.${config.dnsDomain}`,
    '--enable-bootstrap-token-auth': 'true',
    '--authorization-mode': 'Node,RBAC',
  },
  etcd: {
    '--name': config.nodeName,
    '--cert-file': f.cert('etcd-server'),
    '--key-file': f.key('etcd-server'),
    '--trusted-ca-file': f.cert('etcd-ca'),
    '--client-cert-auth': 'true',
    '--peer-cert-file': f.cert('etcd-peer'),
    '--peer-key-file': f.key('etcd-peer'),
    '--peer-trusted-ca-file': f.cert('etcd-ca'),
    '--peer-client-cert-auth': 'true',
    '--listen-client-urls': `https://127.0.0.1:2379,${hostPortURL(config.advertiseAddress, 2379)}`,
    '--advertise-client-urls': hostPortURL(config.advertiseAddress, 2379),
    // kubeadm's local etcd is a one-member cluster of this node, on the peer port of its address
    // (phases/etcd/local.go): the peer flags are there even with no second member.
    '--listen-peer-urls': hostPortURL(config.advertiseAddress, 2380),
    '--initial-advertise-peer-urls': hostPortURL(config.advertiseAddress, 2380),
    '--initial-cluster': `${config.nodeName}=${hostPortURL(config.advertiseAddress, 2380)}`,
  },
  'kube-controller-manager': {
    '--cluster-signing-cert-file': f.cert('ca'),
    '--cluster-signing-key-file': f.key('ca'),
    '--kubeconfig': f.kubeconfig('controller-manager.conf'),
  },
  kubelet: kubeletSpec(preset),
  clients: clients(f),
});

/**
 * The reference document's flags, verbatim where it gives them (including etcd's lone
 * `--peer-trusted-ca-file`), plus what any apiserver needs and the document leaves out
 * (`--etcd-servers`, `--service-account-key-file`, `--authorization-mode`).
 */
const reference: ComponentSpecs = (f, config, preset) => ({
  'kube-apiserver': {
    '--advertise-address': config.advertiseAddress,
    '--secure-port': String(config.bindPort),
    '--tls-cert-file': f.cert('kube-apiserver'),
    '--tls-private-key-file': f.key('kube-apiserver'),
    '--client-ca-file': f.cert('cluster-root-ca'),
    '--etcd-servers': 'https://127.0.0.1:2379',
    '--etcd-certfile': f.cert('kube-apiserver-etcd-client'),
    '--etcd-keyfile': f.key('kube-apiserver-etcd-client'),
    '--etcd-cafile': f.cert('cluster-root-ca'),
    '--kubelet-client-certificate': f.cert('kube-apiserver-kubelet-client'),
    '--kubelet-client-key': f.key('kube-apiserver-kubelet-client'),
    '--kubelet-certificate-authority': f.cert('cluster-root-ca'),
    '--service-account-key-file': f.publicKey('service-account'),
    '--service-account-issuer': `https://kubernetes.default.svc.${config.dnsDomain}`,
    '--authorization-mode': 'Node,RBAC',
  },
  etcd: {
    '--name': config.nodeName,
    '--cert-file': f.cert('kube-etcd'),
    '--key-file': f.key('kube-etcd'),
    '--peer-trusted-ca-file': f.copy('cluster-root-ca', 0),
    '--listen-client-urls': 'https://127.0.0.1:2379',
    '--advertise-client-urls': 'https://127.0.0.1:2379',
  },
  // "By default the apiserver's CA": the document's controller-manager signs with the root CA.
  'kube-controller-manager': {
    '--cluster-signing-cert-file': f.cert('cluster-root-ca'),
    '--cluster-signing-key-file': f.key('cluster-root-ca'),
    '--kubeconfig': f.kubeconfig('controller-manager.conf'),
  },
  kubelet: kubeletSpec(preset),
  clients: clients(f),
});

/** Each built-in preset's component specs. */
export const COMPONENT_SPECS: Readonly<Record<PresetName, ComponentSpecs>> = { kubeadm, reference };

/** The component specs of `preset` (its own `specs`, or those of the built-in preset it is named after), its paths taken from its records. */
export function controlPlaneSpec(preset: Preset, config: ClusterConfig, specs: ComponentSpecs = COMPONENT_SPECS[preset.name]): ControlPlaneSpec {
  return specs(presetFiles(preset), config, preset);
}
