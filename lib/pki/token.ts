import { createHash, sign } from 'node:crypto';
import { YEAR } from '../clock.js';
import type { KeyMaterial } from './keys.js';

const JWS_ALG: Record<KeyMaterial['algorithm'], string> = {
  'ecdsa-p256': 'ES256', 'ecdsa-p384': 'ES384', 'rsa-2048': 'RS256', 'rsa-3072': 'RS256', 'rsa-4096': 'RS256',
};

export interface ServiceAccountTokenOptions {
  key: KeyMaterial;
  namespace: string;
  name: string;
  now: Date;
  dnsDomain: string;
  /** @default one year: the kubelet refreshes a projected token long before it expires, so a static file stands for "always fresh". */
  lifetimeMs?: number;
}

/**
 * A ServiceAccount JWT shaped like the ones the apiserver issues through TokenRequest: `kid` is the
 * base64url SHA-256 of the signing key's SubjectPublicKeyInfo, `sub` is
 * `system:serviceaccount:<ns>:<name>`, issuer and audience are the in-cluster apiserver URL.
 */
export function serviceAccountToken(options: ServiceAccountTokenOptions): string {
  const { key, namespace, name, now } = options;
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + Math.floor((options.lifetimeMs ?? YEAR) / 1000);
  const issuer = `https://kubernetes.default.svc.${options.dnsDomain}`;
  const uid = uuidFrom(`${key.fingerprint}/${namespace}/${name}`);
  const header = { alg: JWS_ALG[key.algorithm], kid: Buffer.from(key.fingerprint, 'hex').toString('base64url') };
  const claims = {
    aud: [issuer], exp, iat, iss: issuer, nbf: iat,
    jti: uuidFrom(`${uid}/${iat}`),
    'kubernetes.io': { namespace, serviceaccount: { name, uid } },
    sub: `system:serviceaccount:${namespace}:${name}`,
  };
  const input = `${b64(header)}.${b64(claims)}`;
  // JWS wants ECDSA signatures as r||s (IEEE P1363), not DER.
  const signature = sign(key.algorithm === 'ecdsa-p384' ? 'sha384' : 'sha256', Buffer.from(input), { key: key.keyObject, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A stable RFC 4122-shaped id derived from a string (no random source). */
function uuidFrom(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
