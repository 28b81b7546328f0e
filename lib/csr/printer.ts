/**
 * The server side of `kubectl get csr`: the cells kube-apiserver computes for a CertificateSigningRequest
 * and the meta.k8s.io/v1 Table it returns when kubectl asks for `as=Table` (kubectl prints the cells verbatim).
 *
 * Modelled on Kubernetes:
 * - staging/src/k8s.io/apimachinery/pkg/util/duration/duration.go: `HumanDuration`
 * - pkg/printers/internalversion/printers.go: `printCertificateSigningRequest`, `extractCSRStatus`,
 *   `translateTimestampSince`, and the `certificateSigningRequestColumnDefinitions` of `AddHandlers`
 *   (descriptions are the SwaggerDoc strings of metav1.ObjectMeta and certificates/v1beta1, which is what
 *   that printer references)
 * - staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/types.go: Table, TableColumnDefinition, TableRow
 */
import type { CertificateSigningRequest } from './types.js';

/** The fields the printer reads; a full `CertificateSigningRequest` satisfies it. */
export interface PrintableCsr {
  metadata: { name: string; creationTimestamp?: string | null };
  spec: { signerName?: string; username?: string; expirationSeconds?: number | null };
  status?: { conditions?: ReadonlyArray<{ type: string }>; certificate?: string };
}

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableRow {
  cells: string[];
  object: { kind: 'PartialObjectMetadata'; apiVersion: 'meta.k8s.io/v1'; metadata: CertificateSigningRequest['metadata'] };
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion: string };
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * apimachinery `duration.HumanDuration`, for a duration in milliseconds: ~2-3 significant figures,
 * e.g. `59s`, `119s`, `2m1s`, `179m`, `3h1m`, `47h`, `2d1h`, `729d`, `2y1d`, `8y`.
 * Up to 1.999 s in the past still reads `0s` (clock skew); further back is `<invalid>`.
 */
export function humanDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '<invalid>';
  const seconds = Math.trunc(ms / 1000); // Go: int(d.Seconds()), truncating toward zero
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8) {
    const dy = days % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${years}y`;
}

/**
 * `extractCSRStatus`: only condition *types* count (their status is ignored).
 * Denied beats Approved beats Pending; then `,Failed` if any Failed condition; then `,Issued` if a
 * certificate is present.
 */
export function csrCondition(csr: Pick<PrintableCsr, 'status'>): string {
  let approved = false;
  let denied = false;
  let failed = false;
  for (const c of csr.status?.conditions ?? []) {
    if (c.type === 'Approved') approved = true;
    else if (c.type === 'Denied') denied = true;
    else if (c.type === 'Failed') failed = true;
  }
  let status = denied ? 'Denied' : approved ? 'Approved' : 'Pending';
  if (failed) status += ',Failed';
  if ((csr.status?.certificate ?? '').length > 0) status += ',Issued';
  return status;
}

/** Go's zero `metav1.Time` (0001-01-01T00:00:00Z), which `translateTimestampSince` prints as `<unknown>`. */
const GO_ZERO_TIME_MS = -62_135_596_800_000;

function age(creationTimestamp: string | null | undefined, now: Date): string {
  if (!creationTimestamp) return '<unknown>';
  const created = Date.parse(creationTimestamp);
  if (Number.isNaN(created) || created === GO_ZERO_TIME_MS) return '<unknown>';
  return humanDuration(now.getTime() - created);
}

/** One row's cells: NAME, AGE, SIGNERNAME, REQUESTOR, REQUESTEDDURATION, CONDITION. */
export function csrTableRow(csr: PrintableCsr, now: Date): string[] {
  const { signerName, username, expirationSeconds } = csr.spec;
  return [
    csr.metadata.name,
    age(csr.metadata.creationTimestamp, now),
    signerName ? signerName : '<none>',
    username ?? '',
    expirationSeconds == null ? '<none>' : humanDuration(expirationSeconds * 1000),
    csrCondition(csr),
  ];
}

const OBJECT_META_NAME_DOC =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const OBJECT_META_CREATION_TIMESTAMP_DOC =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';
const SIGNER_NAME_DOC =
  "Requested signer for the request. It is a qualified name in the form: `scope-hostname.io/name`. If empty, it will be defaulted:\n 1. If it's a kubelet client certificate, it is assigned\n    \"kubernetes.io/kube-apiserver-client-kubelet\".\n 2. If it's a kubelet serving certificate, it is assigned\n    \"kubernetes.io/kubelet-serving\".\n 3. Otherwise, it is assigned \"kubernetes.io/legacy-unknown\".\nDistribution of trust for signers happens out of band. You can select on this field using `spec.signerName`.";
/** The printer describes the Requestor column with the doc of spec.request (sic). */
const REQUEST_DOC = 'Base64-encoded PKCS#10 CSR data';
const EXPIRATION_SECONDS_DOC =
  'expirationSeconds is the requested duration of validity of the issued certificate. The certificate signer may issue a certificate with a different validity duration so a client must check the delta between the notBefore and and notAfter fields in the issued certificate to determine the actual duration.\n\nThe v1.22+ in-tree implementations of the well-known Kubernetes signers will honor this field as long as the requested duration is not greater than the maximum duration they will honor per the --cluster-signing-duration CLI flag to the Kubernetes controller manager.\n\nCertificate signers may not honor this field for various reasons:\n\n  1. Old signer that is unaware of the field (such as the in-tree\n     implementations prior to v1.22)\n  2. Signer whose configured maximum is shorter than the requested duration\n  3. Signer whose configured minimum is longer than the requested duration\n\nThe minimum valid value for expirationSeconds is 600, i.e. 10 minutes.';
const CONDITIONS_DOC = 'Conditions applied to the request, such as approval or denial.';

function column(name: string, description: string, format = ''): TableColumnDefinition {
  return { name, type: 'string', format, description, priority: 0 };
}

/** The CSR printer's columns, in order; all are `string` with priority 0 (none is `-o wide` only). */
export const CSR_COLUMN_DEFINITIONS: readonly Readonly<TableColumnDefinition>[] = Object.freeze([
  column('Name', OBJECT_META_NAME_DOC, 'name'),
  column('Age', OBJECT_META_CREATION_TIMESTAMP_DOC),
  column('SignerName', SIGNER_NAME_DOC),
  column('Requestor', REQUEST_DOC),
  column('RequestedDuration', EXPIRATION_SECONDS_DOC),
  column('Condition', CONDITIONS_DOC),
].map((c) => Object.freeze(c)));

/**
 * The Table kube-apiserver returns for a CSR list requested with
 * `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`. Each row carries the object's metadata as a
 * PartialObjectMetadata (the default `includeObject=Metadata`).
 */
export function csrTable(csrs: readonly CertificateSigningRequest[], now: Date, resourceVersion: string): Table {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: CSR_COLUMN_DEFINITIONS.map((c) => ({ ...c })),
    rows: csrs.map((csr) => ({
      cells: csrTableRow(csr, now),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: structuredClone(csr.metadata) },
    })),
  };
}
