import type { EdgeSpec } from '../edges/edges.js';
import type { Reason, Side, Verdict } from './reasons.js';

/** What the wording of an outcome is made from (wording.ts, wording-addon.ts). */
export interface WordingInput {
  edge: EdgeSpec;
  verdict: Verdict;
  reason: Reason;
  detectedBy: Side | null;
  nodeName: string;
  url: string;
  clientPort: number | undefined;
  /** Go x509 error from the client's verification of the server certificate. */
  clientVerifyError?: string;
  /** The server's own log line (etcd rejection, apiserver authn error, startup error). */
  serverLog?: string;
  /** Message of a 401/403 answer (apiserver Status message, or the kubelet's text). */
  httpStatus?: number;
  httpMessage?: string;
  /** For config errors: the Go error of the component that would not start. */
  configError?: { side: Side; component: string; goMessage: string };
}
