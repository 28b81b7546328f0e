import test from 'ava';
import { main } from '../lib/cli/main.js';
import { CATALOGUE_INDEX } from '../lib/diagnose/catalogue-index.js';
import { diagnose, type Diagnosis } from '../lib/diagnose/match.js';
import { templateOf } from '../lib/diagnose/template.js';
import { cli } from './helpers/cli.js';

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

test('usage errors exit 2: no text, two texts, an unknown flag, a bad --lang, an empty stdin', async (t) => {
  for (const args of [[], ['a', 'b'], ['x', '--dir', '/tmp'], ['x', '--lang', 'fr']]) {
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
