import { dirname, posix } from 'node:path';
import { parseYaml } from '../util/lazy.js';
import { BoundedCache } from '../util/bounded-cache.js';
import { readPlainYaml } from '../util/plain-yaml.js';
import { KubeMtlsSimError } from '../errors.js';
import { nodePath, readDiskPathInRoot, readFileTyped } from '../fs/read.js';
import type { IssuedCert } from '../pki/issue.js';
import { checkKeyPair, readCertificates, readPrivateKey, type ReadKey, type Source } from '../pki/pem.js';
import { clientGoRoots, requireGoParsableLeaf } from '../x509/go-load.js';
import type { Kubeconfig, KubeconfigCluster, KubeconfigUser } from './types.js';

/** client-go's names in its validation messages. */
const GO_NAMES: Record<string, string> = {
  'certificate-authority-data': 'certificate-authority',
  'client-certificate-data': 'client-cert',
  'client-key-data': 'client-key',
};

export interface ResolvedKubeconfig {
  file: string;
  /** The document as parsed (for re-serialising). */
  document: Kubeconfig;
  contextName: string;
  clusterName: string;
  userName: string;
  server: string;
  tlsServerName?: string;
  insecureSkipTLSVerify: boolean;
  /** CA bundle the client trusts, and where it came from. */
  ca?: { certs: IssuedCert[]; source: Source };
  clientCert?: { certs: IssuedCert[]; source: Source };
  clientKey?: { key: ReadKey; source: Source };
  token?: { value: string; source: Source };
}

export interface ReadKubeconfigOptions {
  /** Where absolute paths in the file live (a node's filesystem laid out in a folder). */
  root?: string;
  /** Reads a referenced file (already resolved against the kubeconfig's folder); defaults to the disk, under `root`. */
  readFile?: (path: string, referredBy: { field: string; file: string }) => Buffer;
  /** Use this context instead of `current-context`. */
  context?: string;
}

export function readKubeconfigFile(file: string, options: ReadKubeconfigOptions = {}): ResolvedKubeconfig {
  return parseKubeconfig(readFileTyped(file).toString('utf8'), file, options);
}

/** Parses a kubeconfig and loads everything its current context refers to, as client-go would. */
export function parseKubeconfig(text: string, file: string, options: ReadKubeconfigOptions = {}): ResolvedKubeconfig {
  const fail = failIn(file);
  const doc = decodeDocument(text, file, fail);
  // client-go decodes the whole file before it picks a context: a wrongly typed flag in any cluster fails the load.
  const insecureFlags = insecureSkipTLSVerify(text, doc, (index, value) => {
    const kind = Array.isArray(value) ? 'array' : typeof value;
    return fail('ERR_KUBECONFIG_FIELD', `clusters[${index}].cluster.insecure-skip-tls-verify`,
      `must be true or false, not ${kind === 'string' ? `the string ${JSON.stringify(value)}` : `a ${kind}`}`,
      `error loading config file "${file}": json: cannot unmarshal ${kind} into Go struct field Cluster.clusters.cluster.insecure-skip-tls-verify of type bool`);
  });
  const contextName = options.context ?? doc['current-context'];
  if (!contextName) return fail('ERR_KUBECONFIG_FIELD', 'current-context', 'is not set', 'error: current-context is not set');
  const selected = selectContext(doc, contextName, fail);
  const { cluster, clusterName, cf, userName, uf } = selected;
  if (typeof cluster.server !== 'string' || cluster.server === '') fail('ERR_KUBECONFIG_FIELD', `${cf}.server`, 'is not set', 'error: no server found for cluster');
  const refs = referenceReader(file, options, fail);
  const insecure = insecureFlags[selected.clusterIndex] ?? false;
  const result: ResolvedKubeconfig = {
    file, document: doc as Kubeconfig, contextName, clusterName, userName, server: cluster.server,
    insecureSkipTLSVerify: insecure,
    ...(cluster['tls-server-name'] ? { tlsServerName: cluster['tls-server-name'] } : {}),
  };
  const ca = loadCertificateAuthority(refs, selected, insecure);
  if (ca) result.ca = ca;
  loadClientCertificate(refs, selected, result);
  const token = loadToken(refs, selected);
  if (token) result.token = token;
  return result;
}

