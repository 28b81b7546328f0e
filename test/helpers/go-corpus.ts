import type { IssuedCert } from '../../lib/pki/issue.js';
import type { GoKeyUsage } from '../../lib/x509/go-verify.js';
import { forge, forgeKey, forgeName, type ForgeKey, type ForgeKeyType, type ForgeSpec, type Forged, type NameEncoding } from './forge.js';

/**
 * The differential corpus: structural variations (chain shapes, names, constraints, extensions,
 * signatures, usages, validity) crossed with key types, name encodings and verification times.
 * Each case is what a peer would present and what the verifier trusts; test/go-diff.test.ts runs
 * every case through goVerify and through Go's own crypto/x509 (test/go/verify.go).
 */

export interface CorpusCase {
  id: string;
  leaf: IssuedCert;
  intermediates: IssuedCert[];
  roots: IssuedCert[];
  now: Date;
  dnsName: string;
  keyUsages: GoKeyUsage[];
}

const T = Date.parse('2026-01-01T00:00:00Z');
const YEAR = 365 * 86_400_000;
const at = (years: number) => new Date(T + years * YEAR);
/** Verification times: every certificate valid; then intermediates (valid 5 years) expired, roots and leaves (7 years) not. */
export const CORPUS_TIMES = [at(0), at(6)];
export const KEY_TYPES: ForgeKeyType[] = ['p256', 'p384', 'rsa2048', 'ed25519'];
export const ENCODINGS: NameEncoding[] = ['printable', 'utf8'];

const CERT_SIGN = 32 | 64 | 1; // certSign | cRLSign | digitalSignature, in Go's KeyUsage numbering
const other = (e: NameEncoding): NameEncoding => (e === 'printable' ? 'utf8' : 'printable');
const otherType = (k: ForgeKeyType): ForgeKeyType => (k === 'rsa2048' ? 'p256' : 'rsa2048');

interface Keys { root: ForgeKey; inter: ForgeKey; inter2: ForgeKey; leaf: ForgeKey; impostor: ForgeKey; foreign: ForgeKey }

function keysFor(type: ForgeKeyType, pool: Map<ForgeKeyType, ForgeKey[]>): Keys {
  const take = (t: ForgeKeyType, i: number) => {
    const list = pool.get(t) ?? [];
    pool.set(t, list);
    while (list.length <= i) list.push(forgeKey(t));
    return list[i]!;
  };
  return { root: take(type, 0), inter: take(type, 1), inter2: take(type, 2), leaf: take(type, 3), impostor: take(type, 4), foreign: take(otherType(type), 5) };
}

type Shape = { leaf: Forged; intermediates?: Forged[]; roots: Forged[]; dnsName?: string; keyUsages?: GoKeyUsage[] };

