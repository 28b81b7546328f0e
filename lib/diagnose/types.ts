import type { Reason, Verdict } from '../verdict/reasons.js';

/** What `diagnose` matches against: the catalogue's own lines as templates, and what each scenario means. */
export interface DiagnoseIndex {
  /** Every distinct template of a line the catalogue prints, with the scenarios that print exactly it. */
  lines: { template: string; component: string; scenarios: string[] }[];
  scenarios: Record<string, { reason: Reason; verdict: Verdict; responsible: string | null; fix: { en: string; zh: string } }>;
}
