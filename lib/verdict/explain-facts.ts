import type { VerifyFailure } from './cause.js';
import type { StructureCause } from './phrases.js';
import type { CertSummary, EdgeResult, TrustSummary } from './result.js';

/** The certificate the verifying side refused, and what that side trusted. */
export function refused(result: EdgeResult): { cert: CertSummary | null; trust: TrustSummary | null; holder: string; verifier: string } {
  if (result.detectedBy === 'client') {
    return { cert: result.server.presented, trust: result.client.trusts, holder: result.server.component, verifier: result.client.component };
  }
  const presented = result.client.presented;
  return { cert: presented && !('token' in presented) ? presented : null, trust: result.server.verifiesClientsWith, holder: result.client.component, verifier: result.server.component };
}

/** Go's verification failure behind the result, whichever side verified. */
export function verification(r: EdgeResult): VerifyFailure | undefined {
  const c = r.cause;
  switch (c.kind) {
    case 'server-certificate-refused':
    case 'refused-by-server-tls': return c.verify;
    case 'http': return c.authn?.verify;
    case 'ok': case 'config-error': case 'nothing-listens': case 'handshake': case 'transport': case 'unprotected': return undefined;
  }
}

/** Go's hint, when it says the candidate CA is out of its dates: the chain does reach a trusted CA, which is not valid now. */
export function expiredCaHint(r: EdgeResult): { error: string; candidate: string } | undefined {
  const hint = verification(r)?.hint;
  return hint && (hint.reason === 'CERT_EXPIRED' || hint.reason === 'CERT_NOT_YET_VALID') ? { error: hint.error, candidate: hint.candidate } : undefined;
}

/** Go's hint says the trusted CA's key is of another type than the signature's (an RSA CA over an ECDSA chain, or the reverse). */
export function keyTypeHint(r: EdgeResult): boolean {
  const hint = verification(r)?.hint;
  return hint?.reason === 'BAD_SIGNATURE' && hint.error.startsWith('x509: signature algorithm specifies an');
}

/** The expired (or not yet valid) CA of the hint is an intermediate the peer sent, not a trusted one. */
export function sentCaExpired(r: EdgeResult): string | undefined {
  const expired = expiredCaHint(r);
  const trust = refused(r).trust;
  return expired && trust && !trust.subjects.includes(`CN=${expired.candidate}`) ? `CN=${expired.candidate}` : undefined;
}

/** The refused certificate's issuer is an intermediate CA that was not sent with it. */
export function intermediateMissing(r: EdgeResult): boolean {
  return verification(r)?.chain.intermediateMissing === true;
}

/** The usage the verifier needs of the refused certificate: serverAuth when the client refused, clientAuth when the server did. */
export function neededUsage(r: EdgeResult): 'serverAuth' | 'clientAuth' {
  return r.detectedBy === 'client' ? 'serverAuth' : 'clientAuth';
}

/** The refused certificate allows the usage itself, so a CA above it took it away (Go intersects usages down the chain). */
export function ekuTakenByChain(r: EdgeResult): boolean {
  const has = refused(r).cert?.extKeyUsage;
  return has !== undefined && (has.length === 0 || has.includes(neededUsage(r)));
}

/** The client has a certificate configured, but the server never asked for one. */
export function certNotRequested(r: EdgeResult): boolean {
  return r.server.requestedClientCert === false && r.client.presented !== null && !('token' in r.client.presented);
}

/** What the authenticator reported for a 401 (its detail, else its logged error), or `Unauthorized` when none ran. */
export function authnError(r: EdgeResult): string {
  return r.cause.kind === 'http' && r.cause.authn ? r.cause.authn.error : 'Unauthorized';
}

/** The Status message of the answer (403s). */
export function httpMessage(r: EdgeResult): string {
  return r.cause.kind === 'http' ? r.cause.message : '';
}

export function tokenSource(r: EdgeResult): string {
  const presented = r.client.presented;
  return presented && 'token' in presented ? `${presented.field} (${presented.file})` : r.client.configuredBy;
}

/** Bootstrap tokens have the form `[a-z0-9]{6}.[a-z0-9]{16}`; the result keeps the first ten characters. */
export function isBootstrapToken(r: EdgeResult): boolean {
  const presented = r.client.presented;
  return !!presented && 'token' in presented && /^[a-z0-9]{6}\.[a-z0-9]/.test(presented.token);
}

export function anonymousSetting(r: EdgeResult): string | undefined {
  if (r.identity && r.identity.name !== 'system:anonymous' && !r.anonymous) return undefined;
  return r.server.component === 'kubelet' ? 'KubeletConfiguration authentication.anonymous.enabled' : 'kube-apiserver --anonymous-auth';
}

/** Where the client's certificate is configured (even when it is missing). */
export function clientCertSetting(r: EdgeResult): string {
  const presented = r.client.presented;
  if (presented && !('token' in presented) && presented.field) return `${presented.field} (${presented.file ?? ''})`;
  if (r.edge === 'apiserver-to-etcd') return 'kube-apiserver --etcd-certfile/--etcd-keyfile';
  if (r.edge === 'apiserver-to-kubelet') return 'kube-apiserver --kubelet-client-certificate/--kubelet-client-key';
  return `client-certificate-data/client-key-data in ${r.client.configuredBy}`;
}

/**
 * The Go refusal is about how a certificate is built (its name bytes, a critical extension, a
 * CA's path length or name constraints), read from Go's error value: the reason alone (NOT_A_CA,
 * UNKNOWN_AUTHORITY) would explain it as a wrong or non-CA issuer.
 */
export function structureCause(r: EdgeResult): StructureCause | undefined {
  const v = verification(r);
  switch (v?.goError) {
    case 'UnhandledCriticalExtension': return 'critical-extension';
    case 'TooManyIntermediates': return 'path-length';
    case 'CANotAuthorizedForThisName': return 'name-constraints';
    case 'UnknownAuthorityError': {
      // Go's hint names its InsecureAlgorithmError: the right CA, refused for the hash it signed with.
      if (v.hint?.reason === 'BAD_SIGNATURE' && v.hint.error.includes('insecure algorithm')) return 'insecure-signature';
      // Same printed name and same key id as a trusted CA, yet no candidate: the name's bytes differ.
      const { cert, trust } = refused(r);
      const sameName = cert !== null && trust !== null && trust.subjects.includes(cert.issuer);
      const sameKey = cert !== null && cert.authorityKeyId !== '' && trust !== null && trust.keyIds.includes(cert.authorityKeyId);
      return sameName && sameKey && !v.hint && trust?.kind === 'ca' ? 'name-encoding' : undefined;
    }
    default: return undefined;
  }
}
