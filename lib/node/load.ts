// loadNode: a folder laid out as a node's root (a copy of /etc/kubernetes, /var/lib/kubelet, the
// units…) read back as the components' command lines and files, so a cluster can start from it.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { KubeMtlsSimError, isKubeMtlsSimError } from '../errors.js';
import { fsError, readInRoot } from '../fs/read.js';
import { NodeFs } from '../fs/node-fs.js';
import type { FlagTable } from '../component-base/flag-table.js';
import type { Flags } from '../component-base/flags.js';
import type { ClientComponent, ControlPlaneSpec } from '../component-base/presets.js';
import { FLAG_TABLES } from '../components/flags.js';
import { KUBELET_FLAGS } from '../components/kubelet.js';
import { parseKubeconfig } from '../kubeconfig/parse.js';
import { parseKubeletConfiguration } from '../kubeletconfig/config.js';
import { DEFAULT_CLUSTER_CONFIG, resolveClusterConfig } from '../pki/cluster-config.js';
import type { ClusterConfig } from '../pki/types.js';
import { parseArgv } from './command-line.js';
import { configKubeconfig } from './component-config.js';
import { KUBECTL_KUBECONFIGS, KUBE_PROXY_KUBECONFIG } from './paths.js';
import { present, readComponentArgv, readKubeletArgv, readUnitArgv, type ComponentArgv, type SourceKind } from './sources.js';

export type NodeComponent = 'kube-apiserver' | 'etcd' | 'kube-controller-manager' | 'kube-scheduler' | 'kubelet' | 'kube-proxy';
const COMPONENTS: readonly NodeComponent[] = ['kube-apiserver', 'etcd', 'kube-controller-manager', 'kube-scheduler', 'kubelet', 'kube-proxy'];

/** The flags the simulator reads, per component (the others are kept as unmodelled). */
const TABLES: Record<NodeComponent, FlagTable> = {
  ...FLAG_TABLES, kubelet: KUBELET_FLAGS,
  'kube-scheduler': { '--kubeconfig': { kind: 'file', doc: '', default: undefined, parse: (v) => v }, '--config': { kind: 'file', doc: '', default: undefined, parse: (v) => v } },
  'kube-proxy': { '--kubeconfig': { kind: 'file', doc: '', default: undefined, parse: (v) => v }, '--config': { kind: 'file', doc: '', default: undefined, parse: (v) => v } },
};

/** Where a client's kubeconfig is named: the flag or config field, and the file that names it (node path). */
type KubeconfigSource = { field: string; by?: string };

/** How one component runs on the node, as read. */
export interface NodeComponentSource {
  how: SourceKind | 'absent';
  /** The manifest or unit (node path). */
  file?: string;
  /** Every flag, as the node runs it (modelled or not). */
  flags: Flags;
}

/** A flag the node sets that the simulator does not model: kept and listed, never dropped silently. */
export interface UnmodelledFlag {
  component: NodeComponent;
  flag: string;
  value: string;
  /** The node path of the manifest or unit that sets it. */
  file: string;
}

/** Something of the node that a component needs and that cannot be read: the file, and the flag that names it. */
export interface NodeProblem {
  component: NodeComponent | 'kubectl';
  error: KubeMtlsSimError;
}

export interface LoadedNode {
  root: string;
  /** The node's files, read from the folder (symlinks inside it only). */
  fs: NodeFs;
  /** Node name, advertise address and port, as the flags give them. */
  config: ClusterConfig;
  /** The modelled flags and files each component starts with; `problems` names the components that cannot be configured at all. */
  spec: ControlPlaneSpec;
  components: Record<NodeComponent, NodeComponentSource>;
  unmodelledFlags: UnmodelledFlag[];
  problems: NodeProblem[];
}

function absent(root: string, component: NodeComponent): KubeMtlsSimError {
  const where = component === 'kubelet' ? 'no kubelet unit, drop-in or /var/lib/kubelet/kubeadm-flags.env' : `no /etc/kubernetes/manifests/${component}.yaml and no ${component}.service unit`;
  return new KubeMtlsSimError('ERR_FILE_NOT_FOUND', `${root}: ${where}: the node does not run ${component}`, { file: root, field: component });
}

