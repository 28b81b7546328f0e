import test from 'ava';
import { main } from '../lib/cli/main.js';
import { CATALOGUE_INDEX } from '../lib/diagnose/catalogue-index.js';
import { diagnose, type Diagnosis } from '../lib/diagnose/match.js';
import { templateOf } from '../lib/diagnose/template.js';
import { cli } from './helpers/cli.js';
import { tempDir } from './helpers/tools.js';

async function diagnoseJson(args: string[], stdin?: string): Promise<{ status: number; d: Diagnosis; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const status = await main(['diagnose', ...args, '--json'], (x) => out.push(x), (x) => err.push(x), stdin === undefined ? {} : { stdin: () => stdin });
  return { status, d: JSON.parse(out.join('\n')) as Diagnosis, stderr: err.join('\n') };
}

const KUBECTL_UNKNOWN_CA = 'Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority (possibly because of "crypto/rsa: verification error" while trying to verify candidate authority certificate "kubernetes")';

test('templates: times, addresses, ports, serials, key ids and quoted names become wildcards; error words stay', (t) => {
  t.is(templateOf('embed: rejected connection from "10.1.2.3:41234" (error "tls: client didn\'t provide a certificate", ServerName "")'),
    'embed: rejected connection from "<*>" (error "tls: client didn\'t provide a certificate", ServerName "")');
  t.is(templateOf('verifying certificate SN=3002105319420891348, SKID=, AKID=BC:44:8C:80:5A:09 failed: x509: certificate has expired or is not yet valid: current time 2027-01-02T00:00:00Z is after 2026-12-31T23:59:59Z'),
    'verifying certificate SN=<*>, SKID=, AKID=<*> failed: x509: certificate has expired or is not yet valid: current time <*> is after <*>');
  // Go's HostnameError lists the certificate's names and the one wanted: names, not error words.
  t.is(templateOf('x509: certificate is valid for kubernetes, kubernetes.default, not localhost'), templateOf('x509: certificate is valid for 10.96.0.1, not 127.0.0.1'));
  t.is(templateOf('x509: certificate is not valid for any names, but wanted to match node-1'), 'x509: certificate is not valid for any names, but wanted to match <*>');
});

test('kubectl\'s unknown-authority line with a hint naming another candidate CA ranks the unknown-authority scenarios first', async (t) => {
  const { status, d } = await diagnoseJson([KUBECTL_UNKNOWN_CA]);
  t.is(status, 0);
  t.is(d.causes[0]!.reason, 'UNKNOWN_AUTHORITY');
  t.is(d.causes[0]!.matches[0]!.kind, 'contains');
  t.true(d.causes[0]!.scenarios.some((s) => s.name === 'kubectl-kubeconfig-trusts-wrong-ca'));
  t.true(d.causes[0]!.scenarios.every((s) => s.fix.length > 0));
});

test('kubectl get --raw\'s "(Unauthorized)" resembles the catalogue\'s 401 wording: only 401 causes', async (t) => {
  const { status, d } = await diagnoseJson(['error: You must be logged in to the server (Unauthorized)']);
  t.is(status, 0);
  // kubectl without any credential prompts instead of getting a 401 (CREDENTIALS_PROMPT): a refused credential comes first.
  t.true(['CERT_EXPIRED', 'CERT_NOT_YET_VALID', 'UNKNOWN_AUTHORITY', 'WRONG_EKU', 'INVALID_TOKEN', 'TOKEN_EXPIRED', 'NO_CREDENTIALS'].includes(d.causes[0]!.reason), d.causes[0]!.reason);
  t.true(d.causes.every((c) => c.matches.every((m) => m.kind === 'similar' && m.template.startsWith('error: You must be logged in'))));
});

