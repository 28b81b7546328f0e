import { setMaxListeners } from 'node:events';
import { isIP } from 'node:net';
import { formatIP } from '../util/ip.js';
import type { Clock, ManualClock } from '../clock.js';
import { isKubeMtlsSimError, KubeMtlsSimError } from '../errors.js';
import type { BootstrapTokenSecret } from '../authn/bootstrap-tokens.js';
import { dialEdge, type DialOptions, type ServerState } from '../clients/dial.js';
import { pkiIssuers } from '../clients/issuers.js';
import { EDGE_NAMES, edgeSpec, type EdgeName, type ServerComponent } from '../edges/edges.js';
import { applyFlagOverrides, listFlag, type FlagOverrides } from '../components/flags.js';
import { controlPlaneSpec, type ClientComponent, type ControlPlaneSpec } from '../components/presets.js';
import { authorizationModesOf, configureApiServer, startApiServer } from '../endpoints/apiserver.js';
import { configureEtcd, startEtcd } from '../endpoints/etcd.js';
import { configureKubelet, startKubelet, type KubeletConfig, type KubeletConfigOverrides } from '../endpoints/kubelet.js';
import { runFleet, type NodeJoin } from '../kubelet/fleet.js';
import { KubeletCertificates, type CertificateOutcome } from '../kubelet/certificates.js';
import type { BootstrapTokenSecret as TokenSecret } from '../authn/bootstrap-tokens.js';
import type { Endpoint } from '../endpoints/tls-endpoint.js';
import { generatePki, type GeneratePkiOptions, type Pki } from '../layout/generate.js';
import { splitHostPort } from '../pki/cluster-config.js';
import { summarizeCert, summarizeTrust, type EdgeResult } from '../verdict/result.js';
import { applyFileChanges, type FileChanges } from './file-changes.js';
import { NodeFs } from '../fs/node-fs.js';
import { CsrStore } from '../csr/store.js';
import { configureControllerManager, reconcileCsr, type ControllerManagerConfig } from '../components/controller-manager.js';

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

