import type { IncomingMessage, ServerResponse } from 'node:http';
import { constants } from 'node:crypto';
import { createServer } from 'node:https';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { createServer as createNetServer, type Socket } from 'node:net';
import { DEFAULT_CIPHERS, type Server, type TLSSocket } from 'node:tls';
import type { IssuedCert } from '../pki/issue.js';
import { peerChain } from '../tls/peer-chain.js';
import { ConnectionLedger, type ServerSeat } from '../tls/connection-ledger.js';
import { LoopbackListener } from './loopback-listener.js';
import type { ConnectionRecord, Endpoint } from '../tls/connection.js';

// The connection record and the Endpoint contract are shared with the clients, so they live below both.
export { EXCHANGE_LIMIT, recordExchange, type ConnectionRecord, type Endpoint, type Exchange } from '../tls/connection.js';

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
  /**
   * A gRPC service beside `handle` on the same port, as etcd serves both on its client port: the
   * server then offers HTTP/2 (ALPN h2) as well as HTTP/1.1, and an HTTP/2 request whose content type
   * is application/grpc goes here; every other request (curl over h2 included) still goes to `handle`.
   */
  grpc?: (req: Http2ServerRequest, res: Http2ServerResponse, record: ConnectionRecord) => void;
  /** Where the endpoint files its record of each connection for the clients of its cluster (its own, if none is given). */
  ledger?: ServerSeat<ConnectionRecord>;
}

/**
 * node's cipher list at OpenSSL security level 0. At its default level OpenSSL refuses to load a
 * certificate signed with SHA-1 or MD5 (`ca md too weak`) or with an RSA key below 1024 bits
 * (`ee key too small`), which would crash the simulated component; Go's crypto/tls loads them, and
 * the peer's verification (goVerify, Go's rules) or the handshake then decides. TLS versions and the
 * cipher choice are unchanged: only what may be loaded is.
 */
export const ACCEPT_ANY_CERTIFICATE = `${DEFAULT_CIPHERS}:@SECLEVEL=0`;

/** A connection's record on its TLS socket too: node's HTTP/2 proxy of a stream's socket forwards this look-up to it. */
const RECORD = Symbol('kube-mtls-sim connection record');

/**
 * A TLS+HTTP/1.1 endpoint (HTTP/2 too when it serves gRPC) on 127.0.0.1 that never lets node:tls reject a client certificate by
 * itself (`rejectUnauthorized: false`): node would drop the connection without a reason, while
 * Kubernetes components decide after the handshake (the apiserver and kubelet at the HTTP layer,
 * etcd right after it). Each connection's facts are filed in the cluster's ledger for the dialler to read.
 */
export class TlsEndpoint implements Endpoint {
  readonly name: string;
  /** The certificates this endpoint sends, leaf first. */
  readonly chain: readonly IssuedCert[];
  readonly #options: TlsEndpointOptions;
  /** Made on the first connection (see the constructor). */
  #server: Server | undefined;
  readonly #ledger: ServerSeat<ConnectionRecord>;
  /** Each open connection's record, by its socket (a record filed in the ledger outlives it only when a client keeps it). */
  readonly #open = new WeakMap<Socket, ConnectionRecord>();
  readonly #listener: LoopbackListener;

  constructor(options: TlsEndpointOptions) {
    this.name = options.name;
    this.chain = options.chain ?? [];
    this.#options = options;
    this.#ledger = options.ledger ?? new ConnectionLedger<ConnectionRecord>();
    // The port listens now; the TLS server, whose context costs OpenSSL 1-3 ms to load (key,
    // certificates, CA names), is made when the first client connects and handed each connection
    // ('connection', as node's own listener would emit it). Most servers of a cluster are never
    // dialled (two in three across the scenario catalogue), and a context is then never loaded.
    this.#listener = new LoopbackListener(createNetServer((socket) => this.#accept(socket)));
  }

