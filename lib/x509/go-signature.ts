import type { IssuedCert } from '../pki/issue.js';
import { KEY_CERT_SIGN } from '../pki/der-extensions.js';
import { goFacts } from './go-facts.js';

/**
 * Go's Certificate.CheckSignatureFrom, with its errors word for word: the parent must be allowed to
 * sign (basicConstraints CA, keyCertSign when a key usage is set), the signature algorithm must be
 * one Go still verifies (not MD5, not SHA-1 since Go 1.18) and must fit the parent's key type, and
 * the parent's key must verify the signature.
 */
export interface SignatureError {
  reason: 'NOT_A_CA' | 'BAD_SIGNATURE';
  error: string;
}

const NOT_A_CA: SignatureError = { reason: 'NOT_A_CA', error: 'x509: invalid signature: parent certificate cannot sign this kind of certificate' };
const UNSUPPORTED: SignatureError = { reason: 'BAD_SIGNATURE', error: 'x509: cannot verify signature: algorithm unimplemented' };

// node:crypto's key type → Go's PublicKeyAlgorithm name and the key's Go type (%T).
const KEY_TYPES: Record<string, { algorithm: string; goType: string }> = {
  rsa: { algorithm: 'RSA', goType: '*rsa.PublicKey' },
  ec: { algorithm: 'ECDSA', goType: '*ecdsa.PublicKey' },
  ed25519: { algorithm: 'Ed25519', goType: 'ed25519.PublicKey' },
};
const FAILURES: Record<string, string> = { RSA: 'crypto/rsa: verification error', ECDSA: 'x509: ECDSA verification failure', Ed25519: 'x509: Ed25519 verification failure' };

export function checkSignatureFrom(cert: IssuedCert, parent: IssuedCert): SignatureError | null {
  const p = goFacts(parent);
  if ((p.version === 3 && !p.basicConstraintsValid) || (p.basicConstraintsValid && !p.isCA)) return NOT_A_CA;
  const bits = parent.keyUsageBits;
  if (bits !== undefined && bits !== 0 && (bits & KEY_CERT_SIGN) === 0) return NOT_A_CA;
  const algorithm = goFacts(cert).signature;
  if (algorithm.hash === '') return UNSUPPORTED;
  if (algorithm.hash === 'md5' || algorithm.hash === 'sha1') {
    // InsecureAlgorithmError in Go 1.23's words (Kubernetes 1.32 is built with it; the override is gone in Go 1.24).
    const override = algorithm.name === 'SHA1-RSA' || algorithm.name === 'ECDSA-SHA1' ? ' (temporarily override with GODEBUG=x509sha1=1)' : '';
    return { reason: 'BAD_SIGNATURE', error: `x509: cannot verify signature: insecure algorithm ${algorithm.name}${override}` };
  }
  const key = KEY_TYPES[parent.node.publicKey.asymmetricKeyType ?? ''];
  if (!key) return UNSUPPORTED; // DSA and other keys: Go verifies no such signature
  if (key.algorithm !== algorithm.publicKey) {
    return { reason: 'BAD_SIGNATURE', error: `x509: signature algorithm specifies an ${algorithm.publicKey} public key, but have public key of type ${key.goType}` };
  }
  if (!signedBy(cert, parent)) return { reason: 'BAD_SIGNATURE', error: FAILURES[key.algorithm]! };
  return null;
}

/**
 * Whether `parent`'s key verifies `cert`'s signature: a fact of the two certificates, remembered per
 * pair (every client of a server checks the same serving certificate against the same CA).
 */
const signatures = new WeakMap<IssuedCert, WeakMap<IssuedCert, boolean>>();
function signedBy(cert: IssuedCert, parent: IssuedCert): boolean {
  let byParent = signatures.get(cert);
  if (!byParent) signatures.set(cert, (byParent = new WeakMap()));
  let verified = byParent.get(parent);
  if (verified === undefined) byParent.set(parent, (verified = cert.node.verify(parent.node.publicKey)));
  return verified;
}