export interface StartedCluster extends AsyncDisposable {
  readonly pki: Pki;
  readonly fs: NodeFs;
  readonly clock: Clock;
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
  addBootstrapToken(secret: TokenSecret): void;
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

export interface ClusterDefinition {
  readonly options: ClusterOptions;
  start(): Promise<StartedCluster>;
}

/**
 * A cluster, defined: nothing runs until `start()`. Started clusters are AsyncDisposable:
 * `await using cluster = await defineCluster({ clock }).start();`
 */
export function defineCluster(options: ClusterOptions): ClusterDefinition {
  return { options, start: () => startCluster(options) };
}

async function startCluster(options: ClusterOptions): Promise<StartedCluster> {
  const pki = options.pki ?? (await generatePki({ ...options, preset: options.preset ?? 'kubeadm' }));
  const fs = new NodeFs(pki.files);
  await applyFileChanges(fs, options, pki, options.clock.now());
  const base = controlPlaneSpec(pki.preset.name, pki.config);
  const spec: ControlPlaneSpec = {
    ...base,
    'kube-apiserver': applyFlagOverrides('kube-apiserver', base['kube-apiserver'], options.apiserver),
    'kube-controller-manager': applyFlagOverrides('kube-controller-manager', base['kube-controller-manager'], options.controllerManager),
    etcd: applyFlagOverrides('etcd', base.etcd, options.etcd),
    clients: { ...base.clients, ...options.clients },
  };
  const clock = options.clock;
  const nodeName = pki.config.nodeName;
  const csrs = new CsrStore(clock);
  const state = { clock, bootstrapTokens: [...(options.bootstrapTokens ?? [])], csrs, nodes: new Set([pki.config.nodeName]) };
  const servers: Record<ServerComponent, ServerState> = {
    'kube-apiserver': { component: 'kube-apiserver' }, etcd: { component: 'etcd' }, kubelet: { component: 'kubelet' },
  };
  const attempt = (state: ServerState, start: () => Endpoint) => {
    try {
      state.endpoint = start();
    } catch (error) {
      if (!isKubeMtlsSimError(error)) throw error;
      state.startupError = error;
    }
  };
  // The kubelet's Webhook authorizer (a SubjectAccessReview) and the CSR approver are answered by the apiserver's modes.
  const apiserverModes = authorizationModesOf(spec['kube-apiserver']);
  attempt(servers['kube-apiserver'], () => {
    const a = configureApiServer(fs, spec['kube-apiserver'], nodeName);
    servers['kube-apiserver'].presents = summarizeCert(a.serving.chain[0]!, { field: 'kube-apiserver --tls-cert-file', file: a.serving.certFile, chain: a.serving.chain });
    servers['kube-apiserver'].verifiesClientsWith = a.clientCa
      ? summarizeTrust('ca', 'kube-apiserver --client-ca-file', a.clientCa.certs, a.clientCa.file)
      : summarizeTrust('none', 'kube-apiserver --client-ca-file', []);
    if (a.minVersion) servers['kube-apiserver'].minVersion = a.minVersion;
    return startApiServer(a, state);
  });
  attempt(servers.etcd, () => {
    const e = configureEtcd(fs, spec.etcd);
    servers.etcd.presents = summarizeCert(e.serving.chain[0]!, { field: 'etcd --cert-file', file: e.serving.certFile, chain: e.serving.chain });
    servers.etcd.verifiesClientsWith = e.trustedCa
      ? summarizeTrust('ca', 'etcd --trusted-ca-file', e.trustedCa.certs, e.trustedCa.file)
      : e.clientCertAuth
        ? summarizeTrust('system-roots', 'etcd --client-cert-auth, --trusted-ca-file', [])
        : summarizeTrust('none', 'etcd --trusted-ca-file, --client-cert-auth', []);
    return startEtcd(e, clock);
  });
  const startKubeletEndpoint = () => {
    const k = configureKubelet(fs, spec.kubelet, nodeName, options.kubelet);
    kubeletConfig = k;
    servers.kubelet.presents = k.serving
      ? summarizeCert(k.serving.chain[0]!, {
        field: { tlsCertFile: 'KubeletConfiguration tlsCertFile', 'cert-dir': 'kubelet --cert-dir (self-signed kubelet.crt)', serverTLSBootstrap: 'kubelet --cert-dir (kubelet-server-current.pem, from a kubelet-serving CSR)' }[k.servingSource],
        file: k.serving.certFile, chain: k.serving.chain,
      })
      : null;
    servers.kubelet.verifiesClientsWith = k.clientCa
      ? summarizeTrust('ca', 'KubeletConfiguration authentication.x509.clientCAFile', k.clientCa.certs, k.clientCa.file)
      : summarizeTrust('none', 'KubeletConfiguration authentication.x509.clientCAFile', []);
    return startKubelet(k, clock, apiserverModes);
  };
  let kubeletConfig: KubeletConfig | undefined;
  attempt(servers.kubelet, startKubeletEndpoint);

  // kube-controller-manager's certificate controllers: they act on every CSR write.
  let controllerManager: ControllerManagerConfig | undefined;
  let controllerManagerError: KubeMtlsSimError | undefined;
  try {
    controllerManager = configureControllerManager(fs, spec['kube-controller-manager']);
  } catch (error) {
    if (!isKubeMtlsSimError(error)) throw error;
    controllerManagerError = error;
  }
  if (controllerManager) {
    const cm = controllerManager;
    csrs.onChange((name) => reconcileCsr(csrs, name, cm, apiserverModes));
  }

  const endpoints = Object.values(servers).flatMap((s) => (s.endpoint ? [s.endpoint] : []));
  const listened = await Promise.allSettled(endpoints.map((e) => e.listen()));
  const failed = listened.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(endpoints.map((e) => e.close()));
    throw failed.reason;
  }

