import { createPrivateKey } from 'node:crypto';
import { connect, createSecureContext, DEFAULT_CIPHERS, type SecureContext, type TLSSocket } from 'node:tls';
import type { IssuedCert } from '../pki/issue.js';
import type { ClientSeat } from '../tls/connection-ledger.js';
import { BoundedCache } from '../util/bounded-cache.js';
import { isIP } from '../util/ip.js';
import { peerChain } from '../tls/peer-chain.js';
import { goVerify, type GoVerification } from '../x509/go-verify.js';

/**
 * Why the client hung up after the handshake: Go's verification refused the server's certificate
 * (`verification` carries its facts), the server sent none, or one the client could not parse.
 */
export interface ClientRefusal {
  reason: GoVerification['reason'] | 'HANDSHAKE_FAILED';
  error: string;
  verification?: GoVerification;
}

/** How a client checks the server's certificate: Go's rules (crypto/tls, crypto/x509) against its roots. */
export interface ServerCheck {
  roots: readonly IssuedCert[];
  /** The name checked against the certificate's SANs. */
  host: string;
  /** The time the certificate is checked at (the cluster clock), read when the handshake completes. */
  now: () => Date;
}

/** A client's TLS side of one connection: what it presents and how it judges the server. */
export interface TransportOptions {
  port: number;
  /** The host the client dialled: sent as SNI when it is a name (Go sends no SNI for IP literals). */
  servername?: string;
  certPem?: string;
  keyPem?: string;
  minVersion?: 'TLSv1.2' | 'TLSv1.3';
  maxVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** Go's check of the server; `null` for a client that checks nothing (insecure-skip-tls-verify, the anonymous probe). */
  verify: ServerCheck | null;
  /** What the server sends, as configured (see peer-chain.ts). */
  serverSends?: readonly IssuedCert[] | undefined;
  /** The cluster's ledger, when the server runs in this process: the client tells it what it sends and, with `keep`, that it will read the server's record. */
  ledger?: ClientSeat | undefined;
  /** What the client's certificate file holds, parsed (announced to the server through the ledger). */
  sends?: (() => readonly IssuedCert[] | undefined) | undefined;
  keep?: boolean;
}

/** What the client saw of the TLS handshake, filled in as it happens. */
export interface TlsObservation {
  localPort: number | undefined;
  /** Certificates the server sent (empty if the handshake never completed). */
  serverChain: IssuedCert[];
  /** Set when the client's own check of the server certificate refused it; the client then hangs up. */
  clientRefused?: ClientRefusal;
  /** A node:tls / socket error the client saw. */
  error?: { code: string; message: string };
  handshakeMs?: number;
}

/** The TLS leg of a connection: the socket, what was seen on it, and whether HTTP may go over it. */
export interface TlsLeg {
  socket: TLSSocket;
  seen: TlsObservation;
  /**
   * Settles once the TLS outcome is known: `ok` when the handshake completed and the server passed
   * the client's check (the request may go), else the connection is over (`error`: what ended it).
   */
  secured: Promise<{ ok: true } | { ok: false; error?: Error }>;
}

/**
 * Opens one TLS connection to 127.0.0.1 as a Kubernetes client would, before any HTTP: node:tls's
 * own verification is off on purpose (`rejectUnauthorized: false`); the server's chain is checked
 * here, once, with Go's rules, and a refusal closes the connection before any request (and token)
 * is written, as Go fails inside the handshake. No session is resumed (client-go sets no
 * ClientSessionCache). Throws the TLS library's error when the client's certificate or key is refused (see clientContext).
 */
export function openTls(options: TransportOptions): TlsLeg {
  const started = performance.now();
  const socket = connect({
    host: '127.0.0.1', port: options.port,
    ...(options.servername && isIP(options.servername) === 0 ? { servername: options.servername } : {}),
    secureContext: clientContext(options),
    rejectUnauthorized: false,
    checkServerIdentity: () => undefined,
  });
  const seen: TlsObservation = { localPort: undefined, serverChain: [] };
  let lastError: Error | undefined;
  const secured = new Promise<{ ok: true } | { ok: false; error?: Error }>((resolve) => {
    socket.once('connect', () => {
      seen.localPort = socket.localPort;
      if (seen.localPort !== undefined) announce(options, { serverPort: options.port, clientPort: seen.localPort });
    });
    socket.once('secureConnect', () => {
      seen.handshakeMs = performance.now() - started;
      const refusal = checkServer(socket, seen, options);
      if (!refusal) return resolve({ ok: true });
      seen.clientRefused = refusal;
      socket.destroy();
      resolve({ ok: false });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      lastError ??= error;
      seen.error ??= { code: error.code ?? 'UNKNOWN', message: error.message };
    });
    socket.once('close', () => resolve(lastError ? { ok: false, error: lastError } : { ok: false }));
  });
  socket.on('end', () => socket.end());
  return { socket, seen, secured };
}

