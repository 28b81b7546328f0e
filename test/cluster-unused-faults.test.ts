import test from 'ava';
import { fixedClock } from '../lib/clock.js';
import { defineCluster } from '../lib/cluster/cluster.js';
import { isKubeMtlsSimError } from '../lib/errors.js';
import { generatePki } from '../lib/layout/generate.js';

// Faults shape certificates while a PKI is generated. With a PKI handed in, none is generated: the
// faults used to be dropped without a word, and the cluster ran as if they had never been asked for.
test('faults beside a given pki: ERR_USAGE naming `faults`, not a cluster that silently ignores them', async (t) => {
  const clock = fixedClock('2026-01-01T00:00:00Z');
  const pki = await generatePki({ clock });
  const error = await t.throwsAsync(defineCluster({ clock, pki, faults: { apiserver: { kind: 'expired' } } }).start());
  t.true(isKubeMtlsSimError(error, 'ERR_USAGE'), String(error));
  t.is((error as { field?: string }).field, 'faults');
  t.regex(String(error), /generatePki\(\{ faults \}\)/);
  // The same PKI with its faults where they take effect: the apiserver's certificate has expired.
  await using faulted = await defineCluster({ clock, pki: await generatePki({ clock, faults: { apiserver: { kind: 'expired' } } }) }).start();
  t.like(await faulted.dial('kubectl-to-apiserver'), { verdict: 'rejected', reason: 'CERT_EXPIRED' });
  // An empty fault map asks for nothing: still accepted.
  await using plain = await defineCluster({ clock, pki, faults: {} }).start();
  t.is((await plain.dial('kubectl-to-apiserver')).verdict, 'ok');
});