  // The kubelet's certificate managers: TLS bootstrap, client rotation, the serving CSR.
  // The kubelet trusts the apiserver with the CA of its kubeconfig.
  const kubeletCa = pki.certs.get(pki.preset.kubeconfigs.find((k) => k.file === pki.preset.kubelet.kubeconfig)?.ca ?? pki.preset.kubelet.clientCA)!.cert;
  const kubelet = new KubeletCertificates({
    fs, clock, nodeName, nodeAddress: pki.config.advertiseAddress, serverAddress: pki.config.advertiseAddress, certDir: spec.kubelet.certDir, kubeconfig: spec.kubelet.kubeconfig,
    algorithm: pki.algorithm, roots: [kubeletCa],
    apiserver: () => servers['kube-apiserver'].endpoint, register: (name) => state.nodes.add(name), apiPort: pki.config.bindPort,
    stopped: () => stopping !== undefined,
  });
  // A kubelet with serverTLSBootstrap and no serving certificate asks for one as it starts; once someone
  // approves the CSR and the signer issues it, the kubelet serves with it.
  let restarting: Promise<void> = Promise.resolve();
  let restartError: unknown;
  let stopping: Promise<void> | undefined;
  csrs.onChange((name) => {
    if (stopping || kubelet.pendingServingCsr !== name) return;
    const issued = csrs.get(name)?.status.certificate;
    if (!issued) return;
    kubelet.collectServing(name, Buffer.from(issued, 'base64').toString());
    restarting = restarting.then(async () => {
      if (stopping) return;
      // The new listener replaces the old one only once it listens: a dial never sees a half-started kubelet.
      let next: Endpoint;
      try {
        next = startKubeletEndpoint();
      } catch (error) {
        if (!isKubeMtlsSimError(error)) throw error;
        servers.kubelet.startupError = error;
        return;
      }
      await next.listen();
      if (stopping) {
        await next.close();
        return;
      }
      const old = servers.kubelet.endpoint;
      servers.kubelet.endpoint = next;
      await old?.close();
    }).catch((error: unknown) => {
      restartError ??= error;
    });
  });
  const settled = async () => {
    await restarting;
    if (restartError !== undefined) throw restartError;
  };
  if (kubeletConfig?.servingSource === 'serverTLSBootstrap' && !kubeletConfig.serving && servers['kube-apiserver'].endpoint) {
    await kubelet.requestServing();
  }

