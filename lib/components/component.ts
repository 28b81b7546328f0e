import type { Clock } from '../clock.js';
import type { NodeFs } from '../fs/node-fs.js';
import type { AuthorizationMode } from '../authz/types.js';
import type { ServerComponent } from '../edges/edges.js';
import type { ApiServerState } from '../endpoints/apiserver.js';
import type { ConnectionRecord, Endpoint } from '../endpoints/tls-endpoint.js';
import type { ServerSeat } from '../tls/connection-ledger.js';
import type { EdgeResult, TrustSummary } from '../verdict/result.js';
import type { KubeletConfigOverrides } from '../kubeletconfig/config.js';
import type { FlagTable } from '../component-base/flag-table.js';
import type { Flags } from '../component-base/flags.js';

/** What a server shows the report: the certificate it presents and what it verifies clients with (flag and file). */
export interface ServerDescription {
  presents: EdgeResult['server']['presented'];
  verifiesClientsWith: TrustSummary | null;
  /** The lowest TLS version it accepts, when a flag sets one. */
  minVersion?: string;
}

/** What configuring a component needs beside its flags and the node's files. */
export interface ConfigureEnv {
  nodeName: string;
  /** KubeletConfiguration fields merged into the kubelet's config file. */
  kubeletConfig?: KubeletConfigOverrides;
  /** kube-apiserver's command line: an extension server reads what it publishes in the extension-apiserver-authentication ConfigMap. */
  apiserverFlags?: Flags;
}

/** What a server needs from the cluster it starts in, beyond its own flags and files. */
export interface StartContext {
  clock: Clock;
  nodeName: string;
  /** The apiserver's objects (tokens, CSRs, Nodes). */
  apiserver: ApiServerState;
  /** What a SubjectAccessReview is answered with: the apiserver's --authorization-mode. */
  reviewModes: readonly AuthorizationMode[];
  /** Where the endpoints file their records of connections for the cluster's clients. */
  ledger: ServerSeat<ConnectionRecord>;
}

/**
 * A server component as a module: its flag table, `configure` (reads its command line through the
 * table and the files it names; a bad flag or file throws the typed error the real binary exits
 * with), `describe` (for the report) and `start` (an endpoint, not yet listening).
 */
export interface ServerComponentModule<Config = unknown> {
  readonly name: ServerComponent;
  readonly flags: FlagTable;
  configure(fs: NodeFs, flags: Flags, env: ConfigureEnv): Config;
  describe(config: Config): ServerDescription;
  start(config: Config, ctx: StartContext): Endpoint;
}
