import type { Scenario } from '../lib/scenarios/types.js';
import { checkRegistry } from '../lib/scenarios/registry.js';
import { caStructureScenarios } from './ca-structure.js';
import { controlPlaneClientScenarios } from './control-plane-clients.js';
import { edgeScenarios } from './edges.js';
import { etcdScenarios } from './etcd.js';
import { everydayScenarios } from './everyday.js';
import { etcdPeerScenarios } from './etcd-peer.js';
import { kubectlScenarios } from './kubectl.js';
import { kubeletScenarios } from './kubelet.js';
import { kubeletLifecycleScenarios } from './kubelet-lifecycle.js';
import { referenceFixScenarios } from './reference.js';
import { aggregationScenarios } from './aggregation.js';

/** Every scenario, in one registry: the CLI, the tests and docs/scenarios.md all read this. */
export const SCENARIOS: readonly Scenario[] = checkRegistry([
  ...edgeScenarios, ...kubectlScenarios, ...etcdScenarios, ...controlPlaneClientScenarios, ...kubeletScenarios, ...kubeletLifecycleScenarios, ...referenceFixScenarios, ...caStructureScenarios, ...everydayScenarios,
  ...aggregationScenarios,
  ...etcdPeerScenarios,
]);