  // The node's network: every address a client may dial, mapped to the server that really listens on 127.0.0.1.
  const network = new Map<string, ServerState>();
  // One spelling per address, so that 2001:db8:0:0:1::10 in a config and [2001:db8::1:0:0:10] in a URL meet.
  const routeKey = (host: string, port: number) => `${isIP(host) ? formatIP(host) : host.toLowerCase()}:${port}`;
  const route = (host: string, port: number, server: ServerState) => network.set(routeKey(host, port), server);
  const local = ['127.0.0.1', 'localhost', pki.config.advertiseAddress, nodeName];
  const apiPort = Number(spec['kube-apiserver']['--secure-port'] ?? pki.config.bindPort);
  for (const host of local) route(host, apiPort, servers['kube-apiserver']);
  if (pki.config.controlPlaneEndpoint) {
    const { host, port } = splitHostPort(pki.config.controlPlaneEndpoint);
    route(host, port ?? pki.config.bindPort, servers['kube-apiserver']);
  }
  for (const url of listFlag(spec.etcd, '--listen-client-urls')) {
    const { host, port } = splitHostPort(url.replace(/^https?:\/\//, ''));
    route(host, port ?? 2379, servers.etcd);
    if (host === '127.0.0.1') route('localhost', port ?? 2379, servers.etcd);
  }
  for (const host of local) route(host, 10250, servers.kubelet);

  const abort = new AbortController();
  /** Nodes joining on worker threads (joinNodes): stop() waits for their workers to end. */
  const fleets = new Set<Promise<NodeJoin[]>>();
  // One signal serves every dial of this cluster: each adds (and removes) its own listener.
  setMaxListeners(0, abort.signal);
  const context = {
    clock, fs, spec, apiserverFlags: spec['kube-apiserver'], node: { name: nodeName, address: pki.config.advertiseAddress }, servers,
    lookup: (host: string, port: number) => network.get(routeKey(host, port)),
    signal: abort.signal, issuerOf: pkiIssuers(pki),
  };
  const cluster: StartedCluster = {
    pki, fs, clock, spec, csrs, controllerManager: controllerManager ?? controllerManagerError!,
    get servers() {
      return Object.fromEntries(Object.entries(servers).map(([name, s]) => [name, {
        running: s.endpoint !== undefined && !stopping, ...(s.endpoint ? { port: s.endpoint.port } : {}), ...(s.startupError ? { startupError: s.startupError } : {}),
      }])) as StartedCluster['servers'];
    },
    kubelet,
    newKubelet(name, address = pki.config.advertiseAddress) {
      return new KubeletCertificates({ ...kubelet.ctx, fs: new NodeFs(), nodeName: name, nodeAddress: address, serverAddress: pki.config.advertiseAddress });
    },
    async joinNodes(names, token, joinOptions = {}) {
      const endpoint = servers['kube-apiserver'].endpoint;
      if (stopping) throw new KubeMtlsSimError('ERR_CLUSTER_STOPPED', 'cannot join nodes: the cluster was stopped');
      if (!endpoint) throw new KubeMtlsSimError('ERR_CLUSTER_STOPPED', 'cannot join nodes: kube-apiserver is not running', { field: 'kube-apiserver' });
      const whole = (field: 'workers' | 'concurrency', value: number) => {
        if (!Number.isInteger(value) || value < 1) throw new KubeMtlsSimError('ERR_USAGE', `joinNodes: ${field} must be a whole number ≥ 1, not ${value}`, { field });
        return value;
      };
      const workers = whole('workers', joinOptions.workers ?? 1);
      const concurrency = whole('concurrency', joinOptions.concurrency ?? 32);
      if (names.length === 0) return [];
      const fleet = runFleet({
        names: [...names], token, port: endpoint.port, apiPort: pki.config.bindPort,
        serverAddress: pki.config.advertiseAddress, nodeAddress: pki.config.advertiseAddress,
        rootsPem: kubelet.ctx.roots.map((c) => c.pem).join(''), apiserverChainPem: endpoint.chain.map((c) => c.pem).join(''),
        algorithm: pki.algorithm, certDir: spec.kubelet.certDir, kubeconfig: spec.kubelet.kubeconfig,
        nowMs: clock.now().getTime(), concurrency,
        ...(joinOptions.request ? { request: joinOptions.request } : {}),
      }, workers, (name) => state.nodes.add(name), abort.signal);
      fleets.add(fleet);
      try {
        return await fleet;
      } finally {
        fleets.delete(fleet);
      }
    },
    addBootstrapToken(secret) {
      state.bootstrapTokens.push(secret);
    },
    async advanceClock(ms) {
      const manual = clock as Partial<ManualClock>;
      if (typeof manual.advance !== 'function') throw new KubeMtlsSimError('ERR_USAGE', 'advanceClock needs a clock that can move (fixedClock)', { field: 'clock' });
      manual.advance(ms);
      const rotates = kubeletConfig?.config.rotateCertificates === true;
      // Time may pass on a stopped cluster; nothing runs to rotate then.
      const rotation = rotates && !stopping ? await kubelet.rotateIfDue() : null;
      await settled();
      return rotation;
    },
    settle: settled,
    async dial(edge, dialOptions) {
      if (stopping) throw new KubeMtlsSimError('ERR_CLUSTER_STOPPED', `cannot dial ${edge}: the cluster was stopped`);
      // A kubelet restarting with its new serving certificate is dialled once it listens again.
      await restarting;
      return dialEdge(context, edgeSpec(edge), dialOptions);
    },
    dialAll(dialOptions) {
      return Promise.all(EDGE_NAMES.map((edge) => cluster.dial(edge, dialOptions)));
    },
    stop() {
      stopping ??= (async () => {
        abort.abort();
        await restarting;
        await Promise.allSettled([...fleets]);
        await Promise.all([...endpoints, ...Object.values(servers).flatMap((s) => (s.endpoint ? [s.endpoint] : []))].map((e) => e.close()));
      })();
      return stopping;
    },
    [Symbol.asyncDispose]() {
      return cluster.stop();
    },
  };
  return cluster;
}
