/**
 * `kubectl get csr` cells and Table. The cases transcribe Kubernetes' own test tables:
 * pkg/printers/internalversion/printers_test.go (TestPrintCertificateSigningRequest) and
 * staging/src/k8s.io/apimachinery/pkg/util/duration/duration_test.go (TestHumanDuration,
 * TestHumanDurationBoundaries). Inputs there are Go durations in nanoseconds; here they are milliseconds.
 */
import test from 'ava';
import { CSR_COLUMN_DEFINITIONS, csrCondition, csrTable, csrTableRow, humanDuration, type PrintableCsr } from '../lib/csr/printer.js';
import type { CertificateSigningRequest } from '../lib/csr/types.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const Y = 365 * D;

// [Go expression, milliseconds, expected]
const HUMAN_DURATION: [string, number, string][] = [
  // TestHumanDuration
  ['time.Second', S, '1s'],
  ['70 * time.Second', 70 * S, '70s'],
  ['190 * time.Second', 190 * S, '3m10s'],
  ['70 * time.Minute', 70 * M, '70m'],
  ['47 * time.Hour', 47 * H, '47h'],
  ['49 * time.Hour', 49 * H, '2d1h'],
  ['(8*24 + 2) * time.Hour', (8 * 24 + 2) * H, '8d'],
  ['(367 * 24) * time.Hour', 367 * D, '367d'],
  ['(365*2*24 + 25) * time.Hour', (365 * 2 * 24 + 25) * H, '2y1d'],
  ['(365*8*24 + 2) * time.Hour', (365 * 8 * 24 + 2) * H, '8y'],
  // TestHumanDurationBoundaries
  ['-2 * time.Second', -2 * S, '<invalid>'],
  ['-2*time.Second + 1ns', -1999.999999, '0s'],
  ['0', 0, '0s'],
  ['time.Second - time.Millisecond', S - 1, '0s'],
  ['2*time.Minute - time.Millisecond', 2 * M - 1, '119s'],
  ['2 * time.Minute', 2 * M, '2m'],
  ['2*time.Minute + time.Second', 2 * M + S, '2m1s'],
  ['10*time.Minute - time.Millisecond', 10 * M - 1, '9m59s'],
  ['10 * time.Minute', 10 * M, '10m'],
  ['10*time.Minute + time.Second', 10 * M + S, '10m'],
  ['3*time.Hour - time.Millisecond', 3 * H - 1, '179m'],
  ['3 * time.Hour', 3 * H, '3h'],
  ['3*time.Hour + time.Minute', 3 * H + M, '3h1m'],
  ['8*time.Hour - time.Millisecond', 8 * H - 1, '7h59m'],
  ['8 * time.Hour', 8 * H, '8h'],
  ['8*time.Hour + 59*time.Minute', 8 * H + 59 * M, '8h'],
  ['2*24*time.Hour - time.Millisecond', 2 * D - 1, '47h'],
  ['2 * 24 * time.Hour', 2 * D, '2d'],
  ['2*24*time.Hour + time.Hour', 2 * D + H, '2d1h'],
  ['8*24*time.Hour - time.Millisecond', 8 * D - 1, '7d23h'],
  ['8 * 24 * time.Hour', 8 * D, '8d'],
  ['8*24*time.Hour + 23*time.Hour', 8 * D + 23 * H, '8d'],
  ['2*365*24*time.Hour - time.Millisecond', 2 * Y - 1, '729d'],
  ['2 * 365 * 24 * time.Hour', 2 * Y, '2y'],
  ['2*365*24*time.Hour + 23*time.Hour', 2 * Y + 23 * H, '2y'],
  ['2*365*24*time.Hour + 23*time.Hour + 59*time.Minute', 2 * Y + 23 * H + 59 * M, '2y'],
  ['2*365*24*time.Hour + 24*time.Hour - time.Millisecond', 2 * Y + D - 1, '2y'],
  ['2*365*24*time.Hour + 24*time.Hour', 2 * Y + D, '2y1d'],
  ['3 * 365 * 24 * time.Hour', 3 * Y, '3y'],
  ['4 * 365 * 24 * time.Hour', 4 * Y, '4y'],
  ['5 * 365 * 24 * time.Hour', 5 * Y, '5y'],
  ['6 * 365 * 24 * time.Hour', 6 * Y, '6y'],
  ['7 * 365 * 24 * time.Hour', 7 * Y, '7y'],
  ['8*365*24*time.Hour - time.Millisecond', 8 * Y - 1, '7y364d'],
  ['8 * 365 * 24 * time.Hour', 8 * Y, '8y'],
  ['8*365*24*time.Hour + 364*24*time.Hour', 8 * Y + 364 * D, '8y'],
  ['9 * 365 * 24 * time.Hour', 9 * Y, '9y'],
];