/** Every structural variation for one key type and one name encoding. */
function shapes(k: Keys, e: NameEncoding, keyType: ForgeKeyType): Record<string, () => Shape> {
  const name = (cn: string) => forgeName(cn, e, 'Corpus Org');
  const ca = (cn: string, key: ForgeKey, issuer?: Forged, extra: Partial<ForgeSpec> = {}) =>
    forge({ subject: name(cn), key, issuer: issuer && { cert: issuer }, notBefore: at(-1), notAfter: issuer ? at(5) : at(10), ca: true, keyUsage: CERT_SIGN, ...extra });
  const leafSpec = (issuer: Forged | undefined, extra: Partial<ForgeSpec> = {}): ForgeSpec =>
    ({ subject: name('api'), key: k.leaf, issuer: issuer && { cert: issuer }, notBefore: at(-0.01), notAfter: at(7), ca: false, keyUsage: 1, eku: ['serverAuth', 'clientAuth'], dns: ['api.example.com'], ips: ['10.0.0.1'], ...extra });
  const leafOf = (issuer: Forged | undefined, extra: Partial<ForgeSpec> = {}) => forge(leafSpec(issuer, extra));
  const root = ca('corpus-root', k.root);
  const inter = ca('corpus-inter', k.inter, root);
  const inter2 = ca('corpus-inter-2', k.inter2, inter);
  const leaf = leafOf(root);
  const viaInter = leafOf(inter);
  const viaInter2 = leafOf(inter2);
  const shapes: Record<string, () => Shape> = {
    'direct': () => ({ leaf, roots: [root] }),
    'direct-client-auth': () => ({ leaf, roots: [root], keyUsages: ['clientAuth'] }),
    'direct-any-usage': () => ({ leaf, roots: [root], keyUsages: ['any'] }),
    'one-intermediate-sent': () => ({ leaf: viaInter, intermediates: [inter], roots: [root] }),
    'one-intermediate-not-sent': () => ({ leaf: viaInter, roots: [root] }),
    'two-intermediates-sent': () => ({ leaf: viaInter2, intermediates: [inter2, inter], roots: [root] }),
    'two-intermediates-reversed': () => ({ leaf: viaInter2, intermediates: [inter, inter2], roots: [root] }),
    'two-intermediates-lower-only': () => ({ leaf: viaInter2, intermediates: [inter2], roots: [root] }),
    'root-only': () => ({ leaf: root, roots: [root] }),
    'self-signed-leaf': () => ({ leaf: leafOf(undefined), roots: [root] }),
    'intermediate-trusted-as-root': () => ({ leaf: viaInter, intermediates: [inter], roots: [inter] }),
    'leaf-in-roots': () => ({ leaf, roots: [root, leaf] }),
    'issuer-name-other-encoding': () => ({ leaf: forge({ ...leafSpec(root), issuer: { cert: root, name: forgeName('corpus-root', other(e), 'Corpus Org') } }), roots: [root] }),
    'intermediate-issuer-other-encoding': () => {
      const odd = forge({ subject: name('corpus-inter'), key: k.inter, issuer: { cert: root, name: forgeName('corpus-root', other(e), 'Corpus Org') }, notBefore: at(-1), notAfter: at(5), ca: true, keyUsage: CERT_SIGN });
      return { leaf: viaInter, intermediates: [odd], roots: [root] };
    },
    'impostor-ca': () => ({ leaf: forge({ ...leafSpec(root), issuer: { cert: root, key: k.impostor } }), roots: [root] }),
    'impostor-ca-other-key-type': () => ({ leaf: forge({ ...leafSpec(root), issuer: { cert: root, key: k.foreign } }), roots: [root] }),
    'impostor-ca-named-by-o': () => {
      const oRoot = forge({ subject: forgeName('', e, 'Only Org'), key: k.root, notBefore: at(-1), notAfter: at(10), ca: true, keyUsage: CERT_SIGN });
      return { leaf: forge({ ...leafSpec(oRoot), issuer: { cert: oRoot, key: k.impostor } }), roots: [oRoot] };
    },
    'root-bundle': () => ({ leaf, roots: [ca('other-root', k.impostor), root] }),
    'root-bundle-with-impostor-first': () => ({ leaf, roots: [ca('corpus-root', k.impostor), root] }),
    'path-length-0-root-one-intermediate': () => {
      const r = ca('corpus-root', k.root, undefined, { pathLen: 0 });
      return { leaf: viaInter, intermediates: [ca('corpus-inter', k.inter, r)], roots: [r] };
    },
    'path-length-1-root-two-intermediates': () => {
      const r = ca('corpus-root', k.root, undefined, { pathLen: 1 });
      const i1 = ca('corpus-inter', k.inter, r);
      return { leaf: viaInter2, intermediates: [ca('corpus-inter-2', k.inter2, i1), i1], roots: [r] };
    },
    'path-length-0-intermediate-direct-leaf': () => {
      const i = ca('corpus-inter', k.inter, root, { pathLen: 0 });
      return { leaf: viaInter, intermediates: [i], roots: [root] };
    },
    'path-length-0-root-direct-leaf': () => ({ leaf, roots: [ca('corpus-root', k.root, undefined, { pathLen: 0 })] }),
    'leaf-unknown-critical-extension': () => ({ leaf: leafOf(root, { unknownCritical: true }), roots: [root] }),
    'intermediate-unknown-critical-extension': () => ({ leaf: viaInter, intermediates: [ca('corpus-inter', k.inter, root, { unknownCritical: true })], roots: [root] }),
    'root-unknown-critical-extension': () => ({ leaf, roots: [ca('corpus-root', k.root, undefined, { unknownCritical: true })] }),
    'name-constraints-not-permitted': () => ({ leaf: viaInter, intermediates: [ca('corpus-inter', k.inter, root, { nameConstraints: { permitted: ['other.example'] } })], roots: [root] }),
    'name-constraints-excluded': () => ({ leaf, roots: [ca('corpus-root', k.root, undefined, { nameConstraints: { excluded: ['example.com'] } })] }),
    'name-constraints-permitted': () => ({ leaf: viaInter, intermediates: [ca('corpus-inter', k.inter, root, { nameConstraints: { permitted: ['example.com'] } })], roots: [root] }),
    'intermediate-not-a-ca': () => ({ leaf: viaInter, intermediates: [ca('corpus-inter', k.inter, root, { ca: false })], roots: [root] }),
    'intermediate-without-basic-constraints': () => ({ leaf: viaInter, intermediates: [ca('corpus-inter', k.inter, root, { ca: undefined })], roots: [root] }),
    'intermediate-without-cert-sign': () => ({ leaf: viaInter, intermediates: [ca('corpus-inter', k.inter, root, { keyUsage: 1 })], roots: [root] }),
    'leaf-client-auth-only': () => ({ leaf: leafOf(root, { eku: ['clientAuth'] }), roots: [root] }),
    'intermediate-client-auth-only': () => ({ leaf: viaInter, intermediates: [ca('corpus-inter', k.inter, root, { eku: ['clientAuth'] })], roots: [root] }),
    'cross-signed-both-sent': () => {
      const old = ca('corpus-old-root', k.impostor);
      const byOld = ca('corpus-inter', k.inter, old);
      return { leaf: viaInter, intermediates: [byOld, inter], roots: [root] };
    },
    'cross-signed-old-only': () => ({ leaf: viaInter, intermediates: [ca('corpus-inter', k.inter, ca('corpus-old-root', k.impostor))], roots: [root] }),
    'root-expired': () => ({ leaf, roots: [ca('corpus-root', k.root, undefined, { notBefore: at(-3), notAfter: at(-1) })] }),
    'intermediate-not-yet-valid': () => ({ leaf: viaInter, intermediates: [ca('corpus-inter', k.inter, root, { notBefore: at(1) })], roots: [root] }),
    'expired-real-root-and-impostor': () => ({ leaf, roots: [ca('corpus-root', k.impostor, undefined, { skid: false }), ca('corpus-root', k.root, undefined, { notBefore: at(-3), notAfter: at(-1) })] }),
    'no-key-identifiers': () => {
      const r = ca('corpus-root', k.root, undefined, { skid: false });
      return { leaf: forge({ ...leafSpec(r), skid: false, akid: false }), roots: [r] };
    },
    'leaf-expired': () => ({ leaf: leafOf(root, { notBefore: at(-2), notAfter: at(-1) }), roots: [root] }),
    'hostname-match': () => ({ leaf, roots: [root], dnsName: 'api.example.com' }),
    'hostname-mismatch': () => ({ leaf, roots: [root], dnsName: 'other.example.com' }),
    'ip-mismatch': () => ({ leaf, roots: [root], dnsName: '10.0.0.2' }),
  };
  // SHA-1 needs a hash the signer chooses: Ed25519 has none ("where Go allows").
  if (keyType !== 'ed25519') shapes['leaf-sha1-signature'] = () => ({ leaf: leafOf(root, { hash: 'sha1' }), roots: [root] });
  Object.assign(shapes, unparsable(k, e, { ca, leafOf, root, inter, viaInter }), pssShapes(keyType, k, leafSpec, root, ca));
  return shapes;
}

