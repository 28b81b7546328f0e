import test from 'ava';
import { SCENARIOS } from '../scenarios/index.js';
import { runScenario } from '../lib/scenarios/run.js';
import { clock } from './helpers/pki.js';
import { explain, explanationText } from '../lib/verdict/explain.js';

/**
 * Every scenario of the registry, run for real: a cluster on 127.0.0.1, a TLS handshake and an
 * HTTP request over the edge. The expectation is the documented outcome, and the explanation (in
 * English and in Chinese) must name the flag, field or file responsible.
 */
const macro = test.macro(async (t, name: string) => {
  const scenario = SCENARIOS.find((s) => s.name === name)!;
  const { result, mismatches } = await runScenario(scenario, clock);
  t.deepEqual(mismatches, [], `${result.summary}\n${result.messages.map((m) => m.text).join('\n')}`);
  t.like(result, { verdict: scenario.expect.verdict, stage: scenario.expect.stage, detectedBy: scenario.expect.detectedBy, reason: scenario.expect.reason });
  if (scenario.expect.identity) t.is(result.identity?.name, scenario.expect.identity.user);
  // A verdict other than ok always comes with what Kubernetes would print, except the silent insecure ones.
  if (result.verdict === 'rejected' || result.verdict === 'config-error') t.true(result.messages.length > 0);
  if (result.verdict !== 'config-error') t.truthy(result.client.dialled);
  for (const lang of ['en', 'zh'] as const) {
    const explanation = explain(result, lang);
    const text = explanationText(explanation);
    if (scenario.responsible) t.true(text.includes(scenario.responsible), `${lang} explanation does not name ${scenario.responsible}:\n${text}`);
    if (result.verdict === 'insecure') t.truthy(explanation.attacker, `${lang}: an insecure verdict says what an attacker can do`);
    t.truthy(explanation.fix);
  }
});

test('every scenario names what is responsible', (t) => {
  t.deepEqual(SCENARIOS.filter((s) => !s.responsible).map((s) => s.name), []);
});

for (const scenario of SCENARIOS) {
  test(`${scenario.name}: ${scenario.expect.verdict} [${scenario.expect.reason}]`, macro, scenario.name);
}
