import test from 'ava';
import tls, { connect } from 'node:tls';
import { TlsEndpoint, type ConnectionRecord } from '../lib/endpoints/tls-endpoint.js';
import { ConnectionLedger } from '../lib/tls/connection-ledger.js';
import { pkiFor } from './helpers/pki.js';

/** One HTTP request over a fresh TLS connection; resolves with the client's local port once the client side has closed. */
function requestOnce(port: number, onConnect?: (localPort: number) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false });
    let local = 0;
    socket.once('connect', () => {
      local = socket.localPort!;
      onConnect?.(local);
    });
    socket.once('secureConnect', () => socket.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
    socket.on('data', () => undefined);
    socket.on('error', reject);
    socket.on('close', () => resolve(local));
  });
}

test('a connection nobody dialled leaves no record behind; a dial\'s record waits for the dialler', async (t) => {
  const pki = await pkiFor();
  // The server side of each connection, closed: records are dropped (or kept) on that event.
  const serverClosed: Array<Promise<unknown>> = [];
  const apiserver = pki.certs.get('apiserver')!;
  const ledger = new ConnectionLedger<ConnectionRecord>();
  const endpoint = new TlsEndpoint({
    name: 'test', ledger, certPem: apiserver.cert.pem, keyPem: apiserver.key.pem, chain: [apiserver.cert], requestCert: false,
    handle: (req, res) => {
      serverClosed.push(new Promise((resolve) => req.socket.once('close', resolve)));
      res.end('ok');
    },
  });
  const port = await endpoint.listen();
  t.teardown(() => endpoint.close());
  const stranger = await requestOnce(port);
  await serverClosed[0];
  t.is(ledger.take({ serverPort: port, clientPort: stranger }), undefined, 'a connection like a kubelet\'s or kubectl\'s: its record went with it');
  const dialled = await requestOnce(port, (local) => ledger.keep({ serverPort: port, clientPort: local }));
  await serverClosed[1];
  const record = ledger.take({ serverPort: port, clientPort: dialled });
  t.truthy(record, 'a dial\'s record is there after the connection closed');
  t.is(record?.remotePort, dialled);
  t.false('socket' in record!, 'and it no longer holds the closed socket');
  t.is(ledger.take({ serverPort: port, clientPort: dialled }), undefined, 'taken once');
});

// issue 14: two in three of a cluster's servers are never dialled in the scenario catalogue, and
// loading a TLS context (key, certificates, CA names) is OpenSSL's 1-3 ms: it waits for a client.
test.serial('a server loads its TLS context at its first connection, and only once', async (t) => {
  const pki = await pkiFor();
  const apiserver = pki.certs.get('apiserver')!;
  const real = tls.createSecureContext;
  let loaded = 0;
  tls.createSecureContext = (options) => {
    if (options?.key === apiserver.key.pem) loaded++; // the server's: the test's clients send no certificate
    return real(options);
  };
  t.teardown(() => {
    tls.createSecureContext = real;
  });
  const endpoint = new TlsEndpoint({
    name: 'test', certPem: apiserver.cert.pem, keyPem: apiserver.key.pem, caPem: pki.certs.get('ca')!.cert.pem, requestCert: true, handle: (_req, res) => res.end('ok'),
  });
  const port = await endpoint.listen();
  t.teardown(() => endpoint.close());
  t.is(loaded, 0, 'listening loads nothing');
  await requestOnce(port);
  await requestOnce(port);
  t.is(loaded, 1, 'the first connection loads it, the next ones share it');
});

test.serial('a context node cannot load fails the connection with node\'s error, not the process', async (t) => {
  const pki = await pkiFor();
  const ledger = new ConnectionLedger<ConnectionRecord>();
  // Components check their key against their certificate before they start; the endpoint below them does not.
  const endpoint = new TlsEndpoint({
    name: 'test', ledger, certPem: pki.certs.get('apiserver')!.cert.pem, keyPem: pki.certs.get('etcd-server')!.key.pem, requestCert: false, handle: (_req, res) => res.end('ok'),
  });
  const port = await endpoint.listen();
  t.teardown(() => endpoint.close());
  const client = await new Promise<{ local: number; error: string }>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false });
    let local = 0;
    socket.once('connect', () => {
      local = socket.localPort!;
      ledger.keep({ serverPort: port, clientPort: local });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve({ local, error: error.code ?? error.message }));
    socket.once('secureConnect', () => resolve({ local, error: 'none' }));
  });
  t.not(client.error, 'none');
  const record = ledger.take({ serverPort: port, clientPort: client.local });
  t.regex(record?.tlsError?.message ?? '', /key values mismatch/);
});