/** Keys Go refuses or cannot verify with, made once: P-192 (unsupported curve) and DSA. */
let odd: { p192: ForgeKey; dsa: ForgeKey } | undefined;

/**
 * Certificates Go's x509.ParseCertificate refuses (lib/x509/go-parse.ts) and the two it reads where
 * OpenSSL differs: a DSA CA (Go parses it but verifies no DSA signature) and a CA whose key usage
 * has no bit set (Go reads it as no restriction).
 */
function unparsable(k: Keys, e: NameEncoding, b: {
  ca: (cn: string, key: ForgeKey, issuer?: Forged, extra?: Partial<ForgeSpec>) => Forged;
  leafOf: (issuer: Forged | undefined, extra?: Partial<ForgeSpec>) => Forged;
  root: Forged; inter: Forged; viaInter: Forged;
}): Record<string, () => Shape> {
  odd ??= { p192: forgeKey('p192'), dsa: forgeKey('dsa') };
  const { p192, dsa } = odd;
  const { ca, leafOf, root, inter, viaInter } = b;
  return {
    'leaf-duplicate-extension': () => ({ leaf: leafOf(root, { duplicateSan: true }), roots: [root] }),
    'leaf-negative-serial': () => ({ leaf: leafOf(root, { negativeSerial: true }), roots: [root] }),
    'root-negative-serial': () => {
      const r = ca('corpus-root', k.root, undefined, { negativeSerial: true });
      return { leaf: leafOf(r), roots: [r] };
    },
    'leaf-malformed-san': () => ({ leaf: leafOf(root, { dns: [], ips: [], malformedSan: true }), roots: [root] }),
    'intermediate-malformed-aia': () => ({ leaf: viaInter, intermediates: [ca('corpus-inter', k.inter, root, { malformedAia: true })], roots: [root] }),
    'leaf-p192-key': () => ({ leaf: forge({ subject: forgeName('api', e, 'Corpus Org'), key: p192, issuer: { cert: root }, notBefore: at(-0.01), notAfter: at(7), ca: false, keyUsage: 1, eku: ['serverAuth'], dns: ['api.example.com'] }), roots: [root] }),
    'root-p192-key': () => {
      const r = ca('corpus-root', p192);
      return { leaf: leafOf(r), roots: [r] };
    },
    'root-ip-constraint-bad-length': () => {
      const r = ca('corpus-root', k.root, undefined, { ipConstraint: Buffer.from([10, 0, 0, 0, 255]) });
      return { leaf: leafOf(r), roots: [r] };
    },
    'intermediate-ip-constraint-bad-mask': () => ({ leaf: viaInter, intermediates: [ca('corpus-inter', k.inter, root, { ipConstraint: Buffer.from([10, 0, 0, 0, 255, 0, 255, 0]) })], roots: [root] }),
    ...emailAndUriShapes(leafOf, (nc) => ca('corpus-inter', k.inter, root, { nameConstraints: nc }), root),
    'intermediate-ip-constraint-ok': () => ({ leaf: viaInter, intermediates: [ca('corpus-inter', k.inter, root, { ipConstraint: Buffer.from([10, 0, 0, 0, 255, 0, 0, 0]) })], roots: [root] }),
    'dsa-root': () => {
      const r = ca('corpus-dsa-root', dsa);
      return { leaf: leafOf(r), roots: [r] };
    },
    'root-all-zero-key-usage': () => {
      const r = ca('corpus-root', k.root, undefined, { keyUsage: 0 });
      return { leaf: leafOf(r), roots: [r] };
    },
    'intermediate-all-zero-key-usage': () => ({ leaf: viaInter, intermediates: [ca('corpus-inter', k.inter, root, { keyUsage: 0 })], roots: [root] }),
    'unused-intermediate-negative-serial': () => ({ leaf: viaInter, intermediates: [inter, ca('corpus-other', k.impostor, root, { negativeSerial: true })], roots: [root] }),
  };
}

