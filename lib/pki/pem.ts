import { createPrivateKey, type KeyObject } from 'node:crypto';
import { KubeMtlsSimError, type ErrorCode } from '../errors.js';
import { fromDer, PublicKeyDecodeError, type IssuedCert } from './issue.js';
import { BoundedCache } from '../util/bounded-cache.js';

export interface PemBlock {
  label: string;
  der: Buffer;
  /** RFC 1421 headers (`Proc-Type`, `DEK-Info`) of legacy encrypted keys. */
  headers: Record<string, string>;
}

/** Where the bytes came from, for messages: a file path, or a kubeconfig field. */
export interface Source {
  file?: string;
  field?: string;
}

const GO = {
  certNoPem: 'tls: failed to find any PEM data in certificate input',
  certSwitched: 'tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched',
  keyNoPem: 'tls: failed to find any PEM data in key input',
  keySwitched: 'tls: found a certificate rather than a key in the PEM for the private key',
  keyParse: 'tls: failed to parse private key',
  mismatch: 'tls: private key does not match public key',
  typeMismatch: 'tls: private key type does not match public key type',
} as const;

function where(source: Source): string {
  if (source.file && source.field) return `${source.file}: \`${source.field}\``;
  return source.file ?? (source.field ? `\`${source.field}\`` : 'input');
}

function fail(code: ErrorCode, source: Source, message: string, goMessage?: string, cause?: unknown): never {
  throw new KubeMtlsSimError(code, `${where(source)}: ${message}`, {
    ...source, ...(goMessage ? { goMessage } : {}), ...(cause ? { cause } : {}),
  });
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g;

/**
 * Every PEM block in the input, strictly: an empty input, binary DER, a block that never ends,
 * a body that is not base64 or mismatched BEGIN/END labels are typed errors, not silent skips.
 */
export function parsePem(input: Buffer | string, source: Source, expected: 'certificate' | 'key' | 'any'): PemBlock[] {
  const buffer = typeof input === 'string' ? Buffer.from(input) : input;
  const goNoPem = expected === 'key' ? GO.keyNoPem : GO.certNoPem;
  if (buffer.length === 0 || buffer.toString('utf8').trim() === '') fail('ERR_PEM_EMPTY', source, 'is empty', goNoPem);
  if (looksLikeDer(buffer)) {
    fail('ERR_PEM_DER_INPUT', source, 'is binary DER, not PEM (convert it with `openssl x509 -inform der` or `openssl pkey -inform der`)', goNoPem);
  }
  const text = buffer.toString('utf8');
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(BLOCK)) {
    const [, begin, body = '', end] = match;
    if (begin !== end) fail('ERR_PEM_TRUNCATED', source, `PEM block "BEGIN ${begin}" ends with "END ${end}"`, goNoPem);
    const { headers, rest } = splitHeaders(body);
    const compact = rest.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0 || compact.length === 0) {
      fail('ERR_PEM_BAD_BASE64', source, `the body of the "${begin}" PEM block is not valid base64`, goNoPem);
    }
    blocks.push({ label: begin!, der: Buffer.from(compact, 'base64'), headers });
  }
  const begins = text.match(/-----BEGIN [A-Z0-9 ]+-----/g)?.length ?? 0;
  if (begins > blocks.length) fail('ERR_PEM_TRUNCATED', source, 'a PEM block starts but never ends (is the file cut short?)', goNoPem);
  if (blocks.length === 0) fail('ERR_PEM_NO_DATA', source, 'holds no PEM data', goNoPem);
  return blocks;
}

/** Binary DER: an ASN.1 SEQUENCE tag followed by bytes that are not text. */
function looksLikeDer(buffer: Buffer): boolean {
  if (buffer[0] !== 0x30 || buffer.includes('-----BEGIN')) return false;
  return buffer.subarray(0, 64).some((b) => b < 0x09 || (b > 0x0d && b < 0x20) || b > 0x7e);
}

/** Splits `Key: value` header lines (ended by a blank line) from a PEM body, as Go's pem.Decode does. */
function splitHeaders(body: string): { headers: Record<string, string>; rest: string } {
  const lines = body.split(/\r?\n/);
  const headers: Record<string, string> = {};
  let i = 0;
  while (i < lines.length && /^[A-Za-z-]+:/.test(lines[i]!)) {
    const line = lines[i]!;
    headers[line.slice(0, line.indexOf(':'))] = line.slice(line.indexOf(':') + 1).trim();
    i++;
  }
  if (i > 0 && lines[i]?.trim() === '') i++;
  return { headers, rest: lines.slice(i).join('\n') };
}

