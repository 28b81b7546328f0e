import test from 'ava';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goVerify } from '../lib/x509/go-verify.js';
import { buildCorpus, type CorpusCase } from './helpers/go-corpus.js';
import { tempDir, which } from './helpers/tools.js';

/**
 * goVerify against Go's own crypto/x509, case by case: a corpus of chains (test/helpers/go-corpus.ts)
 * goes through goVerify and, in one batch, through test/go/verify.go built with the Go on the
 * machine. Verdicts must agree on every case, and Go's err.Error() text word for word wherever both fail.
 *
 * Which Go: Kubernetes 1.32 is built with Go 1.23; CI installs Debian's golang-go (1.19). Where the two
 * differ the simulator follows 1.23 (it stands for kubectl, the apiserver and the kubelet), and such
 * shapes go into GO_VERSION_DIFFERENCES below with the 1.23 answer: duplicate extensions (refused
 * since 1.22) and negative serials (refused since 1.23). Everything else reads the same in both:
 * SHA-1 signatures are refused by both (since 1.18) with the same text, `(temporarily override with
 * GODEBUG=x509sha1=1)` included (the setting is gone only in 1.24); chain building, path length, name
 * constraints, the other parse refusals and the error texts are the same in both. That includes an
 * email domain constraint matching subdomains as a DNS one does (1.19 through 1.23; a later Go made
 * `example.com` mean that host only, golang/go#81280), and the three RSA-PSS parameter sets.
 */

const here = fileURLToPath(new URL('.', import.meta.url));
const go = which('go');

/**
 * Shapes where a Go older than Go 1.23 answers differently, with 1.23's answer, the first Go that
 * gives it, and why. Used only when the Go on the machine is older than `since`: a newer Go answers
 * for itself.
 */
const GO_VERSION_DIFFERENCES: Record<string, { since: [number, number]; ok: boolean; error?: string; why: string }> = {
  'leaf-duplicate-extension': { since: [1, 22], ok: false, error: 'x509: certificate contains duplicate extension with OID "2.5.29.17"', why: 'Go 1.22 refuses a certificate that repeats an extension; 1.19 keeps the first' },
  'leaf-negative-serial': { since: [1, 23], ok: false, error: 'x509: negative serial number', why: 'Go 1.23 refuses negative serials at parse (GODEBUG x509negativeserial=1 restores them); 1.19 accepts them' },
  'root-negative-serial': { since: [1, 23], ok: false, error: 'x509: negative serial number', why: 'as leaf-negative-serial, for the trusted CA' },
  'unused-intermediate-negative-serial': { since: [1, 23], ok: false, error: 'x509: negative serial number', why: 'Go parses every certificate the peer sends, used or not' },
};

/** The running Go's version, e.g. [1, 19]. */
function goVersion(): [number, number] {
  const m = /go(\d+)\.(\d+)/.exec(spawnSync(go!, ['version'], { encoding: 'utf8' }).stdout);
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}
const older = (a: [number, number], b: [number, number]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

/**
 * Cases (globs over `shape/keyType/encoding/year`) where goVerify still departs from Go, each with
 * the reason. Kept exact: every disagreeing case must match an entry, and every case an entry matches
 * must disagree — a case that starts agreeing must be taken out of this list.
 */
// Empty: every case of the corpus agrees (716/716 with Go 1.19; 420/716 before go-chains.ts).
const KNOWN_DIFFERENCES: Record<string, string> = {};

interface GoVerdict { ok: boolean; error?: string; stage?: string; chainLength?: number }

function runGo(t: { log: (...a: string[]) => void }, cases: readonly CorpusCase[], dir: string): GoVerdict[] {
  const binary = join(dir, 'verify');
  const built = spawnSync(go!, ['build', '-o', binary, join(here, 'go', 'verify.go')], { cwd: dir, encoding: 'utf8', env: { ...process.env, GO111MODULE: 'off' } });
  if (built.status !== 0) throw new Error(`go build failed: ${built.stderr}`);
  const input = JSON.stringify(cases.map((c) => ({
    leaf: c.leaf.pem, intermediates: c.intermediates.map((x) => x.pem), roots: c.roots.map((x) => x.pem),
    currentTime: c.now.toISOString(), dnsName: c.dnsName, keyUsages: c.keyUsages,
  })));
  const ran = spawnSync(binary, [], { input, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 60_000 });
  if (ran.status !== 0) throw new Error(`verify.go failed: ${ran.stderr}`);
  t.log(`Go (${spawnSync(go!, ['version'], { encoding: 'utf8' }).stdout.trim()}) verified ${cases.length} cases`);
  return JSON.parse(ran.stdout) as GoVerdict[];
}

const glob = (pattern: string) => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}(/.*)?$`); // a pattern may stop early: its last segment covers the rest

const goTest = go || process.env.CI ? test : test.skip;
if (!go && !process.env.CI) console.warn('\n*** go is not installed: skipping the differential test against Go\'s crypto/x509 (test/go-diff.test.ts). Install golang-go (see .ci/run) to run it. ***\n');

goTest('goVerify agrees with Go\'s crypto/x509 on every case of the corpus, verdict and words', (t) => {
  if (!go) return t.fail('go is not installed, and CI is set: .ci/run must install golang-go');
  const cases = buildCorpus();
  t.true(cases.length >= 400, `corpus has ${cases.length} cases`);
  const verdicts = runGo(t, cases, tempDir(t, 'kms-go-'));
  const disagreements: string[] = [];
  let agreeing = 0;
  const version = goVersion();
  for (const [i, c] of cases.entries()) {
    const difference = GO_VERSION_DIFFERENCES[c.id.slice(0, c.id.indexOf('/'))];
    const goSays = difference && older(version, difference.since) ? difference : verdicts[i]!;
    const ours = goVerify(c.leaf, { roots: c.roots, intermediates: c.intermediates, now: c.now, keyUsages: c.keyUsages, ...(c.dnsName ? { host: c.dnsName } : {}) });
    const same = ours.ok === goSays.ok && (ours.ok || ours.error === goSays.error);
    if (same) agreeing++;
    else disagreements.push(`${c.id}: go ${goSays.ok ? 'ok' : JSON.stringify(goSays.error)}; ours ${ours.ok ? 'ok' : JSON.stringify(ours.error)}`);
  }
  t.log(`${agreeing}/${cases.length} cases agree`);
  const patterns = Object.keys(KNOWN_DIFFERENCES).map((p) => ({ p, re: glob(p) }));
  const unexplained = disagreements.filter((d) => !patterns.some(({ re }) => re.test(d.slice(0, d.indexOf(':')))));
  const disagreeing = new Set(disagreements.map((d) => d.slice(0, d.indexOf(':'))));
  const stale = cases.filter((c) => patterns.some(({ re }) => re.test(c.id)) && !disagreeing.has(c.id)).map((c) => c.id);
  t.deepEqual(unexplained, [], 'cases where goVerify departs from Go');
  t.deepEqual(stale, [], 'cases listed in KNOWN_DIFFERENCES that now agree: take them out of the list');
});
