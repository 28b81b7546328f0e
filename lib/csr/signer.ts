import type { IssuedCert } from '../pki/issue.js';
import { issueCertificate } from '../pki/issue.js';
import { publicKeyMaterial, type KeyMaterial } from '../pki/keys.js';
import { MINUTE } from '../clock.js';
import type { ParsedCsr } from './parse.js';
import { usagesToExtensions } from './usages.js';
import type { CertificateSigningRequest } from './types.js';

/**
 * kube-controller-manager's csrsigning controller: for an Approved, not Failed CSR of a built-in
 * signer, check the signer's rules (pkg/controller/certificates/signer, pkg/apis/certificates
 * helpers) and issue a certificate from the signer's CA, back-dated 5 minutes, lasting the shorter
 * of --cluster-signing-duration and spec.expirationSeconds (never past the CA itself). A broken rule
 * is a Failed condition on the CSR; a signature that fails is only logged (and retried).
 */
export const BUILTIN_SIGNERS = [
  'kubernetes.io/kube-apiserver-client', 'kubernetes.io/kube-apiserver-client-kubelet', 'kubernetes.io/kubelet-serving', 'kubernetes.io/legacy-unknown',
] as const;

export interface SigningCa {
  cert: IssuedCert;
  key: KeyMaterial;
  /** The flags it came from, for reports. */
  certFile: string;
}

/** What signer.sign returns: the certificate, or the error kube-controller-manager logs (the CSR is left as it is). */
export type SignOutcome = { ok: true; certificatePem: string } | { ok: false; message: string };

/** The signing policy's Backdate and Short (signer.go). */
const BACKDATE = 5 * MINUTE;
const SHORT = 8 * 60 * MINUTE;

const KUBELET_CLIENT_USAGES = [['key encipherment', 'digital signature', 'client auth'], ['digital signature', 'client auth']];
const KUBELET_SERVING_USAGES = [['key encipherment', 'digital signature', 'server auth'], ['digital signature', 'server auth']];

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** The signer's rules; the message is what the controller puts in the Failed condition. */
export function signerViolation(signerName: string, csr: ParsedCsr, usages: readonly string[]): string | null {
  switch (signerName) {
    case 'kubernetes.io/kube-apiserver-client': {
      for (const usage of usages) {
        if (!['digital signature', 'key encipherment', 'client auth'].includes(usage)) return `invalid usage for client certificate: ${usage}`;
      }
      return usages.includes('client auth') ? null : 'missing required usage for client certificate: client auth';
    }
    case 'kubernetes.io/kube-apiserver-client-kubelet':
    case 'kubernetes.io/kubelet-serving': {
      const serving = signerName === 'kubernetes.io/kubelet-serving';
      if (!sameSet(csr.o, ['system:nodes'])) return 'subject organization is not system:nodes';
      if (!csr.cn.startsWith('system:node:')) return 'subject common name does not begin with system:node:';
      if (csr.emails.length > 0) return 'Email subjectAltNames are not allowed';
      if (csr.uris.length > 0) return 'URI subjectAltNames are not allowed';
      if (serving) {
        if (csr.dns.length + csr.ips.length === 0) return 'DNS or IP subjectAltName is required';
      } else {
        if (csr.dns.length > 0) return 'DNS subjectAltNames are not allowed';
        if (csr.ips.length > 0) return 'IP subjectAltNames are not allowed';
      }
      const allowed = serving ? KUBELET_SERVING_USAGES : KUBELET_CLIENT_USAGES;
      // Go prints the full required set, sorted: fmt.Errorf("usages did not match %v", required.List()).
      if (!allowed.some((set) => sameSet(usages, set))) return `usages did not match [${[...allowed[0]!].sort().join(' ')}]`;
      return null;
    }
    default:
      return null;
  }
}

/** signer.duration: --cluster-signing-duration, or a shorter spec.expirationSeconds, never under 10 minutes (twice the back-dating). */
export function signingDuration(durationMs: number, expirationSeconds: number | undefined): number {
  if (expirationSeconds === undefined || expirationSeconds === null) return durationMs;
  const requested = expirationSeconds * 1000;
  if (requested > durationMs) return durationMs;
  return Math.max(requested, 10 * MINUTE);
}

/** Go's %v of a time.Time read from a certificate (UTC, whole seconds): `2027-01-01 00:00:00 +0000 UTC`. */
export function goTime(date: Date): string {
  return `${date.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '')} +0000 UTC`;
}

/**
 * signer.sign with authority.PermissiveSigningPolicy (Backdate 5m, Short 8h): the usages are mapped
 * to KeyUsage bits and extended key usages (an unknown one fails), NotBefore = now - 5m, NotAfter =
 * now + ttl (now + ttl - 5m once ttl is 8h or more), cut at the CA's own NotAfter; a CA that has
 * expired signs nothing. `now` is the cluster clock's. The signer's rules are checked before, by
 * `signerViolation`: a failure here is not a rule of the signer but the signature itself failing.
 */
export function signCsr(csr: CertificateSigningRequest, parsed: ParsedCsr, ca: SigningCa, now: Date, durationMs: number): SignOutcome {
  const ttl = signingDuration(durationMs, csr.spec.expirationSeconds);
  const extensions = usagesToExtensions(csr.spec.usages ?? []);
  if (!extensions.ok) return { ok: false, message: extensions.error };
  const caNotAfter = new Date(ca.cert.node.validTo);
  const notBefore = new Date(now.getTime() - BACKDATE);
  let notAfter = new Date(now.getTime() + (ttl < SHORT ? ttl : ttl - BACKDATE));
  if (!(notAfter < caNotAfter)) notAfter = caNotAfter;
  if (!(notBefore < caNotAfter)) return { ok: false, message: `the signer has expired: NotAfter=${goTime(caNotAfter)}` };
  if (!(now < caNotAfter)) return { ok: false, message: `refusing to sign a certificate that expired in the past: NotAfter=${goTime(caNotAfter)}` };
  const cert = issueCertificate({
    cn: parsed.cn, o: parsed.o, isCa: false, keyUsage: extensions.keyUsage, extKeyUsage: extensions.extKeyUsage.length > 0 ? extensions.extKeyUsage : null,
    // Every SAN of the request, in the order Go's x509 writes them: DNS, email, IP, URI (authority.go's template).
    sans: [...parsed.dns.map((dns) => ({ dns })), ...parsed.emails.map((email) => ({ email })), ...parsed.ips.map((ip) => ({ ip })), ...parsed.uris.map((uri) => ({ uri }))],
    notBefore, notAfter,
    subjectKey: publicKeyMaterial(parsed.spki, parsed.publicKey), issuer: { cert: ca.cert, key: ca.key }, memo: false,
  });
  return { ok: true, certificatePem: cert.pem };
}
