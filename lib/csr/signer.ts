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
 * of --cluster-signing-duration and spec.expirationSeconds (never past the CA itself).
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

export type SignOutcome = { ok: true; certificatePem: string } | { ok: false; message: string };

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

export function signCsr(csr: CertificateSigningRequest, parsed: ParsedCsr, ca: SigningCa, now: Date, durationMs: number): SignOutcome {
  const usages = csr.spec.usages ?? [];
  const violation = signerViolation(csr.spec.signerName, parsed, usages);
  if (violation) return { ok: false, message: violation };
  const requested = csr.spec.expirationSeconds ? csr.spec.expirationSeconds * 1000 : Infinity;
  const lifetime = Math.min(durationMs, Math.max(requested, 10 * MINUTE));
  const caNotAfter = new Date(ca.cert.node.validTo);
  // The signing policy back-dates NotBefore by 5 minutes, and NotAfter too once the lifetime is at
  // least 8 hours, so that NotAfter - NotBefore is the lifetime (authority/policies.go).
  const backdateEnd = lifetime >= 8 * 60 * MINUTE ? 5 * MINUTE : 0;
  const notAfter = new Date(Math.min(now.getTime() + lifetime - backdateEnd, caNotAfter.getTime()));
  const { keyUsage, extKeyUsage } = usagesToExtensions(usages);
  const cert = issueCertificate({
    cn: parsed.cn, o: parsed.o, isCa: false, keyUsage, extKeyUsage: extKeyUsage.length > 0 ? extKeyUsage : null,
    sans: [...parsed.dns.map((dns) => ({ dns })), ...parsed.ips.map((ip) => ({ ip }))],
    notBefore: new Date(now.getTime() - 5 * MINUTE), notAfter,
    subjectKey: publicKeyMaterial(parsed.spki, parsed.publicKey), issuer: { cert: ca.cert, key: ca.key }, memo: false,
  });
  return { ok: true, certificatePem: cert.pem };
}
