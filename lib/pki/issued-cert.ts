/**
 * A certificate as the simulation holds it once issued or read: its DER and the parsed views made on
 * first use (node:crypto's, @peculiar/x509's), and the cache that parses each distinct certificate
 * once. Kept apart from issue.ts, which assembles and signs certificates: reading a peer's
 * certificate from a handshake or a kubeconfig needs this view and none of the signing code.
 */
import { createHash, X509Certificate as NodeX509 } from 'node:crypto';
import type * as X509Lib from '@peculiar/x509';
import { authorityKeyIdHex, keyUsageBits, subjectKeyIdHex } from './der-extensions.js';
import { derElements } from './der.js';
import { BoundedCache } from '../util/bounded-cache.js';
import { lazyRequire } from '../util/lazy.js';

/**
 * A certificate: its DER, and views made on first use — node:crypto's (OpenSSL semantics:
 * `checkIssued`, `checkHost`, `verify`, `checkPrivateKey`) and @peculiar/x509's (key usage bits,
 * subject fields as arrays, extensions). Most certificates of a simulated cluster are only ever
 * handed to node:tls as PEM, so nothing is parsed before it is asked for.
 */
/**
 * @peculiar/x509's view of a certificate, typed here by what it offers rather than by that library's
 * own declarations: those need the DOM lib (`BufferSource`), and a package's public types must
 * compile without it. Everything else of that view is there at run time:
 * `cert.parsed as unknown as import('@peculiar/x509').X509Certificate` for the full type.
 */
export interface ParsedCertificate {
  readonly subject: string;
  readonly issuer: string;
  /** Hex. */
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly extensions: readonly { readonly type: string; readonly critical: boolean }[];
  toString(format?: 'pem' | 'text' | 'hex' | 'base64' | 'base64url'): string;
}

export class IssuedCert {
  readonly der: Buffer;
  #pem?: string;
  #node?: NodeX509;
  #parsed?: ParsedCertificate;
  #fingerprint?: string;
  #subjectNameDer?: Buffer;
  #subjectKeyId?: ArrayBuffer | null;
  // Read from the DER once: every dial's chain building asks them again of the same certificates.
  #subjectKeyIdHex?: string;
  #authorityKeyIdHex?: string;
  #keyUsageBits?: { bits: number | undefined };

  constructor(der: Buffer, known: { subjectNameDer?: Buffer; subjectKeyId?: ArrayBuffer | null; node?: NodeX509 } = {}) {
    this.der = der;
    if (known.node) this.#node = known.node;
    if (known.subjectNameDer) this.#subjectNameDer = known.subjectNameDer;
    if (known.subjectKeyId !== undefined) this.#subjectKeyId = known.subjectKeyId;
  }

