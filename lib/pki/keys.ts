import { createHash, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { KubeMtlsSimError } from '../errors.js';
import { KEY_ALGORITHMS, type KeyAlgorithm } from './types.js';

const generateKeyPairAsync = promisify(generateKeyPair);

/** node:crypto parameters for each supported algorithm (what kubeadm's `encryptionAlgorithm` offers), and the digest it signs with. */
const PARAMS: Record<KeyAlgorithm, { type: 'ec' | 'rsa'; options: { namedCurve: string } | { modulusLength: number }; hash: 'sha256' | 'sha384' }> = {
  'ecdsa-p256': { type: 'ec', options: { namedCurve: 'P-256' }, hash: 'sha256' },
  'ecdsa-p384': { type: 'ec', options: { namedCurve: 'P-384' }, hash: 'sha384' },
  'rsa-2048': { type: 'rsa', options: { modulusLength: 2048 }, hash: 'sha256' },
  'rsa-3072': { type: 'rsa', options: { modulusLength: 3072 }, hash: 'sha256' },
  'rsa-4096': { type: 'rsa', options: { modulusLength: 4096 }, hash: 'sha256' },
};

export function parseKeyAlgorithm(value: string, field = 'algorithm'): KeyAlgorithm {
  if ((KEY_ALGORITHMS as readonly string[]).includes(value)) return value as KeyAlgorithm;
  throw new KubeMtlsSimError(
    'ERR_ALGORITHM_UNKNOWN',
    `unknown key algorithm "${value}" in \`${field}\` (one of: ${KEY_ALGORITHMS.join(', ')})`,
    { field },
  );
}

/** The digest a key of this algorithm signs with (SHA-256, or SHA-384 for P-384, as Go picks). */
export function signatureHash(algorithm: KeyAlgorithm): 'sha256' | 'sha384' {
  return PARAMS[algorithm].hash;
}

/** A private key with its public half, in the forms the rest of the library needs. */
export interface KeyMaterial {
  algorithm: KeyAlgorithm;
  /** node:crypto private key: signs certificates and tokens, answers `checkPrivateKey`. */
  keyObject: KeyObject;
  publicKeyObject: KeyObject;
  /** DER SubjectPublicKeyInfo. */
  spki: Buffer;
  /** SHA-256 of the SubjectPublicKeyInfo, hex: identifies the key in caches and reports. */
  fingerprint: string;
  /** The subjectPublicKey BIT STRING contents (what key identifiers hash). */
  publicKeyBits: Buffer;
  /** PEM as kubeadm writes it: `EC PRIVATE KEY` (SEC1) or `RSA PRIVATE KEY` (PKCS#1). */
  readonly pem: string;
  /** `PUBLIC KEY` (PKIX) PEM, as in `sa.pub`. */
  readonly publicPem: string;
}

export async function generateKey(algorithm: KeyAlgorithm): Promise<KeyMaterial> {
  const { type, options } = PARAMS[algorithm];
  const pair = await generateKeyPairAsync(type as 'ec', options as { namedCurve: string });
  return keyMaterial(pair.privateKey);
}

/** Wraps a node:crypto private key (generated, or read from a PEM file), detecting its algorithm. */
export function keyMaterial(keyObject: KeyObject): KeyMaterial {
  const algorithm = algorithmOf(keyObject);
  const publicKeyObject = createPublicKey(keyObject);
  const spki = spkiOf(publicKeyObject);
  let pem: string | undefined;
  let publicPem: string | undefined;
  return {
    algorithm,
    keyObject,
    publicKeyObject,
    spki,
    fingerprint: createHash('sha256').update(spki).digest('hex'),
    publicKeyBits: subjectPublicKeyBits(spki),
    // PEM is only needed when files are written; most keys in a test run never are.
    get pem() {
      return (pem ??= keyObject.export({ type: algorithm.startsWith('rsa') ? 'pkcs1' : 'sec1', format: 'pem' }) as string);
    },
    get publicPem() {
      return (publicPem ??= publicKeyObject.export({ type: 'spki', format: 'pem' }) as string);
    },
  };
}

/**
 * Key material for a public key only (the key of a CSR, which the signer certifies but never
 * holds). Signing with it or exporting its private PEM throws. Nothing is decoded until asked:
 * certifying a key needs only its bytes. `decoded` supplies a key object the caller already has.
 */
export function publicKeyMaterial(spki: Buffer, decoded?: () => KeyObject): KeyMaterial {
  let object: KeyObject | undefined;
  let algorithm: KeyAlgorithm | undefined;
  let fingerprint: string | undefined;
  const publicKeyObject = () => (object ??= decoded?.() ?? publicKeyFromSpki(spki));
  return {
    get algorithm() {
      if (algorithm === undefined) {
        try {
          algorithm = algorithmOf(publicKeyObject());
        } catch {
          algorithm = 'rsa-2048'; // only consulted when the key would sign, which a public key never does
        }
      }
      return algorithm;
    },
    get keyObject() {
      return publicKeyObject();
    },
    get publicKeyObject() {
      return publicKeyObject();
    },
    spki,
    get fingerprint() {
      return (fingerprint ??= createHash('sha256').update(spki).digest('hex'));
    },
    publicKeyBits: subjectPublicKeyBits(spki),
    get pem(): string {
      throw new Error('a CSR public key has no private half');
    },
    get publicPem() {
      return publicKeyObject().export({ type: 'spki', format: 'pem' }) as string;
    },
  };
}

/**
 * SubjectPublicKeyInfo of the named curves up to the point: SEQUENCE { AlgorithmIdentifier
 * { id-ecPublicKey, curve }, BIT STRING { 0 unused bits, 0x04 (uncompressed) … } }. OpenSSL 3
 * encodes and decodes a key through its provider machinery (0.1-0.2 ms, and a lock other threads
 * wait on); the JWK form of an EC key is its bare coordinates, so these two are built from it.
 */
const EC_SPKI: Record<string, { prefix: Buffer; size: number }> = {
  'P-256': { prefix: Buffer.from('3059301306072a8648ce3d020106082a8648ce3d03010703420004', 'hex'), size: 32 },
  'P-384': { prefix: Buffer.from('3076301006072a8648ce3d020106052b8104002203620004', 'hex'), size: 48 },
};

/** A public key's SubjectPublicKeyInfo DER (as `export({ type: 'spki', format: 'der' })` gives it). */
export function spkiOf(publicKey: KeyObject): Buffer {
  if (publicKey.asymmetricKeyType === 'ec') {
    const jwk = publicKey.export({ format: 'jwk' });
    const curve = jwk.crv ? EC_SPKI[jwk.crv] : undefined;
    if (curve && jwk.x && jwk.y) return Buffer.concat([curve.prefix, Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
  }
  return publicKey.export({ type: 'spki', format: 'der' });
}

/** The key of a SubjectPublicKeyInfo (as `createPublicKey({ format: 'der', type: 'spki' })` reads it). */
export function publicKeyFromSpki(spki: Buffer): KeyObject {
  for (const [crv, { prefix, size }] of Object.entries(EC_SPKI)) {
    if (spki.length === prefix.length + 2 * size && spki.subarray(0, prefix.length).equals(prefix)) {
      const point = spki.subarray(prefix.length);
      return createPublicKey({ key: { kty: 'EC', crv, x: point.subarray(0, size).toString('base64url'), y: point.subarray(size).toString('base64url') }, format: 'jwk' });
    }
  }
  return createPublicKey({ key: spki, format: 'der', type: 'spki' });
}

export function algorithmOf(keyObject: KeyObject): KeyAlgorithm {
  const details = keyObject.asymmetricKeyDetails ?? {};
  if (keyObject.asymmetricKeyType === 'ec') {
    if (details.namedCurve === 'prime256v1') return 'ecdsa-p256';
    if (details.namedCurve === 'secp384r1') return 'ecdsa-p384';
  }
  if (keyObject.asymmetricKeyType === 'rsa') {
    const bits = details.modulusLength;
    if (bits === 2048 || bits === 3072 || bits === 4096) return `rsa-${bits}`;
  }
  throw new KubeMtlsSimError(
    'ERR_ALGORITHM_UNKNOWN',
    `unsupported key: ${keyObject.asymmetricKeyType ?? 'unknown'} ${details.namedCurve ?? details.modulusLength ?? ''} (supported: ${KEY_ALGORITHMS.join(', ')})`,
  );
}

/**
 * Keys are the expensive part of a PKI (an RSA-2048 key takes 50–800 ms to find). A pool hands out
 * one key per (namespace, algorithm, slot) and hands the same key out again, the way kubeadm
 * reuses key files that already exist. Two PKIs that must not trust each other (a re-initialised
 * cluster, an impostor CA) use different namespaces or slots.
 */
export class KeyPool {
  readonly #keys = new Map<string, Promise<KeyMaterial>>();
  /** Certificates made from pooled keys can be reused too (see issue.ts). */
  readonly reusesKeys = true;

  get(algorithm: KeyAlgorithm, slot: string, namespace = 'default'): Promise<KeyMaterial> {
    const id = `${namespace}\u0000${algorithm}\u0000${slot}`;
    let key = this.#keys.get(id);
    if (!key) {
      key = generateKey(algorithm);
      this.#keys.set(id, key);
      key.catch(() => this.#keys.delete(id));
    }
    return key;
  }

  get size(): number {
    return this.#keys.size;
  }

  clear(): void {
    this.#keys.clear();
  }
}

/** The process-wide pool used unless a PKI asks for fresh keys. */
export const sharedKeyPool = new KeyPool();

export interface KeySource {
  get(algorithm: KeyAlgorithm, slot: string, namespace?: string): Promise<KeyMaterial>;
  /** Whether the same slot can come back with the same key (then certificates are worth memoising). */
  readonly reusesKeys?: boolean;
}

/** A source that never reuses: every request makes a new key. */
export const freshKeys: KeySource = { get: (algorithm) => generateKey(algorithm), reusesKeys: false };

/** The contents of the BIT STRING that ends a SubjectPublicKeyInfo (skipping its unused-bits byte). */
function subjectPublicKeyBits(spki: Buffer): Buffer {
  // SPKI = SEQUENCE { SEQUENCE algorithm, BIT STRING key }: skip the outer header, then the algorithm.
  let offset = headerLength(spki, 0);
  offset += headerLength(spki, offset) + contentLength(spki, offset);
  return spki.subarray(offset + headerLength(spki, offset) + 1);
}

function headerLength(der: Buffer, offset: number): number {
  const first = der[offset + 1]!;
  return first < 0x80 ? 2 : 2 + (first & 0x7f);
}

function contentLength(der: Buffer, offset: number): number {
  const first = der[offset + 1]!;
  if (first < 0x80) return first;
  let length = 0;
  for (let i = 0; i < (first & 0x7f); i++) length = length * 256 + der[offset + 2 + i]!;
  return length;
}
