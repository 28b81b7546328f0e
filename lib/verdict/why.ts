import type { Phrases } from './phrases.js';
import type { Reason } from './reasons.js';
import type { EdgeResult, TrustSummary } from './result.js';
import {
  anonymousSetting, authnError, certNotRequested, keyTypeHint, sentCaExpired, ekuTakenByChain, expiredCaHint, httpMessage, intermediateMissing, neededUsage, refused, structureCause, tokenSource, verification,
} from './explain-facts.js';

type Explainer = (p: Phrases, r: EdgeResult) => string;

/** Where the extension server's --requestheader-allowed-names comes from (its flag, or the apiserver's through the ConfigMap). */
export const allowedNamesSetting = (r: EdgeResult): string =>
  (r.cause.kind === 'http' ? r.cause.authn?.setting : undefined) ?? `${r.server.component} --requestheader-allowed-names`;

/** The refused certificate as an explanation names it: subject and where it is configured. */
function certRef(r: EdgeResult): string {
  const { cert, holder } = refused(r);
  return cert ? `${cert.subject} (${cert.file ?? cert.field ?? ''})` : holder;
}

const unknownAuthority: Explainer = (p, r) => {
  const built = structure(p, r);
  if (built) return built;
  const { cert, trust } = refused(r);
  if (!cert || !trust) return p.whyGeneric(r.summary);
  const ref = certRef(r);
  const sameName = trust.subjects.includes(cert.issuer);
  const sameKey = cert.authorityKeyId !== '' && trust.keyIds.includes(cert.authorityKeyId);
  if (trust.kind !== 'ca') return p.whyNoAnchor(ref, cert.issuer, trust.field);
  const sent = sentCaExpired(r);
  if (sent) return p.whyIntermediateExpired(ref, sent, verification(r)?.error ?? r.summary);
  if (keyTypeHint(r)) return p.whyKeyType(ref, cert.issuer, verification(r)?.error ?? r.summary);
  const expired = expiredCaHint(r);
  if (expired) return p.whyCaExpired(ref, `CN=${expired.candidate}`, expired.error, trust.file ?? trust.field);
  if (sameName && !sameKey) return p.whyImpostor(ref, cert.issuer, cert.authorityKeyId, trust.keyIds.join(', '));
  // An issuer that is neither trusted nor sent along, and is itself signed by a CA: the chain lacks its intermediate.
  if (!sameName && intermediateMissing(r)) return p.whyMissingIntermediate(ref, cert.issuer, trust.subjects.join('; '));
  return p.whyUnknownCa(ref, cert.issuer, cert.authorityKeyId, trust.subjects.join('; '), trust.file ?? trust.field);
};

/** The trusted CA a chain ends at, as its subjects read. */
export const trustedNames = (trust: TrustSummary | null): string => (trust && trust.subjects.length > 0 ? trust.subjects.join('; ') : trust?.field ?? '?');

/** A Go refusal about how a certificate is built, when there is one (explain-facts structureCause). */
const structure = (p: Phrases, r: EdgeResult): string | undefined => {
  const cause = structureCause(r);
  if (!cause) return undefined;
  const { cert, trust } = refused(r);
  const ca = cause === 'name-encoding' || cause === 'insecure-signature' ? cert?.issuer ?? '?' : trustedNames(trust);
  return p.whyStructure(cause, certRef(r), ca, verification(r)?.error ?? r.summary);
};

const config: Explainer = (p, r) => p.whyConfig(r.detectedBy === 'server' ? r.server.component : r.client.component,
  r.detectedBy === 'server' || (r.cause.kind === 'config-error' && r.cause.clientDidNotStart === true), r.summary);
/** The kubeconfig user entry that made kubectl prompt (the error's field). */
export const promptedUser = (r: EdgeResult): string => (r.cause.kind === 'config-error' ? r.cause.field ?? 'the user' : 'the user');
const token: Explainer = (p, r) => p.whyToken(r.reason === 'TOKEN_EXPIRED' ? 'TOKEN_EXPIRED' : 'INVALID_TOKEN', tokenSource(r), authnError(r));

/**
 * Why, for each reason: a table, so that a new reason does not compile until it is explained (the
 * sentences themselves are in phrases.ts, in every language).
 */
