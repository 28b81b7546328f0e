import { Agent, request as httpsRequest } from 'node:https';
import { createSecureContext, type SecureContext, type TLSSocket } from 'node:tls';
import { isIP } from 'node:net';
import type { Clock } from '../clock.js';
import { peerChain } from '../tls/peer-chain.js';
import type { IssuedCert } from '../pki/issue.js';
import { goVerify } from '../x509/go-verify.js';
import type { Endpoint } from '../tls/connection.js';

/** How a client reaches the simulated apiserver: its real port, and what it trusts and presents. */
export interface ApiClientOptions {
  port: number;
  /** The name verified against the serving certificate (and sent as SNI when it is a name). */
  serverName: string;
  roots: readonly IssuedCert[];
  clock: Clock;
  /** The client certificate and key; `chain` gives what `certPem` holds, parsed (announced to `peer`). */
  cert?: { certPem: string; keyPem: string; chain?: () => readonly IssuedCert[] };
  token?: string;
  /**
   * The endpoint dialled, when it runs in this process: what it announces it sends spares reading
   * the certificates back out of OpenSSL, and the client announces its own chain to it in turn
   * (when it listens on this thread: an endpoint on another thread cannot be told).
   */
  peer?: Pick<Endpoint, 'chain'> & Partial<Pick<Endpoint, 'announceClientChain'>>;
  /** Give up on a request that gets no answer (client-go's default is no timeout; a simulation must not hang). @default 15000 */
  timeoutMs?: number;
}

export interface ApiResponse {
  status: number;
  body: string;
  json<T = unknown>(): T;
}

/**
 * A client-go-like client for the simulated apiserver: HTTP/1.1 keep-alive over one TLS connection
 * (the kubelet's bootstrap requests share it), the server certificate checked with Go's rules at
 * the cluster clock. A server that fails the check is an error, never an answer.
 */
export class ApiClient {
  readonly #agent: Agent;
  readonly #verified = new WeakSet<TLSSocket>();

  readonly #context: SecureContext;

  constructor(readonly options: ApiClientOptions) {
    // client-go never resumes a TLS session (no ClientSessionCache): neither does this client.
    this.#agent = new Agent({ keepAlive: true, maxSockets: 1, maxCachedSessions: 0 });
    // One secure context for every connection of this client: parsing PEM per connection costs more than the handshake.
    this.#context = options.cert ? createSecureContext({ cert: options.cert.certPem, key: options.cert.keyPem }) : anonymousContext();
  }

  request(method: string, path: string, body?: unknown): Promise<ApiResponse> {
    const { options } = this;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = httpsRequest({
        host: '127.0.0.1', port: options.port, method, path, agent: this.#agent,
        ...(isIP(options.serverName) === 0 ? { servername: options.serverName } : {}),
        ...{ secureContext: this.#context },
        rejectUnauthorized: false,
        checkServerIdentity: () => undefined,
        headers: {
          Accept: 'application/json',
          ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
          ...(payload !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}),
        },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: text, json: <T>() => JSON.parse(text) as T });
        });
        res.on('error', reject);
      });
      req.on('socket', (socket) => {
        const tls = socket as TLSSocket;
        const announce = options.peer?.announceClientChain?.bind(options.peer);
        const chain = options.cert?.chain;
        if (announce && chain && tls.connecting) {
          tls.once('connect', () => {
            // Only a shortcut for the endpoint: a certificate that does not parse here is left for it to read off the wire.
            let sent: readonly IssuedCert[] | undefined;
            try {
              sent = chain();
            } catch {
              sent = undefined;
            }
            if (sent && tls.localPort !== undefined) announce(tls.localPort, sent);
          });
        }
        const check = () => {
          if (this.#verified.has(tls)) return;
          const chain = peerChain(tls, options.peer?.chain);
          const result = chain[0]
            ? goVerify(chain[0], { roots: options.roots, intermediates: chain.slice(1), now: options.clock.now(), keyUsages: ['serverAuth'], host: options.serverName })
            : { ok: false as const, error: 'the server sent no certificate' };
          if (!result.ok) {
            req.destroy(new Error(`tls: failed to verify certificate: ${result.error}`));
            return;
          }
          this.#verified.add(tls);
        };
        if (tls.encrypted && (tls as { _secureEstablished?: boolean })._secureEstablished) check();
        // Before the HTTP layer writes the request (and its token): Go verifies inside the handshake.
        else tls.prependOnceListener('secureConnect', check);
      });
      const timeoutMs = options.timeoutMs ?? 15_000;
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer from ${options.serverName} within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

/** A client with no certificate (a token, or nothing): one context for all of them, since nothing in it differs. */
let anonymous: SecureContext | undefined;
function anonymousContext(): SecureContext {
  return (anonymous ??= createSecureContext({}));
}