const isKeyLabel = (label: string) => label.endsWith('PRIVATE KEY');

/** The certificates of a cert file or `*-data` field, leaf first. Other block types are refused. */
export function readCertificates(input: Buffer | string, source: Source): IssuedCert[] {
  const blocks = parsePem(input, source, 'certificate');
  const certs = blocks.filter((b) => b.label === 'CERTIFICATE');
  if (certs.length === 0) {
    if (blocks.some((b) => isKeyLabel(b.label))) {
      fail('ERR_PEM_SWITCHED', source, 'holds a private key where a certificate was expected; are the certificate and key paths swapped?', GO.certSwitched);
    }
    fail('ERR_PEM_WRONG_TYPE', source, `holds ${blocks.map((b) => `"${b.label}"`).join(', ')} blocks, no CERTIFICATE`,
      `tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [${blocks.map((b) => b.label).join(' ')}]`);
  }
  return certs.map((block, i) => {
    try {
      return fromDer(block.der);
    } catch (cause) {
      if (cause instanceof PublicKeyDecodeError) return fail('ERR_CERT_PARSE', source, `certificate #${i + 1}: ${cause.message}`, cause.goMessage, cause);
      return fail('ERR_CERT_PARSE', source, `certificate #${i + 1} does not parse as X.509 (${(cause as Error).message})`, 'x509: malformed certificate', cause);
    }
  });
}

export interface ReadKey {
  keyObject: KeyObject;
  /** The PEM label it was read with, so it can be written back the same way. */
  label: string;
}

/** The private key of a key file or `client-key-data` field (the first `* PRIVATE KEY` block). */
/**
 * A key file is read by each component that loads it, at every start of a cluster (OpenSSL 3's
 * decoders take about 0.3 ms a key): one key object per key's bytes. A KeyObject is immutable, so
 * sharing it changes nothing for its readers. Keys that fail to parse are not kept.
 */
const parsedKeys = new BoundedCache<string, KeyObject>(1024);

export function readPrivateKey(input: Buffer | string, source: Source): ReadKey {
  const blocks = parsePem(input, source, 'key');
  const block = blocks.find((b) => isKeyLabel(b.label));
  if (!block) {
    if (blocks.some((b) => b.label === 'CERTIFICATE')) {
      fail('ERR_PEM_SWITCHED', source, 'holds a certificate where a private key was expected; are the certificate and key paths swapped?', GO.keySwitched);
    }
    fail('ERR_PEM_WRONG_TYPE', source, `holds ${blocks.map((b) => `"${b.label}"`).join(', ')} blocks, no private key`,
      `tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: [${blocks.map((b) => b.label).join(' ')}]`);
  }
  if (block.headers['Proc-Type']?.includes('ENCRYPTED')) {
    fail('ERR_KEY_PARSE', source, `the "${block.label}" block is encrypted (Proc-Type: ${block.headers['Proc-Type']}); Kubernetes components need an unencrypted key`, GO.keyParse);
  }
  const type = block.label === 'RSA PRIVATE KEY' ? 'pkcs1' : block.label === 'EC PRIVATE KEY' ? 'sec1' : block.label === 'PRIVATE KEY' ? 'pkcs8' : null;
  if (type === null) fail('ERR_KEY_PARSE', source, `"${block.label}" keys are not supported (encrypted keys cannot be used by Kubernetes components)`, GO.keyParse);
  try {
    const der = block.der;
    return { keyObject: parsedKeys.getOrCreate(`${type}:${der.toString('base64')}`, () => createPrivateKey({ key: der, format: 'der', type })), label: block.label };
  } catch (cause) {
    return fail('ERR_KEY_PARSE', source, `the "${block.label}" block does not parse as a private key`, GO.keyParse, cause);
  }
}

/** Go's `tls.X509KeyPair` checks, with its wording in `goMessage`. */
export function checkKeyPair(cert: IssuedCert, key: KeyObject, certSource: Source, keySource: Source): void {
  if (cert.node.publicKey.asymmetricKeyType !== key.asymmetricKeyType) {
    fail('ERR_KEY_MISMATCH', keySource, `is a ${key.asymmetricKeyType} key but ${where(certSource)} holds a ${cert.node.publicKey.asymmetricKeyType} certificate`, GO.typeMismatch);
  }
  if (!cert.node.checkPrivateKey(key)) {
    fail('ERR_KEY_MISMATCH', keySource, `does not match the certificate in ${where(certSource)} (subject "${cert.node.subject.replace(/\n/g, ', ')}")`, GO.mismatch);
  }
}
