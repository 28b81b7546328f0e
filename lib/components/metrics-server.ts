import type { NodeFs } from '../fs/node-fs.js';
import { startMetricsServer, type MetricsServerConfig } from '../endpoints/metrics-server.js';
import { summarizeCert, summarizeTrust } from '../verdict/result.js';
import type { ServerComponentModule } from './component.js';
import { loadCaBundle, loadKeyPair } from '../component-base/files.js';
import { bool, dir, parseFlags, path, words } from '../component-base/flag-table.js';
import type { Flags } from '../component-base/flags.js';

const C = 'metrics-server';

/** Where a delegated extension server reads what kube-apiserver publishes about its own authentication. */
export const AUTH_CONFIGMAP = 'ConfigMap kube-system/extension-apiserver-authentication';

/**
 * The metrics-server flags the simulation reads (names and defaults as in metrics-server's options
 * and k8s.io/apiserver's secure serving and delegating authentication). The kubelet client's flags
 * are read by the dialler (clients/credentials.ts), as metrics-server's scraper reads them.
 */
export const METRICS_SERVER_FLAGS = {
  '--cert-dir': dir('The directory where the TLS certs are located. If --tls-cert-file and --tls-private-key-file are provided, this flag will be ignored.', 'apiserver.local.config/certificates'),
  '--tls-cert-file': path('File containing the default x509 Certificate for HTTPS. If HTTPS serving is enabled, and --tls-cert-file and --tls-private-key-file are not provided, a self-signed certificate and key are generated for the public address and saved to the directory specified by --cert-dir.'),
  '--tls-private-key-file': path('File containing the default x509 private key matching --tls-cert-file.'),
  '--client-ca-file': path('If set, any request presenting a client certificate signed by one of the authorities in the client-ca-file is authenticated with an identity corresponding to the CommonName of the client certificate.'),
  '--requestheader-client-ca-file': path('Root certificate bundle to use to verify client certificates on incoming requests before trusting usernames in headers specified by --requestheader-username-headers.'),
  '--requestheader-allowed-names': words('List of client certificate common names to allow to provide usernames in headers specified by --requestheader-username-headers. If empty, any client certificate validated by the authorities in --requestheader-client-ca-file is allowed.', []),
  '--requestheader-username-headers': words('List of request headers to inspect for usernames. X-Remote-User is common.', ['x-remote-user']),
  '--requestheader-group-headers': words('List of request headers to inspect for groups. X-Remote-Group is suggested.', ['x-remote-group']),
  '--kubelet-insecure-tls': bool('Do not verify CA of serving certificates presented by Kubelets. For testing purposes only.', false),
  '--kubelet-certificate-authority': path('Path to the CA to use to validate the Kubelet\'s serving certificates.'),
  '--kubelet-client-certificate': path('Path to a client cert file for TLS.'),
  '--kubelet-client-key': path('Path to a client key file for TLS.'),
  '--kubelet-preferred-address-types': words('The priority of node address types to use when determining which address to use to connect to a particular node', ['Hostname', 'InternalDNS', 'InternalIP', 'ExternalDNS', 'ExternalIP']),
} as const;

/**
 * Without --requestheader-client-ca-file (or --client-ca-file), a delegating server reads the values
 * kube-apiserver published in the extension-apiserver-authentication ConfigMap, which holds the
 * apiserver's own --requestheader-* and --client-ca-file: the field says which, for the report.
 */
function fromConfigMap(own: Flags, apiserver: Flags, flag: string): { value: string | undefined; field: string } {
  if (own[flag] !== undefined) return { value: own[flag], field: `${C} ${flag}` };
  return { value: apiserver[flag], field: `kube-apiserver ${flag} (metrics-server reads it from ${AUTH_CONFIGMAP})` };
}

/** Parses every flag, then loads the serving pair and the CA files; a missing or bad file is the error metrics-server exits with. */
export function configureMetricsServer(fs: NodeFs, flags: Flags, apiserverFlags: Flags, nodeName: string): MetricsServerConfig {
  const f = parseFlags(C, METRICS_SERVER_FLAGS, flags);
  const explicit = f['--tls-cert-file'] && f['--tls-private-key-file'];
  // MaybeDefaultWithSelfSignedCerts: the pair it generated in --cert-dir ("Generated self-signed cert (/tmp/apiserver.crt, /tmp/apiserver.key)").
  const [certFile, keyFile, servingField] = explicit
    ? [f['--tls-cert-file']!, f['--tls-private-key-file']!, `${C} --tls-cert-file`]
    : [`${f['--cert-dir']}/apiserver.crt`, `${f['--cert-dir']}/apiserver.key`, `${C} --cert-dir (self-signed apiserver.crt)`];
  const serving = loadKeyPair(fs, certFile, keyFile, servingField, explicit ? `${C} --tls-private-key-file` : `${C} --cert-dir (apiserver.key)`);
  const rhCa = fromConfigMap(flags, apiserverFlags, '--requestheader-client-ca-file');
  const clientCa = fromConfigMap(flags, apiserverFlags, '--client-ca-file');
  const list = (flag: keyof typeof METRICS_SERVER_FLAGS & `--requestheader-${string}`) => {
    const { value } = fromConfigMap(flags, apiserverFlags, flag);
    return value === undefined ? (f[flag] as string[]) : value.split(',').map((v) => v.trim()).filter(Boolean);
  };
  return {
    serving, servingField, nodeName,
    ...(rhCa.value ? {
      requestHeader: {
        ca: loadCaBundle(fs, rhCa.value, rhCa.field),
        allowedNames: list('--requestheader-allowed-names'),
        allowedNamesField: fromConfigMap(flags, apiserverFlags, '--requestheader-allowed-names').field,
        usernameHeaders: list('--requestheader-username-headers'),
        groupHeaders: list('--requestheader-group-headers'),
      },
    } : {}),
    ...(clientCa.value ? { clientCa: loadCaBundle(fs, clientCa.value, clientCa.field) } : {}),
  };
}

export const metricsServer: ServerComponentModule<MetricsServerConfig> = {
  name: C,
  flags: METRICS_SERVER_FLAGS,
  configure: (fs, flags, env) => configureMetricsServer(fs, flags, env.apiserverFlags ?? {}, env.nodeName),
  describe: (m) => ({
    presents: summarizeCert(m.serving.chain[0]!, { field: m.servingField, file: m.serving.certFile, chain: m.serving.chain }),
    // The front proxy is what this edge is about: the request-header CA is what its certificate is checked with first.
    verifiesClientsWith: m.requestHeader
      ? summarizeTrust('ca', m.requestHeader.ca.field, m.requestHeader.ca.certs, m.requestHeader.ca.file)
      : m.clientCa ? summarizeTrust('ca', m.clientCa.field, m.clientCa.certs, m.clientCa.file) : summarizeTrust('none', `${C} --requestheader-client-ca-file`, []),
  }),
  start: (config, ctx) => startMetricsServer(config, ctx.clock, ctx.reviewModes, ctx.ledger),
};
