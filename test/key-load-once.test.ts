// issue 14 (catalogue ≤ 3 s): every cluster's components load the same few keys again; what OpenSSL
// does with one key (export it for node:tls, parse it to learn its type) is done once per key.
import crypto from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import test from 'ava';
import { clientContext } from '../lib/clients/transport.js';
import { loadKeyPair } from '../lib/component-base/files.js';
import { NodeFs } from '../lib/fs/node-fs.js';
import { pkiFor } from './helpers/pki.js';

test.serial('loading the same key pair in two clusters exports its key for node:tls once', async (t) => {
  const pki = await pkiFor();
  const etcd = pki.certs.get('etcd-healthcheck-client')!;
  const files = () => new NodeFs([
    { kind: 'cert', path: '/p/c.crt', contents: etcd.cert.pem, mode: 0o644, owner: 'test' },
    { kind: 'key', path: '/p/c.key', contents: etcd.key.pem, mode: 0o600, owner: 'test' },
  ]);
  const prototype = Object.getPrototypeOf(etcd.key.keyObject) as { export: (...args: unknown[]) => unknown };
  const real = prototype.export;
  let exports = 0;
  prototype.export = function (this: unknown, ...args: unknown[]) {
    exports++;
    return real.apply(this, args);
  };
  t.teardown(() => {
    prototype.export = real;
  });
  const first = loadKeyPair(files(), '/p/c.crt', '/p/c.key', 'cert', 'key');
  const second = loadKeyPair(files(), '/p/c.crt', '/p/c.key', 'cert', 'key');
  t.is(second.keyPem, first.keyPem);
  t.regex(first.keyPem, /^-----BEGIN PRIVATE KEY-----/);
  t.is(exports, 1);
});

test.serial('a PKCS #8 client key is parsed once for the RSA size check, whatever certificate it goes with', async (t) => {
  const pki = await pkiFor();
  const key = pki.certs.get('admin')!.certKey.keyObject.export({ type: 'pkcs8', format: 'pem' }) as string;
  const real = crypto.createPrivateKey;
  let parsed = 0;
  crypto.createPrivateKey = ((input: Parameters<typeof real>[0]) => {
    if (input === key) parsed++;
    return real(input);
  }) as typeof real;
  syncBuiltinESMExports();
  t.teardown(() => {
    crypto.createPrivateKey = real;
    syncBuiltinESMExports();
  });
  // Two certificates (and so two contexts) for the one key: a key-mismatch TLS error is node's, not this test's.
  for (const id of ['admin', 'super-admin']) {
    try {
      clientContext({ port: 1, certPem: pki.certs.get(id)!.cert.pem, keyPem: key, verify: null });
    } catch {
      // super-admin's certificate is not the key's: node refuses the context after the check ran
    }
  }
  t.is(parsed, 1);
});
