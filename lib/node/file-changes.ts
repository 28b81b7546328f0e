import { parseYaml } from '../util/lazy.js';
import { KubeMtlsSimError } from '../errors.js';
import { stringifyKubeconfig } from '../kubeconfig/build.js';
import { generateKey } from '../pki/keys.js';
import { serviceAccountToken } from '../pki/token.js';
import type { Pki } from '../layout/generate.js';
import type { NodeFs } from '../fs/node-fs.js';

/** A value in a kubeconfig edit: literal, `null` to delete, or the contents of a node file. */
export type EditValue = string | number | boolean | null | { fromFile: string; encoding?: 'base64' | 'utf8' };

export type TokenChange =
  /** A ServiceAccount JWT: another account, an expired one (`issuedAgoMs` beyond `lifetimeMs`), or one signed by a key the apiserver does not know. */
  | { serviceAccount: string; namespace: string; lifetimeMs?: number; issuedAgoMs?: number; signingKey?: 'cluster' | 'foreign' }
  /** A bootstrap token string (`abcdef.0123456789abcdef`). */
  | { bootstrapToken: string };

/** Changes to the node's files, applied after generation, in this order. */
export interface FileChanges {
  /** Contents, or `null` to delete. */
  files?: Readonly<Record<string, string | Buffer | null>>;
  /** New files made by concatenating node files (a CA bundle holding old and new CA during a rotation). */
  bundles?: Readonly<Record<string, readonly string[]>>;
  /** Edits of kubeconfig YAML by dotted path (`users.0.user.client-certificate-data`). */
  kubeconfigEdits?: Readonly<Record<string, Readonly<Record<string, EditValue>>>>;
  /** Token files to replace. */
  tokens?: Readonly<Record<string, TokenChange>>;
}

export async function applyFileChanges(fs: NodeFs, changes: FileChanges, pki: Pki | undefined, now: Date): Promise<void> {
  for (const [path, contents] of Object.entries(changes.files ?? {})) {
    if (contents === null) fs.remove(path);
    else fs.write(path, contents);
  }
  for (const [path, parts] of Object.entries(changes.bundles ?? {})) {
    fs.write(path, Buffer.concat(parts.map((part) => fs.read(part, `bundle ${path}`))));
  }
  for (const [file, edits] of Object.entries(changes.kubeconfigEdits ?? {})) {
    const doc = parseYaml(fs.read(file, 'kubeconfigEdits').toString('utf8')) as Record<string, unknown>;
    for (const [dotted, value] of Object.entries(edits)) setPath(doc, dotted, resolveValue(fs, value), file);
    fs.write(file, stringifyKubeconfig(doc));
  }
  const signingKey = pki?.keyPairs.values().next().value;
  for (const [path, change] of Object.entries(changes.tokens ?? {})) {
    if (!pki) throw new KubeMtlsSimError('ERR_USAGE', `tokens.${path}: token changes need a generated PKI (its signing key), not a node folder`, { field: `tokens.${path}` });
    if ('bootstrapToken' in change) {
      fs.write(path, change.bootstrapToken);
      continue;
    }
    const key = change.signingKey === 'foreign' ? await generateKey(pki.algorithm) : signingKey;
    if (!key) throw new KubeMtlsSimError('ERR_FAULT_INVALID', `tokens.${path}: the preset has no ServiceAccount signing key`, { field: `tokens.${path}` });
    fs.write(path, serviceAccountToken({
      key, namespace: change.namespace, name: change.serviceAccount, dnsDomain: pki.config.dnsDomain,
      now: new Date(now.getTime() - (change.issuedAgoMs ?? 0)),
      ...(change.lifetimeMs !== undefined ? { lifetimeMs: change.lifetimeMs } : {}),
    }));
  }
}

function resolveValue(fs: NodeFs, value: EditValue): unknown {
  if (value === null || typeof value !== 'object') return value;
  const bytes = fs.read(value.fromFile, 'kubeconfigEdits');
  return value.encoding === 'utf8' ? bytes.toString('utf8') : bytes.toString('base64');
}

function setPath(doc: Record<string, unknown>, dotted: string, value: unknown, file: string): void {
  const keys = dotted.split('.');
  let node: Record<string, unknown> = doc;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) {
      throw new KubeMtlsSimError('ERR_KUBECONFIG_FIELD', `${file}: cannot edit \`${dotted}\`: \`${key}\` is not there`, { file, field: dotted });
    }
    node = next as Record<string, unknown>;
  }
  const last = keys.at(-1)!;
  if (value === null) delete node[last];
  else node[last] = value;
}
