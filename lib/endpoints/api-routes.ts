import type { UserInfo } from '../authn/types.js';
import type { AuthorizationMode } from '../authz/types.js';
import type { Clock } from '../clock.js';
import { CORE_RESOURCES, handleCoreApi } from './core-api.js';
import { coreObjects, type CoreContext } from './core-objects.js';
import { coreTable } from './core-tables.js';
import type { ApiAnswer } from './csr-api.js';
import { health } from './health.js';
import { selfSubjectAccessReview, selfSubjectRulesReview } from './access-review.js';
import type { RequestInfo } from './request-info.js';
import { watchAnswer } from './watch.js';
import { isKubeletSubresource, podSubresource, type KubeletDial } from './pod-subresources.js';
import { methodNotAllowed, notFound } from './objects.js';

/**
 * The requests of kubectl's everyday commands that the apiserver routes here, after authentication
 * and authorization: health checks, the core group's read-only objects (and their watches), and
 * the authorization.k8s.io reviews behind `kubectl auth can-i`. Undefined: not one of these.
 */
export interface RouteRequest {
  info: RequestInfo;
  url: string;
  accept: string;
  body: Buffer;
  contentType: string;
  user: UserInfo;
  modes: AuthorizationMode[];
  nodeName: string;
  state: RouteState;
}

/** What the routes read of the apiserver's state (ApiServerState has it). */
export interface RouteState {
  clock: Clock;
  /** Registered Node objects. */
  nodes: ReadonlySet<string>;
  /** The nodes' address (kubeadm's advertiseAddress) and the apiserver's advertised port: what Node and Endpoints objects show. */
  advertise?: { address: string; port: number };
  /** The control-plane kubelet's listening port, while it listens (Node.status.daemonEndpoints). */
  kubeletPort?: () => number | undefined;
  /** When the cluster started: the creationTimestamp of the objects that came with it. */
  since?: Date;
  /** The apiserver's client towards the kubelet, set by the cluster (the same dial as the apiserver→kubelet edge): pods/log, exec, attach, portforward. */
  kubeletDial?: KubeletDial;
}

function coreContext(r: RouteRequest): CoreContext {
  const { state } = r;
  return {
    nodeName: r.nodeName, nodes: state.nodes, nodeAddress: state.advertise?.address ?? '127.0.0.1', kubeletPort: state.kubeletPort?.(),
    apiPort: state.advertise?.port ?? 6443, since: state.since ?? state.clock.now(),
  };
}

export async function route(r: RouteRequest): Promise<ApiAnswer | undefined> {
  const { info, url, accept } = r;
  const query = url.split('?')[1] ?? '';
  if (!info.resourceRequest && info.verb === 'get') {
    const answer = health(info.path, query);
    if (answer) return { status: answer.status, body: answer.text, contentType: 'text/plain; charset=utf-8' };
  }
  if (info.resourceRequest && info.apiGroup === '' && info.apiVersion === 'v1' && isKubeletSubresource(info)) return podSubresourceRoute(r);
  if (info.resourceRequest && info.apiGroup === '' && info.apiVersion === 'v1' && CORE_RESOURCES.has(info.resource ?? '')) {
    const ctx = coreContext(r);
    const now = r.state.clock.now();
    if (info.verb === 'watch') {
      const resource = info.resource!;
      const table = /as=Table/.test(accept);
      // Nothing here changes once the cluster runs: the watch sends the objects (when asked from the start) and stays open.
      return watchAnswer({
        current: () => ({ items: coreObjects(resource, ctx).filter((o) => !info.namespace || o.metadata.namespace === info.namespace || resource === 'nodes' || resource === 'namespaces'), resourceVersion: '1' }),
        encode: (o) => (table ? coreTable(resource, [o], now) : o),
        versionOf: () => '1',
      }, new URLSearchParams(query), table ? 'application/json;as=Table;v=v1;g=meta.k8s.io' : 'application/json');
    }
    return handleCoreApi(info, url, accept, r.user, ctx, now);
  }
  if (info.resourceRequest && info.apiGroup === 'authorization.k8s.io' && info.apiVersion === 'v1' && info.verb === 'create' && !info.name) {
    const now = r.state.clock.now();
    if (info.resource === 'selfsubjectaccessreviews') return selfSubjectAccessReview(r.body, r.contentType, r.user, r.modes, now);
    if (info.resource === 'selfsubjectrulesreviews') return selfSubjectRulesReview(r.body, r.contentType, r.user, r.modes, now);
  }
  return undefined;
}

/** pods/log (get) and pods/exec|attach|portforward (get for WebSocket, create for SPDY), for a pod that exists. */
function podSubresourceRoute(r: RouteRequest): Promise<ApiAnswer> | ApiAnswer {
  const { info } = r;
  const verbs = info.subresource === 'log' ? ['get'] : ['get', 'create'];
  if (!verbs.includes(info.verb)) return methodNotAllowed();
  const pod = coreObjects('pods', coreContext(r)).find((o) => o.metadata.namespace === info.namespace && o.metadata.name === info.name) as
    { metadata: { namespace: string; name: string }; spec: { containers: Array<{ name: string }> } } | undefined;
  if (!pod) return notFound('pods', info.name ?? '');
  const target = { namespace: pod.metadata.namespace, name: pod.metadata.name, containers: pod.spec.containers.map((c) => c.name) };
  return podSubresource(info, r.url, target, r.state.kubeletDial);
}
