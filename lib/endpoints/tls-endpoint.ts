import type { IncomingMessage, ServerResponse } from 'node:http';
import { constants } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { AuthnResult } from '../authn/types.js';
import type { AuthzDecision } from '../authz/types.js';
import type { IssuedCert } from '../pki/issue.js';
import { peerChain } from './peer-chain.js';
import { BoundedCache } from '../util/bounded-cache.js';
import { LoopbackListener } from './loopback-listener.js';
import type { Reason } from '../verdict/reasons.js';
import type { GoVerification } from '../x509/go-verify.js';

/** One HTTP exchange as the server saw it. */
export interface Exchange {
  method: string;
  path: string;
  status: number;
  authn: AuthnResult | null;
  authz?: AuthzDecision;
  /** What the component logs for this request, if anything (Go wording). */
  log?: string;
}

/** Everything the server side knows about one connection, keyed by the client's port. */
export interface ConnectionRecord {
  remotePort: number;
  /** Certificates the client sent, leaf first (empty when none, or when none was requested). */
  peerChain: IssuedCert[];
  /** Whether the server asked for a client certificate at all. */
  requestedClientCert: boolean;
  /** node:tls's own verdict (`authorizationError`), with the wall clock and OpenSSL's rules: recorded, not used. */
  nodeAuthorizationError: string | null;
  protocol: string | null;
  servername: string | null;
  /**
   * Set when the server closed the connection after the handshake (etcd's client-certificate policy):
   * `verification` is Go's refusal of the client's certificate, when that is why.
   */
  rejected?: { reason: Reason; log: string; verification?: GoVerification };
  /** A handshake the server saw fail (`tlsClientError`). */
  tlsError?: { code: string; message: string };
  /**
   * The exchanges of this connection: the first one (what a dial reads) and the latest ones, at most
   * EXCHANGE_LIMIT in all, so a keep-alive connection's record stays small however many requests it carries.
   * Add with `recordExchange`, which also counts them.
   */
  exchanges: Exchange[];
  /** How many requests this connection carried, kept or not. */
  requests?: number;
}

/** How many exchanges a connection record keeps (the first, and the most recent others). */
export const EXCHANGE_LIMIT = 16;

/** Appends an exchange to a connection's record, forgetting the oldest but the first beyond EXCHANGE_LIMIT. */
export function recordExchange(record: ConnectionRecord, exchange: Exchange): void {
  record.requests = (record.requests ?? record.exchanges.length) + 1;
  record.exchanges.push(exchange);
  if (record.exchanges.length > EXCHANGE_LIMIT) record.exchanges.splice(1, record.exchanges.length - EXCHANGE_LIMIT);
}

export interface TlsEndpointOptions {
  name: string;
  certPem: string;
  keyPem: string;
  /** The certificates of `certPem`, as sent on the wire. */
  chain?: readonly IssuedCert[];
  /** CA names advertised in the CertificateRequest (verification is the component's, after the handshake). */
  caPem?: string;
  requestCert: boolean;
  minVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** Called once the handshake completes, before any request: may reject the connection. */
  onSecure?: (record: ConnectionRecord, socket: TLSSocket) => void;
  handle: (req: IncomingMessage, res: ServerResponse, record: ConnectionRecord) => void;
}

const RECORD_LIMIT = 4096;

/** What the cluster and the dialler need of a listening component. */
export interface Endpoint {
  readonly name: string;
  /** The certificates it sends, leaf first. */
  readonly chain: readonly IssuedCert[];
  readonly port: number;
  listen(): Promise<number>;
  close(): Promise<void>;
  takeRecord(clientPort: number): ConnectionRecord | undefined;
  announceClientChain(clientPort: number, chain: readonly IssuedCert[]): void;
  /** A dialler in this process will take the record of the connection from `clientPort`: keep it after the connection ends. */
  keepRecord(clientPort: number): void;
}

/**
 * A TLS+HTTP/1.1 endpoint on 127.0.0.1 that never lets node:tls reject a client certificate by
 * itself (`rejectUnauthorized: false`): node would drop the connection without a reason, while
 * Kubernetes components decide after the handshake (the apiserver and kubelet at the HTTP layer,
 * etcd right after it). Each connection's facts are kept for the dialler to read.
 */
export class TlsEndpoint implements Endpoint {
  readonly name: string;
  /** The certificates this endpoint sends, leaf first. */
  readonly chain: readonly IssuedCert[];
  /** What a client in this process says it sends, by its port (see peer-chain.ts). */
  readonly #announced = new BoundedCache<number, readonly IssuedCert[]>(RECORD_LIMIT);
  readonly #server: Server;
  readonly #records = new BoundedCache<number, ConnectionRecord>(RECORD_LIMIT);
  /** Client ports whose records a dialler will take (see keepRecord); other records go when their connection closes. */
  readonly #kept = new BoundedCache<number, true>(RECORD_LIMIT);
  readonly #listener: LoopbackListener;