for (const [goExpr, ms, expected] of HUMAN_DURATION) {
  test(`humanDuration(${goExpr}) = ${expected}`, (t) => {
    t.is(humanDuration(ms), expected);
  });
}

test('humanDuration: -1.9 s still reads 0s (int(-1.9) = -1), -2 s does not; NaN is <invalid>', (t) => {
  t.is(humanDuration(-1900), '0s');
  t.is(humanDuration(-2000), '<invalid>');
  t.is(humanDuration(Number.NaN), '<invalid>');
});

// TestPrintCertificateSigningRequest: every CSR is created 1.9 s in the future (AGE = HumanDuration(-1.9s) = 0s).
const NOW = new Date('2025-06-01T12:00:00Z');
const FUTURE = new Date(NOW.getTime() + 1900).toISOString();
const printerCase = (name: string, spec: PrintableCsr['spec'], status: PrintableCsr['status']): PrintableCsr => ({
  metadata: { name, creationTimestamp: FUTURE },
  spec,
  status,
});
const PRINTER: [string, PrintableCsr, string[]][] = [
  ['#0 no spec or status: Pending', printerCase('csr1', {}, {}), ['csr1', '0s', '<none>', '', '<none>', 'Pending']],
  ['#1 Approved', printerCase('csr2', { username: 'CSR Requestor' }, { conditions: [{ type: 'Approved' }] }),
    ['csr2', '0s', '<none>', 'CSR Requestor', '<none>', 'Approved']],
  ['#2 SignerName set', printerCase('csr2', { username: 'CSR Requestor', signerName: 'example.com/test-signer' }, { conditions: [{ type: 'Approved' }] }),
    ['csr2', '0s', 'example.com/test-signer', 'CSR Requestor', '<none>', 'Approved']],
  ['#3 ExpirationSeconds = 7d1h', printerCase('csr2', { username: 'CSR Requestor', signerName: 'example.com/test-signer', expirationSeconds: 7 * 86400 + 3600 }, { conditions: [{ type: 'Approved' }] }),
    ['csr2', '0s', 'example.com/test-signer', 'CSR Requestor', '7d1h', 'Approved']],
  ['#4 Approved and issued', printerCase('csr2', { username: 'CSR Requestor' }, { conditions: [{ type: 'Approved' }], certificate: 'Y2VydCBkYXRh' }),
    ['csr2', '0s', '<none>', 'CSR Requestor', '<none>', 'Approved,Issued']],
  ['#5 Denied', printerCase('csr3', { username: 'CSR Requestor' }, { conditions: [{ type: 'Denied' }] }),
    ['csr3', '0s', '<none>', 'CSR Requestor', '<none>', 'Denied']],
];

for (const [name, csr, cells] of PRINTER) {
  test(`csrTableRow ${name}`, (t) => {
    t.deepEqual(csrTableRow(csr, NOW), cells);
  });
}

// Derived from extractCSRStatus's rules (Kubernetes' test asserts only Pending, Approved, Approved,Issued, Denied).
const CONDITIONS: [string[], boolean, string][] = [
  [[], false, 'Pending'],
  [['Approved'], true, 'Approved,Issued'],
  [['Approved', 'Denied'], false, 'Denied'],
  [['Denied', 'Approved'], false, 'Denied'],
  [['Approved', 'Failed'], false, 'Approved,Failed'],
  [['Denied', 'Failed'], false, 'Denied,Failed'],
  [['Failed'], false, 'Pending,Failed'],
  [['Approved', 'Failed'], true, 'Approved,Failed,Issued'],
  [[], true, 'Pending,Issued'],
  [['SomethingElse'], false, 'Pending'],
];

for (const [types, issued, expected] of CONDITIONS) {
  test(`csrCondition [${types.join(',')}]${issued ? ' + certificate' : ''} = ${expected}`, (t) => {
    t.is(csrCondition({ status: { conditions: types.map((type) => ({ type })), ...(issued ? { certificate: 'QQ==' } : {}) } }), expected);
  });
}

test('csrCondition looks at condition types only, not their status', (t) => {
  const conditions = [{ type: 'Approved', status: 'False' }];
  t.is(csrCondition({ status: { conditions } }), 'Approved');
  t.is(csrCondition({ status: { certificate: '' } }), 'Pending');
});

