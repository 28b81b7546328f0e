import type { ClusterDefinition, ClusterOptions } from './cluster/cluster.js';
import type { GeneratePkiOptions, Pki } from './layout/generate.js';
import type { Scenario } from './scenarios/types.js';
import type { ScenarioRun } from './scenarios/run.js';
import type { Clock } from './clock.js';
import type { LoadedNode } from './node/load.js';
import type { NodeFolder, NodeFolderOptions } from './node/folder.js';
import type { EdgeResult } from './verdict/result.js';
import type { PictureOptions } from './picture/page.js';

/**
 * The package's asynchronous entry points, each loading its implementation on first call: a cluster
 * runtime (endpoints, clients, authorizers, CSR signer: most of the package's modules), the PKI
 * generator and the scenario runner are not loaded by `import 'kube-mtls-sim'` itself, since start-up
 * is most of a short program's time. Each is the same function once loaded; its errors are the same
 * rejections. `defineCluster` is synchronous and stays so: it only keeps its options until `start()`.
 */

/**
 * A cluster, defined: nothing runs (and nothing of the cluster runtime loads) until `start()`.
 * Started clusters are AsyncDisposable: `await using cluster = await defineCluster({ clock }).start();`,
 * or `try { … } finally { await cluster.stop(); }` where `await using` is not available.
 */
export function defineCluster<C extends Clock>(options: ClusterOptions & { clock: C }): ClusterDefinition<C> {
  return { options, start: async () => (await import('./cluster/cluster.js')).defineCluster(options).start() };
}

/** Generates the PKI of a preset from its table (see `GeneratePkiOptions`). */
export async function generatePki(options: GeneratePkiOptions): Promise<Pki> {
  return (await import('./layout/generate.js')).generatePki(options);
}

/**
 * Runs one scenario on a cluster of its own and compares the outcome with its expectation;
 * `otherEdges` dials the cluster's other edges too (`run.otherEdges`), for a picture of the whole cluster.
 */
export async function runScenario(scenario: Scenario, startAt: Clock, options: { expirations?: boolean; otherEdges?: boolean } = {}): Promise<ScenarioRun> {
  return (await import('./scenarios/run.js')).runScenario(scenario, startAt, options);
}

/**
 * Reads a folder laid out as a node's root (static Pod manifests or systemd units, the kubelet's
 * files, every file their flags name, inside the folder only) for `defineCluster({ node })`.
 */
export async function loadNode(root: string): Promise<LoadedNode> {
  return (await import('./node/load.js')).loadNode(root);
}

/**
 * Writes a node under `dir` with deliberate mistakes (what `pki write DIR --fault … --flag …` writes):
 * the PKI with `faults`, the flag changes in the manifests or units, the kubelet config fields, the
 * file changes. `loadNode(dir)` reads it back; refuses to overwrite unless `overwrite`.
 */
export async function writeNode(dir: string, options: NodeFolderOptions & { overwrite?: boolean }): Promise<NodeFolder> {
  return (await import('./node/folder.js')).writeNode(dir, options);
}

/**
 * The picture of edges' results (a scenario's, `cluster.dialAll()`'s, a node check's) as one
 * self-contained HTML page: an arrow per edge coloured by verdict, each edge's report, English and
 * Chinese. elkjs, which lays it out, loads on the first call.
 */
export async function renderPicture(results: readonly EdgeResult[], options: PictureOptions): Promise<string> {
  return (await import('./picture/page.js')).renderPicture(results, options);
}
