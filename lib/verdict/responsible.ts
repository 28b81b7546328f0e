// The file or flag to look at first for an edge's outcome: what `check` prints in its RESPONSIBLE
// column. Read from the result's own data (the configured fields and files of both sides), never
// from its sentences, so a node read from disk names its own paths.
import { anonymousSetting, clientCertSetting, refused, tokenSource } from './explain-facts.js';
import type { Reason } from './reasons.js';
import { allowedNamesSetting } from './why.js';
import type { CertSummary, EdgeResult, TrustSummary } from './result.js';

const certAt = (c: CertSummary | null): string | undefined => (c ? (c.file && c.field ? `${c.field} (${c.file})` : c.file ?? c.field) : undefined);
const trustAt = (t: TrustSummary | null): string | undefined => (t ? (t.file ? `${t.field} (${t.file})` : t.field) : undefined);

/**
 * A certificate the verifier refused: the certificate, and the CA it was checked against (either may
 * be the wrong one: a kubeconfig holding another cluster's CA, or a certificate from another CA).
 */
function refusedCert(r: EdgeResult, withTrust: boolean): string[] {
  const { cert, trust, holder } = refused(r);
  return [certAt(cert) ?? holder, ...(withTrust ? [trustAt(trust)] : [])].filter((x): x is string => !!x);
}

type Finder = (r: EdgeResult) => string[];

const chainFailure: Finder = (r) => refusedCert(r, true);
const certItself: Finder = (r) => refusedCert(r, false);

/** Each reason's place to look: a table, so a new reason does not compile until it says where. */
const WHERE = {
  OK: () => [],
  UNKNOWN_AUTHORITY: chainFailure, NOT_A_CA: chainFailure, WRONG_EKU: chainFailure,
  CERT_EXPIRED: certItself, CERT_NOT_YET_VALID: certItself, SAN_MISMATCH: certItself,
  NO_CLIENT_CERT: (r) => [clientCertSetting(r)],
  NO_TRUSTED_CA: (r) => [r.server.verifiesClientsWith?.field ?? 'etcd --trusted-ca-file'],
  TLS_VERSION: (r) => [`${r.server.component} --tls-min-version`],
  HANDSHAKE_FAILED: (r) => [r.client.configuredBy],
  NO_CLIENT_AUTH: (r) => [trustAt(r.server.verifiesClientsWith) ?? `${r.server.component} client certificate settings`],
  ANONYMOUS_ALLOWED: (r) => [anonymousSetting(r) ?? ''],
  SERVER_NOT_VERIFIED: (r) => [trustAt(r.client.trusts) ?? r.client.configuredBy],
  INVALID_TOKEN: (r) => [tokenSource(r)], TOKEN_EXPIRED: (r) => [tokenSource(r)],
  NO_CREDENTIALS: (r) => [r.client.configuredBy],
  FORBIDDEN: (r) => [clientCertSetting(r)],
  NO_SERVING_CERT: () => ['KubeletConfiguration serverTLSBootstrap'],
  HTTP_ERROR: (r) => [r.client.configuredBy], CONNECTION_REFUSED: (r) => [r.client.configuredBy],
  CONNECTION_CLOSED: (r) => [r.client.configuredBy], TIMEOUT: (r) => [r.client.configuredBy],
  KEY_MISMATCH: configured, PEM_SWITCHED: configured, FILE_MISSING: configured, BAD_FILE: configured,
  CLIENT_KEY_UNUSABLE: configured, BAD_FLAG: configured,
  FRONT_PROXY_NOT_ALLOWED: (r) => [certAt(r.client.presented && !('token' in r.client.presented) ? r.client.presented : null) ?? clientCertSetting(r), allowedNamesSetting(r)],
  CREDENTIALS_PROMPT: configured,
} as const satisfies Record<Reason, Finder>;

/** A component that would not start: the file and the flag (or config field) its error names. */
function configured(r: EdgeResult): string[] {
  if (r.cause.kind !== 'config-error') return [r.client.configuredBy];
  const { file, field, component } = r.cause;
  if (field && file) return [`${field.includes(file) ? field : `${field}: ${file}`}`];
  return [field ?? file ?? component];
}

/** Where to look for this edge's outcome (empty when it is ok), as one line. */
export function responsibleFor(r: EdgeResult): string {
  return [...new Set(WHERE[r.reason](r).filter(Boolean))].join('; ');
}