/**
 * Email and URI name constraints on an intermediate, against a leaf with one email and one URI SAN
 * (Go's mailbox, domain and leading-dot forms; URI hosts with a port, an IP, none), and the
 * constraints and SANs Go's parser refuses.
 */
function emailAndUriShapes(leafOf: (issuer: Forged, extra: Partial<ForgeSpec>) => Forged, inter: (nc: ForgeSpec['nameConstraints']) => Forged, root: Forged): Record<string, () => Shape> {
  const names = { emails: ['Ops@example.com'], uris: ['https://svc.example.com:8443/api?x=1'] };
  const shape = (nc: ForgeSpec['nameConstraints'], leaf: Partial<ForgeSpec> = names) => () => {
    const i = inter(nc);
    return { leaf: leafOf(i, leaf), intermediates: [i], roots: [root] };
  };
  return {
    'email-constraint-host-permitted': shape({ permitted: ['email:EXAMPLE.com'] }),
    'email-constraint-subdomain-of-host': shape({ permitted: ['email:example.com'] }, { emails: ['ops@mail.example.com'] }),
    'email-constraint-leading-dot-not-permitted': shape({ permitted: ['email:.example.com'] }),
    'email-constraint-mailbox-excluded': shape({ excluded: ['email:Ops@EXAMPLE.COM'] }),
    'email-constraint-mailbox-other-case-permitted': shape({ permitted: ['email:ops@example.com'] }),
    'email-constraint-quoted-mailbox': shape({ permitted: ['email:"ops team"@example.com'] }, { emails: ['"ops team"@example.com'] }),
    'email-constraint-malformed': shape({ permitted: ['email:@example.com'] }),
    'uri-constraint-leading-dot-permitted': shape({ permitted: ['uri:.example.com'] }),
    'uri-constraint-host-excluded': shape({ permitted: ['uri:.example.com'], excluded: ['uri:SVC.example.com'] }),
    'uri-constraint-not-permitted': shape({ permitted: ['uri:other.example'] }),
    'uri-constraint-ip-host': shape({ excluded: ['uri:other.example'] }, { uris: ['https://10.0.0.9:443/'] }),
    'uri-constraint-no-host': shape({ permitted: ['uri:example.com'] }, { uris: ['urn:example:thing'] }),
    'uri-constraint-ip-refused': shape({ permitted: ['uri:10.0.0.0'] }),
    'uri-san-invalid-domain': shape({ permitted: ['example.com'] }, { uris: ['https://bad..example/'] }),
    'email-constraint-with-dns-only-leaf': shape({ permitted: ['email:other.example'] }, {}),
  };
}

