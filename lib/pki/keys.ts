import { KeyObject, createHash, createPublicKey, webcrypto } from 'node:crypto';
import { KubeMtlsSimError } from '../errors.js';
import { KEY_ALGORITHMS, type KeyAlgorithm } from './types.js';

type CryptoKey = webcrypto.CryptoKey;

/** WebCrypto parameters for each supported algorithm (what kubeadm's `encryptionAlgorithm` offers). */
const PARAMS: Record<KeyAlgorithm, { generate: RsaHashedKeyGenParams | EcKeyGenParams; sign: Algorithm | EcdsaParams }> = {
  'ecdsa-p256': { generate: { name: 'ECDSA', namedCurve: 'P-256' }, sign: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams },
  'ecdsa-p384': { generate: { name: 'ECDSA', namedCurve: 'P-384' }, sign: { name: 'ECDSA', hash: 'SHA-384' } as EcdsaParams },
  'rsa-2048': { generate: rsa(2048), sign: { name: 'RSASSA-PKCS1-v1_5' } },
  'rsa-3072': { generate: rsa(3072), sign: { name: 'RSASSA-PKCS1-v1_5' } },
  'rsa-4096': { generate: rsa(4096), sign: { name: 'RSASSA-PKCS1-v1_5' } },
};

function rsa(modulusLength: number): RsaHashedKeyGenParams {
  return { name: 'RSASSA-PKCS1-v1_5', modulusLength, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
}

export function parseKeyAlgorithm(value: string, field = 'algorithm'): KeyAlgorithm {
  if ((KEY_ALGORITHMS as readonly string[]).includes(value)) return value as KeyAlgorithm;
  throw new KubeMtlsSimError(
    'ERR_ALGORITHM_UNKNOWN',
    `unknown key algorithm "${value}" in \`${field}\` (one of: ${KEY_ALGORITHMS.join(', ')})`,
    { field },
  );
}

export function signingAlgorithm(algorithm: KeyAlgorithm): Algorithm | EcdsaParams {
  return PARAMS[algorithm].sign;
}

/** A private key with its public half, in the forms the rest of the library needs. */
export interface KeyMaterial {
  algorithm: KeyAlgorithm;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** node:crypto view of the private key (for PEM export and `checkPrivateKey`). */
  keyObject: KeyObject;
  /** PEM as kubeadm writes it: `EC PRIVATE KEY` (SEC1) or `RSA PRIVATE KEY` (PKCS#1). */
  pem: string;
  /** `PUBLIC KEY` (PKIX) PEM, as in `sa.pub`. */
  publicPem: string;
  /** SHA-256 of the SubjectPublicKeyInfo, hex: identifies the key in caches and reports. */
  fingerprint: string;
  /** The subjectPublicKey BIT STRING contents (what key identifiers hash). */
  publicKeyBits: Buffer;
}

export async function generateKey(algorithm: KeyAlgorithm): Promise<KeyMaterial> {
  const pair = (await webcrypto.subtle.generateKey(PARAMS[algorithm].generate, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  return keyMaterial(algorithm, pair.privateKey, pair.publicKey);
}

export function keyMaterial(algorithm: KeyAlgorithm, privateKey: CryptoKey, publicKey: CryptoKey): KeyMaterial {
  const keyObject = KeyObject.from(privateKey);
  const publicObject = KeyObject.from(publicKey);
  const spki = publicObject.export({ type: 'spki', format: 'der' });
  return {
    algorithm,
    privateKey,
    publicKey,
    keyObject,
    pem: keyObject.export({ type: algorithm.startsWith('rsa') ? 'pkcs1' : 'sec1', format: 'pem' }) as string,
    publicPem: publicObject.export({ type: 'spki', format: 'pem' }) as string,
    fingerprint: createHash('sha256').update(spki).digest('hex'),
    publicKeyBits: subjectPublicKeyBits(spki),
  };
}

/** Imports a node:crypto private key (from a PEM file) as key material, detecting its algorithm. */
export async function importKeyObject(keyObject: KeyObject): Promise<KeyMaterial> {
  const algorithm = algorithmOf(keyObject);
  const pkcs8 = keyObject.export({ type: 'pkcs8', format: 'der' });
  const spki = createPublicKey(keyObject).export({ type: 'spki', format: 'der' });
  const privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, PARAMS[algorithm].generate, true, ['sign']);
  const publicKey = await webcrypto.subtle.importKey('spki', spki, PARAMS[algorithm].generate, true, ['verify']);
  return keyMaterial(algorithm, privateKey, publicKey);
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

/** A pool that never reuses: every request makes a new key. */
export const freshKeys = { get: (algorithm: KeyAlgorithm) => generateKey(algorithm) };

export type KeySource = Pick<KeyPool, 'get'>;

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
