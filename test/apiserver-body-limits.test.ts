import test, { type ExecutionContext } from 'ava';
import { connect, type TLSSocket } from 'node:tls';
import { CsrStore } from '../lib/csr/store.js';
import { MAX_REQUEST_BODY_BYTES, startApiServer, type ApiServerConfig } from '../lib/endpoints/apiserver.js';
import { EXCHANGE_LIMIT, type ConnectionRecord } from '../lib/endpoints/tls-endpoint.js';
import { ConnectionLedger } from '../lib/tls/connection-ledger.js';
import type { AuthorizationMode } from '../lib/authz/types.js';
import { clock, pkiFor } from './helpers/pki.js';

/**
 * Issue 9, item 7: what one client can make the fake kube-apiserver hold. A request body is read only
 * once authentication and authorization let the request through, and only up to k8s.io/apiserver's
 * MaxRequestBodyBytes (3 MiB), past which the answer is 413 RequestEntityTooLarge; a keep-alive
 * connection's record keeps a bounded number of exchanges.
 */

async function apiserver(t: ExecutionContext, modes: AuthorizationMode[] = ['Node', 'RBAC']) {
  const pki = await pkiFor();
  const serving = pki.certs.get('apiserver')!;
  const config: ApiServerConfig = {
    flags: {}, nodeName: 'control-plane', serviceAccountKeys: [], serviceAccountIssuers: [], bootstrapTokenAuth: false, anonymous: true, authorizationModes: modes,
    serving: { chain: [serving.cert], key: serving.key.keyObject, certPem: serving.cert.pem, keyPem: serving.key.pem, certFile: 'apiserver.crt', keyFile: 'apiserver.key' },
    clientCa: { certs: [pki.certs.get('ca')!.cert], file: 'ca.crt' },
  };
  const ledger = new ConnectionLedger<ConnectionRecord>();
  const endpoint = startApiServer(config, { clock, bootstrapTokens: [], csrs: new CsrStore(clock), nodes: new Set() }, ledger);
  const port = await endpoint.listen();
  t.teardown(() => endpoint.close());
  const admin = pki.certs.get('admin')!;
  return { endpoint, port, ledger, admin: { cert: admin.cert.pem, key: admin.key.pem } };
}

interface Streamed {
  status: number;
  /** The response head and body as received. */
  text: string;
  /** Body bytes the client had written when the answer came. */
  written: number;
}

/**
 * Sends a request head declaring `declared` body bytes (or chunked when undefined), then body bytes in
 * 64 KiB pieces until the server answers or `max` bytes are written: a server that waits for the whole
 * body never answers (the test times out).
 */
