import { GoParseError, parsePkcs10, type Pkcs10 } from './pkcs10.js';
import { BoundedCache } from '../util/bounded-cache.js';

/** A PKCS#10 request as the API and the signers read it. */
export interface ParsedCsr extends Pkcs10 {
  der: Buffer;
}

export type CsrParseFailure = { ok: false; error: string; pemType?: string };

const parsed = new BoundedCache<string, { ok: true; csr: ParsedCsr } | CsrParseFailure>(1024);

/** k8s.io/kubernetes pkg/apis/certificates helpers ParseCSR: one PEM block of type CERTIFICATE REQUEST. Parsed once per request. */
export function parseCsrPem(pem: Buffer): { ok: true; csr: ParsedCsr } | CsrParseFailure {
  return parsed.getOrCreate(pem.toString('base64'), () => parse(pem));
}

function parse(pem: Buffer): { ok: true; csr: ParsedCsr } | CsrParseFailure {
  const text = pem.toString('utf8');
  const block = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/.exec(text);
  if (!block) return { ok: false, error: 'PEM block type must be CERTIFICATE REQUEST' };
  if (block[1] !== 'CERTIFICATE REQUEST') return { ok: false, error: 'PEM block type must be CERTIFICATE REQUEST', pemType: block[1]! };
  const der = Buffer.from(block[2]!.replace(/\s+/g, ''), 'base64');
  try {
    return { ok: true, csr: { der, ...parsePkcs10(der) } };
  } catch (error) {
    return { ok: false, error: error instanceof GoParseError ? error.message : `asn1: structure error: ${(error as Error).message}` };
  }
}
