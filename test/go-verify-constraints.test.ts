import test from 'ava';
import { goVerify } from '../lib/x509/go-verify.js';
import { forge, forgeKey, forgeName, type ForgeSpec, type Forged } from './helpers/forge.js';

/**
 * What Go's crypto/x509 refuses that OpenSSL's checks let through, one case each, with Go's words
 * (the same cases run against Go itself in test/go-diff.test.ts; these run without Go).
 */
const now = new Date('2026-01-01T00:00:00Z');
const at = (days: number) => new Date(now.getTime() + days * 86_400_000);
const key = forgeKey('p256');
const ca = (cn: string, extra: Partial<ForgeSpec> = {}, issuer?: Forged) =>
  forge({ subject: forgeName(cn, 'printable'), key, issuer: issuer && { cert: issuer }, notBefore: at(-10), notAfter: at(100), ca: true, keyUsage: 32, ...extra });
const leafOf = (issuer: Forged, extra: Partial<ForgeSpec> = {}) =>
  forge({ subject: forgeName('leaf', 'printable'), key: forgeKey('p256'), issuer: { cert: issuer }, notBefore: at(-1), notAfter: at(10), ca: false, eku: ['serverAuth'], dns: ['api.example.com'], ...extra });
const verify = (leaf: Forged, roots: Forged[], intermediates: Forged[] = []) =>
  goVerify(leaf.cert, { roots: roots.map((r) => r.cert), intermediates: intermediates.map((i) => i.cert), now, keyUsages: [] });

test('names match byte for byte: a UTF8String issuer does not find its PrintableString CA', (t) => {
  const root = ca('kubernetes');
  const leaf = forge({ subject: forgeName('leaf', 'printable'), key: forgeKey('p256'), issuer: { cert: root, name: forgeName('kubernetes', 'utf8') }, notBefore: at(-1), notAfter: at(10) });
  t.like(verify(leaf, [root]), { ok: false, reason: 'UNKNOWN_AUTHORITY', error: 'x509: certificate signed by unknown authority' });
});

test('a path length constraint counts the intermediates below the CA', (t) => {
  const root = ca('root', { pathLen: 0 });
  const inter = ca('inter', {}, root);
  t.like(verify(leafOf(inter), [root], [inter]), { ok: false, reason: 'NOT_A_CA', goError: 'TooManyIntermediates', error: 'x509: too many intermediates for path length constraint' });
  t.like(verify(leafOf(root), [root]), { ok: true });
});

test('an unknown critical extension is refused, on the leaf and on a CA', (t) => {
  const root = ca('root');
  t.like(verify(leafOf(root, { unknownCritical: true }), [root]), { ok: false, goError: 'UnhandledCriticalExtension', error: 'x509: unhandled critical extension' });
  const odd = ca('root', { unknownCritical: true });
  t.like(verify(leafOf(odd), [odd]), { ok: false, error: 'x509: unhandled critical extension' });
});

test('name constraints in Go\'s words', (t) => {
  const root = ca('root', { nameConstraints: { permitted: ['internal.example'] } });
  t.like(verify(leafOf(root), [root]), {
    ok: false, goError: 'CANotAuthorizedForThisName',
    error: 'x509: a root or intermediate certificate is not authorized to sign for this name: DNS name "api.example.com" is not permitted by any constraint',
  });
  const excluding = ca('root', { nameConstraints: { excluded: ['example.com'] } });
  t.like(verify(leafOf(excluding), [excluding]), { error: 'x509: a root or intermediate certificate is not authorized to sign for this name: DNS name "api.example.com" is excluded by constraint "example.com"' });
});

test('an expired or not yet valid CA is Go\'s bare validity error, not an unknown authority', (t) => {
  const root = ca('root', { notBefore: at(-20), notAfter: at(-5) });
  // As data the verdict keeps UNKNOWN_AUTHORITY and names the CA in the hint; the text is Go's, bare.
  t.like(verify(leafOf(root), [root]), { ok: false, reason: 'UNKNOWN_AUTHORITY', hint: { name: 'root', reason: 'CERT_EXPIRED' }, error: 'x509: certificate has expired or is not yet valid: current time 2026-01-01T00:00:00Z is after 2025-12-27T00:00:00Z' });
  const inter = ca('inter', { notBefore: at(5) }, ca('root'));
  t.like(verify(leafOf(inter), [ca('root')], [inter]), { ok: false, goError: 'Expired', hint: { name: 'inter', reason: 'CERT_NOT_YET_VALID' } });
});

test('a signature algorithm that does not fit the CA\'s key type is named in the hint', (t) => {
  const root = ca('kubernetes');
  const leaf = forge({ subject: forgeName('leaf', 'printable'), key: forgeKey('p256'), issuer: { cert: root, key: forgeKey('rsa2048') }, notBefore: at(-1), notAfter: at(10) });
  const r = verify(leaf, [root]);
  t.like(r, { ok: false, reason: 'UNKNOWN_AUTHORITY', hint: { reason: 'BAD_SIGNATURE', error: 'x509: signature algorithm specifies an RSA public key, but have public key of type *ecdsa.PublicKey' } });
});

test('extended key usage is checked over every chain Go builds, not the first only', (t) => {
  // Two chains: through a clientAuth-only cross-signed intermediate (first), and through an unrestricted one.
  const root = ca('root');
  const restricted = ca('inter', { eku: ['clientAuth'] }, root);
  const open = ca('inter', {}, root);
  const leaf = leafOf(open);
  t.like(verify(leaf, [root], [restricted, open]), { ok: true });
});