function stream(port: number, path: string, options: { declared?: number; max: number; identity?: { cert: string; key: string } }): Promise<Streamed> {
  return new Promise((resolve, reject) => {
    const socket: TLSSocket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...(options.identity ?? {}) });
    let received = '';
    let written = 0;
    let answered = false;
    const piece = Buffer.alloc(64 * 1024, 0x61);
    socket.on('data', (d: Buffer) => {
      received += d.toString('latin1');
      const head = /^HTTP\/1\.1 (\d{3})[^]*?\r\n\r\n/.exec(received);
      if (head && !answered) answered = true;
      if (head) {
        const length = Number(/content-length: (\d+)/i.exec(received)?.[1] ?? -1);
        if (received.length - head[0].length >= length) {
          resolve({ status: Number(head[1]), text: received, written });
          socket.destroy();
        }
      }
    });
    // A server that closes while the client still writes: the client sees a reset, which is expected here.
    socket.on('error', (error) => (answered ? undefined : reject(error)));
    socket.once('secureConnect', () => {
      const framing = options.declared === undefined ? 'Transfer-Encoding: chunked' : `Content-Length: ${options.declared}`;
      socket.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${framing}\r\n\r\n`);
      const pump = () => {
        while (!answered && !socket.destroyed && written < options.max) {
          const chunk = options.declared === undefined ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]) : piece;
          written += piece.length;
          if (!socket.write(chunk)) return void socket.once('drain', pump);
        }
      };
      pump();
    });
  });
}

const CSRS = '/apis/certificates.k8s.io/v1/certificatesigningrequests';
const bodyOf = (s: Streamed) => JSON.parse(s.text.slice(s.text.indexOf('\r\n\r\n') + 4)) as { code: number; reason: string; message: string };

test('an anonymous POST with a 400 MiB body is refused (403) before its body is read', async (t) => {
  const { port } = await apiserver(t);
  const answer = await stream(port, CSRS, { declared: 400 * 1024 * 1024, max: 64 * 1024 });
  t.is(answer.status, 403, answer.text);
  t.like(bodyOf(answer), { code: 403, reason: 'Forbidden' });
  t.is(answer.written, 64 * 1024, 'answered with 64 KiB of the declared 400 MiB sent');
  t.regex(answer.text, /\r\nconnection: close\r\n/i, 'and the connection is closed, so the rest is never read');
});

test('an admitted request whose declared body is over 3 MiB gets 413 RequestEntityTooLarge at once', async (t) => {
  const { port, admin } = await apiserver(t);
  const answer = await stream(port, CSRS, { declared: 400 * 1024 * 1024, max: 64 * 1024, identity: admin });
  t.is(answer.status, 413, answer.text);
  t.deepEqual(bodyOf(answer), {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 413, reason: 'RequestEntityTooLarge', message: 'Request entity too large: limit is 3145728',
  } as unknown as ReturnType<typeof bodyOf>);
});

test('a chunked body streamed past 3 MiB is cut at the limit: 413 before the client is done', async (t) => {
  t.is(MAX_REQUEST_BODY_BYTES, 3 * 1024 * 1024);
  const { port, admin } = await apiserver(t);
  const max = 64 * 1024 * 1024;
  const answer = await stream(port, CSRS, { max, identity: admin });
  t.is(answer.status, 413, answer.text);
  t.is(bodyOf(answer).message, 'Request entity too large: limit is 3145728');
  t.true(answer.written < max, `the server answered after ${answer.written} bytes, without waiting for ${max}`);
});

test('a body of exactly 3 MiB is read and handled (no 413)', async (t) => {
  const { port, admin } = await apiserver(t);
  const padding = 'x'.repeat(MAX_REQUEST_BODY_BYTES - 200);
  let body = JSON.stringify({ apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name: 'big' }, padding });
  body += ' '.repeat(MAX_REQUEST_BODY_BYTES - Buffer.byteLength(body));
  t.is(Buffer.byteLength(body), MAX_REQUEST_BODY_BYTES);
  const answer = await new Promise<Streamed>((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...admin });
    let received = '';
    socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
    socket.on('end', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1]), text: received, written: body.length }));
    socket.on('error', reject);
    socket.once('secureConnect', () => socket.end(`POST ${CSRS} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`));
  });
  t.is(answer.status, 422, 'validated (no spec), not refused for its size');
});

test('a keep-alive connection\'s record keeps its first exchange and the latest ones, and counts them all', async (t) => {
  const { port, ledger, admin } = await apiserver(t);
  const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...admin });
  t.teardown(() => socket.destroy());
  await new Promise((resolve) => socket.once('secureConnect', resolve));
  const total = 200;
  let answers = 0;
  let buffered = '';
  const done = new Promise<void>((resolve) => socket.on('data', (d: Buffer) => {
    buffered += d.toString('latin1');
    // Each answer to GET /version is one small JSON object: count the heads.
    answers = buffered.split('HTTP/1.1 200').length - 1;
    if (answers === total) resolve();
  }));
  for (let i = 0; i < total; i++) socket.write(`GET /version?n=${i} HTTP/1.1\r\nHost: x\r\n\r\n`);
  await done;
  const record = ledger.take({ serverPort: port, clientPort: socket.localPort! });
  t.truthy(record);
  t.is(record!.requests, total);
  t.is(record!.exchanges.length, EXCHANGE_LIMIT);
  t.is(record!.exchanges[0]!.path, '/version?n=0', 'the first exchange (what a dial reads) is kept');
  t.is(record!.exchanges.at(-1)!.path, `/version?n=${total - 1}`, 'and the latest');
  t.is(record!.exchanges[1]!.path, `/version?n=${total - EXCHANGE_LIMIT + 1}`);
});
