import type { CertSummary, EdgeResult, TrustSummary } from './result.js';
import { PHRASES, type Lang, type Phrases } from './phrases.js';
import { WHY } from './why.js';
import { FIX } from './fix.js';

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
  const explanation: Explanation = { lang, presented, trusted, why: WHY[result.reason](p, result), fix: FIX[result.reason](p, result) };
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
