import type { Scenario } from '../../lib/scenarios/types.js';
import { aggregationZh } from './aggregation.js';
import { caStructureZh } from './ca-structure.js';
import { controlPlaneClientsZh } from './control-plane-clients.js';
import { edgesZh } from './edges.js';
import { etcdPeerZh } from './etcd-peer.js';
import { etcdZh } from './etcd.js';
import { everydayZh } from './everyday.js';
import { kubectlZh } from './kubectl.js';
import { kubeletLifecycleZh } from './kubelet-lifecycle.js';
import { kubeletZh } from './kubelet.js';
import { referenceZh } from './reference.js';
import type { ScenarioText, ZhTexts } from './types.js';

export type { ScenarioText, ZhTexts };


/**
 * Every scenario's title and description in Simplified Chinese (issue 13: `--lang zh` translates the
 * whole report). Kept apart from the scenarios so that the catalogue stays one language per file;
 * test/scenario-zh.test.ts fails when a registered scenario has no entry here, or an entry names none.
 */
export const SCENARIO_ZH: ZhTexts = {
  ...edgesZh, ...kubectlZh, ...etcdZh, ...controlPlaneClientsZh, ...kubeletZh, ...kubeletLifecycleZh, ...referenceZh,
  ...caStructureZh, ...everydayZh, ...aggregationZh, ...etcdPeerZh,
};

/** The scenario's title and description in `lang` (English is the scenario's own). */
export function scenarioText(scenario: Scenario, lang: 'en' | 'zh'): ScenarioText {
  if (lang === 'zh') {
    const zh = SCENARIO_ZH[scenario.name];
    if (zh) return zh;
  }
  return { title: scenario.title, description: scenario.description };
}
