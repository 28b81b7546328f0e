import { setMaxListeners } from 'node:events';
import { isManualClock, type Clock } from '../clock.js';
import { KubeMtlsSimError } from '../errors.js';
import type { BootstrapTokenSecret } from '../authn/bootstrap-tokens.js';
import { dialEdge, type DialContext, type DialOptions, type ServerState } from '../clients/dial.js';
import { EDGE_NAMES, edgeSpec, type EdgeName, type ServerComponent } from '../edges/edges.js';
import type { ControlPlaneSpec } from '../component-base/presets.js';
import type { ControllerManagerConfig } from '../components/controller-manager.js';
import type { KubeletConfig } from '../endpoints/kubelet.js';
import type { NodeJoin } from '../kubelet/fleet.js';
import { KubeletCertificates, type CertificateOutcome } from '../kubelet/certificates.js';
import { startKubelet, type KubeletStart } from '../kubelet/bootstrap-fallback.js';
import { generatePki, type Pki } from '../layout/generate.js';
import type { EdgeResult } from '../verdict/result.js';
import type { CsrStore } from '../csr/store.js';
import { startControlPlane, type ControlPlane } from './control-plane.js';
import { applyFileChanges } from '../node/file-changes.js';
import { joinNodes } from './join.js';
import { withMetricsServer } from './metrics-server-addon.js';
import { lazyEtcdPeers, startEtcdPeers } from './etcd-members.js';
import { kubeletClient } from './kubelet-client.js';
import { nodeNetwork } from './network.js';
import { NodeFs } from '../fs/node-fs.js';
import { clusterSpec, withOverrides } from './spec.js';
import { nodeOrigin, pkiOrigin, type ClusterOrigin } from './basis.js';
import type { LoadedNode } from '../node/load.js';
import type { ClusterOptions, JoinNodesOptions } from './options.js';

// The options live in options.ts, which the cluster's own modules (spec, control plane, join) read too.
export type { ClusterOptions, JoinNodesOptions } from './options.js';

/**
 * A running cluster. `C` is the clock it was given: with a ManualClock (fixedClock) `cluster.clock`
 * can be moved, and `advanceClock` also runs what time passing sets off; with a clock that only reads
 * the time, `advanceClock` is refused.
 */
export interface StartedCluster<C extends Clock = Clock> extends AsyncDisposable {
  /** The generated PKI; reading it on a cluster started from a node folder (`node`) is ERR_USAGE: there is none. */
  readonly pki: Pki;
  /** The node folder the cluster was started from (`defineCluster({ node: await loadNode(dir) })`). */
  readonly node?: LoadedNode;
  readonly fs: NodeFs;
  readonly clock: C;
  readonly spec: ControlPlaneSpec;
  /** The apiserver's CertificateSigningRequests. */
  readonly csrs: CsrStore;
  /** kube-controller-manager's signer configuration (and `syncErrors`: what it logged for CSRs it could not sign), or why it could not load. */
  readonly controllerManager: ControllerManagerConfig | KubeMtlsSimError;
  /** Each server: running on 127.0.0.1 (port), or the error it refused to start with. */
  readonly servers: Readonly<Record<ServerComponent, { running: boolean; port?: number; startupError?: KubeMtlsSimError }>>;
  /** The kubelet's certificate managers: `bootstrap(token)`, `rotateIfDue()`, `requestServing()`. */
  readonly kubelet: KubeletCertificates;
  /** Another node's kubelet (its own files), to join this control plane with `bootstrap(token)`. */
  newKubelet(nodeName: string, address?: string): KubeletCertificates;
  /**
   * Joins many nodes at once: each is a kubelet (its own key and files) doing the TLS bootstrap with
   * `token` and then, with `request`, one request authenticated by the certificate it got. The kubelets
   * run on worker threads (`workers`, default one), so the client half of every handshake runs beside
   * the control plane instead of taking turns with it. Results in the order of `names`. The kubelets
   * read the cluster clock once, when the call starts: move it between calls, not during one.
   */
  joinNodes(names: readonly string[], token: string, options?: JoinNodesOptions): Promise<NodeJoin[]>;
  /** Adds a bootstrap token Secret (kube-system/bootstrap-token-<id>). */
  addBootstrapToken(secret: BootstrapTokenSecret): void;
  /** Moves the cluster clock forward; a kubelet with rotateCertificates rotates its client certificate when due. */
  advanceClock(ms: number): Promise<CertificateOutcome | null>;
  /**
   * The node's kubelet (re)starts with `--bootstrap-kubeconfig FILE`: a kubelet.conf whose client
   * certificate has expired sends it back to that file's bootstrap token for a new one (bootstrap.go
   * isClientConfigStillValid). What it logged shows on the kubelet-to-apiserver edge's messages.
   */
  restartKubelet(bootstrapKubeconfig: string): Promise<KubeletStart>;
  /** Waits until components restarted by a certificate change (the kubelet's serving certificate) listen again. */
  settle(): Promise<void>;
  /** Dials one edge over real TLS and HTTP; never throws for a TLS or HTTP outcome. */
  dial(edge: EdgeName, options?: DialOptions): Promise<EdgeResult>;
  /** Dials the reference document's seven edges at once (not the addon's); results in its order. */
  dialAll(options?: DialOptions): Promise<EdgeResult[]>;
  /** Closes every server and connection; aborts dials in flight; idempotent. */
  stop(): Promise<void>;
}

