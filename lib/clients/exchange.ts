import { request as httpRequest, type IncomingMessage } from 'node:http';
import { clientContext, openTls, type TlsLeg, type TlsObservation, type TransportOptions } from './transport.js';

export type { ClientRefusal } from './transport.js';

/** What happened on the wire, from the client's seat. */
export interface WireOutcome extends TlsObservation {
  /** The client's certificate or key was refused by the TLS library before any connection was made. */
  contextError?: { code: string; message: string };
  response?: { status: number; headers: Record<string, string>; body: string };
  aborted?: boolean;
}

export interface ExchangeOptions extends TransportOptions {
  request: { method: string; path: string; host: string; headers?: Record<string, string>; body?: string };
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * One real TLS connection to 127.0.0.1 and one HTTP/1.1 request over it, with node:http's own
 * client and parser over the TLS socket opened (and judged) by transport.ts. Never throws for a
 * TLS or HTTP outcome: everything the client observed comes back in the result.
 */
export function exchange(options: ExchangeOptions): Promise<WireOutcome> {
  return new Promise((resolve) => {
    let leg: TlsLeg;
    try {
      clientContext(options);
    } catch (error) {
      resolve({ localPort: undefined, serverChain: [], contextError: errorOf(error) });
      return;
    }
    if (options.signal?.aborted) {
      resolve({ localPort: undefined, serverChain: [], aborted: true });
      return;
    }
    try {
      leg = openTls(options);
    } catch (error) {
      resolve({ localPort: undefined, serverChain: [], error: errorOf(error) });
      return;
    }
    const outcome: WireOutcome = leg.seen;
    let settled = false;
    let answer: { res: IncomingMessage; chunks: Buffer[] } | undefined;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (answer && !outcome.clientRefused) outcome.response = responseOf(answer.res, answer.chunks);
      leg.socket.destroy();
      resolve(outcome);
    };
    const onAbort = () => {
      outcome.aborted = true;
      finish();
    };
    const timer = setTimeout(() => {
      outcome.error ??= { code: 'ETIMEDOUT', message: `no answer within ${options.timeoutMs} ms` };
      finish();
    }, options.timeoutMs);
    options.signal?.addEventListener('abort', onAbort);
    void leg.secured.then((secured) => {
      if (!secured.ok || settled) {
        finish();
        return;
      }
      // Done once the connection is closed and the answer, if one came, is read to its end (or cut short).
      let waiting = 1;
      const done = () => {
        if (--waiting === 0) finish();
      };
      const req = send(leg, options.request);
      req.on('response', (res: IncomingMessage) => {
        waiting++;
        answer = { res, chunks: [] };
        res.on('data', (chunk: Buffer) => answer!.chunks.push(chunk));
        // A body cut short by the server closing is kept as far as it came, as seen.
        res.on('error', () => undefined);
        res.on('close', done);
      });
      // Socket errors are recorded by the transport; an answer that never came is an outcome, not an error.
      req.on('error', () => undefined);
      req.on('close', done);
    });
  });
}

/** The request, written by node:http over the TLS socket already judged. */
function send(leg: TlsLeg, request: ExchangeOptions['request']) {
  const { method, path, host, headers = {}, body } = request;
  const req = httpRequest({
    method, path,
    createConnection: () => leg.socket,
    headers: {
      Host: host, Connection: 'close', Accept: 'application/json, */*', 'User-Agent': 'kube-mtls-sim', ...headers,
      ...(body !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } : {}),
    },
  });
  req.end(body);
  return req;
}

/** The answer as the client read it: header names in lower case (the last of repeated ones), the body as far as it came. */
function responseOf(res: IncomingMessage, chunks: Buffer[]): NonNullable<WireOutcome['response']> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headers[res.rawHeaders[i]!.toLowerCase()] = res.rawHeaders[i + 1]!;
  return { status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') };
}

function errorOf(error: unknown): { code: string; message: string } {
  const e = error as NodeJS.ErrnoException;
  return { code: e.code ?? 'UNKNOWN', message: e.message };
}
