import * as x509 from '../pki/x509.js';
import { BoundedCache } from '../util/bounded-cache.js';

/** A PKCS#10 request as the API and the signers read it. */
export interface ParsedCsr {
  der: Buffer;
  cn: string;
  o: string[];
  dns: string[];
  ips: string[];
  emails: string[];
  uris: string[];
  /** The request's public key as SubjectPublicKeyInfo DER. */
  spki: Buffer;
  /** Checks the request's self-signature (asynchronous: WebCrypto). */
  verifySignature(): Promise<boolean>;
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
  let request: x509.Pkcs10CertificateRequest;
  try {
    request = new x509.Pkcs10CertificateRequest(new Uint8Array(der));
  } catch (error) {
    return { ok: false, error: `asn1: structure error: ${(error as Error).message}` };
  }
  const names = request.subjectName;
  // The CSR API's getExtension takes an OID; the typed extension comes from the list.
  const san = request.extensions.find((e): e is x509.SubjectAlternativeNameExtension => e instanceof x509.SubjectAlternativeNameExtension);
  const general: x509.JsonGeneralName[] = san?.names.toJSON() ?? [];
  const spki = Buffer.from(request.publicKey.rawData);
  return {
    ok: true,
    csr: {
      der,
      cn: names.getField('CN').at(-1) ?? '',
      o: names.getField('O'),
      dns: general.filter((n) => n.type === 'dns').map((n) => n.value),
      ips: general.filter((n) => n.type === 'ip').map((n) => n.value),
      emails: general.filter((n) => n.type === 'email').map((n) => n.value),
      uris: general.filter((n) => n.type === 'url').map((n) => n.value),
      spki,
      verifySignature: once(() => request.verify()),
    },
  };
}

function once<T>(fn: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = fn();
      done = true;
    }
    return value;
  };
}
