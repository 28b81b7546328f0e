import { connect, createSecureContext, type SecureContext, type TLSSocket } from 'node:tls';
import { isIP } from 'node:net';
import type { IssuedCert } from '../pki/issue.js';
import { BoundedCache } from '../util/bounded-cache.js';
import { peerChain } from '../tls/peer-chain.js';
import type { GoVerification } from '../x509/go-verify.js';

/**
 * Why the client hung up after the handshake: Go's verification refused the server's certificate
 * (`verification` carries its facts), the server sent none, or one the client could not parse.
 */
export interface ClientRefusal {
  reason: GoVerification['reason'] | 'HANDSHAKE_FAILED';
  error: string;
  verification?: GoVerification;
}

/** What happened on the wire, from the client's seat. */
export interface WireOutcome {
  localPort: number | undefined;
  /** Certificates the server sent (empty if the handshake never completed). */
  serverChain: IssuedCert[];
  /** Set when the client's own check of the server certificate refused it; the client then hangs up. */
  clientRefused?: ClientRefusal;
  /** A node:tls / socket error the client saw. */
  error?: { code: string; message: string };
  /** The client's certificate or key was refused by the TLS library before any connection was made. */
  contextError?: { code: string; message: string };
  response?: { status: number; headers: Record<string, string>; body: string };
  handshakeMs?: number;
  aborted?: boolean;
}

export interface ExchangeOptions {
  port: number;
  /** The host the client dialled: sent as SNI when it is a name (Go sends no SNI for IP literals). */
  servername?: string;
  certPem?: string;
  keyPem?: string;
  minVersion?: 'TLSv1.2' | 'TLSv1.3';
  maxVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** Judges the server's chain right after the handshake; a refusal closes the connection before any request. */
  checkServer: (chain: IssuedCert[]) => ClientRefusal | null;
  /** What the server sends, as configured (see peer-chain.ts). */
  serverSends?: readonly IssuedCert[];
  /** Called once TCP is connected, before the handshake completes. */
  onConnect?: (localPort: number) => void;
  request: { method: string; path: string; host: string; headers?: Record<string, string>; body?: string };
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * One real TLS connection to 127.0.0.1 and one HTTP/1.1 request over it. Never throws for a TLS or
 * HTTP outcome: everything the client observed comes back in the result. node:tls's own
 * verification is off on purpose (`rejectUnauthorized: false`): the client's check runs in
 * `checkServer` with Go's rules at the cluster clock.
 */
export function exchange(options: ExchangeOptions): Promise<WireOutcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    const outcome: WireOutcome = { localPort: undefined, serverChain: [] };
    let settled = false;
    let socket: TLSSocket | undefined;
    let context: SecureContext;
    try {
      context = clientContext(options);
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      resolve({ ...outcome, contextError: { code: e.code ?? 'UNKNOWN', message: e.message } });
      return;
    }
    const chunks: Buffer[] = [];
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (!outcome.clientRefused && chunks.length > 0) {
        const parsed = parseResponse(Buffer.concat(chunks));
        if (parsed) outcome.response = parsed;
      }
      socket?.destroy();
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
    if (options.signal?.aborted) {
      outcome.aborted = true;
      // still create and destroy nothing: resolve right away
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
      return;
    }
    options.signal?.addEventListener('abort', onAbort);
    try {
      socket = connect({
        host: '127.0.0.1', port: options.port,
        ...(options.servername && isIP(options.servername) === 0 ? { servername: options.servername } : {}),
        secureContext: context,
        rejectUnauthorized: false,
        checkServerIdentity: () => undefined,
      });
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      outcome.error = { code: e.code ?? 'UNKNOWN', message: e.message };
      finish();
      return;
    }
    const tls = socket;
    tls.once('connect', () => {
      outcome.localPort = tls.localPort;
      if (outcome.localPort !== undefined) options.onConnect?.(outcome.localPort);
    });
    tls.once('secureConnect', () => {
      outcome.handshakeMs = performance.now() - started;
      let refusal: ClientRefusal | null;
      try {
        outcome.serverChain = peerChain(tls, options.serverSends);
        refusal = outcome.serverChain[0] ? options.checkServer(outcome.serverChain) : { reason: 'UNKNOWN_AUTHORITY', error: 'the server sent no certificate' };
      } catch (error) {
        // A certificate the verifier cannot even read: the client hangs up, as Go's handshake would fail.
        refusal = { reason: 'HANDSHAKE_FAILED', error: `tls: failed to parse certificate from server: ${(error as Error).message}` };
      }
      if (refusal) {
        outcome.clientRefused = refusal;
        finish();
        return;
      }
      const { method, path, host, headers = {}, body } = options.request;
      const lines = [`${method} ${path} HTTP/1.1`, `Host: ${host}`, 'Connection: close', 'Accept: application/json, */*', 'User-Agent: kube-mtls-sim'];
      for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
      if (body !== undefined) lines.push('Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`);
      tls.write(`${lines.join('\r\n')}\r\n\r\n${body ?? ''}`);
    });
    tls.on('data', (chunk: Buffer) => chunks.push(chunk));
    tls.on('error', (error: NodeJS.ErrnoException) => {
      outcome.error ??= { code: error.code ?? 'UNKNOWN', message: error.message };
    });
    tls.on('close', finish);
    tls.on('end', () => tls.end());
  });
}

/**
 * A client identity's TLS context, built once: parsing its PEM for every connection costs more
 * than the handshake itself. Keyed by what goes into it; bounded.
 */
const contexts = new BoundedCache<string, SecureContext>(256);

function clientContext(options: ExchangeOptions): SecureContext {
  const key = `${options.certPem ?? ''}\u0000${options.keyPem ?? ''}\u0000${options.minVersion ?? ''}\u0000${options.maxVersion ?? ''}`;
  return contexts.getOrCreate(key, () => createSecureContext({
    ...(options.certPem && options.keyPem ? { cert: options.certPem, key: options.keyPem } : {}),
    ...(options.minVersion ? { minVersion: options.minVersion } : {}),
    ...(options.maxVersion ? { maxVersion: options.maxVersion } : {}),
  }));
}

function parseResponse(raw: Buffer): WireOutcome['response'] | undefined {
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) return undefined;
  const head = raw.subarray(0, split).toString('latin1').split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '');
  if (!status) return undefined;
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  let body = raw.subarray(split + 4);
  if (headers['transfer-encoding'] === 'chunked') body = dechunk(body);
  return { status: Number(status[1]), headers, body: body.toString('utf8') };
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < body.length) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = parseInt(body.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!size) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
