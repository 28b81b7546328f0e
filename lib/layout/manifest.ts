import { join } from 'node:path';
import { KubeMtlsSimError, isKubeMtlsSimError } from '../errors.js';
import { readInRoot } from '../fs/read.js';
import type { IssuedCert } from '../pki/issue.js';
import { keyMaterial, type KeyMaterial } from '../pki/keys.js';
import { exportLayout, readLayout } from './layout.js';
import type { PkiFile } from './layout-files.js';
import { readCertificates, readPrivateKey } from '../pki/pem.js';
import { getPreset } from '../pki/presets/index.js';
import { parseKubeconfig } from '../kubeconfig/parse.js';
import { resolveClusterConfig } from '../pki/cluster-config.js';
import type { Pki, PkiCert } from './generate.js';
import type { ClusterConfig, KeyAlgorithm, PresetName } from '../pki/types.js';

/**
 * `pki write` leaves `kube-mtls-sim.json` beside the node's folders: which preset, which cluster
 * config, when. With it, a folder (possibly edited by hand) can be read back as a Pki and served.
 */
export const MANIFEST = 'kube-mtls-sim.json';

/** The folder, beside the node's, where `serve DIR` writes kubeconfigs for the real kubectl. */
export const SERVE_OUTPUT = 'kube-mtls-sim';

export interface Manifest {
  preset: PresetName;
  algorithm: KeyAlgorithm;
  cluster: ClusterConfig;
  generatedAt: string;
  /**
   * Components whose flags were written other than the preset's (`pki write --flag`): the folder
   * must then be served as the node it is, since the PKI alone would start the preset's flags.
   */
  flagsChanged?: string[];
}

export function manifestFile(pki: Pki, flagsChanged: readonly string[] = []): PkiFile {
  const manifest: Manifest = {
    preset: pki.preset.name, algorithm: pki.algorithm, cluster: pki.config, generatedAt: pki.generatedAt.toISOString(),
    ...(flagsChanged.length > 0 ? { flagsChanged: [...flagsChanged] } : {}),
  };
  return { kind: 'kubelet-config', path: `/${MANIFEST}`, contents: `${JSON.stringify(manifest, null, 2)}\n`, mode: 0o644, owner: 'kube-mtls-sim' };
}

/** Reads a folder written by `pki write` (and perhaps edited since) back into a Pki. */
export function readPkiFolder(root: string): Pki {
  let manifest: Manifest;
  const unknown = (cause: unknown) => new KubeMtlsSimError('ERR_LAYOUT_UNKNOWN', `${root}: no readable ${MANIFEST} (write the folder with \`kube-mtls-sim pki write ${root}\`)`, { file: join(root, MANIFEST), cause });
  let text: string;
  try {
    text = readInRoot(root, `/${MANIFEST}`).toString('utf8');
  } catch (cause) {
    // Missing is "not a layout"; a FIFO, a 3 GiB file or a link out of the folder keeps its own code.
    if (isKubeMtlsSimError(cause, 'ERR_FILE_NOT_FOUND')) throw unknown(cause);
    throw cause;
  }
  try {
    manifest = JSON.parse(text) as Manifest;
  } catch (cause) {
    throw unknown(cause);
  }
  if (typeof manifest !== 'object' || manifest === null || typeof manifest.preset !== 'string' || typeof manifest.algorithm !== 'string' || typeof manifest.generatedAt !== 'string') {
    throw new KubeMtlsSimError('ERR_LAYOUT_UNKNOWN', `${join(root, MANIFEST)}: not a ${MANIFEST} (needs \`preset\`, \`algorithm\`, \`cluster\` and \`generatedAt\`)`, { file: join(root, MANIFEST) });
  }
  const preset = getPreset(manifest.preset);
  const config = resolveClusterConfig(manifest.cluster);
  const layout = readLayout(root);
  // The node's files: not the manifest, nor what `serve` wrote for kubectl beside them.
  const files = exportLayout(layout).filter((f) => f.path !== `/${MANIFEST}` && !f.path.startsWith(`/${SERVE_OUTPUT}/`));
  const byPath = new Map(layout.entries.map((e) => [e.path, e] as const));
  // What readLayout read (a symlink's target's bytes included), or a fresh read that throws its typed error.
  const read = (path: string) => {
    const entry = byPath.get(path);
    return entry && !entry.problem ? entry.raw : readInRoot(root, path);
  };
  const certs = new Map<string, PkiCert>();
  for (const record of preset.certs) {
    const f = record.files;
    let chain: IssuedCert[] | undefined;
    let key: KeyMaterial | undefined;
    if (f.kind === 'pair') {
      chain = readCertificates(read(f.cert), { file: join(root, f.cert) });
      key = keyMaterial(readPrivateKey(read(f.key), { file: join(root, f.key) }).keyObject);
    } else if (f.kind === 'kubeconfig') {
      const kc = preset.kubeconfigs.find((k) => k.id === f.kubeconfig);
      if (kc) {
        const parsed = parseKubeconfig(read(kc.file).toString('utf8'), join(root, kc.file), { root });
        if (parsed.clientCert && parsed.clientKey) {
          chain = parsed.clientCert.certs;
          key = keyMaterial(parsed.clientKey.key.keyObject);
        }
      }
    } else if (f.kind === 'bundle') {
      const text = read(f.link);
      chain = readCertificates(text, { file: join(root, f.link) });
      key = keyMaterial(readPrivateKey(text, { file: join(root, f.link) }).keyObject);
    }
    if (!chain || !key) continue; // embedded in a kubeconfig, or not written: read through the kubeconfig when used
    const cert = chain[0]!;
    certs.set(record.id, { record, cert, certKey: key, key, chain: chain.slice(1), issuer: chain[1] ?? cert, issuerId: record.kind === 'leaf' ? record.ca : 'self', faults: {} });
  }
  const keyPairs = new Map(preset.keyPairs.map((k) => [k.id, keyMaterial(readPrivateKey(read(k.privateKey), { file: join(root, k.privateKey) }).keyObject)] as const));
  const tokens = new Map(layout.entries.filter((e) => e.kind === 'token').map((e) => [e.path, e.token!.trim()] as const));
  return { preset, config, algorithm: manifest.algorithm, generatedAt: new Date(manifest.generatedAt), certs, keyPairs, tokens, files };
}

