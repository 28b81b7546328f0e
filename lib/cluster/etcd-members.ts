// The other members of a multi-member etcd, in this process: started on first use of the etcd-peer
// edge, so a one-member cluster (the default) starts nothing more than it always did.
import type { Clock } from '../clock.js';
import type { ServerState } from '../clients/dial.js';
import { loadPeerTls, onlyOneMember, peerPair, type EtcdMember } from '../component-base/etcd-peer.js';
import type { ControlPlaneSpec } from '../component-base/presets.js';
import { startEtcdPeer } from '../endpoints/etcd-peer.js';
import type { ConnectionRecord, Endpoint } from '../endpoints/tls-endpoint.js';
import { isKubeMtlsSimError, KubeMtlsSimError } from '../errors.js';
import type { NodeFs } from '../fs/node-fs.js';
import type { ConnectionLedger } from '../tls/connection-ledger.js';
import { formatIP, isIP } from '../util/ip.js';
import { summarizeCert, summarizeTrust } from '../verdict/result.js';

export interface EtcdPeers {
  /** The member this node's etcd dials first (the next in --initial-cluster; this member itself with dialSelf), as a server. */
  dialled: ServerState;
  /** Which member's peer port answers at host:port. */
  lookup(host: string, port: number): ServerState | undefined;
  endpoints: Endpoint[];
}

const routeKey = (host: string, port: number) => `${isIP(host) ? formatIP(host) : host.toLowerCase()}:${port}`;

/**
 * Every member of --initial-cluster gets a peer port on 127.0.0.1, configured with this node's etcd
 * flags and files (the members share a host, so they share its peer certificate: its SANs must hold
 * the host of every peer URL). A member whose files do not load keeps its startup error, as does every
 * member when this node's etcd itself would not start (it is one process).
 */
export async function startEtcdPeers(fs: NodeFs, spec: ControlPlaneSpec, etcd: ServerState, clock: Clock, ledger: ConnectionLedger<ConnectionRecord>, dialSelf = false): Promise<EtcdPeers> {
  const flags = spec.etcd;
  const pair = peerPair(flags, dialSelf);
  if (!pair) throw onlyOneMember(flags);
  const plain = pair.members.find((m) => m.scheme !== 'https');
  if (plain) {
    throw new KubeMtlsSimError('ERR_USAGE', `etcd-peer: member ${plain.name}'s peer URL ${plain.url} is plain http: the simulation models peer TLS only (over http anyone who reaches the port can join or read raft traffic)`, { field: '--initial-cluster' });
  }
  const states = new Map<string, ServerState>();
  const endpoints: Endpoint[] = [];
  for (const member of pair.members) {
    const state: ServerState = { component: 'etcd' };
    try {
      const problem = spec.problems?.etcd ?? etcd.startupError;
      if (problem) throw problem;
      endpoints.push((state.endpoint = startMember(fs, flags, member, pair.members, state, clock, ledger)));
    } catch (error) {
      if (!isKubeMtlsSimError(error)) throw error;
      state.startupError = error;
    }
    states.set(routeKey(member.host, member.port), state);
  }
  await Promise.all(endpoints.map((e) => e.listen()));
  return { dialled: states.get(routeKey(pair.peer.host, pair.peer.port))!, lookup: (host, port) => states.get(routeKey(host, port)), endpoints };
}

function startMember(fs: NodeFs, flags: ControlPlaneSpec['etcd'], member: EtcdMember, members: readonly EtcdMember[], state: ServerState, clock: Clock, ledger: ConnectionLedger<ConnectionRecord>): Endpoint {
  const tls = loadPeerTls(fs, flags, member);
  const pair = tls.pair!;
  state.presents = summarizeCert(pair.chain[0]!, { field: 'etcd --peer-cert-file', file: pair.certFile, chain: pair.chain });
  state.verifiesClientsWith = tls.trustedCa
    ? summarizeTrust('ca', 'etcd --peer-trusted-ca-file', tls.trustedCa.certs, tls.trustedCa.file)
    : tls.clientCertAuth
      ? summarizeTrust('system-roots', 'etcd --peer-client-cert-auth, --peer-trusted-ca-file', [])
      : summarizeTrust('none', 'etcd --peer-trusted-ca-file, --peer-client-cert-auth', []);
  return startEtcdPeer(member, members, { ...tls, pair }, clock, ledger);
}

/**
 * The peers, started once on first use; `adopt` hands their endpoints to the cluster (which closes
 * them on stop). A cluster stopped while they started closes them at once.
 */
export function lazyEtcdPeers(start: () => Promise<EtcdPeers>, adopt: (endpoints: Endpoint[]) => void, stopped: () => boolean): () => Promise<EtcdPeers> {
  let peers: Promise<EtcdPeers> | undefined;
  return () => (peers ??= start().then(async (p) => {
    if (stopped()) {
      await Promise.all(p.endpoints.map((e) => e.close()));
      throw new KubeMtlsSimError('ERR_CLUSTER_STOPPED', 'cannot dial etcd-peer: the cluster was stopped');
    }
    adopt(p.endpoints);
    return p;
  }));
}
