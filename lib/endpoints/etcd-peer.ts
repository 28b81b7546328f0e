import type { Clock } from '../clock.js';
import type { EtcdMember, PeerTls } from '../component-base/etcd-peer.js';
import type { LoadedKeyPair } from '../component-base/files.js';
import type { ServerSeat } from '../tls/connection-ledger.js';
import { ETCD_NOT_FOUND, ETCD_VERSION, startEtcdListener } from './etcd.js';
import type { ConnectionRecord, TlsEndpoint } from './tls-endpoint.js';

/**
 * One etcd member's peer port (2380): rafthttp's handler behind the peer TLS, which etcd builds with
 * the same transport.TLSInfo code as the client port (so --peer-trusted-ca-file alone already
 * requires a client certificate, measured on etcd 3.4). It answers the requests a member makes of
 * another before raft traffic: the member list, the version, the health probe.
 */
export function startEtcdPeer(member: EtcdMember, members: readonly EtcdMember[], tls: PeerTls & { pair: LoadedKeyPair }, clock: Clock, ledger?: ServerSeat<ConnectionRecord>): TlsEndpoint {
  // The peer port has no users: a verified certificate is all a member is known by (its CN shows who dialled).
  return startEtcdListener({
    name: `etcd ${member.name} (peer)`, serving: tls.pair, requireClientCert: tls.requireClientCert, ...(tls.trustedCa ? { trustedCa: tls.trustedCa } : {}),
    route: (path, _method, answer) => {
      if (path === '/members') return answer(200, members.map((m) => ({ id: BigInt(`0x${m.id}`).toString(), peerURLs: [m.url], name: m.name })));
      if (path === '/version') return answer(200, ETCD_VERSION);
      if (path === '/raft/probing') return answer(200, { health: 'true' });
      return answer(404, ETCD_NOT_FOUND);
    },
  }, clock, ledger);
}
