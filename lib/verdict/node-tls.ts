import type { Reason } from './reasons.js';

/**
 * The node:tls (OpenSSL) error codes a handshake can end with that say which TLS versions the two
 * sides speak: the client sees the server's protocol_version alert, the server sees a ClientHello
 * below its minimum. Every other code is a handshake that failed for another reason.
 */
export const NODE_TLS_REASONS = {
  ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: 'TLS_VERSION',
  ERR_SSL_UNSUPPORTED_PROTOCOL: 'TLS_VERSION',
  ERR_SSL_NO_PROTOCOLS_AVAILABLE: 'TLS_VERSION',
  ERR_SSL_WRONG_VERSION_NUMBER: 'TLS_VERSION',
  ERR_SSL_VERSION_TOO_LOW: 'TLS_VERSION',
  ERR_SSL_UNSUPPORTED_SSL_VERSION: 'TLS_VERSION',
  ERR_SSL_TLSV1_ALERT_INTERNAL_ERROR: 'HANDSHAKE_FAILED',
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: 'HANDSHAKE_FAILED',
  ERR_SSL_NO_SHARED_CIPHER: 'HANDSHAKE_FAILED',
  ERR_SSL_NO_SUITABLE_SIGNATURE_ALGORITHM: 'HANDSHAKE_FAILED',
} as const satisfies Record<string, Extract<Reason, 'TLS_VERSION' | 'HANDSHAKE_FAILED'>>;

export type NodeTlsCode = keyof typeof NODE_TLS_REASONS;

function isNodeTlsCode(code: string | undefined): code is NodeTlsCode {
  return code !== undefined && Object.hasOwn(NODE_TLS_REASONS, code);
}

/** What a node:tls error code says about the handshake, from either side's seat; `undefined` for a code that is not a TLS one. */
export function nodeTlsReason(code: string | undefined): (typeof NODE_TLS_REASONS)[NodeTlsCode] | undefined {
  return isNodeTlsCode(code) ? NODE_TLS_REASONS[code] : undefined;
}