  constructor(options: TlsEndpointOptions) {
    this.name = options.name;
    this.chain = options.chain ?? [];
    this.#server = createServer({
      cert: options.certPem, key: options.keyPem,
      ...(options.caPem ? { ca: options.caPem } : {}),
      requestCert: options.requestCert, rejectUnauthorized: false,
      ...(options.minVersion ? { minVersion: options.minVersion } : {}),
      // No client of a Kubernetes component resumes a session (client-go sets no ClientSessionCache),
      // so tickets are never used; OpenSSL's stateless ones cost a copy and an encryption of the
      // session, peer certificate included, per ticket (~15 % of a handshake). The server keeps the
      // state itself instead (stateful tickets): nothing a client of this simulation can see changes.
      secureOptions: constants.SSL_OP_NO_TICKET,
    }, (req, res) => {
      const record = this.#recordFor(req.socket as TLSSocket, options.requestCert);
      // A connection the component refused after the handshake never gets an answer.
      if (record.rejected) {
        req.socket.destroy();
        return;
      }
      options.handle(req, res, record);
    });
    this.#server.keepAliveTimeout = 0;
    this.#listener = new LoopbackListener(this.#server);
    // Before node's HTTP layer sees the connection: a refusal must come before any request is read.
    this.#server.prependListener('secureConnection', (socket: TLSSocket) => {
      const record = this.#recordFor(socket, options.requestCert);
      options.onSecure?.(record, socket);
    });
    this.#server.on('tlsClientError', (error: NodeJS.ErrnoException, socket: TLSSocket) => {
      const port = socket.remotePort;
      if (port === undefined) return;
      // Only this connection's record: a stale one left on the same client port by an earlier connection is replaced.
      const existing = this.#records.get(port);
      const record = existing && (existing as { socket?: TLSSocket }).socket === socket ? existing : this.#newRecord(port, options.requestCert, socket);
      record.tlsError = { code: error.code ?? 'UNKNOWN', message: error.message };
    });
  }

  /**
   * A connection's record, tied to its socket while it is open. When it closes, the socket is let go,
   * and so is the record unless a dialler said it will take it (a kubelet's or kubectl's connections
   * are not dials: nobody reads their records after the answer).
   */
  #newRecord(port: number, requested: boolean, socket: TLSSocket): ConnectionRecord {
    const record: ConnectionRecord = {
      remotePort: port, peerChain: [], requestedClientCert: requested, nodeAuthorizationError: null, protocol: null, servername: null, exchanges: [],
    };
    Object.defineProperty(record, 'socket', { value: socket, enumerable: false, configurable: true });
    this.#records.set(port, record);
    socket.once('close', () => {
      delete (record as { socket?: TLSSocket }).socket;
      if (!this.#kept.has(port) && this.#records.get(port) === record) this.#records.delete(port);
    });
    return record;
  }

  #recordFor(socket: TLSSocket, requested: boolean): ConnectionRecord {
    const port = socket.remotePort ?? 0;
    const existing = this.#records.get(port);
    if (existing && (existing as { socket?: TLSSocket }).socket === socket) return existing;
    const record = this.#newRecord(port, requested, socket);
    record.peerChain = peerChain(socket, this.#announced.get(port));
    this.#announced.delete(port);
    record.nodeAuthorizationError = socket.authorized ? null : String(socket.authorizationError ?? '');
    record.protocol = socket.getProtocol();
    record.servername = typeof (socket as { servername?: unknown }).servername === 'string' ? (socket as unknown as { servername: string }).servername : null;
    return record;
  }

  listen(): Promise<number> {
    return this.#listener.listen();
  }

  get port(): number {
    return this.#listener.port;
  }

  /** A client of this process announces the chain it sends from `clientPort`, before its handshake completes. */
  announceClientChain(clientPort: number, chain: readonly IssuedCert[]): void {
    this.#announced.set(clientPort, chain);
  }

  keepRecord(clientPort: number): void {
    this.#kept.set(clientPort, true);
  }

  /** The server's record of the connection from this client port (removed once read). */
  takeRecord(clientPort: number): ConnectionRecord | undefined {
    const record = this.#records.get(clientPort);
    this.#records.delete(clientPort);
    this.#announced.delete(clientPort);
    this.#kept.delete(clientPort);
    return record;
  }

  /** Stops accepting, destroys every open connection, resolves when the listener is closed. Idempotent. */
  async close(): Promise<void> {
    this.#records.clear();
    this.#kept.clear();
    await this.#listener.close();
  }
}
