import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, sendText, statusBody } from './http.js';
import type { ApiAnswer } from './csr-api.js';
import type { RequestInfo } from './request-info.js';
import { answerOverWebSocket, isWebSocketRequest, offeredProtocols } from './websocket.js';

/**
 * The pod subresources kube-apiserver serves by dialling the pod's kubelet (the apiserver→kubelet
 * edge): pods/log (pkg/registry/core/pod/rest/log.go, a LocationStreamer with
 * GenericHttpResponseChecker) and pods/exec, pods/attach, pods/portforward (subresources.go: an
 * UpgradeAwareHandler, and for WebSocket clients the StreamTranslatorHandler, which answers the
 * client's upgrade first and then dials the kubelet with SPDY). Every error is the one those
 * handlers make of what the dial gave, so the real kubectl prints what it prints against a real
 * cluster whose edge is broken the same way.
 */

/** A request the apiserver sends the kubelet (the path and query of the kubelet's own API). */
export interface KubeletRequest { method: 'GET' | 'POST'; path: string }

/** What the apiserver's kubelet client got: the kubelet's answer, or Go's error for a dial that gave none. */
export interface KubeletReply {
  /** The URL dialled: https://<the Node's preferred address>:10250<path>. */
  url: string;
  response?: { status: number; body: string };
  error?: string;
}

export type KubeletDial = (request: KubeletRequest) => Promise<KubeletReply>;

/** What the routes know of the pod asked for. */
export interface PodTarget { namespace: string; name: string; containers: string[] }

const STREAMS = new Set(['exec', 'attach', 'portforward']);

export function isKubeletSubresource(info: RequestInfo): boolean {
  return info.resource === 'pods' && (info.subresource === 'log' || STREAMS.has(info.subresource ?? ''));
}

/** The kubelet's path for a subresource request, or an answer refusing it (a container the pod has not). */
function kubeletPath(info: RequestInfo, query: URLSearchParams, pod: PodTarget): string | ApiAnswer {
  const container = query.get('container') ?? pod.containers[0]!;
  if (info.subresource !== 'portforward' && !pod.containers.includes(container)) {
    return { status: 400, body: statusBody(400, 'BadRequest', `container ${container} is not valid for pod ${pod.name}`) };
  }
  const params = new URLSearchParams();
  const copy = (from: string, to = from) => query.getAll(from).forEach((v) => params.append(to, v));
  if (info.subresource === 'log') {
    for (const p of ['follow', 'limitBytes', 'previous', 'sinceSeconds', 'sinceTime', 'tailLines', 'timestamps']) copy(p);
    return withQuery(`/containerLogs/${pod.namespace}/${pod.name}/${container}`, params);
  }
  if (info.subresource === 'portforward') {
    copy('ports', 'port');
    return withQuery(`/portForward/${pod.namespace}/${pod.name}`, params);
  }
  // streamParams: command, then the streams as the kubelet names them (input, output, error, tty); Encode sorts the keys.
  copy('command');
  for (const [from, to] of [['stderr', 'error'], ['stdin', 'input'], ['stdout', 'output'], ['tty', 'tty']] as const) if (query.get(from) === 'true' || query.get(from) === '1') params.append(to, '1');
  return withQuery(`/${info.subresource}/${pod.namespace}/${pod.name}/${container}`, params);
}

function withQuery(path: string, params: URLSearchParams): string {
  params.sort();
  const q = params.toString();
  return q ? `${path}?${q}` : path;
}

/** A metav1.Status without a reason (ErrorToAPIStatus of an error that is not a Status): kubectl prints "Error from server: …". */
const unknownError = (code: number, message: string) => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code });
const internalError = (message: string) => ({ ...statusBody(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] }) });

export async function podSubresource(info: RequestInfo, url: string, pod: PodTarget, dial: KubeletDial | undefined): Promise<ApiAnswer> {
  const query = new URLSearchParams(url.split('?')[1] ?? '');
  const path = kubeletPath(info, query, pod);
  if (typeof path !== 'string') return path;
  if (!dial) return { status: 503, body: statusBody(503, 'ServiceUnavailable', 'no kubelet is reachable from this apiserver') };
  if (info.subresource === 'log') return podLog(await dial({ method: 'GET', path }), pod.name);
  return {
    status: 101, body: undefined,
    stream: (req, res) => void podStream(req, res, path, dial),
  };
}

/** GenericHttpResponseChecker: a kubelet answer outside 2xx becomes a Status naming pods/log and the pod. */
function podLog(reply: KubeletReply, name: string): ApiAnswer {
  if (!reply.response) return { status: 500, body: unknownError(500, `Get ${JSON.stringify(reply.url)}: ${reply.error ?? 'no answer'}`) };
  const { status, body } = reply.response;
  if (status >= 200 && status <= 206) return { status: 200, body, contentType: 'text/plain' };
  const details = { name, kind: 'pods/log' };
  const about = ` ( pods/log ${name})`;
  if (status === 500) return { status: 500, body: internalError(body) };
  if (status === 400) return { status: 400, body: statusBody(400, 'BadRequest', body) };
  const [reason, message] = status === 401 ? ['Unauthorized', 'the server has asked for the client to provide credentials']
    : status === 403 ? ['Forbidden', body]
      : status === 404 ? ['NotFound', 'the server could not find the requested resource']
        : ['InternalError', `an error on the server (${JSON.stringify(body)}) has prevented the request from succeeding`];
  return { status, body: statusBody(status, reason!, `${message}${about}`, details) };
}

/**
 * exec/attach/portforward. A WebSocket client (kubectl ≥ 1.30) is answered by the stream
 * translator: the upgrade is accepted, the kubelet dialled with SPDY (POST), and a failure sent as
 * a Status on the error channel (3). Any other client gets the UpgradeAwareHandler's answers:
 * "error dialing backend" when the kubelet could not be reached, else the kubelet's own response.
 */
async function podStream(req: IncomingMessage, res: ServerResponse, path: string, dial: KubeletDial): Promise<void> {
  const websocket = isWebSocketRequest(req);
  const offered = offeredProtocols(req);
  if (websocket && !path.startsWith('/portForward/')) {
    const reply = await dial({ method: 'POST', path });
    const failure = reply.response ? upgradeFailure(reply.response.body) : internalError(`error sending request: Post ${JSON.stringify(reply.url)}: ${reply.error ?? 'no answer'}`);
    const protocol = offered.includes('v5.channel.k8s.io') ? 'v5.channel.k8s.io' : offered[0] ?? 'channel.k8s.io';
    answerOverWebSocket(req, req.socket, protocol, [{ channel: 3, data: Buffer.from(JSON.stringify(failure)) }]);
    return;
  }
  const reply = await dial({ method: 'POST', path });
  if (!reply.response) return sendJson(res, 500, unknownError(500, `error dialing backend: ${reply.error ?? 'no answer'}`));
  sendText(res, reply.response.status, reply.response.body);
}

/** The SPDY upgrader's reading of a kubelet answer that is not 101: its Status, or "unable to upgrade connection: <body>" (internal). */
function upgradeFailure(body: string): unknown {
  try {
    const parsed = JSON.parse(body) as { kind?: string };
    if (parsed.kind === 'Status') return parsed;
  } catch {
    // not a Status: the body's text is the error
  }
  return internalError(`unable to upgrade connection: ${body.trim()}`);
}
