import type { Clock } from '../clock.js';
import { DAY, YEAR } from '../clock.js';
import { resolveClusterConfig, resolveValue } from '../pki/cluster-config.js';
import { checkSigningCycles, normalizeFaults, type FaultEffect, type FaultMap } from '../pki/faults.js';
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
  const faults = normalizeFaults(options.faults, preset.certs);
  checkSigningCycles(preset.certs, faults);
  const source = options.keys === 'fresh' ? freshKeys : options.keys === 'pooled' || options.keys === undefined ? sharedKeyPool : options.keys;
  const namespace = options.keyNamespace ?? 'default';
  // A fault may ask for a key of another algorithm (key-algorithm on a record, issuer-key-type for an impostor CA).
  const keyFor = (slot: string, keyAlgorithm: KeyAlgorithm = algorithm) => source.get(keyAlgorithm, `${preset.name}/${slot}`, namespace);
  const issuer = new TableIssuer(preset, { config, now }, faults, keyFor, source.reusesKeys !== false);

  const [certList, keyPairList] = await Promise.all([
    Promise.all(preset.certs.map((r) => issuer.ensure(r.id))),
    Promise.all(preset.keyPairs.map(async (k) => [k.id, await keyFor(k.id)] as const)),
  ]);
  const certs = new Map(certList.map((c) => [c.record.id, c] as const));
  const keyPairs = new Map(keyPairList);
  const tokens = serviceAccountTokens(preset, keyPairs, now, config.dnsDomain);
  const partial = { preset, config, algorithm, generatedAt: now, certs, keyPairs, tokens };
  return { ...partial, files: [...layoutFiles(partial), ...issuer.extraFiles] };
}

type Signer = { cert: IssuedCert; key: KeyMaterial };

/**
 * Issues the table's certificates, each once and issuers first (a record waits for its CA's
 * promise), with each certificate's faults applied: another issuer, an impostor or intermediate
 * CA that is not in the table, a mismatched key, changed fields.
 */
class TableIssuer {
  readonly #records: Map<string, CertRecord>;
  readonly #pending = new Map<string, Promise<PkiCert>>();
  /** Files that faults add to the layout (an impostor CA's certificate). */
  readonly extraFiles: PkiFile[] = [];

  constructor(
    preset: Preset,
    private readonly context: RecordContext,
    private readonly faults: ReadonlyMap<string, FaultEffect>,
    private readonly keyFor: (slot: string, keyAlgorithm?: KeyAlgorithm) => Promise<KeyMaterial>,
    private readonly memo: boolean,
  ) {
    this.#records = new Map(preset.certs.map((r) => [r.id, r] as const));
  }

  ensure(id: string): Promise<PkiCert> {
    let cert = this.#pending.get(id);
    if (!cert) {
      cert = this.#build(this.#records.get(id)!);
      this.#pending.set(id, cert);
    }
    return cert;
  }

