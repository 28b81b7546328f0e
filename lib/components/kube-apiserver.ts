import { createPublicKey, type KeyObject } from 'node:crypto';
import type { NodeFs } from '../fs/node-fs.js';
import { KubeMtlsSimError } from '../errors.js';
import type { AuthorizationMode } from '../authz/types.js';
import { startApiServer, type ApiServerConfig } from '../endpoints/apiserver.js';
import { readCertificates } from '../pki/pem.js';
import { summarizeCert, summarizeTrust } from '../verdict/result.js';
import type { ServerComponentModule } from './component.js';
import { loadCaBundle, loadKeyPair } from '../component-base/files.js';
import { bool, FlagValueError, ip, issuers, parseFlags, path, paths, port, tlsVersion, urls, words, type FlagSpec } from '../component-base/flag-table.js';
import type { Flags } from '../component-base/flags.js';

const C = 'kube-apiserver';

/** pkg/kubeapiserver/authorizer/modes: every mode kube-apiserver knows. */
const KNOWN_MODES = ['AlwaysAllow', 'AlwaysDeny', 'ABAC', 'Webhook', 'RBAC', 'Node'] as const;

/**
 * `--authorization-mode`, a pflag StringSlice checked as BuiltInAuthorizationOptions.Validate checks
 * it (pkg/kubeapiserver/options/authorization.go), with its words; several errors are one aggregate.
 * ABAC needs --authorization-policy-file, which the simulation does not have; Webhook is kept as the
 * simulation models it (a SubjectAccessReview answered by Node,RBAC) without its config file.
 */
function authorizationModes(): FlagSpec<AuthorizationMode[]> {
  return {
    kind: 'authorization-modes', default: ['AlwaysAllow'],
    doc: `Ordered list of plug-ins to do authorization on secure port. Comma-delimited list of: ${KNOWN_MODES.join(',')}.`,
    parse: (value, flag) => {
      const modes = value === '' ? [] : value.split(',');
      const errors: string[] = [];
      if (modes.length === 0) errors.push('at least one authorization-mode must be passed');
      for (const mode of modes) {
        if (!(KNOWN_MODES as readonly string[]).includes(mode)) errors.push(`authorization-mode ${JSON.stringify(mode)} is not a valid mode`);
        if (mode === 'ABAC') errors.push("authorization-mode ABAC's authorization policy file not passed");
      }
      if (new Set(modes).size !== modes.length) errors.push(`authorization-mode [${modes.map((m) => JSON.stringify(m)).join(' ')}] has mode specified more than once`);
      if (errors.length > 0) {
        // utilerrors.NewAggregate: one error is itself, several are bracketed and comma-joined.
        const goMessage = errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`;
        throw new FlagValueError(`\`${flag}=${value}\`: ${goMessage}`, goMessage);
      }
      return modes as AuthorizationMode[];
    },
  };
}

/** The kube-apiserver flags the simulation reads (names and defaults as in cmd/kube-apiserver). */
export const KUBE_APISERVER_FLAGS = {
  '--advertise-address': ip('The IP address on which to advertise the apiserver to members of the cluster.'),
  '--secure-port': port('The port on which to serve HTTPS with authentication and authorization.', 6443),
  '--tls-cert-file': path('File containing the default x509 Certificate for HTTPS (CA cert, if any, concatenated after server cert).'),
  '--tls-private-key-file': path('File containing the default x509 private key matching --tls-cert-file.'),
  '--client-ca-file': path('Any request presenting a client certificate signed by one of the authorities in this file is authenticated.'),
  '--etcd-servers': urls('List of etcd servers to connect with (scheme://ip:port), comma separated.', []),
  '--etcd-cafile': path('SSL Certificate Authority file used to secure etcd communication.'),
  '--etcd-certfile': path('SSL certification file used to secure etcd communication.'),
  '--etcd-keyfile': path('SSL key file used to secure etcd communication.'),
  '--kubelet-client-certificate': path('Path to a client cert file for TLS.'),
  '--kubelet-client-key': path('Path to a client key file for TLS.'),
  '--kubelet-certificate-authority': path("Path to a cert file for the certificate authority (verifies the kubelet's serving certificate)."),
  '--kubelet-preferred-address-types': words('List of the preferred NodeAddressTypes to use for kubelet connections.', ['Hostname', 'InternalDNS', 'InternalIP', 'ExternalDNS', 'ExternalIP']),
  '--proxy-client-cert-file': path('Client certificate used to prove the identity of the aggregator or kube-apiserver when it must call out during a request.'),
  '--proxy-client-key-file': path('Private key for the client certificate used to prove the identity of the aggregator or kube-apiserver when it must call out during a request.'),
  '--requestheader-client-ca-file': path('Root certificate bundle to use to verify client certificates on incoming requests before trusting usernames in headers specified by --requestheader-username-headers.'),
  '--requestheader-allowed-names': words('List of client certificate common names to allow to provide usernames in headers specified by --requestheader-username-headers. If empty, any client certificate validated by the authorities in --requestheader-client-ca-file is allowed.', []),
  '--requestheader-username-headers': words('List of request headers to inspect for usernames. X-Remote-User is common.', []),
  '--requestheader-group-headers': words('List of request headers to inspect for groups. X-Remote-Group is suggested.', []),
  '--requestheader-extra-headers-prefix': words('List of request header prefixes to inspect. X-Remote-Extra- is suggested.', []),
  '--service-account-key-file': paths('File containing PEM-encoded x509 RSA or ECDSA private or public keys, used to verify ServiceAccount tokens.'),
  '--service-account-issuer': issuers('Identifier of the service account token issuer.'),
  '--enable-bootstrap-token-auth': bool("Enable to allow secrets of type 'bootstrap.kubernetes.io/token' in the 'kube-system' namespace to be used for TLS bootstrapping authentication.", false),
  '--anonymous-auth': bool('Enables anonymous requests to the secure port of the API server.', true),
  '--tls-min-version': tlsVersion('Minimum TLS version supported.'),
  '--authorization-mode': authorizationModes(),
} as const;

