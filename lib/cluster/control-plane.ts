import type { Clock } from '../clock.js';
import { isKubeMtlsSimError, type KubeMtlsSimError } from '../errors.js';
import type { AuthorizationMode } from '../authz/types.js';
import type { ServerState } from '../clients/dial.js';
import type { ServerComponent } from '../edges/edges.js';
import type { ConfigureEnv, StartContext } from '../components/component.js';
import { configureControllerManager, reconcileCsr, type ControllerManagerConfig } from '../components/controller-manager.js';
import { authorizationModesOf } from '../components/kube-apiserver.js';
import { kubelet as kubeletComponent } from '../components/kubelet.js';
import type { ControlPlaneSpec } from '../component-base/presets.js';
import { CsrStore } from '../csr/store.js';
import type { ApiServerState } from '../endpoints/apiserver.js';
import type { KubeletConfig } from '../endpoints/kubelet.js';
import type { ConnectionRecord, Endpoint } from '../endpoints/tls-endpoint.js';
import { ConnectionLedger } from '../tls/connection-ledger.js';
import { KubeletCertificates } from '../kubelet/certificates.js';
import type { IssuedCert } from '../pki/issue.js';
import type { ClusterConfig, KeyAlgorithm } from '../pki/types.js';
import type { ClusterOptions } from './options.js';
import { KubeletServingRestarts } from './kubelet-serving.js';
import type { NodeFs } from '../fs/node-fs.js';
import { buildServer, commandLine, listenAll, startServers, type Built } from './servers.js';

/** What a cluster is started from besides its files and flags: a generated PKI, or a node folder read back. */
export interface ClusterBasis {
  config: ClusterConfig;
  /** The key algorithm new kubelet keys are made with. */
  algorithm: KeyAlgorithm;
  /** The CA the kubelet's certificate manager trusts the apiserver with (its kubeconfig's). */
  kubeletRoots: IssuedCert[];
}

/** The running control plane: its servers, the apiserver's objects, the controller-manager and the kubelet's certificate managers. */
export interface ControlPlane {
  servers: Record<ServerComponent, ServerState>;
  /** Each server's configuration as it last started (the kubelet's changes when it restarts with a new serving certificate). */
  built: Partial<Record<ServerComponent, Built>>;
  /** The endpoints that listened at start. */
  endpoints: Endpoint[];
  apiserver: ApiServerState;
  controllerManager: ControllerManagerConfig | KubeMtlsSimError;
  kubelet: KubeletCertificates;
  restarts: KubeletServingRestarts;
  /** Pairs each connection's client and server views: the endpoints file their records, the clients read them. */
  ledger: ConnectionLedger<ConnectionRecord>;
  /** Set once stop() began. */
  stopping?: Promise<void>;
}

/**
 * What a kubelet's Webhook authorizer (a SubjectAccessReview) and the CSR approver are answered with:
 * the apiserver's --authorization-mode. An apiserver whose modes do not parse never started, so no
 * review is ever allowed (AlwaysDeny has no opinion on anything).
 */
function reviewModes(spec: ControlPlaneSpec): readonly AuthorizationMode[] {
  return authorizationModesOf(spec['kube-apiserver']) ?? ['AlwaysDeny'];
}

/** kube-controller-manager's certificate controllers, acting on every CSR write; or why it would not start. */
function startControllerManager(fs: NodeFs, spec: ControlPlaneSpec, csrs: CsrStore, modes: readonly AuthorizationMode[]): ControllerManagerConfig | KubeMtlsSimError {
  try {
    const cm = configureControllerManager(fs, spec['kube-controller-manager']);
    csrs.onChange((name) => reconcileCsr(csrs, name, cm, modes));
    return cm;
  } catch (error) {
    if (!isKubeMtlsSimError(error)) throw error;
    return error;
  }
}

/** The kubelet's certificate managers: TLS bootstrap, client rotation, the serving CSR; it trusts the apiserver with its kubeconfig's CA. */
function kubeletCertificates(basis: ClusterBasis, fs: NodeFs, spec: ControlPlaneSpec, clock: Clock, ledger: ConnectionLedger<ConnectionRecord>, plane: () => ControlPlane): KubeletCertificates {
  const { config } = basis;
  return new KubeletCertificates({
    fs, clock, nodeName: config.nodeName, nodeAddress: config.advertiseAddress, serverAddress: config.advertiseAddress,
    certDir: spec.kubelet.certDir, kubeconfig: spec.kubelet.kubeconfig, algorithm: basis.algorithm, roots: basis.kubeletRoots,
    apiserver: () => plane().servers['kube-apiserver'].endpoint, register: (name) => plane().apiserver.nodes.add(name), apiPort: config.bindPort,
    stopped: () => plane().stopping !== undefined, ledger,
  });
}

/** Starts every server of the component table, the controller-manager and the kubelet's certificate managers. */
export async function startControlPlane(basis: ClusterBasis, fs: NodeFs, spec: ControlPlaneSpec, options: ClusterOptions): Promise<ControlPlane> {
  const clock = options.clock;
  const csrs = new CsrStore(clock);
  const apiserver: ApiServerState = {
    clock, bootstrapTokens: [...(options.bootstrapTokens ?? [])], csrs, nodes: new Set([basis.config.nodeName]),
    advertise: { address: basis.config.advertiseAddress, port: basis.config.bindPort }, since: clock.now(),
  };
  const env: ConfigureEnv = { nodeName: basis.config.nodeName, apiserverFlags: spec['kube-apiserver'], ...(options.kubelet ? { kubeletConfig: options.kubelet } : {}) };
  const ledger = new ConnectionLedger<ConnectionRecord>();
  const ctx: StartContext = { clock, nodeName: basis.config.nodeName, apiserver, reviewModes: reviewModes(spec), ledger };
  const { servers, built } = startServers(fs, spec, env, ctx);
  apiserver.kubeletPort = () => servers.kubelet.endpoint?.port;
  const controllerManager = startControllerManager(fs, spec, csrs, ctx.reviewModes);
  const endpoints = await listenAll(servers);
  const rebuild = () => {
    const next = buildServer(servers.kubelet, kubeletComponent, fs, commandLine(spec, 'kubelet'), env, ctx, spec);
    if (next) built.kubelet = next;
    return next?.endpoint;
  };
  // The kubelet's managers and restarts read the plane lazily (is it stopping? which endpoint serves?).
  let plane!: ControlPlane;
  const kubelet = kubeletCertificates(basis, fs, spec, clock, ledger, () => plane);
  const restarts = new KubeletServingRestarts(csrs, kubelet, servers.kubelet, rebuild, () => plane.stopping !== undefined);
  plane = { servers, built, endpoints, apiserver, controllerManager, kubelet, restarts, ledger };
  const k = built.kubelet?.config as KubeletConfig | undefined;
  if (k?.servingSource === 'serverTLSBootstrap' && !k.serving && servers['kube-apiserver'].endpoint) await plane.kubelet.requestServing();
  return plane;
}
