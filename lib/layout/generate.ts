import type { Clock } from '../clock.js';
import { resolveClusterConfig, resolveValue } from '../pki/cluster-config.js';
import { checkSigningCycles, normalizeFaults, type FaultMap } from '../pki/faults.js';
import { issueCertificate, type IssuedCert } from '../pki/issue.js';
import { freshKeys, parseKeyAlgorithm, sharedKeyPool, type KeyMaterial, type KeySource } from '../pki/keys.js';
import { layoutFiles, type PkiFile } from './layout-files.js';
import { getPreset } from '../pki/presets/index.js';
import { checkTable } from '../pki/table-check.js';
import { serviceAccountToken } from '../pki/token.js';
import type { CaRecord, CertRecord, ClusterConfig, KeyAlgorithm, Preset, PresetName, RecordContext } from '../pki/types.js';
import type { Pki, PkiCert } from './types.js';

export interface GeneratePkiOptions {
  /** Which table to generate. @default 'kubeadm' */
  preset?: PresetName | Preset;
  /** Key algorithm for every key. @default 'ecdsa-p256' (kubeadm's default is 'rsa-2048'; ECDSA is ~1000× faster to generate) */
  algorithm?: KeyAlgorithm;
  /** Source of the generation time: every date is relative to it. Required: nothing reads the wall clock. */
  clock: Clock;
  /** Node name, addresses, SANs. @default DEFAULT_CLUSTER_CONFIG */
  cluster?: Partial<ClusterConfig>;
  /** Faults per certificate id, e.g. `{ 'kubelet-client': { kind: 'signed-by', issuer: 'etcd-ca' } }`. */
  faults?: FaultMap;
  /**
   * `'pooled'` (default) reuses keys per (namespace, algorithm, certificate) within the process,
   * as kubeadm reuses existing key files; `'fresh'` makes new ones; or pass your own `KeySource`.
   */
  keys?: 'pooled' | 'fresh' | KeySource;
  /** Separates pooled keys: two PKIs with different namespaces share no key (and so no trust). @default 'default' */
  keyNamespace?: string;
}

// Pki and PkiCert live in types.ts: layout-files.ts renders a Pki and generate.ts calls it.
export type { Pki, PkiCert } from './types.js';

