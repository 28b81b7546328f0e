// `pki write --fault/--flag` (issue 11): a broken node in one command. Each fault kind written is
// then seen in the folder by `pki inspect`; each flag is in the manifest and changes the edge when
// the folder is loaded and dialled; a bad value is exit 2 naming the flag and the value, nothing written.
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { parse } from 'yaml';
import { fixedClock } from '../lib/clock.js';
import { defineCluster } from '../lib/cluster/cluster.js';
import { loadNode } from '../lib/node/load.js';
import { FAULT_SYNTAX, formatFaultFlag, parseFaultFlag } from '../lib/pki/fault-syntax.js';
import type { Fault } from '../lib/pki/faults.js';
import { fromX509 } from '../lib/pki/issue.js';
import { goFacts } from '../lib/x509/go-facts.js';
import { goVerify } from '../lib/x509/go-verify.js';
import { SCENARIOS } from '../scenarios/index.js';
import { tempDir } from './helpers/tools.js';
import { cli } from './helpers/cli.js';

const NOW = '2026-01-01T00:00:00Z';

const certsAt = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8').split(/(?=-----BEGIN CERTIFICATE-----)/).map((pem) => fromX509(new X509Certificate(pem)));
const certAt = (dir: string, path: string) => certsAt(dir, path)[0]!;
/** Go's error value for the leaf in `leafPath` verified against every certificate in `caPath`. */
function goReason(dir: string, leafPath: string, caPath: string, usage: 'serverAuth' | 'clientAuth'): string {
  const result = goVerify(certAt(dir, leafPath), { roots: certsAt(dir, caPath), now: new Date(NOW), keyUsages: [usage] });
  return result.ok ? 'ok' : result.goError ?? result.reason;
}

interface Row { name: string; cn: string; o: string[]; issuer: string; notBefore: string; notAfter: string; sans: string[]; extKeyUsage: string[]; checks: { chain: { reason: string } } }

