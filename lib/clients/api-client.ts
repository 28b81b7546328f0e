import { Agent, request as httpRequest, type ClientRequestArgs } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Clock } from '../clock.js';
import type { IssuedCert } from '../pki/issue.js';
import type { ClientSeat } from '../tls/connection-ledger.js';
import { clientContext, openTls, type TransportOptions } from './transport.js';

/** How a client reaches the simulated apiserver: its real port, and what it trusts and presents. */
export interface ApiClientOptions {
  port: number;
  /** The name verified against the serving certificate (and sent as SNI when it is a name). */
  serverName: string;
  roots: readonly IssuedCert[];
  clock: Clock;
  /** The client certificate and key; `chain` gives what `certPem` holds, parsed (announced through `ledger`). */
  cert?: { certPem: string; keyPem: string; chain?: () => readonly IssuedCert[] };
  token?: string;
  /** What the apiserver sends, when it runs in this process: spares reading the certificates back out of OpenSSL. */
  serverSends?: readonly IssuedCert[];
  /**
   * The cluster's ledger, when the apiserver listens on this thread: the client announces its own
   * chain through it (an endpoint on another thread cannot be told).
   */
  ledger?: ClientSeat;
  /** Give up on a request that gets no answer (client-go's default is no timeout; a simulation must not hang). @default 15000 */
  timeoutMs?: number;
}

export interface ApiResponse {
  status: number;
  body: string;
  json<T = unknown>(): T;
}

/**
 * client-go's transport for node:http: each connection is a TLS connection opened and judged by
 * transport.ts (Go's verification at the cluster clock) before the HTTP layer gets it; a server that
 * fails the check is the request's error, never an answer. One connection, kept alive.
 */
class VerifyingAgent extends Agent {
  constructor(readonly transport: () => TransportOptions, readonly timeoutError: () => Error, readonly timeoutMs: number) {
    // client-go never resumes a TLS session (no ClientSessionCache): every connection is a full handshake.
    super({ keepAlive: true, maxSockets: 1 });
  }

  override createConnection(_options: ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const leg = openTls(this.transport());
    const timer = setTimeout(() => leg.socket.destroy(this.timeoutError()), this.timeoutMs);
    void leg.secured.then((secured) => {
      clearTimeout(timer);
      if (secured.ok) return callback?.(null, leg.socket);
      const refusal = leg.seen.clientRefused;
      const error = refusal
        ? new Error(refusal.reason === 'HANDSHAKE_FAILED' ? refusal.error : `tls: failed to verify certificate: ${refusal.error}`)
        : (secured.error ?? new Error('socket hang up'));
      callback?.(error, undefined as unknown as Duplex);
    });
    return undefined;
  }
}

/**
 * A client-go-like client for the simulated apiserver: HTTP/1.1 keep-alive over one TLS connection
 * (the kubelet's bootstrap requests share it), node:http's own client over the one wire transport.
 */
export class ApiClient {
  readonly #agent: VerifyingAgent;

  constructor(readonly options: ApiClientOptions) {
    const { cert } = options;
    const timeoutMs = options.timeoutMs ?? 15_000;
    const transport: TransportOptions = {
      port: options.port, servername: options.serverName,
      ...(cert ? { certPem: cert.certPem, keyPem: cert.keyPem, sends: cert.chain } : {}),
      verify: { roots: options.roots, host: options.serverName, now: () => options.clock.now() },
      serverSends: options.serverSends, ledger: options.ledger,
    };
    // The TLS library refuses a bad certificate or key here, as client-go's transport does when it is built.
    clientContext(transport);
    this.#agent = new VerifyingAgent(() => transport, () => new Error(`no answer from ${options.serverName} within ${timeoutMs} ms`), timeoutMs);
  }

  request(method: string, path: string, body?: unknown): Promise<ApiResponse> {
    const { options } = this;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = httpRequest({
        host: '127.0.0.1', port: options.port, method, path, agent: this.#agent,
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
      req.setTimeout(this.#agent.timeoutMs, () => req.destroy(this.#agent.timeoutError()));
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}
