// A scenario as a node folder: its faults, flags, kubelet config fields and file changes written
// where a real node keeps them (the code `pki write --fault/--flag` runs), read back with loadNode,
// and its edge dialled on the cluster started from what was read. Time passing becomes the folder
// checked that much later, as `check --now` does.
import { DAY, fixedClock, type Clock } from '../../lib/clock.js';
import { defineCluster } from '../../lib/cluster/cluster.js';
import { writeNode, type NodeFolderOptions } from '../../lib/node/folder.js';
import { loadNode } from '../../lib/node/load.js';
import { compare, type ScenarioRun } from '../../lib/scenarios/run.js';
import { clusterChanges, type Scenario } from '../../lib/scenarios/types.js';

/** The folder options of a scenario (throws when its registry entry says it has no on-disk form). */
export function scenarioFolder(scenario: Scenario, clock: Clock): NodeFolderOptions {
  if (scenario.onDisk) throw new Error(`scenario ${scenario.name} has no on-disk form: ${scenario.onDisk.why}`);
  const c = scenario.changes ?? {};
  return {
    preset: scenario.preset, clock,
    ...clusterChanges(c),
  };
}

/** Writes the scenario's node under `dir` (an empty folder), loads it back, dials its edge at the scenario's time. */
export async function runScenarioOnDisk(scenario: Scenario, dir: string, startAt: Clock): Promise<ScenarioRun> {
  await writeNode(dir, scenarioFolder(scenario, fixedClock(startAt.now())));
  const node = await loadNode(dir);
  const days = (scenario.changes?.steps ?? []).reduce((sum, step) => sum + (step.kind === 'advance-clock' ? step.days : 0), 0);
  await using cluster = await defineCluster({ node, clock: fixedClock(new Date(startAt.now().getTime() + days * DAY)) }).start();
  const result = await cluster.dial(scenario.edge, scenario.changes?.dial);
  return { scenario, result, mismatches: compare(scenario, result) };
}