export const WHY = {
  OK: (p, r) => p.whyOk(r),
  UNKNOWN_AUTHORITY: unknownAuthority,
  NOT_A_CA: (p, r) => structure(p, r) ?? p.whyNotACa(certRef(r), refused(r).cert?.issuer ?? '?'),
  CERT_EXPIRED: (p, r) => p.whyExpired(certRef(r), refused(r).cert?.notAfter ?? '?', r.at),
  CERT_NOT_YET_VALID: (p, r) => p.whyNotYetValid(certRef(r), refused(r).cert?.notBefore ?? '?', r.at),
  WRONG_EKU: (p, r) => {
    const { cert, trust, verifier } = refused(r);
    if (trust && ekuTakenByChain(r)) return p.whyEkuFromChain(certRef(r), neededUsage(r), verifier, trust.file ?? trust.field);
    return p.whyEku(certRef(r), cert?.extKeyUsage ?? [], neededUsage(r), verifier);
  },
  SAN_MISMATCH: (p, r) => p.whySan(certRef(r), r.client.checksName?.name ?? r.client.dialled, r.client.checksName?.from ?? 'url', r.client.dialled, refused(r).cert?.sans ?? []),
  NO_CLIENT_CERT: (p, r) => p.whyNoClientCert(r.client.component, r.server.component, r.server.verifiesClientsWith?.field ?? ''),
  NO_TRUSTED_CA: (p) => p.whyNoTrustedCa(),
  TLS_VERSION: (p, r) => p.whyTlsVersion(r.server.component, r.server.minVersion ?? 'TLSv1.3', r.client.component, r.client.maxVersion ?? 'TLSv1.2'),
  HANDSHAKE_FAILED: (p, r) => p.whyGeneric(r.summary),
  FORBIDDEN: (p, r) => p.whyForbidden(r.identity?.name ?? '?', r.identity?.groups ?? [], httpMessage(r), anonymousSetting(r)),
  INVALID_TOKEN: token,
  TOKEN_EXPIRED: token,
  NO_CREDENTIALS: (p, r) => {
    if (certNotRequested(r)) return p.whyNotRequested(r.client.component, r.server.component, r.server.verifiesClientsWith?.field ?? '');
    const reset = r.cause.kind === 'http' ? r.cause.authn?.anonymousResetBecause : undefined;
    return p.whyNoCredentials(r.client.component, r.client.configuredBy, `${anonymousSetting(r) ?? ''}${reset ? `: reset to false because ${reset}` : ''}`);
  },
  NO_CLIENT_AUTH: (p, r) => p.whyNoClientAuth(r.server.verifiesClientsWith?.field ?? 'etcd --trusted-ca-file'),
  SERVER_NOT_VERIFIED: (p, r) => p.whyServerNotVerified(r.client.component, r.server.component, r.client.trusts?.field ?? ''),
  KEY_MISMATCH: config,
  PEM_SWITCHED: config,
  FILE_MISSING: config,
  BAD_FILE: config,
  BAD_FLAG: config,
  CREDENTIALS_PROMPT: (p, r) => p.whyPrompt(promptedUser(r), r.cause.kind === 'config-error' ? r.cause.file ?? '' : ''),
  CLIENT_KEY_UNUSABLE: (p, r) => p.whyConfig(r.client.component, false, r.summary),
  CONNECTION_REFUSED: (p, r) => p.whyRefused(r.client.dialled, r.client.configuredBy),
  NO_SERVING_CERT: (p) => p.whyNoServingCert(),
  ANONYMOUS_ALLOWED: (p, r) => p.whyAnonymousAllowed(r.server.component, anonymousSetting(r) ?? '',
    r.anonymous && r.identity ? { client: r.client.component, user: r.identity.name, status: r.anonymous.status } : undefined),
  HTTP_ERROR: (p, r) => p.whyGeneric(r.summary),
  CONNECTION_CLOSED: (p, r) => p.whyGeneric(r.summary),
  TIMEOUT: (p, r) => p.whyGeneric(r.summary),
  FRONT_PROXY_NOT_ALLOWED: (p, r) => p.whyFrontProxyNotAllowed(r.client.component, r.server.component, certRef(r), allowedNamesSetting(r), authnError(r)),
} as const satisfies Record<Reason, Explainer>;
