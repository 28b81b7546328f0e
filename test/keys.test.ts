import test from 'ava';
import { createPublicKey, generateKeyPair as generateKeyPairCallback } from 'node:crypto';
import { promisify } from 'node:util';
import { publicKeyFromSpki, spkiOf } from '../lib/pki/keys.js';

// Keys are generated as the library generates them (asynchronously): exporting a JWK from a key made by
// generateKeyPairSync can deadlock Node 20 when the garbage collector frees the key generation job meanwhile.
const generateKeyPair = promisify(generateKeyPairCallback) as (type: string, options?: object) => Promise<{ publicKey: import('node:crypto').KeyObject }>;

// spkiOf and publicKeyFromSpki build and read EC keys from their coordinates instead of OpenSSL's
// encoder and decoder: they must give exactly what OpenSSL gives, and refuse what it refuses.

for (const namedCurve of ['P-256', 'P-384']) {
  test(`${namedCurve}: the SubjectPublicKeyInfo built from coordinates is OpenSSL's, byte for byte, and reads back to the same key`, async (t) => {
    for (let i = 0; i < 50; i++) {
      const { publicKey } = await generateKeyPair('ec', { namedCurve });
      const openssl = publicKey.export({ type: 'spki', format: 'der' });
      t.true(spkiOf(publicKey).equals(openssl));
      t.true(publicKeyFromSpki(openssl).equals(publicKey));
    }
  });
}

test('other keys (RSA, P-521, Ed25519) go through OpenSSL unchanged', async (t) => {
  const keys = [(await generateKeyPair('rsa', { modulusLength: 1024 })).publicKey, (await generateKeyPair('ec', { namedCurve: 'P-521' })).publicKey, (await generateKeyPair('ed25519')).publicKey];
  for (const key of keys) {
    const der = key.export({ type: 'spki', format: 'der' });
    t.true(spkiOf(key).equals(der));
    t.true(publicKeyFromSpki(der).equals(key));
  }
});

test('a point that is not on the curve is refused, as OpenSSL refuses it', async (t) => {
  const spki = Buffer.from((await generateKeyPair('ec', { namedCurve: 'P-256' })).publicKey.export({ type: 'spki', format: 'der' }));
  spki[spki.length - 1]! ^= 0x01;
  t.throws(() => createPublicKey({ key: spki, format: 'der', type: 'spki' }));
  t.throws(() => publicKeyFromSpki(spki));
});
