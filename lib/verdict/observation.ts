import type { AuthnResult } from '../authn/types.js';
import type { EdgeSpec } from '../edges/edges.js';
import type { KubeMtlsSimError } from '../errors.js';
import type { IssuedCert } from '../pki/issue.js';
import type { GoVerification } from '../x509/go-verify.js';
import type { ChainFacts, VerifyFailure, WireError } from './cause.js';
import type { Reason, Side } from './reasons.js';

/**
 * What a dial saw, before any verdict: the dialler fills it in, `decide` (decide.ts) alone turns it
 * into a verdict, a reason and a typed cause.
 */
export type Observation =
  /** `clientDidNotStart`: the client is a component that could not start (`error` is its startup error), so it dials nothing. */
  | { kind: 'config-error'; edge: EdgeSpec; nodeName: string; side: Side; component: string; error: KubeMtlsSimError; clientDidNotStart?: boolean }
  | { kind: 'nothing-listens'; edge: EdgeSpec; nodeName: string; client: ClientFacts }
  | {
      kind: 'exchange'; edge: EdgeSpec; nodeName: string; client: ClientFacts; wire: WireView; record?: ServerView; anonymous?: AnonymousView;
      /** The certificate that really signed a certificate, when the cluster issued it (for chain facts). */
      issuerOf?: IssuerOf;
    };

export type IssuerOf = (cert: IssuedCert) => IssuedCert | undefined;

/** The client as configured: what it dials, how it checks the server, whether it brings a credential. */
export interface ClientFacts {
  component: string;
  url: string;
  trust: { kind: 'ca' | 'system-roots' | 'none'; field: string; switchedOff?: boolean };
  hasCredential: boolean;
}

/** The connection from the client's seat (clients/exchange.ts's WireOutcome). */
export interface WireView {
  localPort: number | undefined;
  serverChain: readonly IssuedCert[];
  /** The client's own check refused the server: Go's verification, or a certificate it could not parse. */
  clientRefused?: { reason: Reason; error: string; verification?: GoVerification };
  error?: WireError;
  response?: { status: number; headers: Record<string, string>; body: string };
  aborted?: boolean;
}

/** The same connection from the server's seat (endpoints' ConnectionRecord). */
export interface ServerView {
  peerChain: readonly IssuedCert[];
  requestedClientCert: boolean;
  nodeAuthorizationError: string | null;
  rejected?: { reason: Reason; log: string; verification?: GoVerification };
  tlsError?: WireError;
  exchanges: ReadonlyArray<{ authn: AuthnResult | null; log?: string }>;
}

/** The same request sent with no credential (clients/anonymous-probe.ts), when it was let in. */
export interface AnonymousView {
  status: number;
  user?: { name: string };
}

/** Facts of a sent chain, from the certificates themselves and, for the issuer, from the PKI that issued them. */
export function chainFacts(chain: readonly IssuedCert[], issuerOf?: IssuerOf): ChainFacts {
  const leaf = chain[0];
  const rest = chain.slice(1);
  const issuerSent = leaf !== undefined && rest.some((c) => c.node.subject === leaf.node.issuer);
  const issuer = leaf ? issuerOf?.(leaf) : undefined;
  const isIntermediate = issuer !== undefined && issuer.node.subject !== issuer.node.issuer;
  return {
    sent: chain.map(subjectLine),
    issuerSent,
    intermediateMissing: isIntermediate && !rest.some((c) => c.fingerprint === issuer.fingerprint),
  };
}

export function verifyFailure(verification: GoVerification, chain: readonly IssuedCert[], issuerOf?: IssuerOf): VerifyFailure {
  return {
    failure: verification.reason, error: verification.error, chain: chainFacts(chain, issuerOf),
    ...(verification.hint ? { hint: { candidate: verification.hint.name, reason: verification.hint.reason, error: verification.hint.error } } : {}),
    ...(verification.goError ? { goError: verification.goError } : {}),
  };
}

function subjectLine(cert: IssuedCert): string {
  return cert.node.subject.split('\n').join(', ');
}
