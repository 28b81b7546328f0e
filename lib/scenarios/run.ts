import { fixedClock, isManualClock, type Clock } from '../clock.js';
import { bootstrapKubeconfigText } from '../kubelet/bootstrap-fallback.js';
import { defineCluster, type StartedCluster } from '../cluster/cluster.js';
import { generateBootstrapToken, kubeadmBootstrapToken } from '../authn/bootstrap-tokens.js';
import type { EdgeResult } from '../verdict/result.js';
import { EDGE_NAMES } from '../edges/edges.js';
import type { InspectReport } from '../layout/inspect.js';
import { clusterChanges, type Scenario, type ScenarioStep } from './types.js';

export interface ScenarioRun {
  scenario: Scenario;
  result: EdgeResult;
  /** The node's certificates and their expiry at the end of the scenario, when asked for. */
  expirations?: InspectReport;
  /** Every way the result differs from the expectation; empty when it matches. */
  mismatches: string[];
  /** The cluster's other edges, dialled after the scenario's own, when asked for (the picture draws the whole cluster). */
  otherEdges?: EdgeResult[];
}

/** The kubelet's --bootstrap-kubeconfig on a kubeadm node (kubeadm join writes it). */
const BOOTSTRAP_KUBECONFIG = '/etc/kubernetes/bootstrap-kubelet.conf';

/** Starts a cluster with the scenario's changes, dials its edge once, stops the cluster. */
export async function runScenario(scenario: Scenario, startAt: Clock, options: { expirations?: boolean; otherEdges?: boolean } = {}): Promise<ScenarioRun> {
  const c = scenario.changes ?? {};
  // Each scenario has its own timeline, starting at the given time: steps may move it.
  const clock = fixedClock(startAt.now());
  await using cluster = await defineCluster({
    preset: scenario.preset, clock,
    ...clusterChanges(c),
    ...(c.metricsServer ? { metricsServer: c.metricsServer } : {}),
    ...(c.bootstrapTokens ? { bootstrapTokens: c.bootstrapTokens.map(({ expiresInMs, ...t }) => ({ ...t, ...(expiresInMs !== undefined ? { expiration: new Date(clock.now().getTime() + expiresInMs) } : {}) })) } : {}),
  }).start();
  for (const step of c.steps ?? []) await runStep(cluster, step, clock);
  const result = await cluster.dial(scenario.edge, c.dial);
  // The layout checks (and Go's verifier) load only when expirations are asked for.
  const expirations = options.expirations ? (await import('../cluster/inspect.js')).inspectCluster(cluster) : undefined;
  // The scenario's changes reach further than its edge (a CA swapped breaks every edge that trusts it).
  const otherEdges = options.otherEdges ? await Promise.all(EDGE_NAMES.filter((e) => e !== scenario.edge).map((e) => cluster.dial(e))) : undefined;
  return { scenario, result, mismatches: compare(scenario, result), ...(expirations ? { expirations } : {}), ...(otherEdges ? { otherEdges } : {}) };
}

async function runStep(cluster: StartedCluster, step: ScenarioStep, clock: Clock): Promise<void> {
  switch (step.kind) {
    case 'bootstrap-kubelet': {
      const token = generateBootstrapToken(`${cluster.pki.config.nodeName}/${clock.now().toISOString()}`);
      const secret = kubeadmBootstrapToken(token, clock.now());
      cluster.addBootstrapToken(step.expiresInMs === undefined ? secret : { ...secret, expiration: new Date(clock.now().getTime() + step.expiresInMs) });
      await cluster.kubelet.bootstrap(token);
      return;
    }
    case 'approve-serving-csr': {
      const name = cluster.kubelet.pendingServingCsr;
      const csr = name ? cluster.csrs.get(name) : undefined;
      if (name && csr) {
        cluster.csrs.updateStatus(name, { ...csr.status, conditions: [...(csr.status.conditions ?? []), { type: 'Approved', status: 'True', reason: 'KubectlApprove', message: 'This CSR was approved by kubectl certificate approve.' }] });
      }
      await cluster.settle();
      return;
    }
    case 'advance-clock':
      if (!step.nodeOff) await cluster.advanceClock(step.days * 24 * 3_600_000);
      // A powered-off node rotates nothing: only the time moves.
      else if (isManualClock(clock)) clock.advance(step.days * 24 * 3_600_000);
      return;
    case 'restart-kubelet': {
      const token = generateBootstrapToken(`${cluster.pki.config.nodeName}/restart/${clock.now().toISOString()}`);
      cluster.addBootstrapToken({ ...kubeadmBootstrapToken(token, clock.now()), expiration: new Date(clock.now().getTime() + step.tokenExpiresInMs) });
      cluster.fs.write(BOOTSTRAP_KUBECONFIG, bootstrapKubeconfigText(cluster.kubelet, token));
      await cluster.restartKubelet(BOOTSTRAP_KUBECONFIG);
      return;
    }
  }
}

export function compare(scenario: Scenario, result: EdgeResult): string[] {
  const e = scenario.expect;
  const out: string[] = [];
  const check = (what: string, expected: unknown, actual: unknown) => {
    if (expected !== actual) out.push(`${what}: expected ${String(expected)}, got ${String(actual)}`);
  };
  check('verdict', e.verdict, result.verdict);
  check('stage', e.stage, result.stage);
  check('detectedBy', e.detectedBy, result.detectedBy);
  check('reason', e.reason, result.reason);
  if (e.identity === null) {
    if (result.identity) out.push(`identity: expected none, got ${result.identity.name}`);
  } else if (e.identity) {
    check('identity', e.identity.user, result.identity?.name);
    if (e.identity.groups) check('groups', e.identity.groups.join(','), result.identity?.groups.join(','));
  }
  return out;
}

/**
 * Runs many scenarios, a few clusters at a time (handshakes are CPU-bound, so more than a handful
 * at once only queues), reporting each as it finishes. Results come back in the input order.
 */
export async function runScenarios(
  scenarios: readonly Scenario[],
  clock: Clock,
  options: { concurrency?: number; expirations?: boolean; otherEdges?: boolean; onResult?: (run: ScenarioRun, done: number, total: number) => void } = {},
): Promise<ScenarioRun[]> {
  const results: ScenarioRun[] = new Array(scenarios.length);
  const order = startOrder(scenarios);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < scenarios.length) {
      const index = order[next++]!;
      const run = await runScenario(scenarios[index]!, clock, { expirations: options.expirations === true, otherEdges: options.otherEdges === true });
      results[index] = run;
      options.onResult?.(run, ++done, scenarios.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, scenarios.length)) }, worker));
  return results;
}

/**
 * The scenarios with an RSA key start first (results still come back in input order). An RSA
 * key takes 50–800 ms to find, on node's thread pool (a kubeadm PKI of them has 18). Started last
 * they are the catalogue's tail on one core; started first they are found on the second core while
 * the others' handshakes (which run on the main thread) go on.
 */
function startOrder(scenarios: readonly Scenario[]): number[] {
  const rsa = (s: Scenario) => (s.changes?.algorithm?.startsWith('rsa') ?? false)
    || Object.values(s.changes?.faults ?? {}).flat().some((f) => (f.kind === 'issuer-key-type' && f.keyType === 'rsa') || (f.kind === 'key-algorithm' && f.algorithm.startsWith('rsa')));
  const indexes = scenarios.map((_, i) => i);
  return [...indexes.filter((i) => rsa(scenarios[i]!)), ...indexes.filter((i) => !rsa(scenarios[i]!))];
}
