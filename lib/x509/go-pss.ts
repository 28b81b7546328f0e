import { derElements } from '../pki/der.js';

/**
 * Go's getSignatureAlgorithmFromAI for id-RSASSA-PSS: of PSS's many options Go accepts three —
 * SHA-256, -384 or -512, MGF1 with the same hash, the salt as long as the hash, the default trailer
 * (hash parameters absent or NULL). Any other set (SHA-1's default parameters included, which Go's
 * parser cannot even read as its struct) is UnknownSignatureAlgorithm, which Go cannot verify.
 */
export const RSA_PSS = '2a864886f70d01010a';

const HASHES: Record<string, { hash: 'sha256' | 'sha384' | 'sha512'; name: string; salt: number }> = {
  '608648016503040201': { hash: 'sha256', name: 'SHA256-RSAPSS', salt: 32 },
  '608648016503040202': { hash: 'sha384', name: 'SHA384-RSAPSS', salt: 48 },
  '608648016503040203': { hash: 'sha512', name: 'SHA512-RSAPSS', salt: 64 },
};
const MGF1 = '2a864886f70d010108';
const NULL = '0500';

const content = (element: Buffer): Buffer => {
  const first = element[1]!;
  return element.subarray(first < 0x80 ? 2 : 2 + (first & 0x7f));
};
const integer = (element: Buffer | undefined): number | undefined =>
  element?.[0] === 0x02 ? content(element).reduce((n, b) => n * 256 + b, 0) : undefined;

/** An AlgorithmIdentifier: its OID (hex content) and whether its parameters are absent or NULL. */
function algorithmId(element: Buffer | undefined): { oid: string; plain: boolean; params?: Buffer } | undefined {
  if (element?.[0] !== 0x30) return undefined;
  const [oid, params] = derElements(element);
  if (oid?.[0] !== 0x06) return undefined;
  return { oid: content(oid).toString('hex'), plain: !params || params.toString('hex') === NULL, ...(params ? { params } : {}) };
}

/** Go's SignatureAlgorithm for these parameters (go-facts' SignatureAlgorithm), undefined for UnknownSignatureAlgorithm. */
export function pssAlgorithm(params: Buffer | undefined): { name: string; publicKey: 'RSA'; hash: 'sha256' | 'sha384' | 'sha512' } | undefined {
  try {
    if (params?.[0] !== 0x30) return undefined;
    const fields = new Map(derElements(params).map((f) => [f[0]!, derElements(f)[0]]));
    const hash = algorithmId(fields.get(0xa0));
    const mgf = algorithmId(fields.get(0xa1));
    const mgfHash = algorithmId(mgf?.params);
    const salt = integer(fields.get(0xa2));
    const trailer = fields.has(0xa3) ? integer(fields.get(0xa3)) : 1;
    if (!hash || !mgf || !mgfHash || !hash.plain || mgf.oid !== MGF1 || mgfHash.oid !== hash.oid || !mgfHash.plain || trailer !== 1) return undefined;
    const details = HASHES[hash.oid];
    if (!details || salt !== details.salt) return undefined;
    return { name: details.name, publicKey: 'RSA', hash: details.hash };
  } catch {
    return undefined;
  }
}