test('etcd\'s rejection of an untrusted client, without the "embed: " prefix and from another port, is UNKNOWN_AUTHORITY by etcd', async (t) => {
  const { status, d } = await diagnoseJson(['rejected connection from "127.0.0.1:41234" (error "tls: failed to verify client certificate: x509: certificate signed by unknown authority", ServerName "")']);
  t.is(status, 0);
  t.is(d.causes[0]!.reason, 'UNKNOWN_AUTHORITY');
  t.is(d.causes[0]!.matches[0]!.kind, 'part-of');
  t.true(d.causes[0]!.scenarios.every((s) => /etcd/.test(s.name)), d.causes[0]!.scenarios.map((s) => s.name).join());
});

test('an expiry line with other times than the catalogue\'s ranks an expired certificate first, with the file to renew', async (t) => {
  const r = await cli(['diagnose', 'certificate has expired or is not yet valid: current time 2027-01-02T00:00:00Z is after 2026-12-31T23:59:59Z']);
  t.is(r.status, 0);
  t.regex(r.stdout, /^1\. CERT_EXPIRED \(rejected\)$/m);
  t.regex(r.stdout, /fix: Renew /);
});

test('a log on stdin: the cause that explains most of its lines comes first, each line shown with its template', async (t) => {
  const log = [
    'E0102 10:00:00.000000       1 authentication.go:73] "Unable to authenticate the request" err="[x509: certificate signed by unknown authority]"',
    'Unable to authenticate the request due to an error: verifying certificate SN=42424242424242, SKID=, AKID=AA:BB:CC:DD:EE:FF failed: x509: certificate signed by unknown authority',
    '',
    KUBECTL_UNKNOWN_CA,
  ].join('\n');
  const { status, d } = await diagnoseJson(['-'], log);
  t.is(status, 0);
  t.is(d.lines.length, 3);
  t.is(d.causes[0]!.reason, 'UNKNOWN_AUTHORITY');
  t.true(d.causes[0]!.matches.length >= 2);
});

test('nonsense matches nothing: exit 1 and an honest "no cause"', async (t) => {
  const r = await cli(['diagnose', 'the quick brown fox jumps over the lazy dog']);
  t.is(r.status, 1);
  t.regex(r.stdout, /^No cause in the catalogue prints this text/);
});

test('usage errors exit 2: no text, two texts, an unknown flag, a bad --lang, --now without --dir, a bad --now, an empty stdin', async (t) => {
  for (const args of [[], ['a', 'b'], ['x', '--bogus', '/tmp'], ['x', '--lang', 'fr'], ['x', '--now', '2026-01-01T00:00:00Z'], ['x', '--dir', '/tmp', '--now', 'tomorrow']]) {
    const r = await cli(['diagnose', ...args]);
    t.is(r.status, 2, args.join(' '));
  }
  const err: string[] = [];
  t.is(await main(['diagnose', '-'], () => {}, (x) => err.push(x), { stdin: () => '\n\n' }), 2);
  t.regex(err.join('\n'), /the error text is empty/);
});

test('--lang zh gives the fixes in Chinese', async (t) => {
  const { d } = await diagnoseJson([KUBECTL_UNKNOWN_CA, '--lang', 'zh']);
  t.regex(d.causes[0]!.scenarios[0]!.fix, /[\u4e00-\u9fff]/);
});

test('the ranking does not depend on the order of the index', (t) => {
  const line = 'x509: certificate signed by unknown authority';
  const reversed = { ...CATALOGUE_INDEX, lines: [...CATALOGUE_INDEX.lines].reverse() };
  t.deepEqual(diagnose([line], reversed), diagnose([line], CATALOGUE_INDEX));
  t.true(diagnose([line], CATALOGUE_INDEX).causes.length > 1);
});

// --dir: the node's files confirm one cause among those the text fits.
const NOW = '2026-01-01T00:00:00Z';
const NARROWED = 'x509: certificate signed by unknown authority';

async function writeNode(t: import('ava').ExecutionContext, ...extra: string[]): Promise<string> {
  const dir = tempDir(t);
  const w = await cli(['pki', 'write', dir, '--now', NOW, ...extra]);
  t.is(w.status, 0, w.stderr);
  return dir;
}

