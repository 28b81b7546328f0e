/**
 * ServiceAccount bearer tokens, checked the way kube-apiserver checks them. Models (kubernetes/kubernetes
 * master, go.mod `go 1.27`, vendoring gopkg.in/go-jose/go-jose.v2 v2.6.3):
 * - pkg/serviceaccount/jwt.go: jwtTokenAuthenticator.AuthenticateToken, hasCorrectIssuer, StaticPublicKeysGetter
 * - pkg/serviceaccount/claims.go: validator.Validate (time checks and their messages)
 * - go-jose.v2 signing.go / asymmetric.go (DetachedVerify: every failure is ErrCryptoFailure) and
 *   jwt/validation.go (DefaultLeeway = 1 minute for nbf, exp and iat)
 * - k8s.io/apiserver authentication/serviceaccount/util.go: user name, groups and extra
 * What is not modelled: the ServiceAccount/Pod/Secret/Node lookups the real validator makes (the simulator
 * has no object store), the legacy `kubernetes/serviceaccount` issuer, and JWS JSON serialization.
 */
import { constants, createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { AuthnFailure, AuthnResult, UserInfo } from './types.js';

/** go-jose.v2 v2.6.3 ErrCryptoFailure. Before Kubernetes moved to the go-jose fork it read `square/go-jose: …`. */
export const JOSE_CRYPTO_FAILURE = 'go-jose/go-jose: error in cryptographic primitive';
/** bearertoken.go `invalidToken`; the loopback token authenticator that AuthorizeClientBearerToken puts first
 * in the union always reports it, which is why the apiserver logs `[invalid bearer token, <cause>]`. */
export const INVALID_BEARER_TOKEN = 'invalid bearer token';
/** jwt.DefaultLeeway, applied to nbf, exp and iat. */
export const JWT_LEEWAY_MS = 60_000;

const ERR_NUMERIC_DATE = 'go-jose/go-jose/jwt: expected number value to unmarshal NumericDate';
const ERR_AUDIENCE = 'go-jose/go-jose/jwt: expected string or array value to unmarshal to Audience';

/** kubeadm's `--service-account-issuer` (and so the `iss` lib/pki/token.ts writes). */
export function serviceAccountIssuer(dnsDomain = 'cluster.local'): string {
  return `https://kubernetes.default.svc.${dnsDomain}`;
}

/** keyIDFromPublicKey: base64url (unpadded) SHA-256 of the PKIX DER public key. Private keys count as their public half. */
export function keyIdOf(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(pub.export({ type: 'spki', format: 'der' })).digest('base64url');
}

/** utilerrors.Aggregate.Error(): nested errors flattened, duplicates dropped, `[a, b]` when more than one remains. */
export function aggregateError(messages: string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
}

export interface ServiceAccountTokenAuthOptions {
  /** The keys from `--service-account-key-file` (public, or private keys standing for their public half). */
  publicKeys: KeyObject[];
  now: Date;
  /** `--service-account-issuer` values. @default [serviceAccountIssuer()] */
  issuers?: string[];
  /** `--api-audiences`. Omitted or empty: no audience check. (kube-apiserver itself defaults them to the issuers.) */
  audiences?: string[];
}

/**
 * Returns null when the authenticator does not claim the token (not a compact JWS, or `iss` not one of the
 * issuers): jwt.go answers `nil, false, nil` there and the union tries the next authenticator. Otherwise a
 * verdict whose `error` is the aggregate kube-apiserver logs ("Unable to authenticate the request" err=…).
 */
export function authenticateServiceAccountToken(token: string, options: ServiceAccountTokenAuthOptions): AuthnResult | null {
  const issuers = options.issuers ?? [serviceAccountIssuer()];
  // hasCorrectIssuer: three dot-separated parts, payload decodes, `iss` is one of ours.
  if (token.trim().startsWith('{')) return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [rawHeader, rawPayload, rawSignature] = parts as [string, string, string];
  const payloadBytes = base64url(rawPayload);
  const payload = jsonObject(payloadBytes);
  if (!payloadBytes || !payload || (payload.iss !== undefined && payload.iss !== null && typeof payload.iss !== 'string')) return null;
  if (!issuers.includes(typeof payload.iss === 'string' ? payload.iss : '')) return null;
  // jwt.ParseSigned: a header object whose kid and alg are strings, a decodable signature. Failure: not ours either.
  const header = jsonObject(base64url(rawHeader));
  const signature = base64url(rawSignature);
  if (!header || !signature || !stringOrAbsent(header.kid) || !stringOrAbsent(header.alg)) return null;

  // Keys whose key id matches `kid`, or every key when the token has none.
  const kid = typeof header.kid === 'string' ? header.kid : '';
  const keys = kid === '' ? options.publicKeys : options.publicKeys.filter((key) => keyIdOf(key) === kid);
  if (keys.length === 0) return fail('INVALID_TOKEN', 'invalid signature, no keys found');
  // computeAuthData signs the protected header as received and the payload as re-encoded.
  const signingInput = Buffer.from(`${rawHeader}.${payloadBytes.toString('base64url')}`);
  const claims = decodeClaims(payload);
  const errors: string[] = [];
  let verified = false;
  for (const key of keys) {
    // tok.Claims(key, …) verifies first, then unmarshals the payload; both errors go to the aggregate.
    if (!verifySignature(header, key, signingInput, signature)) errors.push(JOSE_CRYPTO_FAILURE);
    else if (typeof claims === 'string') errors.push(claims);
    else { verified = true; break; }
  }
  if (!verified || typeof claims === 'string') return fail('INVALID_TOKEN', ...errors);
  // (jwt.go re-checks the issuer here; the unverified check above already read the same claim.)

  const implicit = options.audiences ?? [];
  const tokenAudiences = claims.aud.length > 0 ? claims.aud : implicit; // no aud: a legacy token, apiserver audiences implied
  if (implicit.length > 0 && !tokenAudiences.some((aud) => implicit.includes(aud))) {
    return fail('INVALID_TOKEN', `token audiences ${goQuote(tokenAudiences)} is invalid for the target audiences ${goQuote(implicit)}`);
  }

  // claims.go validator.Validate → public.Validate(jwt.Expected{Time: now}) with the one-minute leeway.
  const now = options.now.getTime();
  if (claims.nbf !== undefined && now + JWT_LEEWAY_MS < claims.nbf * 1000) return fail('INVALID_TOKEN', 'service account token is not valid yet');
  if (claims.exp !== undefined && now - JWT_LEEWAY_MS > claims.exp * 1000) return fail('TOKEN_EXPIRED', 'service account token has expired');
  if (claims.iat !== undefined && now + JWT_LEEWAY_MS < claims.iat * 1000) return fail('INVALID_TOKEN', 'service account token is issued in the future');
  // The real validator now fetches the ServiceAccount (name and UID) and any bound Pod/Secret/Node. Without a
  // store the simulator only refuses a token that names no ServiceAccount (a lookup that could not succeed).
  if (claims.namespace === '' || claims.name === '') return fail('INVALID_TOKEN', `serviceaccounts "${claims.name}" not found`);

  const user: UserInfo = {
    name: `system:serviceaccount:${claims.namespace}:${claims.name}`,
    // MakeGroupNames. system:authenticated is NOT added by this authenticator: group.AuthenticatedGroupAdder
    // wraps the whole request authenticator chain and appends it; we return it so callers see the final groups.
    groups: ['system:serviceaccounts', `system:serviceaccounts:${claims.namespace}`, 'system:authenticated'],
  };
  if (claims.uid !== '') user.uid = claims.uid;
  const extra: Record<string, string[]> = {};
  if (claims.pod.name !== '' && claims.pod.uid !== '') {
    extra['authentication.kubernetes.io/pod-name'] = [claims.pod.name];
    extra['authentication.kubernetes.io/pod-uid'] = [claims.pod.uid];
  }
  if (claims.jti !== '') extra['authentication.kubernetes.io/credential-id'] = [`JTI=${claims.jti}`];
  if (claims.pod.name !== '' && claims.node.name !== '') {
    extra['authentication.kubernetes.io/node-name'] = [claims.node.name];
    if (claims.node.uid !== '') extra['authentication.kubernetes.io/node-uid'] = [claims.node.uid];
  }
  if (Object.keys(extra).length > 0) user.extra = extra;
  return { ok: true, method: 'serviceaccount-token', user };
}

function fail(reason: AuthnFailure, ...errors: string[]): AuthnResult {
  const parts = [...new Set([INVALID_BEARER_TOKEN, ...errors])];
  return { ok: false, method: 'serviceaccount-token', reason, error: aggregateError(parts), parts };
}

/** The JWS algorithms go-jose verifies with RSA and ECDSA keys (the key types `--service-account-key-file` loads). */
const ALGORITHMS: Record<string, { type: 'ec' | 'rsa'; hash: string; size?: number; pss?: boolean }> = {
  ES256: { type: 'ec', hash: 'sha256', size: 32 }, ES384: { type: 'ec', hash: 'sha384', size: 48 }, ES512: { type: 'ec', hash: 'sha512', size: 66 },
  RS256: { type: 'rsa', hash: 'sha256' }, RS384: { type: 'rsa', hash: 'sha384' }, RS512: { type: 'rsa', hash: 'sha512' },
  PS256: { type: 'rsa', hash: 'sha256', pss: true }, PS384: { type: 'rsa', hash: 'sha384', pss: true }, PS512: { type: 'rsa', hash: 'sha512', pss: true },
};

/** DetachedVerify: `none`, HS*, an alg the key type cannot do, an unsupported `crit` or a bad signature all fail alike. */
function verifySignature(header: Record<string, unknown>, key: KeyObject, input: Buffer, signature: Buffer): boolean {
  const spec = typeof header.alg === 'string' && Object.hasOwn(ALGORITHMS, header.alg) ? ALGORITHMS[header.alg] : undefined;
  const crit = header.crit;
  if (crit !== undefined && crit !== null && !(Array.isArray(crit) && crit.every((name) => name === 'b64'))) return false;
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  if (!spec || pub.asymmetricKeyType !== spec.type) return false;
  if (spec.size !== undefined && signature.length !== 2 * spec.size) return false;
  try {
    if (spec.type === 'ec') return verify(spec.hash, input, { key: pub, dsaEncoding: 'ieee-p1363' }, signature);
    if (spec.pss) return verify(spec.hash, input, { key: pub, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, signature);
    return verify(spec.hash, input, pub, signature);
  } catch {
    return false;
  }
}

interface Ref { name: string; uid: string }
interface Claims {
  aud: string[]; exp?: number; nbf?: number; iat?: number; jti: string;
  namespace: string; name: string; uid: string; pod: Ref; node: Ref;
}

/** jwt.Claims plus claims.go privateClaims, unmarshalled with go-jose's JSON; returns the unmarshal error text on failure. */
function decodeClaims(payload: Record<string, unknown>): Claims | string {
  try {
    const k8s = object(payload['kubernetes.io']);
    const sa = object(k8s.serviceaccount);
    const pod = object(k8s.pod);
    const node = object(k8s.node);
    const claims: Claims = {
      aud: audience(payload.aud), jti: string(payload.jti), namespace: string(k8s.namespace),
      name: string(sa.name), uid: string(sa.uid),
      pod: { name: string(pod.name), uid: string(pod.uid) }, node: { name: string(node.name), uid: string(node.uid) },
    };
    string(payload.sub);
    for (const field of ['exp', 'nbf', 'iat'] as const) {
      const value = payload[field];
      if (value === undefined || value === null) continue;
      if (typeof value !== 'number') throw new Error(ERR_NUMERIC_DATE);
      claims[field] = Math.trunc(value); // NumericDate(f): float64 → int64 truncates
    }
    return claims;
  } catch (error) {
    return (error as Error).message;
  }
}

function audience(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  throw new Error(ERR_AUDIENCE);
}

// encoding/json type errors; go-jose's fork of encoding/json words them this way (not confirmed against v2.6.3).
function string(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  throw new Error(`json: cannot unmarshal ${jsonKind(value)} into Go value of type string`);
}

function object(value: unknown): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new Error(`json: cannot unmarshal ${jsonKind(value)} into Go value of type struct`);
}

function jsonKind(value: unknown): string {
  return Array.isArray(value) ? 'array' : typeof value === 'object' ? 'object' : typeof value;
}

function stringOrAbsent(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}

/** base64.RawURLEncoding.DecodeString: URL alphabet, no padding. */
function base64url(text: string): Buffer | null {
  return /^[A-Za-z0-9_-]*$/.test(text) && text.length % 4 !== 1 ? Buffer.from(text, 'base64url') : null;
}

function jsonObject(bytes: Buffer | null): Record<string, unknown> | null {
  if (!bytes) return null;
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Go's `%q` of a []string: `["a" "b"]`. */
function goQuote(values: string[]): string {
  return `[${values.map((value) => JSON.stringify(value)).join(' ')}]`;
}
