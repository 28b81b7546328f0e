import test, { type ExecutionContext } from 'ava';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiClient } from '../lib/clients/api-client.js';
import { exchange } from '../lib/clients/exchange.js';
import { ConnectionLedger } from '../lib/tls/connection-ledger.js';
import { clock, pkiFor } from './helpers/pki.js';

/** A bare HTTPS server with the apiserver's certificate; counts the connections and requests it saw. */
async function server(t: ExecutionContext, handle: (req: IncomingMessage, res: ServerResponse) => void) {
  const pki = await pkiFor();
  const serving = pki.certs.get('apiserver')!;
  const seen = { connections: 0, requests: [] as Array<{ path: string; authorization?: string }> };
  const https: Server = createServer({ cert: serving.cert.pem, key: serving.key.pem }, (req, res) => {
    seen.requests.push({ path: req.url ?? '', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    handle(req, res);
  });
  https.on('secureConnection', () => seen.connections++);
  await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => {
    https.closeAllConnections();
    https.close(() => resolve());
  }));
  return { port: (https.address() as AddressInfo).port, seen, ca: pki.certs.get('ca')!.cert, wrongCa: pki.certs.get('etcd-ca')!.cert, chain: [serving.cert] };
}

test('the wire client reads a chunked answer with node:http\'s parser: status, lower-case headers, the whole body', async (t) => {
  const { port, ca } = await server(t, (_req, res) => {
    res.setHeader('X-Kind', 'Status');
    res.write('{"kind":');
    res.end('"Status"}');
  });
  const wire = await exchange({
    port, servername: 'kubernetes', verify: { roots: [ca], host: 'kubernetes', now: () => clock.now() },
    request: { method: 'GET', path: '/version', host: `kubernetes:${port}` }, timeoutMs: 10_000,
  });
  t.is(wire.error, undefined);
  t.is(wire.response?.status, 200);
  t.is(wire.response?.headers['transfer-encoding'], 'chunked', 'the answer really was chunked');
  t.is(wire.response?.headers['x-kind'], 'Status');
  t.is(wire.response?.body, '{"kind":"Status"}');
  t.is(wire.serverChain[0]?.node.subject, 'CN=kube-apiserver');
});

test('a server that fails Go\'s check never gets the request, nor the token: the dial records the refusal', async (t) => {
  const { port, seen, wrongCa } = await server(t, (_req, res) => res.end('{}'));
  const wire = await exchange({
    port, servername: 'kubernetes', verify: { roots: [wrongCa], host: 'kubernetes', now: () => clock.now() },
    request: { method: 'GET', path: '/api', host: `kubernetes:${port}`, headers: { Authorization: 'Bearer secret' } }, timeoutMs: 10_000,
  });
  t.is(wire.clientRefused?.reason, 'UNKNOWN_AUTHORITY');
  t.is(wire.response, undefined);
  t.deepEqual(seen.requests, []);
});

test('the ApiClient refuses a server that fails Go\'s check before writing its token, and keeps one connection for many requests', async (t) => {
  const refusing = await server(t, (_req, res) => res.end('{}'));
  const refused = new ApiClient({ port: refusing.port, serverName: 'kubernetes', roots: [refusing.wrongCa], clock, token: 'secret' });
  t.teardown(() => refused.close());
  const error = await t.throwsAsync(refused.request('GET', '/api'));
  t.regex(error!.message, /^tls: failed to verify certificate: x509: certificate signed by unknown authority/);
  t.deepEqual(refusing.seen.requests, []);

  const { port, seen, ca, chain } = await server(t, (_req, res) => res.end('{"ok":true}'));
  const client = new ApiClient({ port, serverName: 'kubernetes', roots: [ca], clock, token: 'secret', serverSends: chain });
  t.teardown(() => client.close());
  const answers = [await client.request('GET', '/a'), await client.request('GET', '/b'), await client.request('POST', '/c', { x: 1 })];
  t.deepEqual(answers.map((a) => a.status), [200, 200, 200]);
  t.deepEqual(answers[2]!.json(), { ok: true });
  t.deepEqual(seen.requests.map((r) => r.path), ['/a', '/b', '/c']);
  t.true(seen.requests.every((r) => r.authorization === 'Bearer secret'));
  t.is(seen.connections, 1, 'one connection, kept alive for all three requests');
});

test('the ledger keeps connections from the same client port to two servers apart', (t) => {
  const ledger = new ConnectionLedger<{ server: string }>();
  const apiserver = { server: 'kube-apiserver' };
  const etcd = { server: 'etcd' };
  ledger.open({ serverPort: 6443, clientPort: 40_000 }, apiserver);
  ledger.open({ serverPort: 2379, clientPort: 40_000 }, etcd);
  ledger.keep({ serverPort: 2379, clientPort: 40_000 });
  ledger.closed({ serverPort: 6443, clientPort: 40_000 }, apiserver);
  ledger.closed({ serverPort: 2379, clientPort: 40_000 }, etcd);
  t.is(ledger.take({ serverPort: 6443, clientPort: 40_000 }), undefined, 'nobody kept it: gone with its connection');
  t.is(ledger.take({ serverPort: 2379, clientPort: 40_000 }), etcd, 'kept for the dialler, and the right one');
  t.is(ledger.take({ serverPort: 2379, clientPort: 40_000 }), undefined, 'taken once');
});
