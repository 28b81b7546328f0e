import type { IssuedCert } from '../pki/issue.js';
import { subjectFields } from '../pki/verify.js';
import { certificateIdentifier, goVerify } from '../x509/go-verify.js';
import type { AuthnResult } from './types.js';

/**
 * k8s.io/apiserver's x509 request authenticator: verify the first peer certificate against the
 * client CA bundle (the rest of the peer chain as intermediates) for clientAuth at the clock, then
 * user = subject CN, groups = every subject O. An empty CN authenticates nobody and raises no
 * error (the request may still be anonymous). `null` when no certificate was presented.
 */
export function authenticateClientCertificate(
  peerChain: readonly IssuedCert[],
  options: { roots: readonly IssuedCert[]; now: Date },
): AuthnResult | null {
  const leaf = peerChain[0];
  if (!leaf) return null;
  const result = goVerify(leaf, { roots: options.roots, intermediates: peerChain.slice(1), now: options.now, keyUsages: ['clientAuth'] });
  if (!result.ok) {
    const reason = result.reason === 'SAN_MISMATCH' ? 'UNKNOWN_AUTHORITY' : result.reason;
    return { ok: false, method: 'x509', reason, error: `verifying certificate ${certificateIdentifier(leaf)} failed: ${result.error}`, verification: result };
  }
  const { cn, o } = subjectFields(leaf);
  if (cn === '') return null;
  return { ok: true, method: 'x509', user: { name: cn, groups: [...o, 'system:authenticated'] } };
}
