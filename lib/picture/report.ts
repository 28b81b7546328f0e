// One edge's report in the page's details panel, in one language: who presented what, who verified
// it with which flag and file, the verdict and its reason, what Kubernetes prints, where to look, the
// fix and the full explanation. Every value from the result is escaped: subjects and paths are the user's.
import { explain, type Lang } from '../verdict/explain.js';
import { REASONS } from '../verdict/reasons.js';
import { responsibleFor } from '../verdict/responsible.js';
import type { CertSummary, EdgeResult, TrustSummary } from '../verdict/result.js';
import { esc, WORDS, type PageWords } from './text.js';

function cert(w: PageWords, c: CertSummary): string {
  const parts = [
    `<b>${esc(c.subject || '(empty subject)')}</b>`,
    `${esc(w.issuedBy)} ${esc(c.issuer)}, serial ${esc(c.serial)}`,
    `${esc(w.validity)} ${esc(c.notBefore)} .. ${esc(c.notAfter)}`,
    ...(c.extKeyUsage.length ? [`EKU ${esc(c.extKeyUsage.join(', '))}`] : []),
    ...(c.sans.length ? [`SANs ${esc(c.sans.join(', '))}`] : []),
    ...(c.field ? [`<code>${esc(c.field)}</code>${c.file ? ` <code>${esc(c.file)}</code>` : ''}`] : []),
  ];
  return parts.join('<br>');
}

function presented(w: PageWords, p: EdgeResult['client']['presented']): string {
  if (!p) return esc(w.nothing);
  if ('token' in p) return `bearer token ${esc(p.token)}: <code>${esc(p.field)}</code>${p.file ? ` <code>${esc(p.file)}</code>` : ''}`;
  return cert(w, p);
}

function trust(w: PageWords, t: TrustSummary | null): string {
  if (!t) return esc(w.unknownTrust);
  const where = `<code>${esc(t.field)}</code>${t.file ? ` <code>${esc(t.file)}</code>` : ''}`;
  if (t.kind === 'none') return `${esc(w.noVerification)}: ${where}`;
  if (t.kind === 'system-roots') return `${esc(w.systemRoots)}: ${where}`;
  return `${where}: <b>${esc(t.subjects.join('; ') || w.nothing)}</b>`;
}

const row = (label: string, value: string) => `<dt>${esc(label)}</dt><dd>${value}</dd>`;

export function edgeReport(r: EdgeResult, lang: Lang): string {
  const w = WORDS[lang];
  const e = explain(r, lang);
  const look = responsibleFor(r);
  const decided = r.detectedBy && r.stage ? ` (${esc(w.decidedBy(r.detectedBy, r.stage))})` : '';
  return [
    `<h2>${esc(r.edge)} <span class="badge v-${esc(r.verdict)}">${esc(w.verdicts[r.verdict])}</span></h2>`,
    `<p class="summary">${esc(lang === 'en' ? r.summary : e.why)}</p>`,
    `<h3>${esc(w.client)}: ${esc(r.client.component)}</h3><dl>`,
    row(w.dials, `<code>${esc(r.client.dialled || '-')}</code>`),
    row(w.presents, presented(w, r.client.presented)),
    row(w.trusts, trust(w, r.client.trusts)),
    `</dl><h3>${esc(w.server)}: ${esc(r.server.component)}</h3><dl>`,
    row(w.presents, r.server.presented ? cert(w, r.server.presented) : esc(w.nothing)),
    row(w.verifiesClients, `${trust(w, r.server.verifiesClientsWith)}<br>${esc(w.requestsClientCert(r.server.requestedClientCert))}`),
    `</dl><h3>${esc(w.verdict)}</h3><dl>`,
    row(w.verdict, `<b class="v-text-${esc(r.verdict)}">${esc(w.verdicts[r.verdict])}</b>${decided}`),
    row(w.reason, `<code>${esc(r.reason)}</code>${lang === 'en' ? ` ${esc(REASONS[r.reason])}` : ''}`),
    ...(r.identity ? [row(w.identity, `${esc(r.identity.name)}${r.identity.groups.length ? ` (${esc(r.identity.groups.join(', '))})` : ''}`)] : []),
    ...(look ? [row(w.lookAt, `<code>${esc(look)}</code>`)] : []),
    row(w.fix, esc(e.fix)),
    `</dl><h3>${esc(w.kubernetesSays)}</h3>`,
    r.messages.length === 0
      ? `<p>${esc(w.kubernetesSilent)}</p>`
      : `<ul class="messages">${r.messages.map((m) => `<li><b>${esc(m.component)}</b> (${esc(m.where)}): <code>${esc(m.text)}</code></li>`).join('')}</ul>`,
    `<h3>${esc(w.explanation)}</h3>`,
    `<ul class="explanation">${[...e.presented, ...e.trusted].map((l) => `<li>${esc(l)}</li>`).join('')}</ul>`,
    // In English the summary heads the report and the why ends it; in Chinese the why heads it (the summary is English only).
    ...(lang === 'en' ? [`<p>${esc(e.why)}</p>`] : []),
    ...(e.attacker ? [`<p class="attacker">${esc(e.attacker)}</p>`] : []),
  ].join('\n');
}