test('--dir: the cause an edge of DIR fails with comes first, with the edge and the flag to look at; the others stay, marked not seen', async (t) => {
  // etcd with --client-cert-auth and no --trusted-ca-file: the text fits three causes, and plain ranking puts another first.
  const dir = await writeNode(t, '--flag', 'etcd:--trusted-ca-file=');
  const plain = (await diagnoseJson([NARROWED])).d;
  t.not(plain.causes[0]!.reason, 'NO_TRUSTED_CA');
  const { status, d } = await diagnoseJson([NARROWED, '--dir', dir, '--now', NOW]);
  t.is(status, 0);
  const causes = d.causes as unknown as { reason: string; onNode: { edge: string; responsible: string }[] }[];
  t.is(causes[0]!.reason, 'NO_TRUSTED_CA');
  t.deepEqual(causes[0]!.onNode.map((e) => e.edge), ['apiserver-to-etcd']);
  t.regex(causes[0]!.onNode[0]!.responsible, /etcd .*--trusted-ca-file/);
  t.true(causes.slice(1).every((c) => c.onNode.length === 0));
  t.deepEqual(causes.map((c) => c.reason).sort(), plain.causes.map((c) => c.reason).sort(), 'nothing is dropped');
  const text = await cli(['diagnose', NARROWED, '--dir', dir, '--now', NOW]);
  t.true(text.stdout.includes(`on ${dir}: apiserver-to-etcd is rejected with this reason — look at etcd`), text.stdout);
  t.regex(text.stdout, /not seen \(no edge fails with this reason/);
});

test('--dir: a node whose edges all work says so, and a failure of another reason is listed', async (t) => {
  const good = await writeNode(t);
  const ok = await cli(['diagnose', NARROWED, '--dir', good, '--now', NOW]);
  t.is(ok.status, 0);
  t.regex(ok.stdout, /Every edge of .* works at 2026-01-01T00:00:00.000Z/);
  const later = await cli(['diagnose', NARROWED, '--dir', good, '--now', '2031-01-01T00:00:00Z']);
  t.regex(later.stdout, /Also on .*: \S+ is rejected \(CERT_EXPIRED\)/);
});

test('--dir on a folder that is no node is a typed error naming it, not a diagnosis', async (t) => {
  const empty = tempDir(t);
  const r = await cli(['diagnose', NARROWED, '--dir', empty]);
  t.not(r.status, 0);
  t.regex(r.stderr, /ERR_NODE_NOT_FOUND/);
  t.true(r.stderr.includes(empty));
});

// Identical text from different causes: said, not hidden behind an arbitrary first place.
const ETCD_UNKNOWN = 'embed: rejected connection from "10.0.0.7:50000" (error "tls: failed to verify client certificate: x509: certificate signed by unknown authority", ServerName "")';

test('a text the catalogue prints for several causes: they tie at the head, and the output says the text cannot tell them apart', async (t) => {
  const { d } = await diagnoseJson([ETCD_UNKNOWN]);
  t.is(d.tiedFirst, 2);
  t.deepEqual(d.causes.slice(0, 2).map((c) => c.reason).sort(), ['NO_TRUSTED_CA', 'UNKNOWN_AUTHORITY']);
  const r = await cli(['diagnose', ETCD_UNKNOWN]);
  t.regex(r.stdout, /^The first 2 causes print exactly this text: it cannot tell them apart\. Add --dir DIR/);
  const alone = (await diagnoseJson([KUBECTL_UNKNOWN_CA])).d;
  t.is(alone.tiedFirst, 1);
  t.false((await cli(['diagnose', KUBECTL_UNKNOWN_CA])).stdout.includes('cannot tell them apart'));
});

test('--dir breaks the tie: the node confirms one of the tied causes', async (t) => {
  const dir = await writeNode(t, '--flag', 'etcd:--trusted-ca-file=');
  const { d } = await diagnoseJson([ETCD_UNKNOWN, '--dir', dir, '--now', NOW]);
  t.is(d.causes[0]!.reason, 'NO_TRUSTED_CA');
  t.is(d.tiedFirst, 1);
});