/** One fault of each kind, each on its own record, and what `pki inspect --json` must show for it. */
const EACH_KIND: Record<Fault['kind'], [string, (rows: Map<string, Row>, problems: Map<string, string>, dir: string) => unknown, unknown]> = {
  'signed-by': ['front-proxy-client=signed-by:etcd-ca', (r) => [r.get('front-proxy-client')!.issuer, r.get('front-proxy-client')!.checks.chain.reason], ['etcd-ca', 'UNKNOWN_AUTHORITY']],
  'signed-by-impostor': ['apiserver-etcd-client=signed-by-impostor', (r) => [r.get('apiserver-etcd-client')!.issuer, r.get('apiserver-etcd-client')!.checks.chain.reason], ['etcd-ca', 'BAD_SIGNATURE']],
  'self-signed': ['etcd-healthcheck-client=self-signed', (r) => [r.get('etcd-healthcheck-client')!.issuer, r.get('etcd-healthcheck-client')!.checks.chain.reason], ['kube-etcd-healthcheck-client', 'SELF_SIGNED']],
  expired: ['scheduler=expired', (r) => [r.get('scheduler.conf')!.notAfter, r.get('scheduler.conf')!.checks.chain.reason], ['2025-12-31T00:00:00.000Z', 'CERT_HAS_EXPIRED']],
  'not-yet-valid': ['kubelet-client=not-yet-valid', (r) => [r.get('kubelet-client')!.notBefore, r.get('kubelet-client')!.checks.chain.reason], ['2026-01-02T00:00:00.000Z', 'CERT_NOT_YET_VALID']],
  validity: ['etcd-peer=validity:-1h..2d', (r) => [r.get('etcd-peer')!.notBefore, r.get('etcd-peer')!.notAfter], ['2025-12-31T23:00:00.000Z', '2026-01-03T00:00:00.000Z']],
  subject: ['admin=subject:CN=eve,O=', (r) => [r.get('admin.conf')!.cn, r.get('admin.conf')!.o], ['eve', []]],
  usages: ['apiserver-kubelet-client=usages:eku=serverAuth', (r) => r.get('apiserver-kubelet-client')!.extKeyUsage, ['serverAuth']],
  sans: ['etcd-server=sans:DNS:only.example,IP:10.9.9.9', (r) => r.get('etcd-server')!.sans, ['DNS:only.example', 'IP:10.9.9.9']],
  'mismatched-key': ['super-admin=mismatched-key', (_r, p) => p.get('/etc/kubernetes/super-admin.conf'), 'ERR_KEY_MISMATCH'],
  'swapped-files': ['controller-manager=swapped-files', (_r, p) => p.get('/etc/kubernetes/controller-manager.conf'), 'ERR_PEM_SWITCHED'],
  // The structural kinds, seen as Go sees the written files (pki inspect's chain check is not Go's).
  'name-encoding': ['etcd-peer=name-encoding:utf8', (_r, _p, dir) => goReason(dir, '/etc/kubernetes/pki/etcd/peer.crt', '/etc/kubernetes/pki/etcd/ca.crt', 'serverAuth'), 'UnknownAuthorityError'],
  'path-length': ['front-proxy-ca=path-length:0', (_r, _p, dir) => goFacts(certAt(dir, '/etc/kubernetes/pki/front-proxy-ca.crt')).maxPathLen, 0],
  'name-constraints': ['etcd-ca=name-constraints:exclude=only.example', (_r, _p, dir) => goReason(dir, '/etc/kubernetes/pki/etcd/server.crt', '/etc/kubernetes/pki/etcd/ca.crt', 'serverAuth'), 'CANotAuthorizedForThisName'],
  'critical-extension': ['kubelet-serving-ca=critical-extension:1.3.6.1.4.1.99999.1', (_r, _p, dir) => goFacts(certsAt(dir, '/var/lib/kubelet/pki/kubelet.crt')[1]!).unhandledCritical, true],
  'signature-algorithm': ['ca=signature-algorithm:sha1', (_r, _p, dir) => goFacts(certAt(dir, '/etc/kubernetes/pki/ca.crt')).signature.name, 'ECDSA-SHA1'],
  // An RSA impostor of the ECDSA CA (the preset's keys are ECDSA): Go names the key type in its hint.
  'issuer-key-type': ['admin=issuer-key-type:rsa', (_r, _p, dir) => {
    const doc = parse(readFileSync(join(dir, 'etc/kubernetes/admin.conf'), 'utf8')) as { users: { user: Record<string, string> }[] };
    const leaf = fromX509(new X509Certificate(Buffer.from(doc.users[0]!.user['client-certificate-data']!, 'base64')));
    const result = goVerify(leaf, { roots: certsAt(dir, '/etc/kubernetes/pki/ca.crt'), now: new Date(NOW), keyUsages: ['clientAuth'] });
    return result.ok ? 'ok' : result.error.replace(/ while trying.*/, '');
  }, 'x509: certificate signed by unknown authority (possibly because of "x509: signature algorithm specifies an RSA public key, but have public key of type *ecdsa.PublicKey"'],
  'expired-intermediate': ['apiserver-kubelet-client=expired-intermediate', (_r, _p, dir) => {
    const [leaf, ...intermediates] = certsAt(dir, '/etc/kubernetes/pki/apiserver-kubelet-client.crt');
    const result = goVerify(leaf!, { roots: certsAt(dir, '/etc/kubernetes/pki/ca.crt'), intermediates, now: new Date(NOW), keyUsages: ['clientAuth'] });
    return result.ok ? 'ok' : [intermediates.length, result.goError, result.error];
  }, [1, 'Expired', 'x509: certificate has expired or is not yet valid: current time 2026-01-01T00:00:00Z is after 2025-12-31T00:00:00Z']],
  // P-384 rather than RSA: as cheap to make, and as plainly not the preset's P-256.
  'key-algorithm': ['front-proxy-client=key-algorithm:ecdsa-p384', (_r, _p, dir) => [
    certAt(dir, '/etc/kubernetes/pki/front-proxy-client.crt').node.publicKey.asymmetricKeyDetails?.namedCurve,
    certAt(dir, '/etc/kubernetes/pki/front-proxy-ca.crt').node.publicKey.asymmetricKeyDetails?.namedCurve,
  ], ['secp384r1', 'prime256v1']],
  'via-intermediate': ['apiserver=via-intermediate:omit', (r) => [r.get('apiserver')!.issuer, r.get('apiserver')!.checks.chain.reason], ['kubernetes-intermediate', 'UNKNOWN_AUTHORITY']],
};