type KubeconfigErrorCode = 'ERR_KUBECONFIG_YAML' | 'ERR_KUBECONFIG_FIELD' | 'ERR_KUBECONFIG_REF' | 'ERR_KUBECONFIG_BASE64' | 'ERR_KUBECONFIG_CONFLICT' | 'ERR_KUBECONFIG_INSECURE_CA';
type Fail = (code: KubeconfigErrorCode, field: string, message: string, goMessage?: string) => never;

/** Every refusal names the file and the field, and carries client-go's own message when it has one. */
function failIn(file: string): Fail {
  return (code, field, message, goMessage) => {
    throw new KubeMtlsSimError(code, `${file}: \`${field}\`: ${message}`, { file, field, ...(goMessage ? { goMessage } : {}) });
  };
}

// Names are strings in client-go's structs: anything else fails its decoding, and would not print here.
const notString = (value: unknown) => value !== undefined && value !== null && typeof value !== 'string';
const goType = (value: unknown) => (Array.isArray(value) ? 'array' : typeof value === 'object' ? 'object' : typeof value);

/**
 * A node's kubeconfigs are read by its loading, the static checks, the layout and each client at
 * its dial (a `check DIR` parsed each of them four times): the YAML of one text is parsed once, and
 * each reader gets its own copy. A text that fails to parse is not kept, and fails again.
 */
const parsedYaml = new BoundedCache<string, unknown>(64);

/** The YAML document, checked as far as client-go's decoding of the top level (a mapping; lists are lists; current-context a string). */
function decodeDocument(text: string, file: string, fail: Fail): Partial<Kubeconfig> {
  let document: unknown;
  try {
    // logLevel: a hostile file must not make the library print Node warnings (an unresolved tag is read as a string either way).
    // A kubeconfig as this package writes it is read back directly (lib/util/plain-yaml.ts): the same value, without yaml's parser.
    document = structuredClone(parsedYaml.getOrCreate(text, () => readPlainYaml(text) ?? parseYaml(text, { logLevel: 'error' })));
  } catch (cause) {
    throw new KubeMtlsSimError('ERR_KUBECONFIG_YAML', `${file}: not valid YAML: ${(cause as Error).message.split('\n')[0]}`, { file, cause });
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return fail('ERR_KUBECONFIG_YAML', '(root)', 'a kubeconfig must be a YAML mapping');
  }
  const doc = document as Partial<Kubeconfig>;
  for (const list of ['clusters', 'users', 'contexts'] as const) {
    if (doc[list] !== undefined && !Array.isArray(doc[list])) fail('ERR_KUBECONFIG_FIELD', list, 'must be a list');
  }
  if (notString(doc['current-context'])) {
    fail('ERR_KUBECONFIG_FIELD', 'current-context', `must be a string, not ${goType(doc['current-context'])}`, `json: cannot unmarshal ${goType(doc['current-context'])} into Go struct field Config.current-context of type string`);
  }
  return doc;
}

/** The context's cluster and user entries, with the field paths errors name them by (`clusters[1].cluster`). */
interface SelectedContext {
  cluster: KubeconfigCluster;
  clusterName: string;
  clusterIndex: number;
  cf: string;
  user: KubeconfigUser;
  userName: string;
  uf: string;
}

/** Looks up the context, then its cluster, then its user, in client-go's order of complaint. */
function selectContext(doc: Partial<Kubeconfig>, contextName: string, fail: Fail): SelectedContext {
  const find = <T extends { name: string }>(list: 'clusters' | 'users' | 'contexts', name: string): [T, number] | undefined => {
    const items = (doc[list] ?? []) as unknown as T[];
    // A `null` or scalar list item is no entry (it would otherwise match a context that names no cluster or user).
    const index = items.findIndex((i) => typeof i === 'object' && i !== null && i.name === name);
    return index < 0 ? undefined : [items[index]!, index];
  };
  const ctx = find<{ name: string; context: { cluster: string; user: string } }>('contexts', contextName);
  if (!ctx) return fail('ERR_KUBECONFIG_REF', 'current-context', `context "${contextName}" is not defined in \`contexts\``, `error: context was not found for specified context: ${contextName}`);
  const [context, ci] = ctx;
  for (const ref of ['cluster', 'user'] as const) {
    const value = (context.context as Record<string, unknown> | undefined)?.[ref];
    if (notString(value)) {
      fail('ERR_KUBECONFIG_FIELD', `contexts[${ci}].context.${ref}`, `must be a string, not ${goType(value)}`, `json: cannot unmarshal ${goType(value)} into Go struct field Context.contexts.context.${ref} of type string`);
    }
  }
  const clusterEntry = find<{ name: string; cluster: KubeconfigCluster }>('clusters', context.context?.cluster);
  if (!clusterEntry) return fail('ERR_KUBECONFIG_REF', `contexts[${ci}].context.cluster`, `cluster "${context.context?.cluster}" is not defined in \`clusters\``, `error: cluster "${context.context?.cluster}" not found`);
  const userEntry = find<{ name: string; user: KubeconfigUser }>('users', context.context?.user);
  if (!userEntry) return fail('ERR_KUBECONFIG_REF', `contexts[${ci}].context.user`, `user "${context.context?.user}" is not defined in \`users\``);
  // client-go reads an empty `cluster:`/`user:` (YAML null) as an empty struct.
  const [{ name: clusterName }, cli] = clusterEntry;
  const [{ name: userName }, ui] = userEntry;
  return {
    cluster: (clusterEntry[0].cluster ?? {}) as KubeconfigCluster, clusterName, clusterIndex: cli, cf: `clusters[${cli}].cluster`,
    user: (userEntry[0].user ?? {}) as KubeconfigUser, userName, uf: `users[${ui}].user`,
  };
}

