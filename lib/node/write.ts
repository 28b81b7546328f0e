// The rest of a control-plane node, beside its PKI: how each component is run, with the flags of
// the preset's component specs (the one source of flags: a cluster started from these files has
// the flags of the cluster started in memory). kubeadm runs the control plane as static Pods and the
// kubelet from its package's unit and drop-in; the reference document's paths (/var/lib/kubernetes,
// /etc/etcd) are Kubernetes The Hard Way's, which runs every component as a systemd unit.
import { posix } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import type { PkiFile } from '../fs/node-fs.js';
import type { Flags } from '../component-base/flags.js';
import { controlPlaneSpec, type ControlPlaneSpec } from '../component-base/presets.js';
import { kubeletFlags } from '../components/kubelet.js';
import type { Pki } from '../layout/types.js';
import { flagWords } from './command-line.js';
import { unitFile } from './systemd.js';
import { KUBEADM_DROP_IN, KUBEADM_FLAGS_ENV, MANIFESTS_DIR, UNIT_DIR } from './paths.js';

/** The Kubernetes release whose images the manifests name (kubeadm pins every image to its own version). */
const VERSION = 'v1.31.0';
const PAUSE_IMAGE = 'registry.k8s.io/pause:3.10';
const RUNTIME_ENDPOINT = 'unix:///var/run/containerd/containerd.sock';
const PRIVATE = 0o600;
const PUBLIC = 0o644;

type Volume = { name: string; path: string; type: 'DirectoryOrCreate' | 'FileOrCreate'; readOnly: boolean };

const CA_CERT_VOLUMES: Volume[] = [
  { name: 'ca-certs', path: '/etc/ssl/certs', type: 'DirectoryOrCreate', readOnly: true },
  { name: 'etc-ca-certificates', path: '/etc/ca-certificates', type: 'DirectoryOrCreate', readOnly: true },
  { name: 'k8s-certs', path: '/etc/kubernetes/pki', type: 'DirectoryOrCreate', readOnly: true },
  { name: 'usr-local-share-ca-certificates', path: '/usr/local/share/ca-certificates', type: 'DirectoryOrCreate', readOnly: true },
  { name: 'usr-share-ca-certificates', path: '/usr/share/ca-certificates', type: 'DirectoryOrCreate', readOnly: true },
];

/** The hostPath volumes kubeadm gives each static Pod (cmd/kubeadm/app/phases/controlplane/volumes.go, etcd/local.go). */
function kubeadmVolumes(component: string, kubeconfig?: string): Volume[] {
  const file = (name: string, path: string): Volume => ({ name, path, type: 'FileOrCreate', readOnly: true });
  switch (component) {
    case 'kube-apiserver': return CA_CERT_VOLUMES;
    case 'kube-controller-manager': return [...CA_CERT_VOLUMES, { name: 'flexvolume-dir', path: '/usr/libexec/kubernetes/kubelet-plugins/volume/exec', type: 'DirectoryOrCreate', readOnly: false }, file('kubeconfig', kubeconfig!)];
    case 'kube-scheduler': return [file('kubeconfig', kubeconfig!)];
    default: return [
      { name: 'etcd-certs', path: '/etc/kubernetes/pki/etcd', type: 'DirectoryOrCreate', readOnly: false },
      { name: 'etcd-data', path: '/var/lib/etcd', type: 'DirectoryOrCreate', readOnly: false },
    ];
  }
}

/** kubeadm's volumes, plus one for the folder of any file a flag names that none of them covers (a preset with other paths). */
function volumesFor(component: string, flags: Flags, kubeconfig?: string): Volume[] {
  const volumes = [...kubeadmVolumes(component, kubeconfig)];
  const covered = (p: string) => volumes.some((v) => p === v.path || p.startsWith(`${v.path}/`));
  for (const value of Object.values(flags)) {
    for (const p of value.split(',')) {
      if (!p.startsWith('/') || covered(p)) continue;
      volumes.push({ name: `host-${volumes.length}`, path: posix.dirname(p), type: 'DirectoryOrCreate', readOnly: true });
    }
  }
  return volumes;
}

/** A kubeadm static Pod: v1 Pod in kube-system, host network, the command line as `--flag=value` words (sorted, as kubeadm writes them). */
export function staticPod(component: string, flags: Flags, annotations: Record<string, string> = {}, kubeconfig?: string): string {
  const volumes = volumesFor(component, flags, kubeconfig);
  const image = component === 'etcd' ? 'registry.k8s.io/etcd:3.5.15-0' : `registry.k8s.io/${component}:${VERSION}`;
  const pod = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { ...(Object.keys(annotations).length > 0 ? { annotations } : {}), labels: { component, tier: 'control-plane' }, name: component, namespace: 'kube-system' },
    spec: {
      containers: [{
        command: [component, ...flagWords(flags).sort()], image, imagePullPolicy: 'IfNotPresent', name: component,
        volumeMounts: volumes.map((v) => ({ mountPath: v.path, name: v.name, ...(v.readOnly ? { readOnly: true } : {}) })),
      }],
      hostNetwork: true, priority: 2000001000, priorityClassName: 'system-node-critical',
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      volumes: volumes.map((v) => ({ hostPath: { path: v.path, type: v.type }, name: v.name })),
    },
    status: {},
  };
  return stringifyYaml(pod);
}

