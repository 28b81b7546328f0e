// A node folder with deliberate mistakes, as `pki write --fault/--flag` writes it: the PKI generated
// with its faults, the node's files changed (contents, bundles, kubeconfig edits, tokens), the
// kubelet's configuration file merged with field changes, and each component's manifest or unit
// written with the changed flags. The same changes a cluster takes in memory, put where a real node
// keeps them, so a folder written here and read back by loadNode behaves as the cluster in memory.
import type { FlagOverrides } from '../component-base/flags.js';
import { controlPlaneSpec, type ControlPlaneSpec } from '../component-base/presets.js';
import { applyFlagOverrides } from '../components/flags.js';
import { mergeKubeletConfig } from '../components/kubelet.js';
import { NodeFs, type PkiFile } from '../fs/node-fs.js';
import { parseKubeletConfiguration, stringifyKubeletConfiguration, type KubeletConfigOverrides } from '../kubeletconfig/config.js';
import { generatePki, type GeneratePkiOptions, type Pki } from '../layout/generate.js';
import { writeLayout } from '../layout/layout.js';
import { manifestFile } from '../layout/manifest.js';
import { applyFileChanges, type FileChanges } from './file-changes.js';
import { nodeFiles } from './write.js';

export interface NodeFolderOptions extends GeneratePkiOptions, FileChanges {
  /** kube-apiserver flag changes written into its manifest or unit; `null` removes a flag. */
  apiserver?: FlagOverrides;
  etcd?: FlagOverrides;
  controllerManager?: FlagOverrides;
  /** KubeletConfiguration field changes, merged into the kubelet's config file; `null` removes a field. */
  kubelet?: KubeletConfigOverrides;
}

export interface NodeFolder {
  pki: Pki;
  /** The flags written, changes applied. */
  spec: ControlPlaneSpec;
  /** Every file of the node (PKI, kubeconfigs, kubelet files, manifests or units), changes applied. */
  files: PkiFile[];
}

const PUBLIC = 0o644;
const PRIVATE = 0o600;

/**
 * The node's files with the changes applied (a file change may replace a manifest too): a changed
 * file keeps its kind and mode, a new one is private unless it is a certificate.
 */
async function changedFiles(pki: Pki, options: NodeFolderOptions, spec: ControlPlaneSpec): Promise<PkiFile[]> {
  const written = [...pki.files, ...nodeFiles(pki, spec)];
  const fs = new NodeFs(written);
  await applyFileChanges(fs, options, pki, options.clock.now());
  if (options.kubelet) {
    const path = spec.kubelet.config;
    const config = parseKubeletConfiguration(fs.read(path, 'kubelet --config').toString('utf8'), path);
    fs.write(path, stringifyKubeletConfiguration(mergeKubeletConfig(config, options.kubelet)));
  }
  const before = new Map(written.map((f) => [f.path, f]));
  return fs.snapshot().map((f): PkiFile => {
    const was = before.get(f.path);
    if (f.kind === 'symlink') return { ...f, owner: was?.owner ?? f.owner };
    if (was && was.kind !== 'symlink') return { ...was, contents: f.contents };
    return { ...f, kind: f.path.endsWith('.crt') ? 'cert' : 'cert-and-key', mode: f.path.endsWith('.crt') ? PUBLIC : PRIVATE };
  });
}

/** The components whose flags a node folder's options may change, and the option that carries them. */
const FLAG_OPTIONS = [['kube-apiserver', 'apiserver'], ['kube-controller-manager', 'controllerManager'], ['etcd', 'etcd']] as const;

/** Generates a node with its faults and changes, as files (nothing is written). */
export async function nodeFolder(options: NodeFolderOptions): Promise<NodeFolder> {
  const pki = await generatePki(options);
  const base = controlPlaneSpec(pki.preset, pki.config);
  const spec: ControlPlaneSpec = { ...base };
  for (const [component, option] of FLAG_OPTIONS) spec[component] = applyFlagOverrides(component, base[component], options[option]);
  return { pki, spec, files: await changedFiles(pki, options, spec) };
}

/**
 * Writes a node with its faults and changes under `dir` (what `pki write DIR --fault … --flag …`
 * writes), with the kube-mtls-sim.json that `serve DIR` reads. Refuses to overwrite unless `overwrite`.
 */
export async function writeNode(dir: string, options: NodeFolderOptions & { overwrite?: boolean }): Promise<NodeFolder> {
  const folder = await nodeFolder(options);
  const changed = FLAG_OPTIONS.filter(([, option]) => Object.keys(options[option] ?? {}).length > 0).map(([component]) => component);
  writeLayout([...folder.files, manifestFile(folder.pki, changed)], dir, { overwrite: options.overwrite === true });
  return folder;
}
