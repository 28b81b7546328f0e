import type { GoVerification } from '../x509/go-verify.js';

/** What an authenticator concluded about one request (k8s.io/apiserver authenticator.Response). */
export interface UserInfo {
  name: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** `requestheader`: an extension server trusting the front proxy's X-Remote-User after checking its certificate. */
export type AuthnMethod = 'x509' | 'serviceaccount-token' | 'bootstrap-token' | 'anonymous' | 'requestheader';

/** Closed set of authentication failure reasons (a subset of lib/verdict/reasons.ts). */
export type AuthnFailure =
  | 'UNKNOWN_AUTHORITY'
  | 'CERT_EXPIRED'
  | 'CERT_NOT_YET_VALID'
  | 'WRONG_EKU'
  | 'NOT_A_CA'
  | 'INVALID_TOKEN'
  | 'TOKEN_EXPIRED'
  | 'NO_CREDENTIALS'
  | 'FRONT_PROXY_NOT_ALLOWED';

export type AuthnResult =
  | { ok: true; method: AuthnMethod; user: UserInfo }
  /**
   * `error` is what the component logs, in Go's wording (e.g. `verifying certificate SN=…, SKID=…, AKID=… failed: x509: …`).
   * `parts`: the messages of a utilerrors aggregate, so that an outer aggregate can flatten them as Go does.
   * `silent`: Go's authenticator returned no error (`nil, false, nil`), so nothing is logged at default verbosity;
   * `error` then says why for the simulation's own report. `detail`: a more precise cause than the logged `error`. `verification`: Go's refusal of a client certificate, as data.
   * `anonymousResetBecause`: why kube-apiserver turned anonymous requests off although --anonymous-auth did not.
   * `setting`: the flag whose value refused the credential, when that is not the CA (--requestheader-allowed-names).
   */
  | { ok: false; method: AuthnMethod; reason: AuthnFailure; error: string; parts?: string[]; silent?: true; detail?: string; verification?: GoVerification; anonymousResetBecause?: string; setting?: string };