export interface ClusterDefinition<C extends Clock = Clock> {
  readonly options: ClusterOptions;
  start(): Promise<StartedCluster<C>>;
}

/**
 * A cluster, defined: nothing runs until `start()`. Started clusters are AsyncDisposable:
 * `await using cluster = await defineCluster({ clock }).start();`
 */
export function defineCluster<C extends Clock>(options: ClusterOptions & { clock: C }): ClusterDefinition<C> {
  return { options, start: () => startCluster(options) };
}

async function startCluster<C extends Clock>(options: ClusterOptions & { clock: C }): Promise<StartedCluster<C>> {
  refuseUnusedFaults(options);
  if (options.node) {
    // The node's own files, read from its folder (fresh for each cluster: file changes stay in memory).
    const fs = new NodeFs([], options.node.root);
    await applyFileChanges(fs, options, undefined, options.clock.now());
    const base = withOverrides(options.node.spec, options);
    const origin = nodeOrigin(options.node, fs, base);
    const spec = await addons(base, fs, options, origin);
    return startedCluster(origin, fs, spec, options.clock, await startControlPlane(origin.basis, fs, spec, options));
  }
  const pki = options.pki ?? (await generatePki({ ...options, preset: options.preset ?? 'kubeadm' }));
  const fs = new NodeFs(pki.files);
  await applyFileChanges(fs, options, pki, options.clock.now());
  const origin = pkiOrigin(pki);
  const spec = await addons(clusterSpec(pki, options), fs, options, origin);
  const plane = await startControlPlane(origin.basis, fs, spec, options);
  return startedCluster(origin, fs, spec, options.clock, plane);
}

/**
 * Faults shape certificates as a PKI is generated: with a PKI given (`pki`) or a node folder read
 * (`node`) none is generated, and the faults would be dropped without a word. Put them in
 * `generatePki({ faults })` (or `pki write --fault`) instead.
 */
function refuseUnusedFaults(options: ClusterOptions): void {
  const given = options.node ? 'node' : options.pki ? 'pki' : undefined;
  if (given && options.faults && Object.keys(options.faults).length > 0) {
    throw new KubeMtlsSimError('ERR_USAGE', `faults: a cluster started from \`${given}\` generates no certificates to fault; pass the faults to ${given === 'pki' ? 'generatePki({ faults })' : 'writeNode/`pki write --fault`'} instead`, { field: 'faults' });
  }
}

/** The addons the options ask for, added to the spec (and their files to the node). */
function addons(spec: ControlPlaneSpec, fs: NodeFs, options: ClusterOptions & { clock: Clock }, origin: ClusterOrigin): Promise<ControlPlaneSpec> | ControlPlaneSpec {
  return options.metricsServer ? withMetricsServer(spec, fs, options.metricsServer, origin.basis.algorithm, options.clock.now()) : spec;
}

function generatedPki(origin: ClusterOrigin): Pki {
  if (origin.pki) return origin.pki;
  throw new KubeMtlsSimError('ERR_USAGE', `this cluster was started from the node folder ${origin.node?.root ?? ''}: it has no generated PKI (read cluster.node and cluster.fs)`, { field: 'pki' });
}

/** Each server as the report shows it: running on 127.0.0.1 (port), or the error it refused to start with. */
function serverViews(plane: ControlPlane): StartedCluster['servers'] {
  return Object.fromEntries(Object.entries(plane.servers).map(([name, s]: [string, ServerState]) => [name, {
    running: s.endpoint !== undefined && !plane.stopping, ...(s.endpoint ? { port: s.endpoint.port } : {}), ...(s.startupError ? { startupError: s.startupError } : {}),
  }])) as StartedCluster['servers'];
}

/** Closes every server and connection, aborts dials in flight and waits for joining workers; idempotent. */
function stopper(plane: ControlPlane, abort: AbortController, fleets: Set<Promise<NodeJoin[]>>): () => Promise<void> {
  return () => {
    plane.stopping ??= (async () => {
      abort.abort();
      await plane.restarts.restarting;
      await Promise.allSettled([...fleets]);
      const current = Object.values(plane.servers).flatMap((s) => (s.endpoint ? [s.endpoint] : []));
      await Promise.all([...plane.endpoints, ...current].map((e) => e.close()));
    })();
    return plane.stopping;
  };
}

