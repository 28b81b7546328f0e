import { KubeMtlsSimError } from '../errors.js';
import { ALL_EDGE_NAMES } from '../edges/edges.js';
import { KNOWN_FLAGS } from '../components/flags.js';
import { PRESETS } from '../pki/presets/index.js';
import { REASONS } from '../verdict/reasons.js';
import type { Scenario } from './types.js';

/**
 * The registry is checked before anything runs: unique kebab-case names, known edges, presets and
 * reasons, faults that name certificates of the scenario's preset, flags the components know, and
 * expectations that hang together (an `ok` has no stage or side, a `config-error` is at `config`).
 */
export function registryProblems(scenarios: readonly Scenario[]): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const s of scenarios) {
    const at = `scenario "${s.name}"`;
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(s.name)) problems.push(`${at}: name is not kebab-case`);
    if (names.has(s.name)) problems.push(`${at}: duplicate name`);
    names.add(s.name);
    if (!(ALL_EDGE_NAMES as readonly string[]).includes(s.edge)) problems.push(`${at}: unknown edge "${s.edge}"`);
    const preset = PRESETS[s.preset];
    if (!preset) problems.push(`${at}: unknown preset "${s.preset}"`);
    if (!(s.expect.reason in REASONS)) problems.push(`${at}: unknown reason "${s.expect.reason}"`);
    const e = s.expect;
    if (e.verdict === 'ok' && (e.stage !== null || e.detectedBy !== null || e.reason !== 'OK')) problems.push(`${at}: an ok expectation has stage null, detectedBy null and reason OK`);
    if (e.verdict !== 'ok' && e.reason === 'OK') problems.push(`${at}: reason OK with verdict ${e.verdict}`);
    if (e.verdict === 'config-error' && e.stage !== 'config') problems.push(`${at}: a config-error is decided at stage config`);
    if (e.verdict === 'rejected' && e.identity && ['tls', 'config'].includes(e.stage ?? '')) problems.push(`${at}: nobody is authenticated when TLS is refused`);
    problems.push(...onDiskProblems(s, at));
    for (const id of Object.keys(s.changes?.faults ?? {})) {
      if (preset && !preset.certs.some((r) => r.id === id)) problems.push(`${at}: fault on unknown certificate "${id}" (preset ${s.preset})`);
    }
    for (const [component, overrides] of [['kube-apiserver', s.changes?.apiserver], ['etcd', s.changes?.etcd]] as const) {
      for (const flag of Object.keys(overrides ?? {})) {
        if (!(KNOWN_FLAGS[component] as readonly string[]).includes(flag)) problems.push(`${at}: unknown ${component} flag ${flag}`);
      }
    }
  }
  return problems;
}

/**
 * What a folder cannot hold must say so: bootstrap token Secrets (etcd's, not a file) and steps done
 * to a running cluster other than time passing (a folder is checked at one time: `check --now`).
 */
function onDiskProblems(s: Scenario, at: string): string[] {
  const c = s.changes ?? {};
  const inMemoryOnly = c.bootstrapTokens !== undefined || (c.steps ?? []).some((step) => step.kind !== 'advance-clock');
  if (s.onDisk !== undefined && !(s.onDisk.expressible === false && s.onDisk.why.trim().length > 0)) return [`${at}: onDisk needs expressible: false and a why`];
  if (inMemoryOnly && s.onDisk === undefined) return [`${at}: bootstrap token Secrets and steps other than advance-clock have no on-disk form: say why in onDisk`];
  return [];
}

export function checkRegistry<T extends readonly Scenario[]>(scenarios: T): T {
  const problems = registryProblems(scenarios);
  if (problems.length > 0) {
    throw new KubeMtlsSimError('ERR_TABLE_INVALID', `the scenario registry is inconsistent:\n  ${problems.join('\n  ')}`, { field: 'scenarios' });
  }
  return scenarios;
}