  #accept(socket: Socket): void {
    try {
      this.#server ??= this.#tlsServer(this.#options);
    } catch (error) {
      // What node would have thrown at construction (the components check their files first):
      // this connection fails with it instead of the process.
      this.#newRecord(this.#options.requestCert, socket).tlsError = { code: (error as NodeJS.ErrnoException).code ?? 'UNKNOWN', message: (error as Error).message };
      socket.destroy();
      return;
    }
    this.#server.emit('connection', socket);
  }

  #tlsServer(options: TlsEndpointOptions): Server {
    const serverOptions = {
      cert: options.certPem, key: options.keyPem,
      ...(options.caPem ? { ca: options.caPem } : {}),
      requestCert: options.requestCert, rejectUnauthorized: false,
      ...(options.minVersion ? { minVersion: options.minVersion } : {}),
      // No client of a Kubernetes component resumes a session (client-go sets no ClientSessionCache),
      // so tickets are never used; OpenSSL's stateless ones cost a copy and an encryption of the
      // session, peer certificate included, per ticket (~15 % of a handshake). The server keeps the
      // state itself instead (stateful tickets): nothing a client of this simulation can see changes.
      secureOptions: constants.SSL_OP_NO_TICKET,
      // Go loads any certificate it can parse (SHA-1 or MD5 signed, a small RSA key) and judges it
      // later, where OpenSSL's security level refuses to load it at all: see ACCEPT_ANY_CERTIFICATE.
      ciphers: ACCEPT_ANY_CERTIFICATE,
    };
    const onRequest = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => {
      // Over HTTP/2, req.socket is node's proxy of the stream; the record is found through the socket it forwards to.
      const record = this.#recordFor(req.socket as TLSSocket, options.requestCert);
      // A connection the component refused after the handshake never gets an answer.
      if (record.rejected) {
        req.socket.destroy();
        return;
      }
      const grpc = req.httpVersionMajor === 2 && /^application\/grpc\b/.test(String(req.headers['content-type'] ?? ''));
      if (grpc && options.grpc) return options.grpc(req as Http2ServerRequest, res as Http2ServerResponse, record);
      options.handle(req as IncomingMessage, res as ServerResponse, record);
    };
    const server: Server = options.grpc
      // node:http2 is loaded only by a server that speaks it (etcd's client port, once dialled): ~6 ms of every command otherwise.
      ? process.getBuiltinModule('node:http2').createSecureServer({ ...serverOptions, allowHTTP1: true }, onRequest)
      : createServer(serverOptions, onRequest);
    (server as { keepAliveTimeout?: number }).keepAliveTimeout = 0;
    // Before node's HTTP layer sees the connection: a refusal must come before any request is read.
    server.prependListener('secureConnection', (socket: TLSSocket) => {
      const record = this.#recordFor(socket, options.requestCert);
      options.onSecure?.(record, socket);
    });
    server.on('tlsClientError', (error: NodeJS.ErrnoException, socket: TLSSocket) => {
      if (socket.remotePort === undefined) return;
      // Only this connection's record: a stale one left on the same client port by an earlier connection is replaced.
      const record = this.#open.get(socket) ?? this.#newRecord(options.requestCert, socket);
      record.tlsError = { code: error.code ?? 'UNKNOWN', message: error.message };
    });
    return server;
  }

  /**
   * A connection's record, tied to its socket while it is open. When it closes, the socket is let go,
   * and so is the record unless a client said it will take it (a kubelet's or kubectl's connections
   * are not dials: nobody reads their records after the answer).
   */
  #newRecord(requested: boolean, socket: Socket): ConnectionRecord {
    const key = { serverPort: this.port, clientPort: socket.remotePort ?? 0 };
    const record: ConnectionRecord = {
      remotePort: key.clientPort, peerChain: [], requestedClientCert: requested, nodeAuthorizationError: null, protocol: null, servername: null, exchanges: [],
    };
    this.#open.set(socket, record);
    (socket as { [RECORD]?: ConnectionRecord })[RECORD] = record;
    this.#ledger.open(key, record);
    socket.once('close', () => this.#ledger.closed(key, record));
    return record;
  }

  #recordFor(socket: TLSSocket, requested: boolean): ConnectionRecord {
    const existing = this.#open.get(socket) ?? (socket as { [RECORD]?: ConnectionRecord })[RECORD];
    if (existing) return existing;
    const record = this.#newRecord(requested, socket);
    record.peerChain = peerChain(socket, this.#ledger.announced({ serverPort: this.port, clientPort: record.remotePort }));
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

  /** Stops accepting, destroys every open connection, resolves when the listener is closed. Idempotent. */
  async close(): Promise<void> {
    await this.#listener.close();
  }
}
