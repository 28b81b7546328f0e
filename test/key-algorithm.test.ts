// The key-algorithm fault (issue 14): one record's key of another algorithm than the PKI's, so a
// scenario about an RSA CA makes that one RSA key and not a whole RSA PKI (an RSA-2048 key costs
// 50-800 ms of CPU, a P-256 key well under one: three RSA PKIs were most of the catalogue's time).
import test from 'ava';
import { generatePki } from '../lib/layout/generate.js';
import { clusterChanges } from '../lib/scenarios/types.js';
import { SCENARIOS } from '../scenarios/index.js';
import { clock } from './helpers/pki.js';

const algorithmsOf = (pki: Awaited<ReturnType<typeof generatePki>>) => new Map([...pki.certs].map(([id, c]) => [id, c.certKey.algorithm]));

test('key-algorithm gives that record a key of its own algorithm; its leaves keep the PKI\'s, an impostor of it takes its', async (t) => {
  const pki = await generatePki({
    clock, keyNamespace: 'test-key-algorithm',
    faults: { 'front-proxy-ca': { kind: 'key-algorithm', algorithm: 'ecdsa-p384' }, 'front-proxy-client': [{ kind: 'signed-by-impostor', caFile: '/etc/kubernetes/pki/impostor.crt' }] },
  });
  const algorithms = algorithmsOf(pki);
  t.is(algorithms.get('front-proxy-ca'), 'ecdsa-p384');
  t.is(pki.certs.get('front-proxy-ca')!.cert.node.publicKey.asymmetricKeyDetails?.namedCurve, 'secp384r1');
  t.deepEqual([...algorithms].filter(([id]) => id !== 'front-proxy-ca').filter(([, a]) => a !== 'ecdsa-p256'), [], 'every other key is the PKI\'s');
  // The impostor mimics the CA it stands in for, key algorithm included: its signature is ECDSA with SHA-384, as P-384 signs.
  t.is(pki.certs.get('front-proxy-client')!.issuerId, 'impostor:front-proxy-ca');
  t.is(pki.certs.get('front-proxy-client')!.cert.node.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  t.is(pki.certs.get('front-proxy-client')!.issuer.node.publicKey.asymmetricKeyDetails?.namedCurve, 'secp384r1');
});

test('key-algorithm refuses an algorithm it does not know, naming the fault', async (t) => {
  const error = await t.throwsAsync(generatePki({ clock, faults: { ca: { kind: 'key-algorithm', algorithm: 'dsa-1024' as 'rsa-2048' } } }));
  t.is((error as { code?: string }).code, 'ERR_FAULT_INVALID');
  t.regex(error!.message, /`faults\.ca`: key-algorithm takes one of ecdsa-p256, .*rsa-4096 \(given "dsa-1024"\)/);
});

test('no catalogue scenario switches its whole PKI to RSA: the RSA key is the one record it is about', async (t) => {
  t.deepEqual(SCENARIOS.filter((s) => s.changes?.algorithm?.startsWith('rsa')).map((s) => s.name), []);
  for (const name of ['apiserver-serving-signed-md5', 'apiserver-serving-ecdsa-chain-under-rsa-ca']) {
    const scenario = SCENARIOS.find((s) => s.name === name)!;
    const pki = await generatePki({ clock, preset: scenario.preset, ...clusterChanges(scenario.changes) });
    const rsa = [...algorithmsOf(pki)].filter(([, a]) => a.startsWith('rsa')).map(([id]) => id);
    t.deepEqual(rsa, ['ca'], `${name}: only the trusted CA's key is RSA`);
  }
});
