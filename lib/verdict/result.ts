import type { AuthnMethod, UserInfo } from '../authn/types.js';
import type { EdgeName, ServerComponent } from '../edges/edges.js';
import type { IssuedCert } from '../pki/issue.js';
import { nameFields, subjectFields } from '../pki/verify.js';
import type { Cause } from './cause.js';
import type { Reason, Side, Stage, Verdict } from './reasons.js';

/** A certificate as a learner needs to see it. */
export interface CertSummary {
  subject: string;
  cn: string;
  o: string[];
  issuer: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  sans: string[];
  extKeyUsage: string[];
  isCa: boolean;
  /** Key identifiers (colon hex), which tie a certificate to the CA key that signed it. */
  subjectKeyId: string;
  authorityKeyId: string;
  /** Where it was configured (flag or field) and the file. */
  field?: string;
  file?: string;
  /** Subjects of the certificates sent after it (intermediates, or the kubelet's throwaway CA). */
  sentWith?: string[];
}

/** What one side trusts to verify the other. */
export interface TrustSummary {
  kind: 'ca' | 'system-roots' | 'none';
  /** The flag or config field, e.g. `kube-apiserver --client-ca-file`. */
  field: string;
  file?: string;
  /** Subjects of the CA certificates in that file. */
  subjects: string[];
  /** Their subject key identifiers, in the same order. */
  keyIds: string[];
  /** For `none`: verification switched off by the field (`insecure-skip-tls-verify`), rather than the field being unset. */
  switchedOff?: boolean;
}

/** Something a real Kubernetes component or kubectl prints for this outcome. */
export interface KubernetesMessage {
  component: string;
  /** `stderr` for a command's output (`stdout` for kubectl's credential prompt), `log` for a component's log line. */
  where: 'stderr' | 'stdout' | 'log';
  text: string;
}

export interface EdgeResult {
  edge: EdgeName;
  /** The cluster clock when the edge was dialled (ISO 8601): every date check used it. */
  at: string;
  verdict: Verdict;
  /** Where it was decided; null when the edge is `ok`. */
  stage: Stage | null;
  /** Which side decided; null when the edge is `ok`. */
  detectedBy: Side | null;
  reason: Reason;
  /** Why, as typed data (Go's verification facts, the chain sent, the HTTP status, the server's log line): what explanations read. */
  cause: Cause;
  /** One sentence: what happened. */
  summary: string;
  client: {
    component: string;
    dialled: string;
    /** The name checked against the server certificate, and where it comes from. */
    checksName?: { name: string; from: 'url' | 'tls-server-name' };
    /** TLS versions the client offers. */
    maxVersion?: string;
    configuredBy: string;
    presented: CertSummary | { token: string; field: string; file: string } | null;
    trusts: TrustSummary | null;
    /** The client's own view: node:tls error code and message, if any. */
    saw: { code?: string; message?: string; verification?: string };
  };
  server: {
    component: ServerComponent;
    /** Where the simulated server really listens. */
    listening?: string;
    presented: CertSummary | null;
    requestedClientCert: boolean | null;
    minVersion?: string;
    verifiesClientsWith: TrustSummary | null;
    saw: { nodeAuthorizationError?: string | null; tlsError?: string; log?: string };
  };
  identity: (UserInfo & { method: AuthnMethod }) | null;
  /**
   * The same request sent again with no certificate and no token, when the client's own credential
   * was accepted: present when the server let that one in too (then the verdict is ANONYMOUS_ALLOWED).
   */
  anonymous?: { status: number; user: string | null };
  http?: { status: number; body: string };
  messages: KubernetesMessage[];
  timings: { totalMs: number; handshakeMs?: number };
}

const EKU_NAMES: Record<string, string> = { '1.3.6.1.5.5.7.3.1': 'serverAuth', '1.3.6.1.5.5.7.3.2': 'clientAuth' };

export function summarizeCert(cert: IssuedCert, where?: { field?: string; file?: string; chain?: readonly IssuedCert[] }): CertSummary {
  const { cn, o } = subjectFields(cert);
  const issuer = nameFields(cert.node.issuer);
  return {
    subject: [cn ? `CN=${cn}` : '', ...o.map((x) => `O=${x}`)].filter(Boolean).join(', '),
    cn, o,
    issuer: [issuer.cn ? `CN=${issuer.cn}` : '', ...issuer.o.map((x) => `O=${x}`)].filter(Boolean).join(', '),
    serial: cert.node.serialNumber,
    notBefore: new Date(cert.node.validFrom).toISOString(),
    notAfter: new Date(cert.node.validTo).toISOString(),
    sans: cert.node.subjectAltName ? cert.node.subjectAltName.split(', ').map((s) => s.replace('IP Address:', 'IP:')) : [],
    extKeyUsage: (cert.node.keyUsage ?? []).map((oid) => EKU_NAMES[oid] ?? oid),
    isCa: cert.node.ca,
    subjectKeyId: colonHex(cert.subjectKeyIdHex),
    authorityKeyId: colonHex(cert.authorityKeyIdHex),
    ...(where?.field ? { field: where.field } : {}),
    ...(where?.file ? { file: where.file } : {}),
    ...(where?.chain && where.chain.length > 1 ? { sentWith: where.chain.slice(1).map((c) => summarizeCert(c).subject) } : {}),
  };
}

export function summarizeTrust(kind: TrustSummary['kind'], field: string, certs: readonly IssuedCert[], file?: string, switchedOff = false): TrustSummary {
  const summaries = certs.map((c) => summarizeCert(c));
  return {
    kind, field, ...(file ? { file } : {}), subjects: summaries.map((c) => c.subject), keyIds: summaries.map((c) => c.subjectKeyId),
    ...(switchedOff ? { switchedOff } : {}),
  };
}

function colonHex(hex: string | undefined): string {
  return hex ? hex.toUpperCase().match(/.{2}/g)!.join(':') : '';
}