/** Reads how each component runs; a component whose manifest or unit cannot be read is a problem, not a throw. */
function readSources(root: string, problems: NodeProblem[], blocked: Partial<Record<string, KubeMtlsSimError>>): Record<NodeComponent, NodeComponentSource> {
  const out = {} as Record<NodeComponent, NodeComponentSource>;
  for (const component of COMPONENTS) {
    let found: ComponentArgv | null = null;
    try {
      found = component === 'kubelet' ? readKubeletArgv(root) : component === 'kube-proxy' ? readUnitArgv(root, component) : readComponentArgv(root, component);
    } catch (error) {
      if (!isKubeMtlsSimError(error)) throw error;
      problems.push({ component, error });
      blocked[component] = error;
      out[component] = { how: 'absent', flags: {} };
      continue;
    }
    if (!found) {
      // kube-proxy runs as a DaemonSet on a kubeadm node: only its kubeconfig is on disk.
      if (component !== 'kube-proxy') {
        const error = absent(root, component);
        problems.push({ component, error });
        blocked[component] = error;
      }
      out[component] = { how: 'absent', flags: {} };
      continue;
    }
    const table = TABLES[component];
    const isBool = (flag: string) => (table as Record<string, { kind: string } | undefined>)[flag]?.kind === 'bool';
    out[component] = { how: found.how, file: found.file, flags: parseArgv(found.argv, isBool).flags };
  }
  return out;
}

/** Splits each command line into what the simulator reads and what it lists as unmodelled. */
function modelled(sources: Record<NodeComponent, NodeComponentSource>, unmodelled: UnmodelledFlag[]): Record<NodeComponent, Record<string, string>> {
  const out = {} as Record<NodeComponent, Record<string, string>>;
  for (const component of COMPONENTS) {
    const { flags, file } = sources[component];
    out[component] = {};
    for (const [flag, value] of Object.entries(flags)) {
      if (flag in TABLES[component]) out[component][flag] = value;
      else unmodelled.push({ component, flag, value, file: file ?? '' });
    }
  }
  return out;
}

/**
 * kube-scheduler's and kube-proxy's kubeconfig: their --config file's clientConnection.kubeconfig
 * (the Hard Way's units name only --config), else --kubeconfig, else for kube-proxy kubeadm's
 * ConfigMap key as a file. A --config file that cannot be read is a problem of its component.
 */
function configuredKubeconfig(root: string, component: 'kube-scheduler' | 'kube-proxy', flags: Flags, unit: string | undefined,
  problems: NodeProblem[], blocked: Partial<Record<string, KubeMtlsSimError>>, from: Partial<Record<ClientComponent, KubeconfigSource>>): string {
  const config = flags['--config'];
  if (config) {
    try {
      const text = readInRoot(root, config, { field: `${component} --config`, ...(unit ? { file: join(root, unit) } : {}) }).toString('utf8');
      const named = configKubeconfig(text, join(root, config));
      if (named) {
        from[component] = { field: `${component} --config clientConnection.kubeconfig`, by: config };
        return named;
      }
    } catch (error) {
      const typed = isKubeMtlsSimError(error) ? error : fsError(join(root, config), error);
      problems.push({ component, error: typed });
      blocked[component] = typed;
      return '';
    }
  }
  return flags['--kubeconfig'] ?? (component === 'kube-proxy' ? KUBE_PROXY_KUBECONFIG : '');
}

/**
 * Reads every file a modelled flag names, every kubeconfig a client uses (and the files it names),
 * and the kubelet's config file (and its TLS and CA files): each one that is absent, unreadable or
 * malformed is a problem for the component that needs it, naming the file and the flag.
 */
function checkFiles(root: string, node: Omit<LoadedNode, 'fs' | 'config'>, from: Partial<Record<ClientComponent, KubeconfigSource>>): void {
  const read = (component: NodeProblem['component'], path: string, field: string, by?: string): Buffer | undefined => {
    try {
      return readInRoot(root, path, { field, ...(by ? { file: join(root, by) } : {}) });
    } catch (error) {
      node.problems.push({ component, error: isKubeMtlsSimError(error) ? error : fsError(join(root, path), error) });
      return undefined;
    }
  };
  for (const component of ['kube-apiserver', 'etcd', 'kube-controller-manager'] as const) {
    const source = node.components[component];
    for (const [flag, spec] of Object.entries(TABLES[component])) {
      const value = node.spec[component][flag];
      if (!value || (spec.kind !== 'file' && spec.kind !== 'files' && spec.kind !== 'optional-file')) continue;
      for (const path of value.split(',').filter(Boolean)) read(component, path, `${component} ${flag}`, source.file);
    }
  }
  const kubelet = node.spec.kubelet;
  const kubeletFile = node.components.kubelet.file;
  const configText = kubelet.config ? read('kubelet', kubelet.config, 'kubelet --config', kubeletFile) : undefined;
  if (configText) {
    try {
      const config = parseKubeletConfiguration(configText.toString('utf8'), join(root, kubelet.config));
      const fields: [string | undefined, string][] = [[config.tlsCertFile, 'tlsCertFile'], [config.tlsPrivateKeyFile, 'tlsPrivateKeyFile'], [config.authentication?.x509?.clientCAFile, 'authentication.x509.clientCAFile']];
      for (const [path, field] of fields) if (path) read('kubelet', path, `KubeletConfiguration ${field}`, kubelet.config);
    } catch (error) {
      if (!isKubeMtlsSimError(error)) throw error;
      node.problems.push({ component: 'kubelet', error });
    }
  }
  for (const [client, { kubeconfig }] of Object.entries(node.spec.clients) as [ClientComponent, { kubeconfig: string }][]) {
    if (node.spec.problems?.[client] || !kubeconfig) continue;
    // kubectl's kubeconfig is named by no flag: it is where kubectl looks by default.
    const by = from[client]?.by ?? (client === 'kubectl' ? undefined : node.components[client].file);
    const text = read(client, kubeconfig, from[client]?.field ?? (client === 'kubectl' ? 'kubectl kubeconfig' : `${client} --kubeconfig`), by);
    if (!text) continue;
    try {
      parseKubeconfig(text.toString('utf8'), kubeconfig, { readFile: (path, ref) => readInRoot(root, path, { field: ref.field, file: join(root, ref.file) }) });
    } catch (error) {
      if (!isKubeMtlsSimError(error)) throw error;
      node.problems.push({ component: client, error });
    }
  }
}

