/**
 * Bootstrap tokens (`<6 chars>.<16 chars>`) as data, and their authentication. Models (kubernetes/kubernetes master):
 * - plugin/pkg/auth/authenticator/token/bootstrap/bootstrap.go: TokenAuthenticator.AuthenticateToken
 * - staging/src/k8s.io/cluster-bootstrap: token/api/types.go (names, patterns), util/tokens/tokens.go (ParseToken),
 *   util/secrets/secrets.go (GetExpiration, GetGroups), token/util/helpers.go (ValidateBootstrapGroupName, randBytes)
 * - cmd/kubeadm: constants.go (DefaultTokenDuration, NodeBootstrapTokenAuthGroup) and the bootstraptoken API's
 *   encodeTokenSecretData (how `kubeadm token create` writes the Secret)
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { HOUR } from '../clock.js';
import { KubeMtlsSimError } from '../errors.js';
import type { AuthnFailure, AuthnResult } from './types.js';

export const BOOTSTRAP_TOKEN_SECRET_PREFIX = 'bootstrap-token-';
export const BOOTSTRAP_TOKEN_SECRET_TYPE = 'bootstrap.kubernetes.io/token';
export const BOOTSTRAP_USER_PREFIX = 'system:bootstrap:';
export const BOOTSTRAP_DEFAULT_GROUP = 'system:bootstrappers';
/** api.BootstrapTokenPattern / BootstrapGroupPattern, as Go writes them (they appear in log messages). */
export const BOOTSTRAP_TOKEN_PATTERN = String.raw`\A([a-z0-9]{6})\.([a-z0-9]{16})\z`;
export const BOOTSTRAP_GROUP_PATTERN = String.raw`\Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\z`;
const TOKEN_RE = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
const GROUP_RE = /^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$/;

/** kubeadm constants.DefaultTokenDuration. */
export const KUBEADM_DEFAULT_TOKEN_TTL_MS = 24 * HOUR;
/** kubeadm constants.NodeBootstrapTokenAuthGroup: the group `kubeadm init`/`token create` put join tokens in. */
export const KUBEADM_DEFAULT_NODE_TOKEN_GROUP = 'system:bootstrappers:kubeadm:default-node-token';

/** The contents of a `bootstrap-token-<id>` Secret in kube-system. */
export interface BootstrapTokenSecret {
  tokenId: string;
  tokenSecret: string;
  expiration?: Date;
  usageBootstrapAuthentication: boolean;
  /** `usage-bootstrap-signing`: the token signs the cluster-info ConfigMap (kubeadm sets both usages). */
  usageBootstrapSigning?: boolean;
  authExtraGroups: string[];
  description?: string;
}

/** The Secret object shape (`kubectl get secret -n kube-system bootstrap-token-<id> -o yaml`, with stringData). */
export interface BootstrapTokenSecretObject {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata: { name: string; namespace: 'kube-system' };
  type: typeof BOOTSTRAP_TOKEN_SECRET_TYPE;
  stringData: Record<string, string>;
}

/** tokens.ParseToken: `{ tokenId, tokenSecret }`, or null when the string is not of the form. */
export function parseBootstrapToken(token: string): { tokenId: string; tokenSecret: string } | null {
  const match = TOKEN_RE.exec(token);
  return match ? { tokenId: match[1]!, tokenSecret: match[2]! } : null;
}

/** ValidateBootstrapGroupName: null when valid, else Go's error text. */
export function validateBootstrapGroupName(name: string): string | null {
  return GROUP_RE.test(name) ? null : `bootstrap group ${JSON.stringify(name)} is invalid (must match ${BOOTSTRAP_GROUP_PATTERN})`;
}

/** time.RFC3339 in UTC, as Go formats it (whole seconds, `Z`). */
export function rfc3339(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** encodeTokenSecretData + BootstrapTokenToSecret. Throws ERR_CLUSTER_CONFIG for a malformed id, secret or group. */
export function bootstrapTokenSecret(secret: BootstrapTokenSecret): BootstrapTokenSecretObject {
  requireToken(`${secret.tokenId}.${secret.tokenSecret}`);
  for (const group of secret.authExtraGroups) {
    const error = validateBootstrapGroupName(group);
    if (error) throw new KubeMtlsSimError('ERR_CLUSTER_CONFIG', `bootstrap token ${secret.tokenId}: ${error}`, { field: 'bootstrapTokens[].groups', goMessage: error });
  }
  const data: Record<string, string> = { 'token-id': secret.tokenId, 'token-secret': secret.tokenSecret };
  if (secret.description) data.description = secret.description;
  if (secret.expiration) data.expiration = rfc3339(secret.expiration);
  if (secret.usageBootstrapSigning) data['usage-bootstrap-signing'] = 'true';
  if (secret.usageBootstrapAuthentication) data['usage-bootstrap-authentication'] = 'true';
  if (secret.authExtraGroups.length > 0) data['auth-extra-groups'] = secret.authExtraGroups.join(',');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: BOOTSTRAP_TOKEN_SECRET_PREFIX + secret.tokenId, namespace: 'kube-system' },
    type: BOOTSTRAP_TOKEN_SECRET_TYPE,
    stringData: data,
  };
}

