import type { CertSummary, EdgeResult, TrustSummary } from './result.js';
import { PHRASES, type Lang, type Phrases } from './phrases.js';

export type { Lang } from './phrases.js';

/**
 * A result, explained for a learner: what was presented, what it was checked against, why they do
 * (not) fit — by subject and key id, dates against the clock, usage against role, SAN against the
 * dialled name —, what Kubernetes prints, and the fix (which flag or file, changed to what). An
 * `insecure` verdict always says what an attacker could do. Built only from the result's own data.
 */
export interface Explanation {
  lang: Lang;
  /** Who presented what. */
  presented: string[];
  /** What the verifying side trusted. */
  trusted: string[];
  /** Why it works, or why not. */
  why: string;
  /** For `insecure`: what an attacker can do. */
  attacker?: string;
  /** What to change. */
  fix: string;
}

export function explain(result: EdgeResult, lang: Lang = 'en'): Explanation {
  const p = PHRASES[lang];
  const c = result.client;
  const s = result.server;
  const presented: string[] = [];
  const trusted: string[] = [];
  if (result.verdict !== 'config-error' || c.presented) presented.push(p.clientPresents(c.component, describePresented(p, c.presented)));
  if (s.presented) presented.push(p.serverPresents(s.component, describeCert(p, s.presented)));
  if (c.trusts) trusted.push(p.clientTrusts(c.component, describeTrust(p, c.trusts), c.dialled, c.checksName));
  if (s.verifiesClientsWith) trusted.push(p.serverTrusts(s.component, describeTrust(p, s.verifiesClientsWith)));
  const explanation: Explanation = { lang, presented, trusted, why: why(p, result), fix: fix(p, result) };
  const attacker = result.verdict === 'insecure' ? p.attacker(result) : undefined;
  if (attacker) explanation.attacker = attacker;
  return explanation;
}

/** The explanation as lines of text (the CLI's EXPLANATION block, and what tests search). */
export function explanationText(e: Explanation): string {
  const p = PHRASES[e.lang];
  return [...e.presented, ...e.trusted, `${p.labels.why}: ${e.why}`, ...(e.attacker ? [`${p.labels.attacker}: ${e.attacker}`] : []), `${p.labels.fix}: ${e.fix}`].join('\n');
}

function describePresented(p: Phrases, presented: EdgeResult['client']['presented']): string {
  if (!presented) return p.nothing;
  if ('token' in presented) return p.token(presented.field, presented.file);
  return describeCert(p, presented);
}

export function describeCert(p: Phrases, c: CertSummary): string {
  return p.cert(c.subject || '(empty)', c.serial, c.issuer, c.authorityKeyId, c.field, c.file);
}

function describeTrust(p: Phrases, t: TrustSummary): string {
  if (t.kind === 'none') return p.trustNone(t.field, t.switchedOff === true);
  if (t.kind === 'system-roots') return p.trustSystemRoots(t.field);
  return p.trustCa(t.field, t.file, t.subjects.map((subject, i) => (t.keyIds[i] ? `${subject} [${p.keyId} ${t.keyIds[i]}]` : subject)).join('; '));
}

/** The certificate the verifying side refused, and what that side trusted. */
function refused(result: EdgeResult): { cert: CertSummary | null; trust: TrustSummary | null; holder: string; verifier: string } {
  if (result.detectedBy === 'client') {
    return { cert: result.server.presented, trust: result.client.trusts, holder: result.server.component, verifier: result.client.component };
  }
  const presented = result.client.presented;
  return { cert: presented && !('token' in presented) ? presented : null, trust: result.server.verifiesClientsWith, holder: result.client.component, verifier: result.server.component };
}

