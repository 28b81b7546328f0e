import { loadPeerTls, peerPair } from '../component-base/etcd-peer.js';
import type { Flags } from '../component-base/flags.js';
import { KubeMtlsSimError } from '../errors.js';
import type { NodeFs } from '../fs/node-fs.js';
import type { ClientSide, ClientTrust } from './credentials.js';

/**
 * This member (--name) as rafthttp dials the next member of --initial-cluster: it presents its
 * --peer-cert-file and verifies the peer's certificate against --peer-trusted-ca-file (the system
 * roots without it) and the host of the peer URL (transport.TLSInfo.ClientConfig).
 */
export function etcdPeerClient(fs: NodeFs, flags: Flags): ClientSide {
  const pair = peerPair(flags);
  if (!pair) throw onlyOneMember(flags);
  const { self, peer } = pair;
  const tls = loadPeerTls(fs, flags, self);
  const field = 'etcd --peer-trusted-ca-file';
  const trust: ClientTrust = tls.trustedCa ? { kind: 'ca', certs: tls.trustedCa.certs, field, file: tls.trustedCa.file } : { kind: 'system-roots', certs: [], field };
  return {
    component: 'etcd', url: peer.url, host: peer.host, port: peer.port, verifyName: peer.host, trust, configuredBy: `etcd flags (member ${self.name})`,
    ...(tls.pair ? { cert: { chain: tls.pair.chain, certPem: tls.pair.certPem, keyPem: tls.pair.keyPem, field: 'etcd --peer-cert-file', file: tls.pair.certFile } } : {}),
  };
}

/** The peer edge needs a second member: asked of a one-member etcd it is a usage error, not an outcome. */
export function onlyOneMember(flags: Flags): KubeMtlsSimError {
  return new KubeMtlsSimError('ERR_USAGE',
    `etcd-peer: etcd --initial-cluster names one member (${flags['--initial-cluster'] ?? 'unset'}): there is no peer to dial; list two or three members, e.g. --initial-cluster=a=https://10.0.0.10:2380,b=https://10.0.0.10:12380`,
    { field: '--initial-cluster' });
}
