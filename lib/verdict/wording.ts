import type { KubernetesMessage } from './result.js';
import { addonMessages } from './wording-addon.js';
import type { WordingInput } from './wording-input.js';

// What the wording is made from lives in wording-input.ts, which the addon's wording shares.
export type { WordingInput } from './wording-input.js';

const kubectlLike = new Set(['kubectl']);
import { memberId } from '../component-base/etcd-peer.js';

/**
 * What the real programs print for an outcome, in their words (Go ≥1.20 wraps x509 errors in
 * "tls: failed to verify certificate: "; etcd 3.4 and client-go phrasing from kubernetes-pki.md §6
 * and real-peers.md). Client lines first, then the server's log.
 */
export function kubernetesMessages(input: WordingInput): KubernetesMessage[] {
  const addon = addonMessages(input);
  if (addon) return addon;
  const out: KubernetesMessage[] = [];
  const client = input.edge.client;
  const server = input.edge.server;
  const req = input.edge.request(input.nodeName);
  const getUrl = `${req.method === 'POST' ? 'Post' : 'Get'} "${input.url.replace(/\/$/, '')}${req.path}"`;
  const from = `127.0.0.1:${input.clientPort ?? 'PORT'}`;

  if (input.configError) {
    // kubectl's prompt goes to stdout; the EOF it reads with no terminal is the error on stderr.
    if (input.reason === 'CREDENTIALS_PROMPT') out.push({ component: 'kubectl', where: 'stdout', text: 'Please enter Username: ' });
    out.push({ component: input.configError.component, where: input.configError.component === 'kubectl' ? 'stderr' : 'log', text: input.configError.side === 'client' && client === 'kubectl' ? `error: ${input.configError.goMessage}` : input.configError.goMessage });
    return out;
  }
  if (input.reason === 'CONNECTION_REFUSED') {
    const hostPort = input.url.replace(/^https:\/\//, '').replace(/\/.*/, '');
    out.push(client === 'kubectl'
      ? { component: 'kubectl', where: 'stderr', text: `The connection to the server ${hostPort} was refused - did you specify the right host or port?` }
      : { component: client, where: 'log', text: `${getUrl}: dial tcp ${hostPort}: connect: connection refused` });
    return out;
  }

  // The client rejected the server's certificate (Go sends alert bad_certificate; the server logs it).
  if (input.detectedBy === 'client' && input.clientVerifyError) {
    const tlsErr = `tls: failed to verify certificate: ${input.clientVerifyError}`;
    out.push(clientTlsLine(client, server, input, getUrl, tlsErr));
    out.push({ component: server, where: 'log', text: server === 'etcd'
      ? `embed: rejected connection from ${JSON.stringify(from)} (error "remote error: tls: bad certificate", ServerName "")`
      : `http: TLS handshake error from ${from}: remote error: tls: bad certificate` });
    return out;
  }

  // The server refused at TLS: Go's etcd 3.4 sends alert 42 for any client-certificate failure; a
  // kubelet without a serving certificate sends internal_error.
  if (input.detectedBy === 'server' && input.serverLog && input.httpStatus === undefined) {
    out.push(clientTlsLine(client, server, input, getUrl, input.reason === 'NO_SERVING_CERT' ? 'remote error: tls: internal error' : 'remote error: tls: bad certificate'));
    out.push({ component: server, where: 'log', text: input.serverLog });
    return out;
  }

  if (input.reason === 'TLS_VERSION' || input.reason === 'HANDSHAKE_FAILED') {
    const alert = input.reason === 'TLS_VERSION' ? 'remote error: tls: protocol version not supported' : 'remote error: tls: handshake failure';
    out.push(clientTlsLine(client, server, input, getUrl, alert));
    return out;
  }

  if (input.httpStatus === 401 || input.httpStatus === 403) {
    const what = input.httpStatus === 401 ? 'Unauthorized' : input.httpMessage ?? 'Forbidden';
    // `kubectl get pods` asks discovery first (memcache.go), which answers 401 too, and then says so
    // in client-go's words for a 401; `get --raw` and `auth whoami` would print "(Unauthorized)".
    if (client === 'kubectl' && input.httpStatus === 401) out.push(...KUBECTL_GET_401);
    else out.push(clientHttpLine(client, server, input, what));
    if (input.serverLog) out.push({ component: server, where: 'log', text: input.serverLog });
  }
  return out;
}

/** What the real kubectl 1.32 prints for `kubectl get pods` answered 401 (measured): the discovery retries, then the error. */
const KUBECTL_GET_401: readonly KubernetesMessage[] = [
  { component: 'kubectl', where: 'stderr', text: 'memcache.go:265] "Unhandled Error" err="couldn\'t get current server API group list: the server has asked for the client to provide credentials"' },
  { component: 'kubectl', where: 'stderr', text: 'error: You must be logged in to the server (the server has asked for the client to provide credentials)' },
];

function clientTlsLine(client: string, server: string, input: WordingInput, getUrl: string, err: string): KubernetesMessage {
  if (input.edge.name === 'etcd-peer') {
    // rafthttp's prober, as etcd 3.4.23 (Go 1.19: x509 errors not yet wrapped) logs it; the ID assumes the default --initial-cluster-token.
    return { component: 'etcd', where: 'log', text: `rafthttp: health check for peer ${memberId([input.url])} could not connect: ${err.replace(/^tls: failed to verify certificate: /, '')}` };
  }
  if (kubectlLike.has(client)) return { component: 'kubectl', where: 'stderr', text: `Unable to connect to the server: ${err}` };
  if (client === 'kube-apiserver' && server === 'etcd') {
    const addr = input.url.replace(/^https:\/\//, '');
    return { component: 'kube-apiserver', where: 'log', text: `grpc: addrConn.createTransport failed to connect to {Addr: "${addr}", ServerName: "${addr}", }. Err: connection error: desc = "transport: authentication handshake failed: ${err}"` };
  }
  if (client === 'kube-apiserver' && server === 'kubelet') {
    return { component: 'kubectl', where: 'stderr', text: `Error from server: ${getUrl}: ${err}` };
  }
  return { component: client, where: 'log', text: `${informerPrefix(client, input.nodeName)}${getUrl}: ${err}` };
}

function clientHttpLine(client: string, server: string, input: WordingInput, what: string): KubernetesMessage {
  const pod = `kube-apiserver-${input.nodeName}`;
  if (client === 'kubectl') return { component: 'kubectl', where: 'stderr', text: `Error from server (Forbidden): ${what}` };
  if (client === 'kube-apiserver' && server === 'kubelet') {
    return input.httpStatus === 401
      ? { component: 'kubectl', where: 'stderr', text: `error: You must be logged in to the server (the server has asked for the client to provide credentials ( pods/log ${pod}))` }
      : { component: 'kubectl', where: 'stderr', text: `Error from server (Forbidden): ${what} ( pods/log ${pod})` };
  }
  if (client === 'kube-apiserver' && server === 'etcd') return { component: 'kube-apiserver', where: 'log', text: what };
  return { component: client, where: 'log', text: `${informerPrefix(client, input.nodeName)}${what}` };
}

/** How each client-go user reports a failed request in its log. */
function informerPrefix(client: string, nodeName: string): string {
  switch (client) {
    case 'kube-scheduler': return 'Failed to watch *v1.Pod: failed to list *v1.Pod: ';
    case 'kube-proxy': return 'Failed to watch *v1.Service: failed to list *v1.Service: ';
    case 'kube-controller-manager': return 'error retrieving resource lock kube-system/kube-controller-manager: ';
    case 'kubelet': return `Error updating node status, will retry: error getting node "${nodeName}": `;
    default: return '';
  }
}