function why(p: Phrases, r: EdgeResult): string {
  const { cert, trust, holder, verifier } = refused(r);
  const certRef = cert ? `${cert.subject} (${cert.file ?? cert.field ?? ''})` : holder;
  switch (r.reason) {
    case 'OK': return p.whyOk(r);
    case 'UNKNOWN_AUTHORITY': {
      if (!cert || !trust) return p.whyGeneric(r.summary);
      const sameName = trust.subjects.includes(cert.issuer);
      const sameKey = cert.authorityKeyId !== '' && trust.keyIds.includes(cert.authorityKeyId);
      if (trust.kind !== 'ca') return p.whyNoAnchor(certRef, cert.issuer, trust.field);
      const expired = expiredCaHint(r);
      if (expired) return p.whyCaExpired(certRef, `CN=${expired.candidate}`, expired.error, trust.file ?? trust.field);
      if (sameName && !sameKey) return p.whyImpostor(certRef, cert.issuer, cert.authorityKeyId, trust.keyIds.join(', '));
      // An issuer that is neither trusted nor sent along: the chain is missing its intermediate, if the name says so.
      if (!sameName && !(cert.sentWith ?? []).includes(cert.issuer) && /intermediate/i.test(cert.issuer)) {
        return p.whyMissingIntermediate(certRef, cert.issuer, trust.subjects.join('; '));
      }
      return p.whyUnknownCa(certRef, cert.issuer, cert.authorityKeyId, trust.subjects.join('; '), trust.file ?? trust.field);
    }
    case 'NOT_A_CA': return p.whyNotACa(certRef, cert?.issuer ?? '?');
    case 'CERT_EXPIRED': return p.whyExpired(certRef, cert?.notAfter ?? '?', r.at);
    case 'CERT_NOT_YET_VALID': return p.whyNotYetValid(certRef, cert?.notBefore ?? '?', r.at);
    case 'WRONG_EKU': {
      const needs = neededUsage(r);
      if (trust && ekuTakenByChain(r)) return p.whyEkuFromChain(certRef, needs, verifier, trust.file ?? trust.field);
      return p.whyEku(certRef, cert?.extKeyUsage ?? [], needs, verifier);
    }
    case 'SAN_MISMATCH': return p.whySan(certRef, r.client.checksName?.name ?? r.client.dialled, r.client.checksName?.from ?? 'url', r.client.dialled, cert?.sans ?? []);
    case 'NO_CLIENT_CERT': return p.whyNoClientCert(r.client.component, r.server.component, r.server.verifiesClientsWith?.field ?? '');
    case 'NO_TRUSTED_CA': return p.whyNoTrustedCa();
    case 'TLS_VERSION': return p.whyTlsVersion(r.server.component, r.server.minVersion ?? 'TLSv1.3', r.client.component, r.client.maxVersion ?? 'TLSv1.2');
    case 'HANDSHAKE_FAILED': return p.whyGeneric(r.summary);
    case 'FORBIDDEN': return p.whyForbidden(r.identity?.name ?? '?', r.identity?.groups ?? [], forbiddenMessage(r), anonymousSetting(r));
    case 'INVALID_TOKEN':
    case 'TOKEN_EXPIRED': return p.whyToken(r.reason, tokenSource(r), errorOf(r));
    case 'NO_CREDENTIALS': {
      if (certNotRequested(r)) {
        return p.whyNotRequested(r.client.component, r.server.component, r.server.verifiesClientsWith?.field ?? '');
      }
      const reset = /reset to false because [^)]*/.exec(r.summary)?.[0];
      return p.whyNoCredentials(r.client.component, r.client.configuredBy, `${anonymousSetting(r) ?? ''}${reset ? `: ${reset}` : ''}`);
    }
    case 'NO_CLIENT_AUTH': return p.whyNoClientAuth(r.server.verifiesClientsWith?.field ?? 'etcd --trusted-ca-file');
    case 'SERVER_NOT_VERIFIED': return p.whyServerNotVerified(r.client.component, r.server.component, r.client.trusts?.field ?? '');
    case 'KEY_MISMATCH':
    case 'PEM_SWITCHED':
    case 'FILE_MISSING':
    case 'BAD_FILE': return p.whyConfig(r.detectedBy === 'server' ? r.server.component : r.client.component, r.detectedBy === 'server', r.summary);
    case 'CONNECTION_REFUSED': return p.whyRefused(r.client.dialled, r.client.configuredBy);
    case 'NO_SERVING_CERT': return p.whyNoServingCert();
    case 'ANONYMOUS_ALLOWED': return p.whyAnonymousAllowed(r.server.component, anonymousSetting(r) ?? '',
      r.anonymous && r.identity ? { client: r.client.component, user: r.identity.name, status: r.anonymous.status } : undefined);
    case 'CLIENT_KEY_UNUSABLE': return p.whyConfig(r.client.component, false, r.summary);
    default: return p.whyGeneric(r.summary);
  }
}