/** The client's own check of the server, right after the handshake: Go's verification, or a refusal it cannot even read. */
function checkServer(socket: TLSSocket, seen: TlsObservation, options: TransportOptions): ClientRefusal | null {
  try {
    seen.serverChain = peerChain(socket, options.serverSends);
  } catch (error) {
    // A certificate the verifier cannot even read: the client hangs up, as Go's handshake would fail.
    return { reason: 'HANDSHAKE_FAILED', error: `tls: failed to parse certificate from server: ${(error as Error).message}` };
  }
  const chain = seen.serverChain;
  if (!chain[0]) return { reason: 'UNKNOWN_AUTHORITY', error: 'the server sent no certificate' };
  if (!options.verify) return null;
  const { roots, host, now } = options.verify;
  const result = goVerify(chain[0], { roots, intermediates: chain.slice(1), now: now(), keyUsages: ['serverAuth'], host });
  return result.ok ? null : { reason: result.reason, error: result.error, verification: result };
}

function announce(options: TransportOptions, key: { serverPort: number; clientPort: number }): void {
  const ledger = options.ledger;
  if (!ledger) return;
  if (options.keep) ledger.keep(key);
  if (!options.sends) return;
  // Only a shortcut for the server: a certificate that does not parse here is left for it to read off the wire.
  let sent: readonly IssuedCert[] | undefined;
  try {
    sent = options.sends();
  } catch {
    sent = undefined;
  }
  if (sent) ledger.announce(key, sent);
}

/**
 * A client identity's TLS context, built once for every client of the process: parsing its PEM for
 * every connection costs more than the handshake itself. Keyed by what goes into it; bounded.
 */
const contexts = new BoundedCache<string, SecureContext>(256);
/**
 * An RSA key's modulus size by its PEM (0: not RSA, or not a key), for the check below: components
 * hand node:tls their keys as PKCS #8, whose label does not say the type, and the same key comes
 * back with every other certificate (a context is per certificate and key).
 */
const rsaModulusBits = new BoundedCache<string, number>(1024);

export function clientContext(options: TransportOptions): SecureContext {
  const key = `${options.certPem ?? ''}\u0000${options.keyPem ?? ''}\u0000${options.minVersion ?? ''}\u0000${options.maxVersion ?? ''}`;
  return contexts.getOrCreate(key, () => {
    if (options.keyPem) refuseKeyGoCannotSignWith(options.keyPem, options.maxVersion);
    return createSecureContext({
      // OpenSSL's security level 0: a client certificate signed with SHA-1 or MD5 loads as Go loads
      // it, and the server (Go's rules) decides, not the loader.
      ciphers: `${DEFAULT_CIPHERS}:@SECLEVEL=0`,
      ...(options.certPem && options.keyPem ? { cert: options.certPem, key: options.keyPem } : {}),
      ...(options.minVersion ? { minVersion: options.minVersion } : {}),
      ...(options.maxVersion ? { maxVersion: options.maxVersion } : {}),
    });
  });
}

/**
 * Go's client fails its own handshake when its RSA key is too small for every signature scheme of
 * the version (crypto/tls auth.go: RSA-PSS with SHA-256 needs a modulus of 2*32+2 bytes, and TLS 1.3
 * has nothing else), before any request; at security level 0 OpenSSL would instead send no
 * certificate and the request would go out anonymous. PKCS #1 v1.5 (TLS 1.2 only) needs 19+32+11 bytes.
 */
function refuseKeyGoCannotSignWith(keyPem: string, maxVersion: TransportOptions['maxVersion']): void {
  // The TLS library loads the first key block: a SEC1 `EC PRIVATE KEY` is never RSA, and parsing it a second time
  // (for every kubelet of a join storm) only to learn that cost more than the check.
  if (/-----BEGIN ([A-Z0-9 ]+)-----/.exec(keyPem)?.[1] === 'EC PRIVATE KEY') return;
  const modulusBits = rsaModulusBits.getOrCreate(keyPem, () => {
    try {
      const key = createPrivateKey(keyPem);
      return key.asymmetricKeyType === 'rsa' ? key.asymmetricKeyDetails?.modulusLength ?? 0 : 0;
    } catch {
      return 0; // the TLS library's own refusal of the key follows
    }
  });
  if (modulusBits === 0) return;
  const minimumBytes = maxVersion === 'TLSv1.2' ? 19 + 32 + 11 : 2 * 32 + 2;
  if (Math.ceil(modulusBits / 8) >= minimumBytes) return;
  throw Object.assign(new Error('tls: certificate RSA key size too small for supported signature algorithms'), { code: 'ERR_TLS_RSA_KEY_TOO_SMALL' });
}
