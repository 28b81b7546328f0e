import test from 'ava';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { publicKeyFromSpki, spkiOf } from '../lib/pki/keys.js';

// spkiOf and publicKeyFromSpki build and read EC keys from their coordinates instead of OpenSSL's
// encoder and decoder: they must give exactly what OpenSSL gives, and refuse what it refuses.

for (const namedCurve of ['P-256', 'P-384']) {
  test(`${namedCurve}: the SubjectPublicKeyInfo built from coordinates is OpenSSL's, byte for byte, and reads back to the same key`, (t) => {
    for (let i = 0; i < 50; i++) {
      const { publicKey } = generateKeyPairSync('ec', { namedCurve });
      const openssl = publicKey.export({ type: 'spki', format: 'der' });
      t.true(spkiOf(publicKey).equals(openssl));
      t.true(publicKeyFromSpki(openssl).equals(publicKey));
    }
  });
}

test('other keys (RSA, P-521, Ed25519) go through OpenSSL unchanged', (t) => {
  const keys = [generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey, generateKeyPairSync('ec', { namedCurve: 'P-521' }).publicKey, generateKeyPairSync('ed25519').publicKey];
  for (const key of keys) {
    const der = key.export({ type: 'spki', format: 'der' });
    t.true(spkiOf(key).equals(der));
    t.true(publicKeyFromSpki(der).equals(key));
  }
});

test('a point that is not on the curve is refused, as OpenSSL refuses it', (t) => {
  const spki = Buffer.from(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' }));
  spki[spki.length - 1]! ^= 0x01;
  t.throws(() => createPublicKey({ key: spki, format: 'der', type: 'spki' }));
  t.throws(() => publicKeyFromSpki(spki));
});