/** kubeadm's NewBootstrapTokenString check, with its error text (`%q` quoting) as goMessage. */
function requireToken(token: string): { tokenId: string; tokenSecret: string } {
  const parsed = parseBootstrapToken(token);
  if (parsed) return parsed;
  throw new KubeMtlsSimError('ERR_CLUSTER_CONFIG', `bootstrap token ${JSON.stringify(token)} is not of the form <[a-z0-9]{6}>.<[a-z0-9]{16}>`, {
    field: 'bootstrapTokens[].token',
    goMessage: `the bootstrap token ${JSON.stringify(token)} was not of the form ${JSON.stringify(BOOTSTRAP_TOKEN_PATTERN)}`,
  });
}

const TOKEN_CHARS = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * A valid token derived from `seed`: randBytes' rejection sampling (bytes ≥ 252 are skipped so that 36
 * characters are equally likely), fed from a SHA-256 stream over the seed instead of crypto/rand.
 */
export function generateBootstrapToken(seed: string): string {
  const chars: string[] = [];
  for (let block = 0; chars.length < 22; block++) {
    for (const byte of createHash('sha256').update(`${seed}\u0000${block}`).digest()) {
      if (byte < 252 && chars.length < 22) chars.push(TOKEN_CHARS[byte % 36]!);
    }
  }
  return `${chars.slice(0, 6).join('')}.${chars.slice(6).join('')}`;
}

/** What `kubeadm init` creates by default: both usages, the default node group, a 24-hour TTL from `now`. */
export function kubeadmBootstrapToken(token: string, now: Date): BootstrapTokenSecret {
  return {
    ...requireToken(token),
    expiration: new Date(now.getTime() + KUBEADM_DEFAULT_TOKEN_TTL_MS),
    usageBootstrapAuthentication: true,
    usageBootstrapSigning: true,
    authExtraGroups: [KUBEADM_DEFAULT_NODE_TOKEN_GROUP],
  };
}

export interface BootstrapTokenAuthOptions {
  /** The bootstrap-token Secrets in kube-system. */
  secrets: BootstrapTokenSecret[];
  now: Date;
}

/**
 * bootstrap.go AuthenticateToken. A string that is not `<id>.<secret>` gives null: the authenticator ignores it.
 * Every other refusal in bootstrap.go is also `return nil, false, nil` (no error), so at default verbosity the
 * apiserver only logs "Unable to authenticate the request" err="invalid bearer token" and answers 401 when no
 * other authenticator accepts the token. We return a failure instead of null so the simulator can say why; its
 * `error` is the klog.V(3) line bootstrap.go writes for that case (seen with `-v=3`).
 */
export function authenticateBootstrapToken(token: string, options: BootstrapTokenAuthOptions): AuthnResult | null {
  const parsed = parseBootstrapToken(token);
  if (!parsed) return null;
  const { tokenId, tokenSecret } = parsed;
  const name = BOOTSTRAP_TOKEN_SECRET_PREFIX + tokenId;
  const secret = options.secrets.find((candidate) => candidate.tokenId === tokenId);
  if (!secret) return fail('INVALID_TOKEN', `No secret of name ${name} to match bootstrap bearer token`);
  const prefix = `Bootstrap secret kube-system/${name} matching bearer token `;
  // subtle.ConstantTimeCompare: different lengths are simply unequal.
  const stored = Buffer.from(secret.tokenSecret);
  const presented = Buffer.from(tokenSecret);
  if (stored.length !== presented.length || !timingSafeEqual(stored, presented)) {
    return fail('INVALID_TOKEN', `${prefix}has invalid value for key token-secret, expected ${tokenSecret}.`);
  }
  // (bootstrap.go also refuses a deleted Secret, one of another type and one whose token-id disagrees with its
  // name; a BootstrapTokenSecret cannot express those.)
  if (secret.expiration) {
    // GetExpiration reads the RFC3339 string back (whole seconds); expired when no time remains.
    const expiration = rfc3339(secret.expiration);
    if (Date.parse(expiration) - options.now.getTime() <= 0) {
      return fail('TOKEN_EXPIRED', `Expired bootstrap token in kube-system/${name} Secret: ${expiration}`);
    }
  }
  if (!secret.usageBootstrapAuthentication) return fail('INVALID_TOKEN', `${prefix}not marked usage-bootstrap-authentication=true.`);
  // GetGroups: the default group plus the comma list, each validated, deduplicated and sorted (sets.String.List()).
  const groups = new Set([BOOTSTRAP_DEFAULT_GROUP]);
  const extra = secret.authExtraGroups.join(',');
  for (const group of extra === '' ? [] : extra.split(',')) {
    const error = validateBootstrapGroupName(group);
    if (error) return fail('INVALID_TOKEN', `${prefix}has invalid value for key auth-extra-groups: ${error}.`);
    groups.add(group);
  }
  return {
    ok: true,
    method: 'bootstrap-token',
    // system:authenticated is appended by the apiserver's AuthenticatedGroupAdder, not by bootstrap.go.
    user: { name: BOOTSTRAP_USER_PREFIX + tokenId, groups: [...[...groups].sort(), 'system:authenticated'] },
  };
}

/** bootstrap.go refuses with `nil, false, nil`: no error reaches the log; `error` is its klog.V(3) line. */
function fail(reason: AuthnFailure, error: string): AuthnResult {
  return { ok: false, method: 'bootstrap-token', reason, error, silent: true, detail: error };
}
