import type { Scenario } from '../lib/scenarios/types.js';
import { checkRegistry } from '../lib/scenarios/registry.js';
import { edgeScenarios } from './edges.js';

/** Every scenario, in one registry: the CLI, the tests and docs/scenarios.md all read this. */
export const SCENARIOS: readonly Scenario[] = checkRegistry([...edgeScenarios]);
