import type { NodeFs } from '../fs/node-fs.js';
import { KubeMtlsSimError } from '../errors.js';
import { startEtcd, type EtcdConfig } from '../endpoints/etcd.js';
import { summarizeCert, summarizeTrust } from '../verdict/result.js';
import type { ServerComponentModule } from './component.js';
import { loadCaBundle, loadKeyPair } from '../component-base/files.js';
import { bool, initialCluster, parseFlags, path, text, urls } from '../component-base/flag-table.js';
import type { Flags } from '../component-base/flags.js';

const C = 'etcd';

/** The etcd flags the simulation reads (names and defaults as in etcd's embed.Config). */
export const ETCD_FLAGS = {
  '--name': text('Human-readable name for this member.', 'default'),
  '--cert-file': path('Path to the client server TLS cert file.'),
  '--key-file': path('Path to the client server TLS key file.'),
  '--trusted-ca-file': path('Path to the client server TLS trusted CA cert file.'),
  '--client-cert-auth': bool('Enable client cert authentication.', false),
  '--peer-cert-file': path('Path to the peer server TLS cert file.'),
  '--peer-key-file': path('Path to the peer server TLS key file.'),
  '--peer-trusted-ca-file': path('Path to the peer server TLS trusted CA file.'),
  '--peer-client-cert-auth': bool('Enable peer client cert authentication.', false),
  '--listen-client-urls': urls('List of URLs to listen on for client traffic.', ['https://127.0.0.1:2379']),
  '--advertise-client-urls': urls('List of this member\'s client URLs to advertise to the public.', []),
  // The peer side (lib/component-base/etcd-peer.ts reads these for the etcd-peer edge).
  '--listen-peer-urls': urls('List of URLs to listen on for peer traffic.', ['http://localhost:2380']),
  '--initial-advertise-peer-urls': urls('List of this member\'s peer URLs to advertise to the rest of the cluster.', ['http://localhost:2380']),
  '--initial-cluster': initialCluster('Initial cluster configuration for bootstrapping.', 'default=http://localhost:2380'),
  '--initial-cluster-token': text('Initial cluster token for the etcd cluster during bootstrap.', 'etcd-cluster'),
} as const;

/**
 * etcd's client port as its flags make it (client/pkg/transport/listener.go): `--trusted-ca-file`
 * or `--client-cert-auth` switches on RequireAndVerifyClientCert. The `--peer-*` files only concern the
 * peer port (2380), which the simulation does not open; etcd still reads them as it starts, so a
 * missing one stops it.
 */
export function configureEtcd(fs: NodeFs, flags: Flags): EtcdConfig {
  const f = parseFlags(C, ETCD_FLAGS, flags);
  const clientUrls = f['--listen-client-urls'];
  const certFile = f['--cert-file'];
  const keyFile = f['--key-file'];
  if (!certFile || !keyFile) {
    const message = `TLS key/cert (--cert-file, --key-file) must be provided for client url ${clientUrls[0]!} with HTTPS scheme`;
    throw new KubeMtlsSimError('ERR_COMPONENT_FLAG', `etcd: ${message}`, { field: '--cert-file', goMessage: message });
  }
  const serving = loadKeyPair(fs, certFile, keyFile, `${C} --cert-file`, `${C} --key-file`);
  const trustedCaFile = f['--trusted-ca-file'];
  const clientCertAuth = f['--client-cert-auth'];
  const peer = { certFile: f['--peer-cert-file'], keyFile: f['--peer-key-file'], trustedCaFile: f['--peer-trusted-ca-file'] };
  for (const [flag, file] of [['--peer-cert-file', peer.certFile], ['--peer-key-file', peer.keyFile], ['--peer-trusted-ca-file', peer.trustedCaFile]] as const) {
    if (file) fs.read(file, `${C} ${flag}`);
  }
  return {
    flags, serving, clientCertAuth, clientUrls,
    ...(trustedCaFile ? { trustedCa: loadCaBundle(fs, trustedCaFile, `${C} --trusted-ca-file`) } : {}),
    requireClientCert: Boolean(trustedCaFile) || clientCertAuth,
    peer: {
      ...(peer.certFile ? { certFile: peer.certFile } : {}),
      ...(peer.keyFile ? { keyFile: peer.keyFile } : {}),
      ...(peer.trustedCaFile ? { trustedCaFile: peer.trustedCaFile } : {}),
      clientCertAuth: f['--peer-client-cert-auth'],
    },
  };
}

export const etcd: ServerComponentModule<EtcdConfig> = {
  name: C,
  flags: ETCD_FLAGS,
  configure: (fs, flags) => configureEtcd(fs, flags),
  describe: (e) => ({
    presents: summarizeCert(e.serving.chain[0]!, { field: `${C} --cert-file`, file: e.serving.certFile, chain: e.serving.chain }),
    verifiesClientsWith: e.trustedCa
      ? summarizeTrust('ca', `${C} --trusted-ca-file`, e.trustedCa.certs, e.trustedCa.file)
      : e.clientCertAuth
        ? summarizeTrust('system-roots', `${C} --client-cert-auth, --trusted-ca-file`, [])
        : summarizeTrust('none', `${C} --trusted-ca-file, --client-cert-auth`, []),
  }),
  start: (config, ctx) => startEtcd(config, ctx.clock, ctx.ledger),
};
