import { checkKnownFlags } from '../component-base/flag-table.js';
import type { FlagOverrides, Flags } from '../component-base/flags.js';
import { KUBE_APISERVER_FLAGS } from './kube-apiserver.js';
import { KUBE_CONTROLLER_MANAGER_FLAGS } from './controller-manager.js';
import { ETCD_FLAGS } from './etcd.js';
import { METRICS_SERVER_FLAGS } from './metrics-server.js';

// The command-line types and listFlag live in component-base/, which servers and clients read;
// this module holds the flag tables of the component modules above them.
export { listFlag, type FlagOverrides, type Flags } from '../component-base/flags.js';

/** The flag tables of the components whose command lines a cluster's options may change. */
export const FLAG_TABLES = {
  'kube-apiserver': KUBE_APISERVER_FLAGS,
  'kube-controller-manager': KUBE_CONTROLLER_MANAGER_FLAGS,
  etcd: ETCD_FLAGS,
  'metrics-server': METRICS_SERVER_FLAGS,
} as const;

export type FlagComponent = keyof typeof FLAG_TABLES;

/** The flags each simulated component understands (anything else is a typed error, as a real binary refuses unknown flags). */
export const KNOWN_FLAGS = Object.fromEntries(Object.entries(FLAG_TABLES).map(([c, table]) => [c, Object.keys(table)])) as unknown as Record<FlagComponent, readonly string[]>;

export function applyFlagOverrides(component: FlagComponent, base: Flags, overrides: FlagOverrides | undefined): Flags {
  checkKnownFlags(component, FLAG_TABLES[component], overrides ?? {});
  const result: Record<string, string> = { ...base };
  for (const [flag, value] of Object.entries(overrides ?? {})) {
    if (value === null) delete result[flag];
    else result[flag] = value;
  }
  return result;
}