/**
 * RSASSA-PSS signatures: the three parameter sets Go accepts (SHA-256/384/512, MGF1 with the same
 * hash, salt as long as the hash) on a leaf and an intermediate, two it reads as an unknown
 * algorithm (a 20-byte salt, MGF1 with another hash) — RSA chains only, PSS being an RSA scheme —
 * and, for every key type, a PSS leaf claiming a root whose key is not the one that signed it.
 */
function pssShapes(keyType: ForgeKeyType, k: Keys, leafSpec: (issuer: Forged, extra?: Partial<ForgeSpec>) => ForgeSpec, root: Forged, ca: (cn: string, key: ForgeKey, issuer?: Forged, extra?: Partial<ForgeSpec>) => Forged): Record<string, () => Shape> {
  const rsa = keyType === 'rsa2048';
  const signed = (pss: ForgeSpec['pss']) => () => ({ leaf: forge(leafSpec(root, { pss })), roots: [root] });
  const shapes: Record<string, () => Shape> = {
    'pss-leaf-signed-by-other-key': () => ({ leaf: forge({ ...leafSpec(root), issuer: { cert: root, key: rsa ? k.impostor : k.foreign }, pss: { hash: 'sha256', saltLength: 32 } }), roots: [root] }),
  };
  Object.assign(shapes, v1Shapes(k, leafSpec, ca));
  if (keyType === 'ed25519') shapes['ed25519-signature-with-null-params'] = () => ({ leaf: forge(leafSpec(root, { ed25519WithParams: true })), roots: [root] });
  if (!rsa) return shapes;
  return {
    ...shapes,
    'pss-sha256-leaf': signed({ hash: 'sha256', saltLength: 32 }),
    'pss-sha384-leaf': signed({ hash: 'sha384', saltLength: 48 }),
    'pss-sha512-leaf': signed({ hash: 'sha512', saltLength: 64 }),
    'pss-salt-20-leaf': signed({ hash: 'sha256', saltLength: 20 }),
    'pss-mgf1-other-hash-leaf': signed({ hash: 'sha256', saltLength: 32, mgfHash: 'sha384' }),
    'pss-sha512-intermediate': () => {
      const i = ca('corpus-inter', k.inter, root, { pss: { hash: 'sha512', saltLength: 64 } });
      return { leaf: forge(leafSpec(i)), intermediates: [i], roots: [root] };
    },
  };
}

