import { setMaxListeners } from 'node:events';
import { isManualClock, type Clock } from '../clock.js';
import { KubeMtlsSimError } from '../errors.js';
import type { BootstrapTokenSecret } from '../authn/bootstrap-tokens.js';
import { dialEdge, type DialContext, type DialOptions, type ServerState } from '../clients/dial.js';
import { pkiIssuers } from '../clients/issuers.js';
import { EDGE_NAMES, edgeSpec, type EdgeName, type ServerComponent } from '../clients/edges.js';
import type { FlagOverrides } from '../components/flags.js';
import type { KubeletConfigOverrides } from '../components/kubelet.js';
import type { ClientComponent, ComponentSpecs, ControlPlaneSpec } from '../components/presets.js';
import type { ControllerManagerConfig } from '../components/controller-manager.js';
import type { KubeletConfig } from '../endpoints/kubelet.js';
import type { NodeJoin } from '../kubelet/fleet.js';
import { KubeletCertificates, type CertificateOutcome } from '../kubelet/certificates.js';
import { generatePki, type GeneratePkiOptions, type Pki } from '../pki/generate.js';
import type { EdgeResult } from '../verdict/result.js';
import type { CsrStore } from '../csr/store.js';
import { startControlPlane, type ControlPlane } from './control-plane.js';
import { applyFileChanges, type FileChanges } from './file-changes.js';
import { joinNodes } from './join.js';
import { nodeNetwork } from './network.js';
import { NodeFs } from './node-fs.js';
import { clusterSpec } from './spec.js';

export interface ClusterOptions extends Omit<GeneratePkiOptions, 'preset'>, Omit<FileChanges, 'files'> {
  /** @default 'kubeadm' */
  preset?: 'kubeadm' | 'reference';
  /** Use this PKI instead of generating one. */
  pki?: Pki;
  /** Changes to the node's files after generation: contents, or `null` to delete. */
  files?: Readonly<Record<string, string | Buffer | null>>;
  /** kube-apiserver flag changes, e.g. `{ '--kubelet-certificate-authority': '/etc/kubernetes/pki/ca.crt' }`; `null` removes a flag. */
  apiserver?: FlagOverrides;
  etcd?: FlagOverrides;
  /** kube-controller-manager flag changes (the CSR signer's `--cluster-signing-*`). */
  controllerManager?: FlagOverrides;
  /** KubeletConfiguration fields merged into the config file's; `null` removes a field. */
  kubelet?: KubeletConfigOverrides;
  /** The components' flags and files for this cluster's preset, from its records' paths (default: those of the built-in preset of the same name). */
  components?: ComponentSpecs;
  /** Point a client at another kubeconfig. */
  clients?: Partial<Record<ClientComponent, { kubeconfig: string }>>;
  /** Bootstrap token Secrets in kube-system. */
  bootstrapTokens?: BootstrapTokenSecret[];
}

export interface JoinNodesOptions {
  /** Worker threads the kubelets run on. @default 1 */
  workers?: number;
  /** Kubelets bootstrapping at once on each worker. @default 32 */
  concurrency?: number;
  /** The first request each node makes with its new certificate; `{node}` in the path is its name. */
  request?: { method: string; path: string };
}

/**
 * A running cluster. `C` is the clock it was given: with a ManualClock (fixedClock) `cluster.clock`
 * can be moved, and `advanceClock` also runs what time passing sets off; with a clock that only reads
 * the time, `advanceClock` is refused.
 */
export interface StartedCluster<C extends Clock = Clock> extends AsyncDisposable {
  readonly pki: Pki;
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
  /** Waits until components restarted by a certificate change (the kubelet's serving certificate) listen again. */
  settle(): Promise<void>;
  /** Dials one edge over real TLS and HTTP; never throws for a TLS or HTTP outcome. */
  dial(edge: EdgeName, options?: DialOptions): Promise<EdgeResult>;
  /** Dials all seven edges at once; results in the reference document's order. */
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
  const pki = options.pki ?? (await generatePki({ ...options, preset: options.preset ?? 'kubeadm' }));
  const fs = new NodeFs(pki.files);
  await applyFileChanges(fs, options, pki, options.clock.now());
  const spec = clusterSpec(pki, options);
  const plane = await startControlPlane(pki, fs, spec, options);
  return startedCluster(pki, fs, spec, options.clock, plane);
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

function startedCluster<C extends Clock>(pki: Pki, fs: NodeFs, spec: ControlPlaneSpec, clock: C, plane: ControlPlane): StartedCluster<C> {
  const abort = new AbortController();
  // One signal serves every dial of this cluster: each adds (and removes) its own listener.
  setMaxListeners(0, abort.signal);
  const fleets = new Set<Promise<NodeJoin[]>>();
  const { kubelet, restarts } = plane;
  const context: DialContext = {
    clock, fs, spec, apiserverFlags: spec['kube-apiserver'], node: { name: pki.config.nodeName, address: pki.config.advertiseAddress }, servers: plane.servers,
    lookup: nodeNetwork(pki.config, spec, plane.servers),
    signal: abort.signal, issuerOf: pkiIssuers(pki), ledger: plane.ledger,
  };
  const stopped = () => plane.stopping !== undefined;
  const cluster: StartedCluster<C> = {
    pki, fs, clock, spec, csrs: plane.apiserver.csrs, controllerManager: plane.controllerManager,
    get servers() {
      return serverViews(plane);
    },
    kubelet,
    newKubelet(name, address = pki.config.advertiseAddress) {
      return new KubeletCertificates({ ...kubelet.ctx, fs: new NodeFs(), nodeName: name, nodeAddress: address, serverAddress: pki.config.advertiseAddress });
    },
    joinNodes: (names, token, joinOptions) => joinNodes({
      pki, spec, clock, kubelet, fleets, signal: abort.signal, stopped,
      apiserver: () => plane.servers['kube-apiserver'].endpoint, register: (name) => plane.apiserver.nodes.add(name),
    }, names, token, joinOptions),
    addBootstrapToken(secret) {
      plane.apiserver.bootstrapTokens.push(secret);
    },
    async advanceClock(ms) {
      if (!isManualClock(clock)) throw new KubeMtlsSimError('ERR_USAGE', 'advanceClock needs a clock that can move (fixedClock)', { field: 'clock' });
      clock.advance(ms);
      const rotates = (plane.built.kubelet?.config as KubeletConfig | undefined)?.config.rotateCertificates === true;
      // Time may pass on a stopped cluster; nothing runs to rotate then.
      const rotation = rotates && !stopped() ? await kubelet.rotateIfDue() : null;
      await restarts.settle();
      return rotation;
    },
    settle: () => restarts.settle(),
    async dial(edge, dialOptions) {
      if (stopped()) throw new KubeMtlsSimError('ERR_CLUSTER_STOPPED', `cannot dial ${edge}: the cluster was stopped`);
      // A kubelet restarting with its new serving certificate is dialled once it listens again.
      await restarts.restarting;
      return dialEdge(context, edgeSpec(edge), dialOptions);
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