test('pki write --fault: every fault kind, written in one command, is seen by pki inspect', async (t) => {
  t.deepEqual(Object.keys(EACH_KIND).sort(), Object.keys(FAULT_SYNTAX).sort(), 'every kind of the library is tested');
  const dir = join(tempDir(t), 'node');
  const write = await cli(['pki', 'write', dir, '--now', NOW, ...Object.values(EACH_KIND).flatMap(([flag]) => ['--fault', flag])]);
  t.is(write.status, 0, write.stderr);
  t.regex(write.stdout, /^\[pki\] fault admin=subject:CN=eve,O=$/m);
  const inspect = await cli(['pki', 'inspect', dir, '--now', NOW, '--json']);
  t.is(inspect.status, 1, 'inspect finds the faults');
  const report = JSON.parse(inspect.stdout) as { rows: Row[]; problems: { path: string; code: string }[] };
  const rows = new Map(report.rows.map((r) => [r.name, r]));
  const problems = new Map(report.problems.map((p) => [p.path, p.code]));
  for (const [kind, [flag, seen, expected]] of Object.entries(EACH_KIND)) t.deepEqual(seen(rows, problems, dir), expected, `${kind} (${flag})`);
  // The records without a fault still pass.
  t.is(rows.get('apiserver-etcd-client')!.checks.chain.reason, 'BAD_SIGNATURE');
  t.is(rows.get('ca')!.checks.chain.reason, 'OK');
});

test('pki write --flag: the flag is written into the manifest, an empty value removes it, and the loaded node dials with it', async (t) => {
  const dir = join(tempDir(t), 'node');
  const write = await cli(['pki', 'write', dir, '--now', NOW, '--json',
    '--flag', 'etcd:--trusted-ca-file=', '--flag', 'etcd:--client-cert-auth=',
    '--flag', 'kube-apiserver:--kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt']);
  t.is(write.status, 0, write.stderr);
  t.deepEqual(JSON.parse(write.stdout).flags, ['etcd:--trusted-ca-file=', 'etcd:--client-cert-auth=', 'kube-apiserver:--kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt']);
  const etcd = readFileSync(join(dir, 'etc/kubernetes/manifests/etcd.yaml'), 'utf8');
  t.notRegex(etcd, /- --trusted-ca-file=|- --client-cert-auth=/);
  t.regex(etcd, /- --peer-trusted-ca-file=/);
  t.regex(readFileSync(join(dir, 'etc/kubernetes/manifests/kube-apiserver.yaml'), 'utf8'), /- --kubelet-certificate-authority=\/etc\/kubernetes\/pki\/ca\.crt$/m);
  const node = await loadNode(dir);
  t.deepEqual(node.problems.map((p) => p.error.message), []);
  await using cluster = await defineCluster({ node, clock: fixedClock(NOW) }).start();
  const [etcdEdge, kubeletEdge] = await Promise.all([cluster.dial('apiserver-to-etcd'), cluster.dial('apiserver-to-kubelet')]);
  t.like(etcdEdge, { verdict: 'insecure', reason: 'NO_CLIENT_AUTH' });
  // As the catalogue's kubelet-self-signed-with-kubelet-ca-flag: the self-signed certificate is refused.
  t.like(kubeletEdge, { verdict: 'rejected', stage: 'tls', reason: 'SAN_MISMATCH' });
});

