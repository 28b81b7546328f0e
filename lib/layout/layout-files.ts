import { buildKubeconfig, stringifyKubeconfig } from '../kubeconfig/build.js';
import type { KubeconfigUser } from '../kubeconfig/types.js';
import { buildKubeletConfiguration, stringifyKubeletConfiguration } from '../kubeletconfig/config.js';
import { resolveValue } from '../pki/cluster-config.js';
import type { Pki } from './types.js';
import type { RecordContext } from '../pki/types.js';

import type { PkiFile } from '../fs/node-fs.js';

// The file types live with the node's file system, which sits below the layout; re-exported for the layout's readers.
export type { FileKind, PkiFile } from '../fs/node-fs.js';

const PRIVATE = 0o600;
const PUBLIC = 0o644;

/** `2006-01-02-15-04-05`, the kubelet certificate store's file-name timestamp (UTC here). */
export function storeTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace(/[T:]/g, '-');
}

const b64 = (text: string) => Buffer.from(text).toString('base64');

/** Every file of a generated PKI at its real path on the node, with the mode kubeadm/the kubelet give it. */
export function layoutFiles(pki: Omit<Pki, 'files'>): PkiFile[] {
  const files: PkiFile[] = [];
  const context: RecordContext = { config: pki.config, now: pki.generatedAt };
  const certText = (id: string) => {
    const c = pki.certs.get(id)!;
    return [c.cert.pem, ...c.chain.map((x) => x.pem)].join('');
  };
  for (const c of pki.certs.values()) {
    const { record } = c;
    const certPem = certText(record.id);
    if (record.files.kind === 'pair') {
      const swapped = c.faults.swappedFiles === true;
      files.push({ kind: 'cert', path: record.files.cert, contents: swapped ? c.key.pem : certPem, mode: swapped ? PRIVATE : PUBLIC, owner: record.id });
      files.push({ kind: 'key', path: record.files.key, contents: swapped ? certPem : c.key.pem, mode: PRIVATE, owner: record.id });
    } else if (record.files.kind === 'bundle') {
      const path = record.files.file.replace('{timestamp}', storeTimestamp(pki.generatedAt));
      files.push({ kind: 'cert-and-key', path, contents: certPem + c.key.pem, mode: PRIVATE, owner: record.id });
      files.push({ kind: 'symlink', path: record.files.link, target: path.slice(path.lastIndexOf('/') + 1), owner: record.id });
    }
    if (record.kind === 'ca') {
      for (const copy of record.copies) files.push({ kind: 'cert', path: copy, contents: certPem, mode: PUBLIC, owner: record.id });
    }
  }
  for (const pair of pki.preset.keyPairs) {
    const key = pki.keyPairs.get(pair.id)!;
    files.push({ kind: 'key', path: pair.privateKey, contents: key.pem, mode: PRIVATE, owner: pair.id });
    files.push({ kind: 'public-key', path: pair.publicKey, contents: key.publicPem, mode: PUBLIC, owner: pair.id });
  }
  for (const kc of pki.preset.kubeconfigs) {
    const auth = kc.auth;
    let user: KubeconfigUser;
    if (auth.kind === 'client-cert-data') {
      const c = pki.certs.get(auth.cert)!;
      const swapped = c.faults.swappedFiles === true;
      user = { 'client-certificate-data': b64(swapped ? c.key.pem : certText(auth.cert)), 'client-key-data': b64(swapped ? certText(auth.cert) : c.key.pem) };
    } else if (auth.kind === 'client-cert-file') {
      user = { 'client-certificate': auth.path, 'client-key': auth.path };
    } else {
      user = { tokenFile: auth.tokenFile };
      files.push({ kind: 'token', path: auth.tokenFile, contents: pki.tokens.get(auth.tokenFile)!, mode: PRIVATE, owner: kc.id });
    }
    const ca = pki.certs.get(kc.ca)!;
    const document = buildKubeconfig({
      clusterName: kc.clusterName,
      cluster: {
        server: resolveValue(kc.server, context),
        ...(kc.caFile ? { 'certificate-authority': kc.caFile } : { 'certificate-authority-data': b64(ca.cert.pem) }),
      },
      userName: resolveValue(kc.userName, context),
      user,
      contextName: resolveValue(kc.contextName, context),
    });
    files.push({ kind: 'kubeconfig', path: kc.file, contents: stringifyKubeconfig(document), mode: PRIVATE, owner: kc.id });
  }
  const kubelet = buildKubeletConfiguration(pki.preset.name, pki.preset.kubelet, pki.config);
  files.push({ kind: 'kubelet-config', path: pki.preset.kubelet.configFile, contents: stringifyKubeletConfiguration(kubelet), mode: PUBLIC, owner: 'kubelet' });
  return files;
}
