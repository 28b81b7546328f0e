/**
 * Bearer tokens, as the apiserver's authenticators read them: ServiceAccount JWTs and bootstrap
 * tokens. Their contract is a verdict (or null: not this authenticator's token), never a throw,
 * since they run on every request. Inputs: arbitrary strings, JWT-shaped strings of random parts,
 * real tokens with their text mutated, and real tokens whose header or claims are replaced by
 * other JSON values.
 */
import { testProp } from '@fast-check/ava';
import { sign } from 'node:crypto';
import { authenticateBootstrapToken, generateBootstrapToken, kubeadmBootstrapToken } from '../../lib/authn/bootstrap-tokens.js';
import { authenticateServiceAccountToken } from '../../lib/authn/tokens.js';
import { CLOCK_TIME } from '../helpers/pki.js';
import { anyValue, escaped, fc, mutated, params, reshaped, samplePki } from './fuzz.js';

const now = new Date(CLOCK_TIME);
const pkis = await Promise.all([samplePki(), samplePki({ algorithm: 'rsa-2048' })]);
const publicKeys = pkis.map((pki) => pki.keyPairs.get('sa')!.keyObject);
const jwts = pkis.flatMap((pki) => [...pki.tokens.values()]);
const issuers = ['https://kubernetes.default.svc.cluster.local'];
const never = () => false;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null').toString('base64url');
const decoded = jwts.map((jwt) => {
  const [header, payload, signature] = jwt.split('.') as [string, string, string];
  return { header: JSON.parse(Buffer.from(header, 'base64url').toString()) as unknown, payload: JSON.parse(Buffer.from(payload, 'base64url').toString()) as unknown, signature };
});
const CLAIMS = ['alg', 'kid', 'typ', 'iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'kubernetes.io', 'namespace', 'serviceaccount', 'name', 'uid', 'pod', 'node'];

const part = fc.oneof(fc.base64String({ maxLength: 60 }).map((s) => s.replace(/=/g, '')), fc.string({ maxLength: 20 }), anyValue(CLAIMS).map(b64));
const reshapedToken = fc.tuple(fc.constantFrom(...decoded), fc.boolean(), reshaped(decoded.map((d) => d.payload), CLAIMS), reshaped(decoded.map((d) => d.header), CLAIMS))
  .map(([d, headerToo, payload, header]) => `${b64(headerToo ? header : d.header)}.${b64(payload)}.${d.signature}`);
/** Claims of any shape, correctly signed by the ServiceAccount key: they get past the signature to the claim checks. */
const keys = pkis.map((pki) => pki.keyPairs.get('sa')!);
const signedClaims = fc.tuple(fc.nat({ max: keys.length - 1 }), reshaped(decoded.map((d) => d.payload), CLAIMS)).map(([i, payload]) => {
  const key = keys[i]!;
  const header = b64({ alg: key.algorithm.startsWith('rsa') ? 'RS256' : 'ES256', kid: (decoded[i]!.header as { kid: string }).kid });
  const input = `${header}.${b64(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), { key: key.keyObject, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
});
const tokens = fc.oneof(
  signedClaims,
  fc.string({ maxLength: 200 }),
  fc.array(part, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('.')),
  mutated(jwts.map((jwt) => Buffer.from(jwt))).map((b) => b.toString('latin1')),
  reshapedToken,
);

testProp('ServiceAccount token: a verdict or null, never a throw', [tokens, fc.constantFrom(undefined, [], ['https://kubernetes.default.svc.cluster.local', 'x'])], (t, token, audiences) => {
  t.is(escaped(() => authenticateServiceAccountToken(token, { publicKeys, now, issuers, ...(audiences ? { audiences: [...audiences] } : {}) }), never), null);
}, params(2));

const bootstrap = generateBootstrapToken('fuzz');
const secrets = [kubeadmBootstrapToken(bootstrap, now), { ...kubeadmBootstrapToken(generateBootstrapToken('other'), now), authExtraGroups: ['system:bootstrappers:x,y', ''] }];
const bootstrapTokens = fc.oneof(fc.string({ maxLength: 40 }), mutated([Buffer.from(bootstrap)]).map((b) => b.toString('latin1')),
  fc.tuple(fc.stringMatching(/^[a-z0-9]{6}$/), fc.stringMatching(/^[a-z0-9]{16}$/)).map(([id, secret]) => `${id}.${secret}`));

testProp('bootstrap token: a verdict or null, never a throw', [bootstrapTokens], (t, token) => {
  t.is(escaped(() => authenticateBootstrapToken(token, { secrets, now }), never), null);
}, params(2));
