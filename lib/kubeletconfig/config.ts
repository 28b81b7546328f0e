import { parseYaml, stringifyYaml as stringify } from '../util/lazy.js';
import { KubeMtlsSimError } from '../errors.js';
import { BoundedCache } from '../util/bounded-cache.js';
import { KUBELET_CONFIG, plainYaml, readPlainYaml } from '../util/plain-yaml.js';
import { firstServiceIP } from '../pki/cluster-config.js';
import type { ClusterConfig, KubeletFilesRecord, PresetName } from '../pki/types.js';

/** The KubeletConfiguration (kubelet.config.k8s.io/v1beta1) fields the simulator reads. */
export interface KubeletConfiguration {
  apiVersion: 'kubelet.config.k8s.io/v1beta1';
  kind: 'KubeletConfiguration';
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  serverTLSBootstrap?: boolean;
  rotateCertificates?: boolean;
  authentication?: {
    anonymous?: { enabled?: boolean };
    webhook?: { enabled?: boolean; cacheTTL?: string };
    x509?: { clientCAFile?: string };
  };
  authorization?: { mode?: 'Webhook' | 'AlwaysAllow' };
  clusterDNS?: string[];
  clusterDomain?: string;
  [field: string]: unknown;
}

/** Tenth IP of the service subnet: kubeadm's cluster DNS address (10.96.0.10 by default). */
function dnsServiceIP(serviceSubnet: string): string {
  const first = firstServiceIP(serviceSubnet);
  if (first.includes(':')) return first.replace(/[0-9a-f]+$/, 'a');
  const parts = first.split('.');
  parts[3] = String(Number(parts[3]) + 9);
  return parts.join('.');
}

/**
 * The kubelet configuration file each preset writes. kubeadm's sets the client CA, disables
 * anonymous access, authorizes through the apiserver and leaves the TLS files unset (so the kubelet
 * self-signs into --cert-dir). The reference document's names the TLS files, swapped.
 */
export function buildKubeletConfiguration(preset: PresetName, files: KubeletFilesRecord, config: ClusterConfig): KubeletConfiguration {
  if (preset === 'reference') {
    return {
      apiVersion: 'kubelet.config.k8s.io/v1beta1',
      kind: 'KubeletConfiguration',
      ...(files.tlsPrivateKeyFile ? { tlsPrivateKeyFile: files.tlsPrivateKeyFile } : {}),
      ...(files.tlsCertFile ? { tlsCertFile: files.tlsCertFile } : {}),
      authentication: { x509: { clientCAFile: files.clientCAFile } },
    };
  }
  return {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    authentication: {
      anonymous: { enabled: false },
      webhook: { cacheTTL: '0s', enabled: true },
      x509: { clientCAFile: files.clientCAFile },
    },
    authorization: { mode: 'Webhook' },
    clusterDNS: [dnsServiceIP(config.serviceSubnet)],
    clusterDomain: config.dnsDomain,
    kind: 'KubeletConfiguration',
    rotateCertificates: true,
    ...(files.tlsCertFile ? { tlsCertFile: files.tlsCertFile } : {}),
    ...(files.tlsPrivateKeyFile ? { tlsPrivateKeyFile: files.tlsPrivateKeyFile } : {}),
  };
}

/**
 * Every cluster of a preset writes and reads the same one or two config files (the scenario
 * catalogue: 131 reads of 2 texts): each text is made, and parsed, once; each reader gets its own
 * copy of the parsed document. A text that fails to parse is not kept, and fails again.
 */
const written = new BoundedCache<string, string>(64);
const parsed = new BoundedCache<string, unknown>(64);

export function stringifyKubeletConfiguration(config: KubeletConfiguration): string {
  // Written directly when its shape allows (plain-yaml.ts: exactly yaml's text), so a short command need not load yaml.
  return written.getOrCreate(JSON.stringify(config), () => plainYaml(config, KUBELET_CONFIG) ?? stringify(config, { lineWidth: 0, indentSeq: false }));
}

export function parseKubeletConfiguration(text: string, file: string): KubeletConfiguration {
  const fail = (field: string, why: string): never => {
    throw new KubeMtlsSimError('ERR_KUBELET_CONFIG', `${file}: \`${field}\`: ${why}`, { file, field });
  };
  let doc: unknown;
  try {
    // logLevel: a hostile file must not make the library print Node warnings (an unresolved tag is read as a string either way).
    doc = structuredClone(parsed.getOrCreate(text, () => readPlainYaml(text, KUBELET_CONFIG) ?? parseYaml(text, { logLevel: 'error' })));
  } catch (cause) {
    throw new KubeMtlsSimError('ERR_KUBELET_CONFIG', `${file}: not valid YAML: ${(cause as Error).message.split('\n')[0]}`, { file, cause });
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return fail('(root)', 'must be a YAML mapping');
  const config = doc as Record<string, unknown>;
  // A mapping or list here has no string form worth printing (and `String()` of `{toString: 0}` throws).
  const shown = (value: unknown) => (typeof value === 'string' ? `"${value}"` : value === null || value === undefined ? 'not set' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : `${typeof value} ${String(value)}`);
  if (config.kind !== 'KubeletConfiguration') fail('kind', `is ${shown(config.kind)}, expected "KubeletConfiguration"`);
  if (config.apiVersion !== 'kubelet.config.k8s.io/v1beta1') fail('apiVersion', `is ${shown(config.apiVersion)}, expected "kubelet.config.k8s.io/v1beta1"`);
  for (const field of ['tlsCertFile', 'tlsPrivateKeyFile'] as const) {
    if (config[field] !== undefined && typeof config[field] !== 'string') fail(field, 'must be a string');
  }
  const x509 = (config.authentication as KubeletConfiguration['authentication'])?.x509;
  if (x509?.clientCAFile !== undefined && typeof x509.clientCAFile !== 'string') fail('authentication.x509.clientCAFile', 'must be a string');
  return config as KubeletConfiguration;
}

/** Fields to merge into a KubeletConfiguration, at any depth; `null` removes a field. */
type Overrides<T> = { [K in keyof T]?: (NonNullable<T[K]> extends readonly unknown[] ? T[K] : NonNullable<T[K]> extends object ? Overrides<NonNullable<T[K]>> : T[K]) | null };
export type KubeletConfigOverrides = Overrides<KubeletConfiguration>;
