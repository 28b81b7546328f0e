import type { TLSSocket } from 'node:tls';
import type { Clock } from '../clock.js';
import type { Flags } from '../component-base/flags.js';
import type { LoadedKeyPair } from '../component-base/files.js';
import type { IssuedCert } from '../pki/issue.js';
import { goVerify, type GoVerification } from '../x509/go-verify.js';
import { subjectFields } from '../pki/verify.js';
import { sendJson, sendText } from './http.js';
import { recordExchange, TlsEndpoint, type ConnectionRecord, type TlsEndpointOptions } from './tls-endpoint.js';
import type { ServerSeat } from '../tls/connection-ledger.js';
import { clusterId, etcdMembers } from '../component-base/etcd-peer.js';
import { serveGrpc, type EtcdIdentity } from './etcd-grpc.js';
import { EtcdKeySpace } from './etcd-kv.js';
import { GATEWAY_PATHS, gatewayCall } from './etcd-gateway.js';

/** etcd's client port as its flags make it (lib/components/etcd.ts reads them). */
export interface EtcdConfig {
  flags: Flags;
  serving: LoadedKeyPair;
  trustedCa?: { certs: IssuedCert[]; file: string };
  clientCertAuth: boolean;
  /** Whether the client port asks for (and requires) client certificates. */
  requireClientCert: boolean;
  clientUrls: string[];
  /** Peer flags read and checked, shown to have no effect on the client port. */
  peer: { certFile?: string; keyFile?: string; trustedCaFile?: string; clientCertAuth: boolean };
}

const C = 'etcd';
/** etcd's default --max-request-bytes. */
const MAX_REQUEST_BYTES = 1.5 * 1024 * 1024;

/** etcd's startup line that echoes the client TLS config (capnslog form), to show which config is active. */
export function etcdClientTlsLine(config: EtcdConfig): string {
  const f = config.flags;
  return `embed: ClientTLS: cert = ${f['--cert-file']}, key = ${f['--key-file']}, trusted-ca = ${f['--trusted-ca-file'] ?? ''}, client-cert-auth = ${config.clientCertAuth}, crl-file = `;
}

/** What both of etcd's listeners (client port, peer port) are built from: transport.TLSInfo and a handler. */
export interface EtcdListener {
  name: string;
  serving: Pick<LoadedKeyPair, 'certPem' | 'chain' | 'keyPem'>;
  trustedCa?: { certs: IssuedCert[] };
  requireClientCert: boolean;
  /** Answers one request by path (the query cut off) and its body; `answer` records the exchange and sends JSON (or text, given a string). */
  route: (path: string, method: string, answer: (status: number, body: unknown) => void, body: string) => void;
  /** etcd's gRPC API beside the HTTP handler, on the same port (the client port has it; etcdctl speaks it). */
  grpc?: { kv: EtcdKeySpace; identity: () => EtcdIdentity };
}

/**
 * One etcd listener: the TLS etcd builds from transport.TLSInfo (so the client and peer ports
 * require, verify and log client certificates alike) and its handler. With client certificate auth
 * on, etcd knows the client by its certificate's CN (its user when etcd auth is enabled).
 */
export function startEtcdListener(listener: EtcdListener, clock: Clock, ledger?: ServerSeat<ConnectionRecord>): TlsEndpoint {
  const roots = listener.trustedCa?.certs ?? [];
  return new TlsEndpoint({
    name: listener.name,
    ...(ledger ? { ledger } : {}),
    certPem: listener.serving.certPem,
    chain: listener.serving.chain,
    keyPem: listener.serving.keyPem,
    ...(listener.trustedCa ? { caPem: roots.map((c) => c.pem).join('') } : {}),
    requestCert: listener.requireClientCert,
    onSecure: (record, socket) => enforceClientCert({ require: listener.requireClientCert, roots }, clock, record, socket),
    handle: (req, res, record) => {
      const authn = etcdAuthn(listener, record);
      const answer = (status: number, body: unknown) => {
        recordExchange(record, { method: req.method ?? 'GET', path: req.url ?? '/', status, authn });
        if (typeof body === 'string') sendText(res, status, body);
        else sendJson(res, status, body);
      };
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
      });
      req.on('end', () => {
        // etcd's --max-request-bytes (1.5 MiB by default) refuses a bigger request as InvalidArgument.
        if (size > MAX_REQUEST_BYTES) return answer(400, { error: 'etcdserver: request is too large', message: 'etcdserver: request is too large', code: 3 });
        listener.route((req.url ?? '/').split('?')[0]!, req.method ?? 'GET', answer, Buffer.concat(chunks).toString('utf8'));
      });
    },
    ...(listener.grpc ? { grpc: grpcHandler(listener, listener.grpc) } : {}),
  });
}

function etcdAuthn(listener: EtcdListener, record: ConnectionRecord) {
  const leaf = listener.requireClientCert ? record.peerChain[0] : undefined;
  return leaf ? { ok: true as const, method: 'x509' as const, user: { name: subjectFields(leaf).cn, groups: [] } } : null;
}