export async function generatePki(options: GeneratePkiOptions): Promise<Pki> {
  const preset = typeof options.preset === 'object' ? options.preset : getPreset(options.preset ?? 'kubeadm');
  checkTable(preset);
  const algorithm = parseKeyAlgorithm(options.algorithm ?? 'ecdsa-p256');
  const config = resolveClusterConfig(options.cluster);
  const now = options.clock.now();
  const context: RecordContext = { config, now };
  const faults = normalizeFaults(options.faults, preset.certs);
  checkSigningCycles(preset.certs, faults);
  const source = options.keys === 'fresh' ? freshKeys : options.keys === 'pooled' || options.keys === undefined ? sharedKeyPool : options.keys;
  const namespace = options.keyNamespace ?? 'default';
  const memo = source.reusesKeys !== false;
  const keyFor = (slot: string) => source.get(algorithm, `${preset.name}/${slot}`, namespace);
  const records = new Map(preset.certs.map((r) => [r.id, r] as const));
  const pending = new Map<string, Promise<PkiCert>>();
  /** Files that faults add to the layout (an impostor CA's certificate). */
  const extraFiles: PkiFile[] = [];

  const ensure = (id: string): Promise<PkiCert> => {
    let cert = pending.get(id);
    if (!cert) {
      cert = build(records.get(id)!);
      pending.set(id, cert);
    }
    return cert;
  };

  const dates = (validity: CertRecord['validity'], issuerNotBefore: Date | null) => ({
    notBefore: validity.notBefore === 'issuer' && issuerNotBefore ? issuerNotBefore : new Date(now.getTime() + (validity.notBefore === 'issuer' ? 0 : validity.notBefore)),
    notAfter: new Date(now.getTime() + validity.notAfter),
  });

  /** A CA that is not in the table: an impostor with the real CA's name, or an intermediate under it. */
  const syntheticCa = async (slot: string, base: CaRecord, cn: string, parent: PkiCert | null): Promise<{ cert: IssuedCert; key: KeyMaterial }> => {
    const key = await keyFor(slot);
    const cert = await issueCertificate({
      cn, o: resolveValue(base.o, context), isCa: true, keyUsage: base.keyUsage, extKeyUsage: null,
      sans: parent ? [] : resolveValue(base.sans, context), ...dates(base.validity, null), subjectKey: key,
      ...(parent ? { issuer: { cert: parent.cert, key: parent.certKey } } : {}), memo,
    });
    return { cert, key };
  };

  async function build(record: CertRecord): Promise<PkiCert> {
    const effect = faults.get(record.id) ?? {};
    const certKey = await keyFor(record.id);
    const key = effect.mismatchedKey ? await keyFor(`${record.id}#mismatched`) : certKey;
    let signer: { cert: IssuedCert; key: KeyMaterial } | null = null;
    let issuerId = 'self';
    const chain: IssuedCert[] = [];
    const issuerEffect = effect.issuer ?? (record.kind === 'leaf' ? { kind: 'record' as const, id: record.ca } : { kind: 'self' as const });
    if (issuerEffect.kind === 'record') {
      const parent = await ensure(issuerEffect.id);
      signer = { cert: parent.cert, key: parent.certKey };
      issuerId = issuerEffect.id;
      if (parent.record.kind === 'leaf' || (record.kind === 'leaf' && record.chain)) chain.push(parent.cert);
    } else if (issuerEffect.kind === 'impostor' || issuerEffect.kind === 'intermediate') {
      const caId = (record as Extract<CertRecord, { kind: 'leaf' }>).ca;
      const realCa = records.get(caId) as CaRecord;
      if (issuerEffect.kind === 'impostor') {
        signer = await syntheticCa(`impostor:${caId}`, realCa, resolveValue(realCa.cn, context), null);
        issuerId = `impostor:${caId}`;
        if (issuerEffect.caFile) extraFiles.push({ kind: 'cert', path: issuerEffect.caFile, contents: signer.cert.pem, mode: 0o644, owner: issuerId });
      } else {
        const parent = await ensure(caId);
        signer = await syntheticCa(`intermediate:${record.id}`, realCa, `${resolveValue(realCa.cn, context)}-intermediate`, parent);
        issuerId = `intermediate:${record.id}`;
        if (issuerEffect.send) chain.push(signer.cert);
      }
    }
    const cert = await issueCertificate({
      cn: effect.cn ?? resolveValue(record.cn, context),
      o: effect.o ?? resolveValue(record.o, context),
      isCa: record.kind === 'ca',
      keyUsage: effect.keyUsage ?? record.keyUsage,
      extKeyUsage: effect.extKeyUsage !== undefined ? effect.extKeyUsage : record.extKeyUsage,
      sans: effect.sans ?? resolveValue(record.sans, context),
      ...(effect.validity ? dates(effect.validity, null) : dates(record.validity, signer?.cert.notBefore ?? null)),
      ...(record.serial ? { serial: record.serial } : {}),
      subjectKey: certKey,
      ...(signer ? { issuer: signer } : {}),
      memo,
    });
    return { record, cert, certKey, key, chain, issuer: signer?.cert ?? cert, issuerId, faults: effect };
  }

  const [certList, keyPairList] = await Promise.all([
    Promise.all(preset.certs.map((r) => ensure(r.id))),
    Promise.all(preset.keyPairs.map(async (k) => [k.id, await keyFor(k.id)] as const)),
  ]);
  const certs = new Map(certList.map((c) => [c.record.id, c] as const));
  const keyPairs = new Map(keyPairList);
  const tokens = new Map<string, string>();
  for (const kc of preset.kubeconfigs) {
    if (kc.auth.kind !== 'token-file') continue;
    tokens.set(kc.auth.tokenFile, serviceAccountToken({
      key: keyPairs.get(kc.auth.signingKey)!, namespace: kc.auth.namespace, name: kc.auth.serviceAccount, now, dnsDomain: config.dnsDomain,
    }));
  }
  const partial = { preset, config, algorithm, generatedAt: now, certs, keyPairs, tokens };
  return { ...partial, files: [...layoutFiles(partial), ...extraFiles] };
}