/**
 * Flags kubeadm writes that the simulator does not read (they change nothing it models). They are
 * written so the folder reads as kubeadm's, and `loadNode` lists them as unmodelled.
 */
function kubeadmExtras(spec: ControlPlaneSpec): Record<'etcd' | 'kube-scheduler', Flags> {
  const kubeconfig = spec.clients['kube-scheduler'].kubeconfig;
  return {
    etcd: { '--data-dir': '/var/lib/etcd' },
    'kube-scheduler': { '--authentication-kubeconfig': kubeconfig, '--authorization-kubeconfig': kubeconfig, '--bind-address': '127.0.0.1', '--kubeconfig': kubeconfig, '--leader-elect': 'true' },
  };
}

/** kubeadm's node: four static Pods, the kubelet's drop-in (from the kubelet package) and kubeadm-flags.env. */
function kubeadmNode(spec: ControlPlaneSpec, pki: Pki): PkiFile[] {
  const extras = kubeadmExtras(spec);
  const endpoint = `${pki.config.advertiseAddress}:${pki.config.bindPort}`;
  const pods: [string, string][] = [
    ['kube-apiserver', staticPod('kube-apiserver', spec['kube-apiserver'], { 'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': endpoint })],
    ['etcd', staticPod('etcd', { ...spec.etcd, ...extras.etcd }, { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': spec.etcd['--advertise-client-urls'] ?? '' })],
    ['kube-controller-manager', staticPod('kube-controller-manager', spec['kube-controller-manager'], {}, spec.clients['kube-controller-manager'].kubeconfig)],
    ['kube-scheduler', staticPod('kube-scheduler', extras['kube-scheduler'], {}, spec.clients['kube-scheduler'].kubeconfig)],
  ];
  const kubelet = kubeletFlags(spec.kubelet);
  const dropIn = [
    '# Note: This dropin only works with kubeadm and kubelet v1.11+', '[Service]',
    `Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=${kubelet['--kubeconfig']}"`,
    `Environment="KUBELET_CONFIG_ARGS=--config=${kubelet['--config']}"`,
    '# This is a file that "kubeadm init" and "kubeadm join" generates at runtime, populating the KUBELET_KUBEADM_ARGS variable dynamically',
    `EnvironmentFile=-${KUBEADM_FLAGS_ENV}`,
    '# This is a file that the user can use for overrides of the kubelet args as a last resort.',
    'EnvironmentFile=-/etc/default/kubelet',
    'ExecStart=',
    'ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS', '',
  ].join('\n');
  // kubeadm-flags.env carries what differs per node; --cert-dir only when it is not the kubelet's default.
  const certDir = kubelet['--cert-dir'] !== '/var/lib/kubelet/pki' ? ` --cert-dir=${kubelet['--cert-dir']}` : '';
  return [
    ...pods.map(([name, text]): PkiFile => ({ kind: 'node-config', path: `${MANIFESTS_DIR}/${name}.yaml`, contents: text, mode: PRIVATE, owner: name })),
    { kind: 'node-config', path: KUBEADM_DROP_IN, contents: dropIn, mode: PUBLIC, owner: 'kubelet' },
    { kind: 'node-config', path: KUBEADM_FLAGS_ENV, contents: `KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=${RUNTIME_ENDPOINT} --pod-infra-container-image=${PAUSE_IMAGE}${certDir}"\n`, mode: PUBLIC, owner: 'kubelet' },
  ];
}

/** The Hard Way's node: every component a systemd unit under /etc/systemd/system, binaries in /usr/local/bin. */
function unitNode(spec: ControlPlaneSpec): PkiFile[] {
  const units: [string, string, Flags][] = [
    ['kube-apiserver', 'Kubernetes API Server', spec['kube-apiserver']],
    ['etcd', 'etcd', spec.etcd],
    ['kube-controller-manager', 'Kubernetes Controller Manager', spec['kube-controller-manager']],
    ['kube-scheduler', 'Kubernetes Scheduler', { '--kubeconfig': spec.clients['kube-scheduler'].kubeconfig }],
    ['kubelet', 'Kubernetes Kubelet', kubeletFlags(spec.kubelet)],
  ];
  return units.map(([name, description, flags]): PkiFile => ({
    kind: 'node-config', path: `${UNIT_DIR}/${name}.service`, mode: PUBLIC, owner: name,
    contents: unitFile(description, `/usr/local/bin/${name}`, flagWords(flags)),
  }));
}

/**
 * How each component of `pki`'s preset is run, as files: kubeadm's static Pods and kubelet files, or
 * the reference's units. `spec` (default: the preset's) carries the flags written, changed or not.
 */
export function nodeFiles(pki: Pki, spec: ControlPlaneSpec = controlPlaneSpec(pki.preset, pki.config)): PkiFile[] {
  return pki.preset.name === 'kubeadm' ? kubeadmNode(spec, pki) : unitNode(spec);
}