test('AGE: the time since creationTimestamp; <unknown> without one or for Go zero time', (t) => {
  const at = (creationTimestamp: string | undefined) => csrTableRow({ metadata: { name: 'x', creationTimestamp }, spec: {} }, NOW)[1];
  t.is(at(new Date(NOW.getTime() - (3 * H + M)).toISOString()), '3h1m');
  t.is(at('2025-05-30T12:00:00Z'), '2d');
  t.is(at(new Date(NOW.getTime() + 5000).toISOString()), '<invalid>');
  t.is(at(undefined), '<unknown>');
  t.is(at('0001-01-01T00:00:00Z'), '<unknown>');
});

test('REQUESTEDDURATION: 24h for expirationSeconds 86400, 10m for 600; SIGNERNAME <none> when empty', (t) => {
  const row = (spec: PrintableCsr['spec']) => csrTableRow({ metadata: { name: 'x' }, spec }, NOW);
  t.is(row({ expirationSeconds: 86400 })[4], '24h');
  t.is(row({ expirationSeconds: 600 })[4], '10m');
  t.is(row({ signerName: '' })[2], '<none>');
});

const alice: CertificateSigningRequest = {
  apiVersion: 'certificates.k8s.io/v1',
  kind: 'CertificateSigningRequest',
  metadata: { name: 'alice', uid: 'u-1', resourceVersion: '101', creationTimestamp: '2025-06-01T12:00:00Z', labels: { a: 'b' } },
  spec: { request: 'QQ==', signerName: 'kubernetes.io/kube-apiserver-client', expirationSeconds: 86400, username: 'kubernetes-admin' },
  status: { conditions: [{ type: 'Approved', status: 'True' }], certificate: 'Qg==' },
};

test('csrTable: the meta.k8s.io/v1 Table kubectl prints (real-peers §2.4 row)', (t) => {
  const table = csrTable([alice], NOW, '103');
  t.is(table.kind, 'Table');
  t.is(table.apiVersion, 'meta.k8s.io/v1');
  t.deepEqual(table.metadata, { resourceVersion: '103' });
  t.deepEqual(Object.keys(table), ['kind', 'apiVersion', 'metadata', 'columnDefinitions', 'rows']);
  t.deepEqual(table.rows, [{
    cells: ['alice', '0s', 'kubernetes.io/kube-apiserver-client', 'kubernetes-admin', '24h', 'Approved,Issued'],
    object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: alice.metadata },
  }]);
  t.not(table.rows[0]?.object.metadata, alice.metadata, 'the row holds a copy of the metadata');
  t.deepEqual(JSON.parse(JSON.stringify(table)), table, 'plain JSON');
  t.deepEqual(csrTable([], NOW, '7').rows, []);
});

test('csrTable: the CSR printer column definitions, as kube-apiserver declares them', (t) => {
  const columns = csrTable([], NOW, '1').columnDefinitions;
  t.deepEqual(columns.map(({ name, type, format, priority }) => ({ name, type, format, priority })), [
    { name: 'Name', type: 'string', format: 'name', priority: 0 },
    { name: 'Age', type: 'string', format: '', priority: 0 },
    { name: 'SignerName', type: 'string', format: '', priority: 0 },
    { name: 'Requestor', type: 'string', format: '', priority: 0 },
    { name: 'RequestedDuration', type: 'string', format: '', priority: 0 },
    { name: 'Condition', type: 'string', format: '', priority: 0 },
  ]);
  t.deepEqual(columns.map((c) => Object.keys(c)), columns.map(() => ['name', 'type', 'format', 'description', 'priority']));
  t.regex(columns[0]?.description ?? '', /^Name must be unique within a namespace\./);
  t.regex(columns[1]?.description ?? '', /^CreationTimestamp is a timestamp representing the server time/);
  t.regex(columns[2]?.description ?? '', /^Requested signer for the request\./);
  t.is(columns[3]?.description, 'Base64-encoded PKCS#10 CSR data');
  t.regex(columns[4]?.description ?? '', /^expirationSeconds is the requested duration of validity/);
  t.is(columns[5]?.description, 'Conditions applied to the request, such as approval or denial.');
  t.deepEqual(columns.map((c) => c.name.toUpperCase()), ['NAME', 'AGE', 'SIGNERNAME', 'REQUESTOR', 'REQUESTEDDURATION', 'CONDITION']);
  columns[0]!.name = 'changed';
  t.is(CSR_COLUMN_DEFINITIONS[0]?.name, 'Name', 'each table gets its own copy');
});
