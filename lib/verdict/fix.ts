import type { ConfigReason, Phrases } from './phrases.js';
import type { Reason } from './reasons.js';
import type { EdgeResult } from './result.js';
import { keyTypeHint, sentCaExpired, certNotRequested, clientCertSetting, ekuTakenByChain, expiredCaHint, isBootstrapToken, neededUsage, refused, anonymousSetting, structureCause, tokenSource } from './explain-facts.js';

import { allowedNamesSetting, promptedUser, trustedNames } from './why.js';

type Fixer = (p: Phrases, r: EdgeResult) => string;

/** The refused certificate's file (or field, or holder) that a fix names. */
function certFile(r: EdgeResult): string {
  const { cert, holder } = refused(r);
  return cert?.file ?? cert?.field ?? holder;
}

const wrongCa: Fixer = (p, r) => {
  const { trust } = refused(r);
  const built = structureCause(r);
  if (built) return p.fixStructure(built, certFile(r), trustedNames(trust));
  const sent = r.reason === 'UNKNOWN_AUTHORITY' ? sentCaExpired(r) : undefined;
  if (sent) return p.fixIntermediateExpired(certFile(r), sent);
  if (keyTypeHint(r)) return p.fixKeyType(certFile(r), trust?.file ?? trust?.field ?? '');
  const expired = r.reason === 'UNKNOWN_AUTHORITY' ? expiredCaHint(r) : undefined;
  if (expired) return p.fixCaExpired(`CN=${expired.candidate}`, trust?.file ?? trust?.field ?? '');
  return r.detectedBy === 'client'
    ? p.fixServerCa(certFile(r), r.server.presented?.field ?? '', trust?.field ?? '', trust?.file)
    : p.fixClientCa(certFile(r), trust?.field ?? '', trust?.file);
};

const config = (reason: Exclude<ConfigReason, 'CREDENTIALS_PROMPT'>): Fixer => (p) => p.fixConfig(reason);
const generic: Fixer = (p) => p.fixGeneric;

/** The fix, for each reason: a table, so that a new reason does not compile until it has one. */
export const FIX = {
  OK: (p) => p.fixNone,
  UNKNOWN_AUTHORITY: wrongCa,
  NOT_A_CA: wrongCa,
  CERT_EXPIRED: (p, r) => p.fixExpired(certFile(r)),
  CERT_NOT_YET_VALID: (p, r) => p.fixNotYetValid(certFile(r)),
  WRONG_EKU: (p, r) => {
    const { trust } = refused(r);
    return trust && ekuTakenByChain(r) ? p.fixEkuFromChain(neededUsage(r), trust.file ?? trust.field) : p.fixEku(certFile(r), neededUsage(r));
  },
  // The addon's and the peer port's certificates are named by other flags and kubeadm fields than the client port's.
  SAN_MISMATCH: (p, r) => (r.edge === 'apiserver-to-metrics-server' || r.edge === 'metrics-server-to-kubelet'
    ? p.fixAddonSan(certFile(r), r.client.checksName?.name ?? r.client.dialled, r.server.component)
    : p.fixSan(certFile(r), r.client.checksName?.name ?? r.client.dialled, r.edge === 'etcd-peer' ? 'etcd-peer' : r.server.component)),
  NO_CLIENT_CERT: (p, r) => p.fixNoClientCert(clientCertSetting(r), r.server.verifiesClientsWith?.file ?? ''),
  NO_TRUSTED_CA: (p) => p.fixNoTrustedCa(),
  TLS_VERSION: (p) => p.fixTlsVersion(),
  HANDSHAKE_FAILED: generic,
  FORBIDDEN: (p, r) => p.fixForbidden(r.identity?.name ?? '?', clientCertSetting(r)),
  INVALID_TOKEN: (p, r) => p.fixInvalidToken(tokenSource(r), isBootstrapToken(r)),
  TOKEN_EXPIRED: (p, r) => p.fixTokenExpired(tokenSource(r)),
  NO_CREDENTIALS: (p, r) => (certNotRequested(r)
    ? p.fixNotRequested(r.server.component, r.server.verifiesClientsWith?.field ?? '')
    : p.fixNoCredentials(r.client.configuredBy)),
  NO_CLIENT_AUTH: (p) => p.fixNoClientAuth(),
  SERVER_NOT_VERIFIED: (p, r) => p.fixServerNotVerified(r.client.trusts?.field ?? '', r.server.component),
  KEY_MISMATCH: config('KEY_MISMATCH'),
  PEM_SWITCHED: config('PEM_SWITCHED'),
  FILE_MISSING: config('FILE_MISSING'),
  BAD_FILE: config('BAD_FILE'),
  CLIENT_KEY_UNUSABLE: config('CLIENT_KEY_UNUSABLE'),
  BAD_FLAG: config('BAD_FLAG'),
  CREDENTIALS_PROMPT: (p, r) => p.fixPrompt(promptedUser(r), r.cause.kind === 'config-error' ? r.cause.file ?? '' : ''),
  CONNECTION_REFUSED: (p, r) => p.fixRefused(r.client.configuredBy),
  NO_SERVING_CERT: (p) => p.fixNoServingCert(),
  ANONYMOUS_ALLOWED: (p, r) => p.fixAnonymousAllowed(r.server.component, anonymousSetting(r) ?? ''),
  HTTP_ERROR: generic,
  CONNECTION_CLOSED: generic,
  TIMEOUT: generic,
  FRONT_PROXY_NOT_ALLOWED: (p, r) => p.fixFrontProxyNotAllowed(certFile(r), allowedNamesSetting(r)),
} as const satisfies Record<Reason, Fixer>;