/** How referenced files are found and read: relative to the kubeconfig's folder, and under a node folder only inside it. */
interface References {
  file: string;
  fail: Fail;
  resolvePath: (path: string) => string;
  read: (path: string, referredBy: { field: string; file: string }) => Buffer;
}

function referenceReader(file: string, options: ReadKubeconfigOptions, fail: Fail): References {
  const base = dirname(file);
  const resolvePath = (path: string) => (options.readFile ? (path.startsWith('/') ? path : posix.join(base, path)) : nodePath(path, { base, ...(options.root ? { root: options.root } : {}) }));
  // Under a node folder, a referenced file (and any symlink on its way) is read only inside it.
  const read = (path: string, referredBy: { field: string; file: string }) => (options.readFile
    ? options.readFile(path, referredBy)
    : options.root ? readDiskPathInRoot(options.root, path, referredBy) : readFileTyped(path, referredBy));
  return { file, fail, resolvePath, read };
}

/** `*-data` (base64) or a path; both set is client-go's validation error. */
function material(refs: References, dataKey: string, pathKey: string, section: string, owner: string, entry: Record<string, unknown>): { bytes: Buffer; source: Source } | undefined {
  const { file, fail } = refs;
  const data = entry[dataKey];
  const path = entry[pathKey];
  for (const [key, value] of [[dataKey, data], [pathKey, path]] as const) {
    if (value !== undefined && value !== null && typeof value !== 'string') {
      fail('ERR_KUBECONFIG_FIELD', `${section}.${key}`, `must be a string, not ${typeof value}`, `json: cannot unmarshal ${typeof value} into Go value of type ${key.endsWith('-data') ? '[]uint8' : 'string'}`);
    }
  }
  if (data !== undefined && path !== undefined && data !== '' && path !== '') {
    const go = GO_NAMES[dataKey] ?? dataKey;
    fail('ERR_KUBECONFIG_CONFLICT', `${section}.${dataKey}`, `both \`${dataKey}\` and \`${pathKey}\` are set`,
      `${go}-data and ${go} are both specified for ${owner}. ${go}-data will override.`);
  }
  if (typeof data === 'string' && data !== '') {
    const compact = data.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) {
      // Go's encoding/base64 reports the first illegal byte, or the start of an incomplete final quantum.
      const bad = compact.search(/[^A-Za-z0-9+/=]|=[^=]/);
      const offset = bad >= 0 ? bad : compact.length - (compact.length % 4);
      fail('ERR_KUBECONFIG_BASE64', `${section}.${dataKey}`, 'is not valid base64', `illegal base64 data at input byte ${offset}`);
    }
    return { bytes: Buffer.from(compact, 'base64'), source: { file, field: `${section}.${dataKey}` } as Source };
  }
  if (typeof path === 'string' && path !== '') {
    const resolved = refs.resolvePath(path);
    return { bytes: refs.read(resolved, { field: `${section}.${pathKey}`, file }), source: { file: resolved, field: `${section}.${pathKey}` } as Source };
  }
  return undefined;
}

