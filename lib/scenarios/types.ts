import type { BootstrapTokenSecret } from '../authn/bootstrap-tokens.js';
import type { FileChanges } from '../node/file-changes.js';
import type { DialOptions } from '../clients/dial.js';
import type { EdgeName } from '../edges/edges.js';
import type { FlagOverrides } from '../components/flags.js';
import type { KubeletConfigOverrides } from '../components/kubelet.js';
import type { FaultMap } from '../pki/faults.js';
import type { MetricsServerAddon } from '../cluster/metrics-server-addon.js';
import type { ClusterConfig, KeyAlgorithm, PresetName } from '../pki/types.js';
import type { Reason, Side, Stage, Verdict } from '../verdict/reasons.js';

/** Things that happen to a running cluster before the edge is dialled. */
export type ScenarioStep =
  /** The kubelet joins with a bootstrap token (kubeadm's default group; `expiresInMs` relative to the clock). */
  | { kind: 'bootstrap-kubelet'; expiresInMs?: number }
  /** Someone approves the kubelet's pending kubelet-serving CSR (`kubectl certificate approve`). */
  | { kind: 'approve-serving-csr' }
  /** Time passes; the kubelet rotates its client certificate if its config says so (not with `nodeOff`: the node is powered off meanwhile). */
  | { kind: 'advance-clock'; days: number; nodeOff?: boolean }
  /**
   * The kubelet starts again with `--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf`,
   * holding a new bootstrap token (kubeadm's default group) whose Secret expires `tokenExpiresInMs` from now.
   */
  | { kind: 'restart-kubelet'; tokenExpiresInMs: number };

/** What a scenario changes from its preset: certificate faults, flags, config fields, files. */
export interface ScenarioChanges {
  faults?: FaultMap;
  apiserver?: FlagOverrides;
  etcd?: FlagOverrides;
  kubelet?: KubeletConfigOverrides;
  /** Node files to replace (contents) or delete (`null`). */
  files?: Readonly<Record<string, string | null>>;
  bundles?: FileChanges['bundles'];
  kubeconfigEdits?: FileChanges['kubeconfigEdits'];
  tokens?: FileChanges['tokens'];
  cluster?: Partial<ClusterConfig>;
  algorithm?: KeyAlgorithm;
  /** Bootstrap token Secrets in kube-system; `expiresInMs` is relative to the clock (negative: already expired). */
  bootstrapTokens?: (Omit<BootstrapTokenSecret, 'expiration'> & { expiresInMs?: number })[];
  dial?: DialOptions;
  /** Done in order on the started cluster, before the dial. */
  steps?: ScenarioStep[];
  /** Run the metrics-server addon (needed by its two edges); a node folder cannot hold it (an addon lives in the API). */
  metricsServer?: MetricsServerAddon;
}

/** The documented outcome, as data. */
export interface Expectation {
  verdict: Verdict;
  stage: Stage | null;
  detectedBy: Side | null;
  reason: Reason;
  /** The identity the server must have authenticated (user name, and groups if given). */
  identity?: { user: string; groups?: string[] } | null;
}

export interface Scenario {
  /** Unique, kebab-case; what `npm run scenario NAME` takes. */
  name: string;
  edge: EdgeName;
  preset: PresetName;
  title: string;
  /** Why this outcome is the documented one (a learner reads this). */
  description: string;
  /** Where the expectation comes from (doc page, source file, measured peer). */
  source: string;
  changes?: ScenarioChanges;
  expect: Expectation;
  /** The flag, field or file at fault (or, for an `ok`, the one that makes it work): the explanation must name it. */
  responsible?: string;
  /**
   * Set when a node folder cannot express the scenario (a folder holds files and flags; bootstrap
   * token Secrets live in etcd, and a kubelet that acts while time passes is not a file): why.
   * Every other scenario is written to disk, read back with loadNode and must give the same outcome
   * (test/disk-roundtrip.test.ts); clock moves alone are the folder checked that much later.
   */
  onDisk?: { expressible: false; why: string };
}

/**
 * What a scenario changes in a cluster's PKI, flags and files, as options that both an in-memory
 * cluster (`defineCluster`) and a node folder (`writeNode`) take under the same names.
 */
export function clusterChanges(c: ScenarioChanges = {}) {
  return {
    ...(c.faults ? { faults: c.faults } : {}),
    ...(c.apiserver ? { apiserver: c.apiserver } : {}),
    ...(c.etcd ? { etcd: c.etcd } : {}),
    ...(c.kubelet ? { kubelet: c.kubelet } : {}),
    ...(c.files ? { files: c.files } : {}),
    ...(c.bundles ? { bundles: c.bundles } : {}),
    ...(c.kubeconfigEdits ? { kubeconfigEdits: c.kubeconfigEdits } : {}),
    ...(c.tokens ? { tokens: c.tokens } : {}),
    ...(c.cluster ? { cluster: c.cluster } : {}),
    ...(c.algorithm ? { algorithm: c.algorithm } : {}),
  };
}