/** Node name, address and port from the flags: --hostname-override or etcd's --name; --advertise-address; --secure-port. */
function clusterConfig(flags: Record<NodeComponent, Record<string, string>>, all: Record<NodeComponent, NodeComponentSource>): ClusterConfig {
  const nodeName = all.kubelet.flags['--hostname-override'] ?? flags.etcd['--name'];
  const address = flags['kube-apiserver']['--advertise-address'];
  const port = Number(flags['kube-apiserver']['--secure-port']);
  try {
    return resolveClusterConfig({ ...(nodeName ? { nodeName } : {}), ...(address ? { advertiseAddress: address } : {}), ...(port ? { bindPort: port } : {}) });
  } catch {
    // A flag the component itself will refuse at start (and the report will name): keep the defaults here.
    return { ...DEFAULT_CLUSTER_CONFIG };
  }
}

/**
 * Reads a folder laid out as a node's root. Never throws for what is in the folder: a manifest or
 * unit that cannot be read, or a file that a flag or kubeconfig names and that is absent,
 * unreadable or malformed, is a problem of the component that needs it; the others load. Throws
 * only when `root` is not a folder.
 */
export async function loadNode(root: string): Promise<LoadedNode> {
  try {
    if (!statSync(root).isDirectory()) throw new KubeMtlsSimError('ERR_FILE_UNREADABLE', `${root}: not a folder`, { file: root });
  } catch (error) {
    throw isKubeMtlsSimError(error) ? error : fsError(root, error);
  }
  const problems: NodeProblem[] = [];
  const blocked: Partial<Record<string, KubeMtlsSimError>> = {};
  const components = readSources(root, problems, blocked);
  const unmodelledFlags: UnmodelledFlag[] = [];
  const flags = modelled(components, unmodelledFlags);
  const from: Partial<Record<ClientComponent, KubeconfigSource>> = {};
  const clientKubeconfig = (c: 'kube-scheduler' | 'kube-proxy') => configuredKubeconfig(root, c, flags[c], components[c].file, problems, blocked, from);
  const spec: ControlPlaneSpec = {
    'kube-apiserver': flags['kube-apiserver'], etcd: flags.etcd, 'kube-controller-manager': flags['kube-controller-manager'],
    kubelet: { config: flags.kubelet['--config'] ?? '', kubeconfig: flags.kubelet['--kubeconfig'] ?? '', certDir: flags.kubelet['--cert-dir'] ?? '/var/lib/kubelet/pki' },
    clients: {
      kubectl: { kubeconfig: KUBECTL_KUBECONFIGS.find((p) => present(root, p)) ?? KUBECTL_KUBECONFIGS[0] },
      'kube-scheduler': { kubeconfig: clientKubeconfig('kube-scheduler') },
      'kube-controller-manager': { kubeconfig: flags['kube-controller-manager']['--kubeconfig'] ?? '' },
      'kube-proxy': { kubeconfig: clientKubeconfig('kube-proxy') },
      kubelet: { kubeconfig: flags.kubelet['--kubeconfig'] ?? '' },
    },
    problems: blocked,
  };
  const node = { root, components, spec, unmodelledFlags, problems };
  checkFiles(root, node, from);
  return { ...node, fs: new NodeFs([], root), config: clusterConfig(flags, components) };
}
