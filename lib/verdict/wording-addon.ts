import type { KubernetesMessage } from './result.js';
import type { WordingInput } from './wording-input.js';

/**
 * What the real programs print on the metrics-server addon's edges (issue 14): kube-aggregator's
 * available controller (available_controller.go: "failing or missing response from", "bad status
 * from"), kubectl top, metrics-server's scraper (scraper.go "Failed to scrape node", its kubelet
 * client's "request failed, status"). Undefined for the other edges and for config errors and
 * refused connections, which keep the common wording.
 */
export function addonMessages(input: WordingInput): KubernetesMessage[] | undefined {
  if (input.configError || input.reason === 'CONNECTION_REFUSED') return undefined;
  if (input.edge.name === 'apiserver-to-metrics-server') return aggregator(input);
  if (input.edge.name === 'metrics-server-to-kubelet') return scraper(input);
  return undefined;
}

const TOP_UNAVAILABLE: KubernetesMessage = { component: 'kubectl', where: 'stderr', text: 'error: Metrics API not available' };

/** The TLS error as Go ≥1.20 wraps a verification failure, or the alert the other side sent. */
function tlsError(input: WordingInput): string | undefined {
  if (input.detectedBy === 'client' && input.clientVerifyError) return `tls: failed to verify certificate: ${input.clientVerifyError}`;
  if (input.reason === 'TLS_VERSION') return 'remote error: tls: protocol version not supported';
  if (input.reason === 'HANDSHAKE_FAILED') return 'remote error: tls: handshake failure';
  if (input.detectedBy === 'server' && input.serverLog && input.httpStatus === undefined) return 'remote error: tls: bad certificate';
  return undefined;
}

const handshakeLog = (server: string, input: WordingInput): KubernetesMessage =>
  ({ component: server, where: 'log', text: `http: TLS handshake error from 127.0.0.1:${input.clientPort ?? 'PORT'}: remote error: tls: bad certificate` });

/**
 * The aggregator's discovery check (GET /apis/metrics.k8s.io/v1beta1 as system:kube-aggregator)
 * fails on the same TLS error or 401, the APIService goes Available=False, and kubectl top finds no
 * metrics.k8s.io in discovery. A 403 for the user is the proxied answer itself.
 */
function aggregator(input: WordingInput): KubernetesMessage[] {
  const discovery = `${input.url.replace(/\/$/, '')}/apis/metrics.k8s.io/v1beta1`;
  const failed = (why: string): KubernetesMessage => ({ component: 'kube-apiserver', where: 'log', text: `v1beta1.metrics.k8s.io failed with: failing or missing response from ${discovery}: ${why}` });
  const tls = tlsError(input);
  if (tls) {
    const out = [TOP_UNAVAILABLE, failed(`Get "${discovery}": ${tls}`)];
    if (input.detectedBy === 'client') out.push(handshakeLog('metrics-server', input));
    else if (input.serverLog) out.push({ component: 'metrics-server', where: 'log', text: input.serverLog });
    return out;
  }
  if (input.httpStatus === 401) {
    return [TOP_UNAVAILABLE, failed(`bad status from ${discovery}: 401`), ...(input.serverLog ? [{ component: 'metrics-server', where: 'log' as const, text: input.serverLog }] : [])];
  }
  if (input.httpStatus === 403) return [{ component: 'kubectl', where: 'stderr', text: `Error from server (Forbidden): ${input.httpMessage ?? 'forbidden'}` }];
  return [];
}

/** metrics-server logs each failed scrape; kubectl top then has nothing for the node. */
function scraper(input: WordingInput): KubernetesMessage[] {
  const get = `Get \\"${input.url.replace(/\/$/, '')}${input.edge.request(input.nodeName).path}\\"`;
  const scrape = (err: string): KubernetesMessage => ({ component: 'metrics-server', where: 'log', text: `"Failed to scrape node" err="${err}" node="${input.nodeName}"` });
  const top: KubernetesMessage = { component: 'kubectl', where: 'stderr', text: 'error: metrics not available yet' };
  const tls = tlsError(input);
  if (tls) {
    const out = [scrape(`${get}: ${tls}`), top];
    if (input.detectedBy === 'client') out.push(handshakeLog('kubelet', input));
    else if (input.serverLog) out.push({ component: 'kubelet', where: 'log', text: input.serverLog });
    return out;
  }
  if (input.httpStatus === 401) return [scrape('request failed, status: \\"401 Unauthorized\\"'), top];
  if (input.httpStatus === 403) return [scrape('request failed, status: \\"403 Forbidden\\"'), top];
  return [];
}