/** The CA bundle the client trusts. */
function loadCertificateAuthority(refs: References, { cluster, clusterName, cf }: SelectedContext, insecure: boolean): ResolvedKubeconfig['ca'] {
  const ca = material(refs, 'certificate-authority-data', 'certificate-authority', cf, clusterName, cluster as unknown as Record<string, unknown>);
  // client-go's transport refuses the pair before it looks at the CA's contents (a missing file is reported first, when it is read).
  if (ca && insecure) {
    refs.fail('ERR_KUBECONFIG_INSECURE_CA', `${cf}.insecure-skip-tls-verify`, `is true while \`${ca.source.field}\` is set: client-go refuses a root certificate together with the insecure flag`,
      'specifying a root certificates file with the insecure flag is not allowed');
  }
  return ca ? { certs: clientGoRoots(readCertificates(ca.bytes, ca.source), ca.source), source: ca.source } : undefined;
}

/** The client certificate and key: both or neither, and a matching pair (client-go's clientCert authentication method). */
function loadClientCertificate(refs: References, { user, userName, uf }: SelectedContext, result: ResolvedKubeconfig): void {
  const { fail } = refs;
  const cert = material(refs, 'client-certificate-data', 'client-certificate', uf, userName, user as unknown as Record<string, unknown>);
  const key = material(refs, 'client-key-data', 'client-key', uf, userName, user as unknown as Record<string, unknown>);
  if (cert && !key) fail('ERR_KUBECONFIG_FIELD', `${uf}.client-key-data`, 'a client certificate is set but no client key',
    `client-key-data or client-key must be specified for ${userName} to use the clientCert authentication method.`);
  if (key && !cert) fail('ERR_KUBECONFIG_FIELD', `${uf}.client-certificate-data`, 'a client key is set but no client certificate',
    `client-cert-data or client-cert must be specified for ${userName} to use the clientCert authentication method.`);
  if (cert && key) {
    const certs = readCertificates(cert.bytes, cert.source);
    const readKey = readPrivateKey(key.bytes, key.source);
    requireGoParsableLeaf(certs, cert.source);
    checkKeyPair(certs[0]!, readKey.keyObject, cert.source, key.source);
    result.clientCert = { certs, source: cert.source };
    result.clientKey = { key: readKey, source: key.source };
  }
}

/** A bearer token, inline (`token`, which wins) or from `tokenFile`. */
function loadToken(refs: References, { user, uf }: SelectedContext): ResolvedKubeconfig['token'] {
  const { file, fail } = refs;
  for (const key of ['token', 'tokenFile'] as const) {
    if (user[key] !== undefined && user[key] !== null && typeof user[key] !== 'string') fail('ERR_KUBECONFIG_FIELD', `${uf}.${key}`, `must be a string, not ${typeof user[key]}`);
  }
  if (typeof user.token === 'string' && user.token !== '') {
    return { value: user.token, source: { file, field: `${uf}.token` } };
  }
  if (typeof user.tokenFile === 'string' && user.tokenFile !== '') {
    const path = refs.resolvePath(user.tokenFile);
    const value = refs.read(path, { field: `${uf}.tokenFile`, file }).toString('utf8').trim();
    if (value === '') fail('ERR_KUBECONFIG_FIELD', `${uf}.tokenFile`, `${path} is empty`);
    return { value, source: { file: path, field: `${uf}.tokenFile` } };
  }
  return undefined;
}

/**
 * `insecure-skip-tls-verify` of each cluster entry, as client-go decodes it: sigs.k8s.io/yaml reads
 * YAML 1.1, where a plain `yes`/`on`/`y` is a boolean too, then decodes JSON strictly into a bool:
 * a quoted "true" or a number is a load error, not a silent false. `null` (or no field) is false.
 */
function insecureSkipTLSVerify(text: string, doc: Partial<Kubeconfig>, wrongType: (index: number, value: unknown) => never): boolean[] {
  let yaml11: Partial<Kubeconfig> | undefined;
  return (doc.clusters ?? []).map((entry, index) => {
    const value = (entry?.cluster as Partial<KubeconfigCluster> | null | undefined)?.['insecure-skip-tls-verify'] as unknown;
    if (value === undefined || value === null) return false;
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string') {
      // Read again as YAML 1.1 to tell a plain `yes` (a boolean to Go) from a quoted "true" (a string).
      yaml11 ??= parseYaml(text, { version: '1.1' }) as Partial<Kubeconfig>;
      const asGo = yaml11.clusters?.[index]?.cluster?.['insecure-skip-tls-verify'] as unknown;
      if (typeof asGo === 'boolean') return asGo;
    }
    return wrongType(index, value);
  });
}
