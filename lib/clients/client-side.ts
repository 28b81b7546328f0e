import type { IssuedCert } from '../pki/issue.js';

/** How a client decides whether to trust the server's certificate. */
export type ClientTrust =
  | { kind: 'ca'; certs: IssuedCert[]; field: string; file: string }
  /** No CA configured: Go falls back to the system roots, which hold no cluster CA. */
  | { kind: 'system-roots'; certs: []; field: string }
  /** Verification switched off (`insecure-skip-tls-verify`, or no `--kubelet-certificate-authority`). */
  | { kind: 'none'; field: string; switchedOff?: boolean };

/** One side of an edge, configured as the real client is. */
export interface ClientSide {
  component: string;
  /** The URL as configured. */
  url: string;
  host: string;
  port: number;
  /** The name checked against the server certificate (`tls-server-name` when set, else the host). */
  verifyName: string;
  trust: ClientTrust;
  cert?: { chain: IssuedCert[]; certPem: string; keyPem: string; field: string; file: string };
  token?: { value: string; field: string; file: string };
  /** Where this client's configuration lives (kubeconfig path or flags). */
  configuredBy: string;
}