/** Each gRPC call is one exchange of the connection's record, like an HTTP request (status 200: gRPC's own status is in the trailers). */
function grpcHandler(listener: EtcdListener, grpc: NonNullable<EtcdListener['grpc']>): NonNullable<TlsEndpointOptions['grpc']> {
  return (req, res, record) => serveGrpc(req, res, grpc.kv, grpc.identity(), () => {
    recordExchange(record, { method: req.method, path: req.url, status: 200, authn: etcdAuthn(listener, record) });
  });
}

/** etcd's 404, on either port. */
export const ETCD_NOT_FOUND = { error: 'Not Found', code: 5, message: 'Not Found' } as const;
/** What `GET /version` answers, on either port (etcd 3.4 as measured). */
export const ETCD_VERSION = { etcdserver: '3.4.23', etcdcluster: '3.4.0' } as const;

/**
 * The member as etcdctl sees it: IDs derived from the flags as etcd derives them (the defaults give
 * etcd's well-known 8e9e05c52164694d in cluster cdf818194e3a8c32), the advertised URLs, or the
 * URL it really listens on when none is advertised.
 */
function etcdIdentity(config: EtcdConfig, listening: () => string): EtcdIdentity {
  const name = config.flags['--name'] || 'default';
  let members: ReturnType<typeof etcdMembers>;
  try {
    members = etcdMembers(config.flags);
  } catch {
    // A malformed --initial-cluster is the peer edge's to report; the client port still answers.
    members = etcdMembers({});
  }
  const self = members.find((m) => m.name === name) ?? members[0]!;
  const advertised = (config.flags['--advertise-client-urls'] ?? '').split(',').map((u) => u.trim()).filter(Boolean);
  const peerUrls = (config.flags['--initial-advertise-peer-urls'] || self.url).split(',').map((u) => u.trim()).filter(Boolean);
  return {
    clusterId: clusterId(members.map((m) => m.id)), memberId: BigInt(`0x${self.id}`),
    member: { name, peerUrls, clientUrls: advertised.length > 0 ? advertised : [listening()] },
  };
}

export function startEtcd(config: EtcdConfig, clock: Clock, ledger?: ServerSeat<ConnectionRecord>): TlsEndpoint {
  const kv = new EtcdKeySpace();
  let identity: EtcdIdentity | undefined;
  const member = () => (identity ??= etcdIdentity(config, () => `https://127.0.0.1:${endpoint.port}`));
  const endpoint: TlsEndpoint = startEtcdListener({
    grpc: { kv, identity: member },
    name: C, serving: config.serving, requireClientCert: config.requireClientCert, ...(config.trustedCa ? { trustedCa: config.trustedCa } : {}),
    route: (path, method, answer, body) => {
      if (path === '/health') return answer(200, { health: 'true' });
      if (path === '/version') return answer(200, ETCD_VERSION);
      if (GATEWAY_PATHS.includes(path)) {
        // The JSON gateway reads and writes the key space etcdctl's gRPC calls use.
        const answered = method === 'POST' ? gatewayCall(path, body, kv, member()) : undefined;
        return answered ? answer(answered.status, answered.body) : answer(405, 'Method Not Allowed\n');
      }
      return answer(404, ETCD_NOT_FOUND);
    },
  }, clock, ledger);
  return endpoint;
}

/**
 * RequireAndVerifyClientCert, decided the way Go's TLS server decides it, logged the way etcd logs it;
 * the client port and the peer port share it (etcd builds both from transport.TLSInfo).
 */
export function enforceClientCert(config: { require: boolean; roots: readonly IssuedCert[] }, clock: Clock, record: ConnectionRecord, socket: TLSSocket): void {
  if (!config.require) return;
  // capnslog's format with Go's %q quoting (JSON string escaping is the same for these texts).
  const from = JSON.stringify(`127.0.0.1:${record.remotePort}`);
  const serverName = `ServerName ${JSON.stringify(record.servername ?? '')}`;
  const reject = (reason: NonNullable<ConnectionRecord['rejected']>['reason'], error: string, verification?: GoVerification) => {
    record.rejected = { reason, log: `embed: rejected connection from ${from} (error ${JSON.stringify(error)}, ${serverName})`, ...(verification ? { verification } : {}) };
    socket.destroy();
  };
  const leaf = record.peerChain[0];
  if (!leaf) return reject('NO_CLIENT_CERT', "tls: client didn't provide a certificate");
  const roots = config.roots;
  const result = goVerify(leaf, { roots, intermediates: record.peerChain.slice(1), now: clock.now(), keyUsages: ['clientAuth'] });
  if (!result.ok) {
    // With --client-cert-auth but no --trusted-ca-file, ClientCAs is nil and Go verifies against the system roots, which hold no cluster CA: nobody gets in.
    const reason = roots.length === 0 ? 'NO_TRUSTED_CA' : result.reason === 'SAN_MISMATCH' ? 'UNKNOWN_AUTHORITY' : result.reason;
    reject(reason, `tls: failed to verify client certificate: ${result.error}`, result);
  }
}
