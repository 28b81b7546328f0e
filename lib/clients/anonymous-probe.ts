import type { IssuedCert } from '../pki/issue.js';
import type { ClientSeat } from '../tls/connection-ledger.js';
import type { ServerView } from '../verdict/observation.js';
import { exchange } from './exchange.js';

/** The server probed, as the dialler reached it: where it listens and what it sends. */
export interface ProbedServer {
  readonly port: number;
  readonly chain: readonly IssuedCert[];
}

/** What a client without any credential got for the same request. */
export interface AnonymousAnswer {
  /** The server answered 2xx to a request that carried no certificate and no token. */
  allowed: boolean;
  /** Its HTTP status; 0 when the connection ended without an answer. */
  status: number;
  /** Who the server took the probe for (system:anonymous), when it let it in. */
  user?: { name: string; groups: string[] };
}

/**
 * A server that authenticated the real client may still let in a client with no credential at all
 * (a kubelet with a client CA *and* `anonymous.enabled` + `AlwaysAllow`; an apiserver whose RBAC
 * grants system:unauthenticated): the mutual authentication then protects nothing. The only honest
 * way to know is to ask, so the dialler repeats the edge's request over a real TLS connection that
 * sends no certificate and no token.
 *
 * A running endpoint's authenticator and authorizer do not change (a new configuration is a new
 * endpoint), so the answer is kept per endpoint and request: one extra handshake per edge.
 */
const answers = new WeakMap<ProbedServer, Map<string, Promise<AnonymousAnswer | undefined>>>();

export function probeAnonymous(endpoint: ProbedServer, probe: {
  ledger: ClientSeat<ServerView>; servername: string; host: string; request: { method: string; path: string; body?: string }; timeoutMs: number; signal: AbortSignal;
}): Promise<AnonymousAnswer | undefined> {
  let byRequest = answers.get(endpoint);
  if (!byRequest) answers.set(endpoint, (byRequest = new Map()));
  const key = `${probe.request.method} ${probe.request.path}\u0000${probe.servername}\u0000${probe.request.body ?? ''}`;
  const known = byRequest.get(key);
  if (known) return known;
  const asked = ask(endpoint, probe);
  byRequest.set(key, asked);
  // No answer (the cluster stopping, a timeout) is not an answer to remember.
  void asked.then((answer) => {
    if (!answer) byRequest.delete(key);
  });
  return asked;
}

async function ask(endpoint: ProbedServer, probe: Parameters<typeof probeAnonymous>[1]): Promise<AnonymousAnswer | undefined> {
  const wire = await exchange({
    port: endpoint.port, servername: probe.servername, serverSends: endpoint.chain,
    ledger: probe.ledger, keep: true,
    // The probe judges the server's door, not its certificate: the real dial already did.
    verify: null,
    request: { method: probe.request.method, path: probe.request.path, host: probe.host, ...(probe.request.body !== undefined ? { body: probe.request.body } : {}) },
    timeoutMs: probe.timeoutMs,
    signal: probe.signal,
  });
  const record = wire.localPort !== undefined ? probe.ledger.take({ serverPort: endpoint.port, clientPort: wire.localPort }) : undefined;
  // Refused at the handshake or hung up on (etcd's client-certificate policy): the door is shut. A stop or a timeout says nothing.
  if (!wire.response) return wire.aborted || wire.error?.code === 'ETIMEDOUT' ? undefined : { allowed: false, status: 0 };
  const status = wire.response.status;
  const authn = record?.exchanges[0]?.authn;
  return {
    allowed: status >= 200 && status < 300, status,
    ...(authn?.ok ? { user: { name: authn.user.name, groups: [...authn.user.groups] } } : {}),
  };
}