  /** PEM with a trailing newline. */
  get pem(): string {
    return (this.#pem ??= toPem('CERTIFICATE', this.der));
  }
  get node(): NodeX509 {
    return (this.#node ??= new NodeX509(this.der));
  }
  /** @peculiar/x509's view (extensions as objects), loaded on first use: the library itself reads certificates without it. */
  get parsed(): ParsedCertificate {
    return (this.#parsed ??= new (peculiarX509().X509Certificate)(new Uint8Array(this.der)) as ParsedCertificate);
  }
  /** SHA-256 of the DER, hex. */
  get fingerprint(): string {
    return (this.#fingerprint ??= createHash('sha256').update(this.der).digest('hex'));
  }
  /** The subject encoded, as it goes into the issuer field of what this certificate signs. */
  get subjectNameDer(): Buffer {
    // The bytes as this certificate holds them (Go copies the parent's RawSubject): TBSCertificate's
    // subject, the sixth field, or the fifth when the optional [0] version is absent (a v1 certificate).
    if (!this.#subjectNameDer) {
      const tbs = derElements(derElements(this.der)[0]!);
      this.#subjectNameDer = Buffer.from(tbs[tbs[0]![0] === 0xa0 ? 5 : 4]!);
    }
    return this.#subjectNameDer;
  }
  get subjectKeyId(): ArrayBuffer | null {
    if (this.#subjectKeyId === undefined) {
      const ski = subjectKeyIdHex(this.der);
      this.#subjectKeyId = ski ? new Uint8Array(Buffer.from(ski, 'hex')).buffer : null;
    }
    return this.#subjectKeyId;
  }
  /** Hex key identifiers ('' when absent). */
  get subjectKeyIdHex(): string {
    return (this.#subjectKeyIdHex ??= subjectKeyIdHex(this.der) ?? '');
  }
  get authorityKeyIdHex(): string {
    return (this.#authorityKeyIdHex ??= authorityKeyIdHex(this.der) ?? '');
  }
  /** KeyUsage bits (RFC 5280 order), undefined when the extension is absent. */
  get keyUsageBits(): number | undefined {
    return (this.#keyUsageBits ??= { bits: keyUsageBits(this.der) }).bits;
  }
  get notBefore(): Date {
    return new Date(this.node.validFrom);
  }
}

// @peculiar/x509 (and the Reflect polyfill its schemas need) only when a certificate's `parsed` view is asked for.
const reflectMetadata = lazyRequire<unknown>('reflect-metadata', () => require('reflect-metadata'));
const x509Lib = lazyRequire<typeof X509Lib>('@peculiar/x509', () => require('@peculiar/x509'));
function peculiarX509(): typeof X509Lib {
  reflectMetadata();
  return x509Lib();
}

/**
 * Certificates read from files, kubeconfigs and handshakes recur (every client sees the same
 * serving certificate): parsed once, by their bytes. Bounded, oldest dropped first.
 */
const parsedByDer = new BoundedCache<string, IssuedCert>(2048);

/**
 * Wraps DER bytes read from a file, a kubeconfig or a handshake; a malformed certificate fails here,
 * and so does one whose public key does not decode (OpenSSL parses the envelope and decodes the key
 * only when asked; Go's x509.ParseCertificate refuses both at once).
 */
export function fromDer(der: Buffer): IssuedCert {
  return parsedByDer.getOrCreate(der.toString('base64'), () => {
    const cert = new IssuedCert(Buffer.from(der));
    void cert.node; // parse now, so a malformed certificate fails where it is read
    try {
      void cert.node.publicKey;
    } catch (cause) {
      throw new PublicKeyDecodeError(cert.der, cause);
    }
    // Node parses a certificate whose UTCTime/GeneralizedTime is malformed and reports the date as
    // "Bad time value"; Go's x509.ParseCertificate refuses it ("x509: malformed UTCTime" / "GeneralizedTime").
    for (const [field, value] of [['notBefore', cert.node.validFrom], ['notAfter', cert.node.validTo]] as const) {
      if (Number.isNaN(Date.parse(value))) throw new Error(`its ${field} time does not parse (${value})`);
    }
    return cert;
  });
}

/** A certificate that parses but whose SubjectPublicKeyInfo does not decode; `goMessage` is Go's parser's error for that key type. */
export class PublicKeyDecodeError extends Error {
  readonly goMessage: string;
  constructor(der: Buffer, cause: unknown) {
    super(`its public key does not decode (${(cause as Error).message})`, { cause });
    this.name = 'PublicKeyDecodeError';
    this.goMessage = goPublicKeyError(der);
  }
}

// crypto/x509/parser.go's parsePublicKey errors, by the key's algorithm OID (DER content bytes).
const GO_PUBLIC_KEY_ERRORS: Record<string, string> = {
  '2a8648ce3d0201': 'x509: failed to unmarshal elliptic curve point', // id-ecPublicKey
  '2a864886f70d010101': 'x509: invalid RSA public key', // rsaEncryption
  '2b6570': 'x509: wrong Ed25519 public key size', // id-Ed25519
};

function goPublicKeyError(der: Buffer): string {
  try {
    const tbs = derElements(derElements(der)[0]!);
    const spki = tbs[tbs[0]![0] === 0xa0 ? 6 : 5]!;
    const oid = derElements(derElements(spki)[0]!)[0]!;
    return GO_PUBLIC_KEY_ERRORS[oid.subarray(2).toString('hex')] ?? 'x509: malformed certificate';
  } catch {
    return 'x509: malformed certificate';
  }
}

/** Wraps a certificate node:tls already parsed (a peer's, from a handshake): by its bytes, as `fromDer`, without parsing it again. */
export function fromX509(node: NodeX509, der: Buffer = node.raw): IssuedCert {
  return parsedByDer.getOrCreate(der.toString('base64'), () => new IssuedCert(Buffer.from(der), { node }));
}

export function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