function startedCluster<C extends Clock>(origin: ClusterOrigin, fs: NodeFs, spec: ControlPlaneSpec, clock: C, plane: ControlPlane): StartedCluster<C> {
  const { config, algorithm } = origin.basis;
  const abort = new AbortController();
  // One signal serves every dial of this cluster: each adds (and removes) its own listener.
  setMaxListeners(0, abort.signal);
  const fleets = new Set<Promise<NodeJoin[]>>();
  const { kubelet, restarts } = plane;
  const context: DialContext = {
    clock, fs, spec, apiserverFlags: spec['kube-apiserver'], node: { name: config.nodeName, address: config.advertiseAddress }, servers: plane.servers,
    lookup: nodeNetwork(config, spec, plane.servers),
    signal: abort.signal, ...(origin.issuerOf ? { issuerOf: origin.issuerOf } : {}), ledger: plane.ledger,
  };
  const stopped = () => plane.stopping !== undefined;
  // The other etcd members, for etcd-peer only, started on its first dial; a node folder holds one member's files: dialled at its own peer URL.
  const peerDialsSelf = origin.node !== undefined;
  const etcdPeers = lazyEtcdPeers(() => startEtcdPeers(fs, spec, plane.servers.etcd, clock, plane.ledger, peerDialsSelf), (e) => plane.endpoints.push(...e), stopped);
  // The apiserver's pods/log and exec reach the kubelet through this edge's own dial.
  plane.apiserver.kubeletDial = kubeletClient(context, () => restarts.restarting);
  const rotates = () => (plane.built.kubelet?.config as KubeletConfig | undefined)?.config.rotateCertificates === true;
  // What the kubelet logged when it last started (restartKubelet): its own lines for the kubelet-to-apiserver edge.
  let kubeletLog: string[] = [];
  const cluster: StartedCluster<C> = {
    get pki() {
      return generatedPki(origin);
    },
    ...(origin.node ? { node: origin.node } : {}),
    fs, clock, spec, csrs: plane.apiserver.csrs, controllerManager: plane.controllerManager,
    get servers() {
      return serverViews(plane);
    },
    kubelet,
    newKubelet(name, address = config.advertiseAddress) {
      return new KubeletCertificates({ ...kubelet.ctx, fs: new NodeFs(), nodeName: name, nodeAddress: address, serverAddress: config.advertiseAddress });
    },
    joinNodes: (names, token, joinOptions) => joinNodes({
      config, algorithm, spec, clock, kubelet, fleets, signal: abort.signal, stopped,
      apiserver: () => plane.servers['kube-apiserver'].endpoint, register: (name) => plane.apiserver.nodes.add(name),
    }, names, token, joinOptions),
    addBootstrapToken(secret) {
      plane.apiserver.bootstrapTokens.push(secret);
    },
    async advanceClock(ms) {
      if (!isManualClock(clock)) throw new KubeMtlsSimError('ERR_USAGE', 'advanceClock needs a clock that can move (fixedClock)', { field: 'clock' });
      clock.advance(ms);
      // Time may pass on a stopped cluster; nothing runs to rotate then.
      const rotation = rotates() && !stopped() ? await kubelet.rotateIfDue() : null;
      await restarts.settle();
      return rotation;
    },
    async restartKubelet(bootstrapKubeconfig) {
      const started = await startKubelet(kubelet, bootstrapKubeconfig, rotates());
      kubeletLog = started.log;
      await restarts.settle();
      return started;
    },
    settle: () => restarts.settle(),
    async dial(edge, dialOptions) {
      if (stopped()) throw new KubeMtlsSimError('ERR_CLUSTER_STOPPED', `cannot dial ${edge}: the cluster was stopped`);
      const target = edgeSpec(edge);
      if (!plane.servers[target.server]) throw new KubeMtlsSimError('ERR_USAGE', `cannot dial ${edge}: this cluster runs no ${target.server} (start it with the metricsServer option)`, { field: 'metricsServer' });
      // A kubelet restarting with its new serving certificate is dialled once it listens again.
      await restarts.restarting;
      if (edge === 'etcd-peer') {
        const peers = await etcdPeers();
        return dialEdge({ ...context, servers: { ...plane.servers, etcd: peers.dialled }, lookup: peers.lookup, etcdPeerDialsSelf: peerDialsSelf }, target, dialOptions);
      }
      const result = await dialEdge(context, target, dialOptions);
      if (edge !== 'kubelet-to-apiserver' || kubeletLog.length === 0) return result;
      return { ...result, messages: [...kubeletLog.map((text) => ({ component: 'kubelet', where: 'log' as const, text })), ...result.messages] };
    },
    dialAll(dialOptions) {
      return Promise.all(EDGE_NAMES.map((edge) => cluster.dial(edge, dialOptions)));
    },
    stop: stopper(plane, abort, fleets),
    [Symbol.asyncDispose]() {
      return cluster.stop();
    },
  };
  return cluster;
}
