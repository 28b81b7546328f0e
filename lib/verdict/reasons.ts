/**
 * The closed set of reasons an edge can end with. Every result carries exactly one; docs/reasons.md
 * lists them, and the scenario registry may only expect these.
 */
export const REASONS = {
  OK: 'Mutual authentication succeeded and the request was allowed.',
  // TLS, either side
  NO_CLIENT_CERT: 'The client presented no certificate where the server requires one.',
  UNKNOWN_AUTHORITY: 'The certificate does not chain to a CA the verifier trusts (another CA, self-signed, an impostor CA of the same name, or a missing intermediate).',
  NOT_A_CA: 'The certificate was signed by a certificate that is not a CA (CA:FALSE or no keyCertSign).',
  CERT_EXPIRED: 'The certificate is past its NotAfter at the cluster clock.',
  CERT_NOT_YET_VALID: 'The certificate is before its NotBefore at the cluster clock.',
  WRONG_EKU: 'The certificate\'s extended key usage does not allow this role (serverAuth for servers, clientAuth for clients).',
  SAN_MISMATCH: 'The name or IP the client dialled is not among the server certificate\'s SANs.',
  TLS_VERSION: 'Client and server share no TLS version (e.g. `--tls-min-version` above what the client offers).',
  HANDSHAKE_FAILED: 'The TLS handshake failed for another reason (no shared cipher or signature algorithm).',
  NO_TRUSTED_CA: 'etcd `--client-cert-auth=true` without `--trusted-ca-file`: there is no CA to verify client certificates against, so every client is rejected.',
  // Connected, but not as the documentation promises
  NO_CLIENT_AUTH: 'The server never asked for a client certificate: any client that reaches the port gets in.',
  ANONYMOUS_ALLOWED: 'The server let the request in as system:anonymous: no credential was checked, so anyone who reaches the port is allowed the same.',
  SERVER_NOT_VERIFIED: 'The client did not verify the server\'s certificate: anyone who can intercept the connection can impersonate the server.',
  // HTTP: authentication and authorization
  INVALID_TOKEN: 'The bearer token was rejected (bad signature, wrong issuer, unknown or wrong bootstrap token).',
  TOKEN_EXPIRED: 'The bearer token has expired at the cluster clock.',
  NO_CREDENTIALS: 'No credentials, and anonymous requests are disabled: 401.',
  FORBIDDEN: 'Authenticated (or anonymous), but the authorizer does not allow the request: 403.',
  // A component that would not start
  KEY_MISMATCH: 'A private key does not belong to its certificate (the component refuses to start).',
  PEM_SWITCHED: 'A certificate path holds the key and the key path the certificate (the component refuses to start).',
  FILE_MISSING: 'A file named by a flag or config field does not exist (the component refuses to start).',
  BAD_FILE: 'A file named by a flag or config field cannot be parsed (the component refuses to start).',
  NO_SERVING_CERT: 'The kubelet has no serving certificate yet (a serverTLSBootstrap CSR not approved): it fails every handshake.',
  HTTP_ERROR: 'Authenticated and authorized, but the server answered with another HTTP error (404, 5xx).',
  CLIENT_KEY_UNUSABLE: 'The client\'s certificate or key parses but the TLS library refuses to use it (for instance an RSA key below 1024 bits).',
  // Transport
  CONNECTION_REFUSED: 'Nothing listens at the address the client dials.',
  CONNECTION_CLOSED: 'The connection closed without an answer (for instance the cluster stopped during the dial).',
  TIMEOUT: 'No answer within the dial timeout (`timeoutMs`, 15 s by default): a server that hangs, or a machine too busy.',
  // Added later (reasons are only ever appended)
  BAD_FLAG: 'A component flag has a value the real binary refuses as it starts (an unknown `--authorization-mode`, a port out of range): the component does not start.',
  FRONT_PROXY_NOT_ALLOWED: 'The front proxy\'s client certificate verifies against `--requestheader-client-ca-file`, but its CN is not in `--requestheader-allowed-names`: the extension server does not trust its X-Remote-User headers (401).',
  CREDENTIALS_PROMPT: 'kubectl\'s kubeconfig user has no credential at all: kubectl would prompt for a username (`Please enter Username:`) and, with no terminal, stop with `error: EOF`, sending no request.',
} as const;

export type Reason = keyof typeof REASONS;

export type Verdict = 'ok' | 'rejected' | 'insecure' | 'config-error';
export type Stage = 'config' | 'tls' | 'authn' | 'authz' | 'request';
export type Side = 'client' | 'server';

/**
 * The verdict each reason carries: one table, so a new reason cannot compile without saying
 * whether it is a rejection, a configuration error, or a connection that works but should not.
 */
export const REASON_VERDICT = {
  OK: 'ok',
  NO_CLIENT_CERT: 'rejected', UNKNOWN_AUTHORITY: 'rejected', NOT_A_CA: 'rejected', CERT_EXPIRED: 'rejected', CERT_NOT_YET_VALID: 'rejected',
  WRONG_EKU: 'rejected', SAN_MISMATCH: 'rejected', TLS_VERSION: 'rejected', HANDSHAKE_FAILED: 'rejected', NO_TRUSTED_CA: 'rejected',
  NO_CLIENT_AUTH: 'insecure', ANONYMOUS_ALLOWED: 'insecure', SERVER_NOT_VERIFIED: 'insecure',
  INVALID_TOKEN: 'rejected', TOKEN_EXPIRED: 'rejected', NO_CREDENTIALS: 'rejected', FORBIDDEN: 'rejected',
  KEY_MISMATCH: 'config-error', PEM_SWITCHED: 'config-error', FILE_MISSING: 'config-error', BAD_FILE: 'config-error',
  NO_SERVING_CERT: 'rejected', HTTP_ERROR: 'rejected', CLIENT_KEY_UNUSABLE: 'config-error',
  CONNECTION_REFUSED: 'rejected', CONNECTION_CLOSED: 'rejected', TIMEOUT: 'rejected',
  BAD_FLAG: 'config-error',
  FRONT_PROXY_NOT_ALLOWED: 'rejected',
  CREDENTIALS_PROMPT: 'config-error',
} as const satisfies Record<Reason, Verdict>;

/** The reasons of each verdict, e.g. `ReasonOf<'insecure'>`. */
export type ReasonOf<V extends Verdict> = { [R in Reason]: (typeof REASON_VERDICT)[R] extends V ? R : never }[Reason];
