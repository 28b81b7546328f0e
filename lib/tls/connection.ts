import type { AuthnResult } from '../authn/types.js';
import type { AuthzDecision } from '../authz/types.js';
import type { IssuedCert } from '../pki/issue.js';
import type { Reason } from '../verdict/reasons.js';
import type { GoVerification } from '../x509/go-verify.js';

// What a server and a client in the same process share about one connection: the server's record
// of it, and the contract of a listening endpoint the dialler and the cluster use. It sits below
// both endpoints/ and clients/, so neither has to import the other.

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

/** What the cluster and the dialler need of a listening component. */
export interface Endpoint {
  readonly name: string;
  /** The certificates it sends, leaf first. */
  readonly chain: readonly IssuedCert[];
  readonly port: number;
  listen(): Promise<number>;
  close(): Promise<void>;
}
