import type { Clock } from '../clock.js';
import type { EtcdMember, PeerTls } from '../component-base/etcd-peer.js';
import type { LoadedKeyPair } from '../component-base/files.js';
import { subjectFields } from '../pki/verify.js';
import type { ServerSeat } from '../tls/connection-ledger.js';
import { enforceClientCert } from './etcd.js';
import { sendJson } from './http.js';
import { recordExchange, TlsEndpoint, type ConnectionRecord } from './tls-endpoint.js';

/**
 * One etcd member's peer port (2380): rafthttp's handler behind the peer TLS, which etcd builds with
 * the same transport.TLSInfo code as the client port (so --peer-trusted-ca-file alone already
 * requires a client certificate, measured on etcd 3.4). It answers the requests a member makes of
 * another before raft traffic: the member list, the version, the health probe.
 */
export function startEtcdPeer(member: EtcdMember, members: readonly EtcdMember[], tls: PeerTls & { pair: LoadedKeyPair }, clock: Clock, ledger?: ServerSeat<ConnectionRecord>): TlsEndpoint {
  return new TlsEndpoint({
    name: `etcd ${member.name} (peer)`,
    ...(ledger ? { ledger } : {}),
    certPem: tls.pair.certPem,
    chain: tls.pair.chain,
    keyPem: tls.pair.keyPem,
    ...(tls.trustedCa ? { caPem: tls.trustedCa.certs.map((c) => c.pem).join('') } : {}),
    requestCert: tls.requireClientCert,
    onSecure: (record, socket) => enforceClientCert({ require: tls.requireClientCert, roots: tls.trustedCa?.certs ?? [] }, clock, record, socket),
    handle: (req, res, record) => {
      const path = (req.url ?? '/').split('?')[0];
      const leaf = tls.requireClientCert ? record.peerChain[0] : undefined;
      // The peer port has no users: a verified certificate is all a member is known by (its CN shows who dialled).
      const authn = leaf ? { ok: true as const, method: 'x509' as const, user: { name: subjectFields(leaf).cn, groups: [] } } : null;
      const answer = (status: number, body: unknown) => {
        recordExchange(record, { method: req.method ?? 'GET', path: req.url ?? '/', status, authn });
        sendJson(res, status, body);
      };
      if (path === '/members') return answer(200, members.map((m) => ({ id: BigInt(`0x${m.id}`).toString(), peerURLs: [m.url], name: m.name })));
      if (path === '/version') return answer(200, { etcdserver: '3.4.23', etcdcluster: '3.4.0' });
      if (path === '/raft/probing') return answer(200, { health: 'true' });
      return answer(404, { error: 'Not Found', code: 5, message: 'Not Found' });
    },
  });
}