function fix(p: Phrases, r: EdgeResult): string {
  const { cert, trust, holder } = refused(r);
  const certFile = cert?.file ?? cert?.field ?? holder;
  switch (r.reason) {
    case 'OK': return p.fixNone;
    case 'UNKNOWN_AUTHORITY':
    case 'NOT_A_CA': {
      const expired = r.reason === 'UNKNOWN_AUTHORITY' ? expiredCaHint(r) : undefined;
      if (expired) return p.fixCaExpired(`CN=${expired.candidate}`, trust?.file ?? trust?.field ?? '');
      return r.detectedBy === 'client'
        ? p.fixServerCa(certFile, r.server.presented?.field ?? '', trust?.field ?? '', trust?.file)
        : p.fixClientCa(certFile, trust?.field ?? '', trust?.file);
    }
    case 'CERT_EXPIRED': return p.fixExpired(certFile);
    case 'CERT_NOT_YET_VALID': return p.fixNotYetValid(certFile);
    case 'WRONG_EKU':
      return trust && ekuTakenByChain(r) ? p.fixEkuFromChain(neededUsage(r), trust.file ?? trust.field) : p.fixEku(certFile, neededUsage(r));
    case 'SAN_MISMATCH': return p.fixSan(certFile, r.client.checksName?.name ?? r.client.dialled, r.server.component);
    case 'NO_CLIENT_CERT': return p.fixNoClientCert(clientCertSetting(r), r.server.verifiesClientsWith?.file ?? '');
    case 'NO_TRUSTED_CA': return p.fixNoTrustedCa();
    case 'TLS_VERSION': return p.fixTlsVersion();
    case 'FORBIDDEN': return p.fixForbidden(r.identity?.name ?? '?', clientCertSetting(r));
    case 'INVALID_TOKEN': return p.fixInvalidToken(tokenSource(r), isBootstrapToken(r));
    case 'TOKEN_EXPIRED': return p.fixTokenExpired(tokenSource(r));
    case 'NO_CREDENTIALS':
      return certNotRequested(r) ? p.fixNotRequested(r.server.component, r.server.verifiesClientsWith?.field ?? '') : p.fixNoCredentials(r.client.configuredBy);
    case 'NO_CLIENT_AUTH': return p.fixNoClientAuth();
    case 'SERVER_NOT_VERIFIED': return p.fixServerNotVerified(r.client.trusts?.field ?? '', r.server.component);
    case 'KEY_MISMATCH':
    case 'PEM_SWITCHED':
    case 'FILE_MISSING':
    case 'BAD_FILE': return p.fixConfig(r.reason);
    case 'CONNECTION_REFUSED': return p.fixRefused(r.client.configuredBy);
    case 'NO_SERVING_CERT': return p.fixNoServingCert();
    case 'ANONYMOUS_ALLOWED': return p.fixAnonymousAllowed(r.server.component, anonymousSetting(r) ?? '');
    case 'CLIENT_KEY_UNUSABLE': return p.fixConfig(r.reason);
    default: return p.fixGeneric;
  }
}

function forbiddenMessage(r: EdgeResult): string {
  const text = r.http?.body ?? '';
  try {
    return (JSON.parse(text) as { message?: string }).message ?? text;
  } catch {
    return text.trim();
  }
}

/** Go's "possibly because of …" hint, from whichever side's message carries it, when it says the candidate CA is out of its dates. */
function expiredCaHint(r: EdgeResult): { error: string; candidate: string } | undefined {
  const text = [r.client.saw.verification, r.server.saw.log, r.summary].filter(Boolean).join('\n');
  const m = /possibly because of "((?:[^"\\]|\\.)*)" while trying to verify candidate authority certificate "((?:[^"\\]|\\.)*)"/.exec(text);
  const error = m?.[1]?.replace(/\\"/g, '"');
  return error && /has expired or is not yet valid/.test(error) ? { error, candidate: m![2]! } : undefined;
}

/** The usage the verifier needs of the refused certificate: serverAuth when the client refused, clientAuth when the server did. */
function neededUsage(r: EdgeResult): 'serverAuth' | 'clientAuth' {
  return r.detectedBy === 'client' ? 'serverAuth' : 'clientAuth';
}

/** The refused certificate allows the usage itself, so a CA above it took it away (Go intersects usages down the chain). */
function ekuTakenByChain(r: EdgeResult): boolean {
  const has = refused(r).cert?.extKeyUsage;
  return has !== undefined && (has.length === 0 || has.includes(neededUsage(r)));
}

/** The client has a certificate configured, but the server never asked for one. */
function certNotRequested(r: EdgeResult): boolean {
  return r.server.requestedClientCert === false && r.client.presented !== null && !('token' in r.client.presented);
}

function errorOf(r: EdgeResult): string {
  return r.summary.replace(/^.*answered 401: /, '');
}

function tokenSource(r: EdgeResult): string {
  const presented = r.client.presented;
  return presented && 'token' in presented ? `${presented.field} (${presented.file})` : r.client.configuredBy;
}

/** Bootstrap tokens have the form `[a-z0-9]{6}.[a-z0-9]{16}`; the result keeps the first ten characters. */
function isBootstrapToken(r: EdgeResult): boolean {
  const presented = r.client.presented;
  return !!presented && 'token' in presented && /^[a-z0-9]{6}\.[a-z0-9]/.test(presented.token);
}

function anonymousSetting(r: EdgeResult): string | undefined {
  if (r.identity && r.identity.name !== 'system:anonymous' && !r.anonymous) return undefined;
  return r.server.component === 'kubelet' ? 'KubeletConfiguration authentication.anonymous.enabled' : 'kube-apiserver --anonymous-auth';
}

/** Where the client's certificate is configured (even when it is missing). */
function clientCertSetting(r: EdgeResult): string {
  const presented = r.client.presented;
  if (presented && !('token' in presented) && presented.field) return `${presented.field} (${presented.file ?? ''})`;
  if (r.edge === 'apiserver-to-etcd') return 'kube-apiserver --etcd-certfile/--etcd-keyfile';
  if (r.edge === 'apiserver-to-kubelet') return 'kube-apiserver --kubelet-client-certificate/--kubelet-client-key';
  return `client-certificate-data/client-key-data in ${r.client.configuredBy}`;
}