/**
 * Roots without basicConstraints: Go's checkSignatureFrom lets a version 1 certificate sign (only
 * a v3 one must say CA), and isValid asks CA-ness of intermediates only — so a v1 root works, a v1
 * intermediate and a v3 root without the extension do not.
 */
function v1Shapes(k: Keys, leafSpec: (issuer: Forged, extra?: Partial<ForgeSpec>) => ForgeSpec, ca: (cn: string, key: ForgeKey, issuer?: Forged, extra?: Partial<ForgeSpec>) => Forged): Record<string, () => Shape> {
  const v1Root = () => ca('corpus-v1-root', k.root, undefined, { v1: true });
  return {
    'v1-root': () => {
      const r = v1Root();
      return { leaf: forge(leafSpec(r)), roots: [r] };
    },
    'v1-root-one-intermediate': () => {
      const r = v1Root();
      const i = ca('corpus-inter', k.inter, r);
      return { leaf: forge(leafSpec(i)), intermediates: [i], roots: [r] };
    },
    'v1-intermediate': () => {
      const r = ca('corpus-root', k.root);
      const i = ca('corpus-v1-inter', k.inter, r, { v1: true });
      return { leaf: forge(leafSpec(i)), intermediates: [i], roots: [r] };
    },
    'v3-root-without-basic-constraints': () => {
      const r = ca('corpus-root', k.root, undefined, { ca: undefined });
      return { leaf: forge(leafSpec(r)), roots: [r] };
    },
  };
}

/** Builds the corpus: every shape × key type × name encoding × time. */
export function buildCorpus(): CorpusCase[] {
  const pool = new Map<ForgeKeyType, ForgeKey[]>();
  const cases: CorpusCase[] = [];
  for (const keyType of KEY_TYPES) {
    for (const encoding of ENCODINGS) {
      for (const [shapeName, make] of Object.entries(shapes(keysFor(keyType, pool), encoding, keyType))) {
        const shape = make();
        for (const now of CORPUS_TIMES) {
          cases.push({
            id: `${shapeName}/${keyType}/${encoding}/${now.toISOString().slice(0, 4)}`,
            leaf: shape.leaf.cert, intermediates: (shape.intermediates ?? []).map((f) => f.cert), roots: shape.roots.map((f) => f.cert),
            now, dnsName: shape.dnsName ?? '', keyUsages: shape.keyUsages ?? [],
          });
        }
      }
    }
  }
  return cases;
}
