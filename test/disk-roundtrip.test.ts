// The catalogue on disk (issue 11): every scenario a node folder can express is written with the
// code `pki write --fault/--flag` runs, read back with loadNode, started and dialled, and must give
// what the same scenario gives in memory: verdict, stage, side, reason, identity, and an explanation
// naming the same responsible file or flag. The others say why in their registry entry.
import { join } from 'node:path';
import test from 'ava';
import { SCENARIOS } from '../scenarios/index.js';
import { runScenario } from '../lib/scenarios/run.js';
import { runScenarioOnDisk } from './helpers/scenario-on-disk.js';
import { registryProblems } from '../lib/scenarios/registry.js';
import type { Scenario } from '../lib/scenarios/types.js';
import type { EdgeResult } from '../lib/verdict/result.js';
import { explain, explanationText } from '../lib/verdict/explain.js';
import { clock } from './helpers/pki.js';
import { tempDir } from './helpers/tools.js';

const onDisk = SCENARIOS.filter((s) => !s.onDisk);
const notOnDisk = SCENARIOS.filter((s) => s.onDisk);
/** Clusters at once: handshakes are CPU-bound, so more only queues (the machine is shared). */
const BATCH = 4;

const outcome = (r: EdgeResult) => ({ verdict: r.verdict, stage: r.stage, detectedBy: r.detectedBy, reason: r.reason, identity: r.identity?.name ?? null });

async function roundTrip(scenario: Scenario, dir: string): Promise<string[]> {
  const [memory, disk] = [await runScenario(scenario, clock), await runScenarioOnDisk(scenario, dir, clock)];
  const problems: string[] = [];
  if (JSON.stringify(outcome(disk.result)) !== JSON.stringify(outcome(memory.result))) {
    problems.push(`on disk ${JSON.stringify(outcome(disk.result))}, in memory ${JSON.stringify(outcome(memory.result))}: ${disk.result.summary}`);
  }
  const names = (r: EdgeResult) => scenario.responsible === undefined || explanationText(explain(r, 'en')).includes(scenario.responsible);
  if (!names(disk.result) || !names(memory.result)) problems.push(`the explanation on disk does not name ${scenario.responsible}`);
  return problems.map((p) => `${scenario.name}: ${p}`);
}

/** Scenarios per test: each test reports when done, so a slow shared machine never looks idle to ava's timeout. */
const PER_TEST = 12;

test(`the catalogue on disk: ${onDisk.length} of ${SCENARIOS.length} scenarios round-trip; ${notOnDisk.length} say why not`, (t) => {
  t.is(onDisk.length + notOnDisk.length, SCENARIOS.length);
  t.log(`${onDisk.length} of ${SCENARIOS.length} round-trip; ${notOnDisk.length} cannot be expressed on disk:`);
  for (const s of notOnDisk) t.log(`  ${s.name}: ${s.onDisk!.why}`);
});

for (let from = 0; from < onDisk.length; from += PER_TEST) {
  const part = onDisk.slice(from, from + PER_TEST);
  test.serial(`on disk as in memory: scenarios ${from + 1}–${from + part.length} of ${onDisk.length} (${part[0]!.name} … ${part.at(-1)!.name})`, async (t) => {
    const root = tempDir(t, 'kms-roundtrip-');
    const problems: string[] = [];
    for (let i = 0; i < part.length; i += BATCH) {
      const batch = part.slice(i, i + BATCH);
      for (const found of await Promise.all(batch.map((s) => roundTrip(s, join(root, s.name))))) problems.push(...found);
    }
    t.deepEqual(problems, []);
  });
}

test('what a folder cannot hold must say why (a registry check)', (t) => {
  t.true(notOnDisk.every((s) => s.onDisk!.why.length > 0));
  const base = SCENARIOS.find((s) => s.name === 'kubelet-tls-bootstrap')!;
  const { onDisk: _why, ...withoutWhy } = base;
  t.deepEqual(registryProblems([withoutWhy]), ['scenario "kubelet-tls-bootstrap": bootstrap token Secrets, the metrics-server addon and steps other than advance-clock have no on-disk form: say why in onDisk']);
  t.deepEqual(registryProblems([{ ...base, onDisk: { expressible: false, why: ' ' } }]), ['scenario "kubelet-tls-bootstrap": onDisk needs expressible: false and a why']);
  // Time passing alone is the folder checked later: no why needed.
  t.deepEqual(registryProblems([SCENARIOS.find((s) => s.name === 'kubectl-after-a-year')!]), []);
});