/** kube-apiserver's --authorization-mode (AlwaysAllow when unset), or null when it does not parse (the apiserver does not start then). */
export function authorizationModesOf(flags: Flags): AuthorizationMode[] | null {
  const value = flags['--authorization-mode'];
  if (value === undefined) return ['AlwaysAllow'];
  try {
    return KUBE_APISERVER_FLAGS['--authorization-mode'].parse(value, '--authorization-mode');
  } catch (error) {
    if (error instanceof FlagValueError) return null;
    throw error;
  }
}

/** `--service-account-key-file` holds PEM public keys, or private keys (their public halves), or certificates. */
function publicKeys(fs: NodeFs, file: string): KeyObject[] {
  const text = fs.read(file, `${C} --service-account-key-file`).toString('utf8');
  if (text.includes('CERTIFICATE')) return readCertificates(text, { file }).map((c) => c.node.publicKey);
  return [createPublicKey(text)];
}

/** Parses every flag, then reads every file the flags name; either failing is the error a real apiserver dies with. */
export function configureApiServer(fs: NodeFs, flags: Flags, nodeName: string): ApiServerConfig {
  const f = parseFlags(C, KUBE_APISERVER_FLAGS, flags);
  const certFile = f['--tls-cert-file'];
  const keyFile = f['--tls-private-key-file'];
  if (!certFile || !keyFile) {
    throw new KubeMtlsSimError('ERR_COMPONENT_FLAG', `${C}: --tls-cert-file and --tls-private-key-file must be set (the simulation does not self-sign the apiserver)`, { field: '--tls-cert-file' });
  }
  const serving = loadKeyPair(fs, certFile, keyFile, `${C} --tls-cert-file`, `${C} --tls-private-key-file`);
  const clientCaFile = f['--client-ca-file'];
  // The aggregation layer's files are read as the apiserver starts (a missing one stops it), though only the front-proxy dial uses them.
  const proxyCert = f['--proxy-client-cert-file'];
  const proxyKey = f['--proxy-client-key-file'];
  if (proxyCert || proxyKey) loadKeyPair(fs, proxyCert ?? '', proxyKey ?? '', `${C} --proxy-client-cert-file`, `${C} --proxy-client-key-file`);
  const requestHeaderCa = f['--requestheader-client-ca-file'];
  if (requestHeaderCa) loadCaBundle(fs, requestHeaderCa, `${C} --requestheader-client-ca-file`);
  const modes = f['--authorization-mode'];
  const minVersion = f['--tls-min-version'];
  return {
    flags, serving, nodeName,
    serviceAccountKeys: f['--service-account-key-file'].flatMap((file) => publicKeys(fs, file)),
    ...(clientCaFile ? { clientCa: loadCaBundle(fs, clientCaFile, `${C} --client-ca-file`) } : {}),
    serviceAccountIssuers: f['--service-account-issuer'],
    bootstrapTokenAuth: f['--enable-bootstrap-token-auth'],
    // ApplyAuthorization: "AnonymousAuth is not allowed with the AlwaysAllow authorizer. Resetting AnonymousAuth to false."
    anonymous: f['--anonymous-auth'] && !modes.includes('AlwaysAllow'),
    authorizationModes: modes,
    ...(minVersion ? { minVersion } : {}),
  };
}

export const kubeApiserver: ServerComponentModule<ApiServerConfig> = {
  name: C,
  flags: KUBE_APISERVER_FLAGS,
  configure: (fs, flags, env) => configureApiServer(fs, flags, env.nodeName),
  describe: (a) => ({
    presents: summarizeCert(a.serving.chain[0]!, { field: `${C} --tls-cert-file`, file: a.serving.certFile, chain: a.serving.chain }),
    verifiesClientsWith: a.clientCa
      ? summarizeTrust('ca', `${C} --client-ca-file`, a.clientCa.certs, a.clientCa.file)
      : summarizeTrust('none', `${C} --client-ca-file`, []),
    ...(a.minVersion ? { minVersion: a.minVersion } : {}),
  }),
  start: (config, ctx) => startApiServer(config, ctx.apiserver, ctx.ledger),
};
