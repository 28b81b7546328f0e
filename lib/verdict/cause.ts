import type { AuthnMethod } from '../authn/types.js';
import type { ErrorCode } from '../errors.js';
import type { GoErrorKind, GoVerifyFailure } from '../x509/go-verify.js';
import type { Side } from './reasons.js';

/**
 * Why an edge ended as it did, as typed data: what the client saw on the wire, what the server
 * recorded of the same connection, or the configuration error that stopped one side. Explanations
 * read these facts; nothing is recovered from a sentence. Plain data (strings, numbers): a result
 * stays JSON.
 */
export type Cause =
  | { kind: 'ok' }
  /** A side would not start (server) or could not load its configuration (client). */
  | {
    kind: 'config-error'; side: Side; component: string; code: ErrorCode; message: string; goMessage: string;
    /** The file and the flag or field at fault, when the error names them (what `check` shows as responsible). */
    file?: string; field?: string;
    /** The client is a component that could not start (this is its startup error): it dialled nothing. */
    clientDidNotStart?: true;
  }
  /** Nothing listens where the client dials (`error`: the socket's own error, when a connection was tried). */
  | { kind: 'nothing-listens'; url: string; error?: WireError }
  /**
   * The client's check refused the server's certificate (Go then sends a bad_certificate alert):
   * `error` as the client reports it, `verify` when Go's verification is why (not, say, an unparsable certificate).
   */
  | { kind: 'server-certificate-refused'; error: string; verify?: VerifyFailure }
  /**
   * The server ended the connection at TLS: etcd's client-certificate policy (its `verify` when Go's
   * verification refused the certificate), or a kubelet with no serving certificate (internal_error).
   */
  | { kind: 'refused-by-server-tls'; alert: 'bad_certificate' | 'internal_error'; log: string; verify?: VerifyFailure }
  /** The handshake failed before any certificate was judged; `code` is node:tls's on either side. */
  | { kind: 'handshake'; clientError?: WireError; serverError?: WireError }
  /** The connection ended without an answer. */
  | { kind: 'transport'; event: 'aborted' | 'timeout' | 'reset' | 'closed'; error?: WireError }
  /**
   * An HTTP answer other than success: the status, the Status message, the server's log line for
   * it, and for a 401 the authenticator's own error (with Go's verification facts for a certificate).
   */
  | { kind: 'http'; status: number; message: string; log?: string; authn?: AuthnFailureFacts }
  /** Connected and answered, but not as the documentation promises. */
  | { kind: 'unprotected'; serverAskedForCert: boolean | null; clientVerifiedServer: boolean; anonymous?: { status: number; user: string | null } };

export interface WireError {
  code: string;
  message: string;
}

/** Go's "possibly because of …" hint, as data: the candidate issuer that almost fitted, and why not. */
export interface VerifyHint {
  /** The candidate as Go names it in the hint (its CN, else its O, else its serial). */
  candidate: string;
  reason: GoVerifyFailure | 'BAD_SIGNATURE';
  /** Go's error for the candidate, e.g. `x509: certificate has expired or is not yet valid: …`. */
  error: string;
}

/** The chain the refused side sent, as facts read from the certificates (not from their names). */
export interface ChainFacts {
  /** Subjects sent, leaf first. */
  sent: string[];
  /** The leaf's issuer (by name) is among the certificates sent after it. */
  issuerSent: boolean;
  /**
   * The certificate that really signed the leaf is an intermediate CA (signed by another CA), and it
   * was not sent. Known when the cluster issued the leaf; false otherwise.
   */
  intermediateMissing: boolean;
}

/** One side's Go verification failure. */
export interface VerifyFailure {
  failure: GoVerifyFailure;
  /** Go's error text, hint included, e.g. `x509: certificate signed by unknown authority (possibly because of …)`. */
  error: string;
  hint?: VerifyHint;
  /** Which of Go's errors it is (finer than `failure`: a path length and a name constraint are both NOT_A_CA). */
  goError?: GoErrorKind;
  chain: ChainFacts;
}

export interface AuthnFailureFacts {
  method: AuthnMethod;
  /** What the authenticator reports (its `detail` when it has one, else its logged error). */
  error: string;
  /** For a client certificate: Go's verification facts. */
  verify?: VerifyFailure;
  /** Why kube-apiserver turned anonymous requests off although --anonymous-auth did not (e.g. `--authorization-mode includes AlwaysAllow`). */
  anonymousResetBecause?: string;
  /** The flag whose value refused the credential, when it is not the CA (the front proxy's --requestheader-allowed-names). */
  setting?: string;
}