  #dates(validity: CertRecord['validity'], issuerNotBefore: Date | null) {
    const { now } = this.context;
    return {
      notBefore: validity.notBefore === 'issuer' && issuerNotBefore ? issuerNotBefore : new Date(now.getTime() + (validity.notBefore === 'issuer' ? 0 : validity.notBefore)),
      notAfter: new Date(now.getTime() + validity.notAfter),
    };
  }

  /** A CA that is not in the table: an impostor with the real CA's name, or an intermediate under it. */
  async #syntheticCa(slot: string, base: CaRecord, cn: string, parent: PkiCert | null, odd: { keyType?: 'rsa' | 'ecdsa'; expired?: boolean } = {}): Promise<Signer> {
    // Of the real CA's algorithm (an impostor mimics it), unless issuer-key-type asks for the other type.
    const algorithm = odd.keyType ? (odd.keyType === 'rsa' ? 'rsa-2048' : 'ecdsa-p256') : this.#keyAlgorithm(base.id);
    const key = await this.keyFor(odd.keyType ? `${slot}#${odd.keyType}` : slot, algorithm);
    const cert = await issueCertificate({
      cn, o: resolveValue(base.o, this.context), isCa: true, keyUsage: base.keyUsage, extKeyUsage: null,
      sans: parent ? [] : resolveValue(base.sans, this.context), ...this.#dates(odd.expired ? { notBefore: -YEAR - DAY, notAfter: -DAY } : base.validity, null), subjectKey: key,
      ...(parent ? { issuer: { cert: parent.cert, key: parent.certKey } } : {}), memo: this.memo,
    });
    return { cert, key };
  }

  /** Who signs `record` (null: itself), the issuer's id for the report, and what goes in the chain it presents. */
  async #signerOf(record: CertRecord, effect: FaultEffect): Promise<{ signer: Signer | null; issuerId: string; chain: IssuedCert[] }> {
    const chain: IssuedCert[] = [];
    const issuerEffect = effect.issuer ?? (record.kind === 'leaf' ? { kind: 'record' as const, id: record.ca } : { kind: 'self' as const });
    if (issuerEffect.kind === 'record') {
      const parent = await this.ensure(issuerEffect.id);
      if (parent.record.kind === 'leaf' || (record.kind === 'leaf' && record.chain)) chain.push(parent.cert);
      return { signer: { cert: parent.cert, key: parent.certKey }, issuerId: issuerEffect.id, chain };
    }
    if (issuerEffect.kind !== 'impostor' && issuerEffect.kind !== 'intermediate') return { signer: null, issuerId: 'self', chain };
    const caId = (record as Extract<CertRecord, { kind: 'leaf' }>).ca;
    const realCa = this.#records.get(caId) as CaRecord;
    if (issuerEffect.kind === 'impostor') {
      const signer = await this.#syntheticCa(`impostor:${caId}`, realCa, resolveValue(realCa.cn, this.context), null, issuerEffect.keyType ? { keyType: issuerEffect.keyType } : {});
      const issuerId = `impostor:${caId}`;
      if (issuerEffect.caFile) this.extraFiles.push({ kind: 'cert', path: issuerEffect.caFile, contents: signer.cert.pem, mode: 0o644, owner: issuerId });
      return { signer, issuerId, chain };
    }
    const parent = await this.ensure(caId);
    const signer = await this.#syntheticCa(`intermediate:${record.id}${issuerEffect.expired ? '#expired' : ''}`, realCa, `${resolveValue(realCa.cn, this.context)}-intermediate`, parent, { expired: issuerEffect.expired === true });
    if (issuerEffect.send) chain.push(signer.cert);
    return { signer, issuerId: `intermediate:${record.id}`, chain };
  }

  /** The algorithm of a record's key: the PKI's, or the one its key-algorithm fault names. */
  #keyAlgorithm(id: string): KeyAlgorithm | undefined {
    return this.faults.get(id)?.keyAlgorithm;
  }

  async #build(record: CertRecord): Promise<PkiCert> {
    const effect = this.faults.get(record.id) ?? {};
    const certKey = await this.keyFor(record.id, effect.keyAlgorithm);
    const key = effect.mismatchedKey ? await this.keyFor(`${record.id}#mismatched`, effect.keyAlgorithm) : certKey;
    const { signer, issuerId, chain } = await this.#signerOf(record, effect);
    const cert = await issueCertificate({
      cn: effect.cn ?? resolveValue(record.cn, this.context),
      o: effect.o ?? resolveValue(record.o, this.context),
      isCa: record.kind === 'ca',
      keyUsage: effect.keyUsage ?? record.keyUsage,
      extKeyUsage: effect.extKeyUsage !== undefined ? effect.extKeyUsage : record.extKeyUsage,
      sans: effect.sans ?? resolveValue(record.sans, this.context),
      ...(effect.validity ? this.#dates(effect.validity, null) : this.#dates(record.validity, signer?.cert.notBefore ?? null)),
      ...(record.serial ? { serial: record.serial } : {}),
      subjectKey: certKey,
      ...(signer ? { issuer: signer } : {}),
      ...(effect.variations ? { variations: effect.variations } : {}),
      memo: this.memo,
    });
    return { record, cert, certKey, key, chain, issuer: signer?.cert ?? cert, issuerId, faults: effect };
  }
}

/** The service-account tokens the table's token-file kubeconfigs carry, signed by the key pair they name. */
function serviceAccountTokens(preset: Preset, keyPairs: ReadonlyMap<string, KeyMaterial>, now: Date, dnsDomain: string): Map<string, string> {
  const tokens = new Map<string, string>();
  for (const kc of preset.kubeconfigs) {
    if (kc.auth.kind !== 'token-file') continue;
    tokens.set(kc.auth.tokenFile, serviceAccountToken({
      key: keyPairs.get(kc.auth.signingKey)!, namespace: kc.auth.namespace, name: kc.auth.serviceAccount, now, dnsDomain,
    }));
  }
  return tokens;
}