test('pki write --flag writes into the systemd units of the reference preset', async (t) => {
  const dir = join(tempDir(t), 'node');
  t.is((await cli(['pki', 'write', dir, '--now', NOW, '--preset', 'reference', '--flag', 'etcd:--client-cert-auth=true'])).status, 0);
  t.regex(readFileSync(join(dir, 'etc/systemd/system/etcd.service'), 'utf8'), /--client-cert-auth=true/);
});

for (const [flag, value, message] of [
  ['--fault', 'apiserver=expird', /unknown fault kind "expird"/],
  ['--fault', 'apiserver', /expected RECORD=KIND\[:ARG\]/],
  ['--fault', 'nope=expired', /no certificate "nope" in this preset/],
  ['--fault', 'apiserver=validity:1d..-1d', /notBefore < notAfter/],
  ['--fault', 'apiserver=validity:soon..3y', /"soon" is not a duration/],
  ['--fault', 'apiserver=expired:now', /expired takes no argument/],
  ['--fault', 'apiserver=signed-by', /signed-by needs an argument/],
  ['--fault', 'apiserver=sans:IP:1.2.3', /"1.2.3" is not an IP address/],
  ['--fault', 'apiserver=usages:eku=clientAuth+webAuth', /"webAuth" is not a extended key usage/],
  ['--fault', 'apiserver=via-intermediate:maybe', /send or omit/],
  ['--fault', 'apiserver=path-length:0', /path-length applies to a CA/],
  ['--fault', 'ca=path-length:-1', /path-length takes a whole number/],
  ['--fault', 'ca=name-constraints:allow=x', /neither permit=A\+B nor exclude=A\+B/],
  ['--fault', 'ca=critical-extension:oops', /needs a dotted OID/],
  ['--fault', 'apiserver=name-encoding:latin1', /name-encoding takes utf8/],
  ['--fault', 'apiserver=signature-algorithm:md4', /signature-algorithm takes sha1 or md5/],
  ['--fault', 'apiserver=issuer-key-type:dsa', /issuer-key-type takes rsa or ecdsa/],
  ['--fault', 'ca=key-algorithm:dsa-1024', /key-algorithm takes one of ecdsa-p256, .*rsa-4096/],
  ['--fault', 'ca=signed-by:apiserver', /signing cycle ca <- apiserver <- ca/],
  ['--flag', 'etcd:--no-such-flag=1', /etcd has no flag --no-such-flag/],
  ['--flag', 'kube-etcd:--name=x', /unknown component "kube-etcd"/],
  ['--flag', 'etcd:--name', /expected COMPONENT:--name=value/],
] as const) {
  test(`pki write ${flag} ${value}: exit 2 naming the flag and the value, nothing written`, async (t) => {
    const dir = join(tempDir(t), 'node');
    const run = await cli(['pki', 'write', dir, '--now', NOW, flag, value]);
    t.is(run.status, 2, run.stderr);
    t.true(run.stderr.includes(`\`${flag}\`: "${value}"`), run.stderr);
    t.regex(run.stderr, message);
    t.false(existsSync(dir));
  });
}

test('every fault of the catalogue has a --fault form that reads back to the same fault', (t) => {
  let count = 0;
  for (const s of SCENARIOS) {
    for (const [record, value] of Object.entries(s.changes?.faults ?? {})) {
      for (const fault of Array.isArray(value) ? value : [value as Fault]) {
        const flag = formatFaultFlag(record, fault);
        t.deepEqual(parseFaultFlag(flag), { record, fault }, `${s.name}: ${flag}`);
        count++;
      }
    }
  }
  t.true(count > 30);
  t.deepEqual(parseFaultFlag('apiserver=usages:ku=digitalSignature,eku=none').fault, { kind: 'usages', keyUsage: ['digitalSignature'], extKeyUsage: null });
  t.deepEqual(parseFaultFlag('admin=signed-by-impostor:/etc/kubernetes/pki/ca-new.crt').fault, { kind: 'signed-by-impostor', caFile: '/etc/kubernetes/pki/ca-new.crt' });
});
