import { KubeMtlsSimError } from '../errors.js';
import type { IssuedCert } from '../pki/issue.js';
import type { Source } from '../pki/pem.js';
import { goFacts } from './go-facts.js';

/**
 * Certificates as a Go component loads them: OpenSSL read them, but Go's x509.ParseCertificate may
 * refuse one (go-parse.ts), and then the component stops with Go's words (ERR_CERT_PARSE, goMessage).
 */
function refusal(cert: IssuedCert): string | undefined {
  return goFacts(cert).malformed;
}

function fail(source: Source, index: number, goMessage: string): never {
  const where = [source.file, source.field && source.file !== source.field ? `(${source.field})` : ''].filter(Boolean).join(' ');
  throw new KubeMtlsSimError('ERR_CERT_PARSE', `${where}: certificate #${index + 1} is refused by Go's x509 parser: ${goMessage}`, {
    ...(source.file ? { file: source.file } : {}), ...(source.field ? { field: source.field } : {}), goMessage,
  });
}

/** tls.X509KeyPair parses the leaf (the certificates after it are sent as they are, for the peer to parse). */
export function requireGoParsableLeaf(chain: readonly IssuedCert[], source: Source): void {
  const error = chain[0] && refusal(chain[0]);
  if (error) fail(source, 0, error);
}

/** A CA file read with client-go's cert.ParseCertsPEM (kube-apiserver, the kubelet) or etcd's pool: any certificate Go refuses stops the load. */
export function requireGoParsableBundle(certs: readonly IssuedCert[], source: Source): void {
  for (const [i, cert] of certs.entries()) {
    const error = refusal(cert);
    if (error) fail(source, i, error);
  }
}

/**
 * A kubeconfig's certificate-authority(-data) as client-go's rootCertPool reads it: CertPool's
 * AppendCertsFromPEM skips what Go cannot parse; only when nothing is left does client-go fail,
 * naming the first refusal (kubectl 1.32: "unable to load root certificates: failed to parse
 * certificate: x509: negative serial number").
 */
export function clientGoRoots(certs: readonly IssuedCert[], source: Source): IssuedCert[] {
  const kept = certs.filter((c) => !refusal(c));
  if (kept.length === 0 && certs.length > 0) fail(source, 0, `unable to load root certificates: failed to parse certificate: ${refusal(certs[0]!)!}`);
  return kept;
}
