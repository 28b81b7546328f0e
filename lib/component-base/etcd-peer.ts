// etcd's peer side (port 2380), read from its flags: the members of --initial-cluster and the peer
// TLS files. Both the member that listens (endpoints) and the member that dials (clients) read it, so
// it lives below both.
import { createHash } from 'node:crypto';
import { KubeMtlsSimError } from '../errors.js';
import type { NodeFs } from '../fs/node-fs.js';
import type { IssuedCert } from '../pki/issue.js';
import { splitHostPort } from '../pki/cluster-config.js';
import { loadCaBundle, loadKeyPair, type LoadedKeyPair } from './files.js';
import type { Flags } from './flags.js';

const C = 'etcd';

/** One member of --initial-cluster. */
export interface EtcdMember {
  name: string;
  /** Its (first) peer URL, as written. */
  url: string;
  scheme: 'http' | 'https';
  host: string;
  port: number;
  /** The member ID etcd derives (types.NewMember): SHA-1 of its sorted peer URLs and the cluster token, first 8 bytes, in hex as rafthttp logs it. */
  id: string;
}

/** etcd's defaults (embed.NewConfig): one member named "default" on http://localhost:2380, token "etcd-cluster". */
const DEFAULT_NAME = 'default';
const DEFAULT_TOKEN = 'etcd-cluster';

/**
 * The members of --initial-cluster (`name=url,name=url`; a name may repeat for several URLs), in the
 * order written. Without the flag etcd is one member, `<--name>=<--initial-advertise-peer-urls>`.
 */
export function etcdMembers(flags: Flags): EtcdMember[] {
  const name = flags['--name'] || DEFAULT_NAME;
  const token = flags['--initial-cluster-token'] || DEFAULT_TOKEN;
  const written = flags['--initial-cluster'] || `${name}=${(flags['--initial-advertise-peer-urls'] || 'http://localhost:2380').split(',')[0]!.trim()}`;
  const urls = new Map<string, string[]>();
  for (const entry of written.split(',').map((e) => e.trim()).filter(Boolean)) {
    const eq = entry.indexOf('=');
    if (eq <= 0) {
      const message = `error setting up initial cluster: URL scheme must be http, https, unix, or unixs: `;
      throw new KubeMtlsSimError('ERR_COMPONENT_FLAG', `${C}: ${message}`, { field: '--initial-cluster', goMessage: message });
    }
    const list = urls.get(entry.slice(0, eq)) ?? [];
    list.push(entry.slice(eq + 1));
    urls.set(entry.slice(0, eq), list);
  }
  return [...urls].map(([member, list]) => {
    const url = list[0]!;
    const m = /^(https?):\/\/([^/]+)\/?$/.exec(url);
    if (!m) {
      const message = `error setting up initial cluster: URL scheme must be http, https, unix, or unixs: ${url}`;
      throw new KubeMtlsSimError('ERR_COMPONENT_FLAG', `${C}: --initial-cluster: ${message}`, { field: '--initial-cluster', goMessage: message });
    }
    const { host, port } = splitHostPort(m[2]!);
    const id = memberId(list, token);
    return { name: member, url, scheme: m[1] as 'http' | 'https', host, port: port ?? (m[1] === 'https' ? 443 : 80), id };
  });
}

/** etcd's member ID (types.NewMember, no time mixed in for an initial member), in hex as rafthttp logs it. */
export function memberId(peerUrls: readonly string[], token = DEFAULT_TOKEN): string {
  return createHash('sha1').update([...peerUrls].sort().join('') + token).digest().readBigUInt64BE(0).toString(16);
}

/** etcd's cluster ID (RaftCluster.genID): SHA-1 of the sorted member IDs, 8 bytes each big-endian, first 8 bytes. */
export function clusterId(memberIds: readonly string[]): bigint {
  const ids = memberIds.map((id) => BigInt(`0x${id}`)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const bytes = Buffer.alloc(8 * ids.length);
  ids.forEach((id, i) => bytes.writeBigUInt64BE(id, 8 * i));
  return createHash('sha1').update(bytes).digest().readBigUInt64BE(0);
}

/**
 * This member (--name) and the member it dials first: the next one in --initial-cluster. Undefined for
 * a one-member etcd. With `dialSelf` the peer is this member itself, as another member dials it: a node
 * folder holds one member's files, so what can be checked is this member's port and certificate.
 */
export function peerPair(flags: Flags, dialSelf = false): { self: EtcdMember; peer: EtcdMember; members: EtcdMember[] } | undefined {
  const members = etcdMembers(flags);
  const name = flags['--name'] || DEFAULT_NAME;
  const index = members.findIndex((m) => m.name === name);
  if (index < 0) {
    const message = `couldn't find local name "${name}" in the initial cluster configuration`;
    throw new KubeMtlsSimError('ERR_COMPONENT_FLAG', `${C}: ${message}`, { field: '--initial-cluster', goMessage: message });
  }
  if (members.length < 2) return undefined;
  return { self: members[index]!, peer: members[dialSelf ? index : (index + 1) % members.length]!, members };
}

/** The peer edge needs a second member: asked of a one-member etcd it is a usage error, not an outcome. */
export function onlyOneMember(flags: Flags): KubeMtlsSimError {
  return new KubeMtlsSimError('ERR_USAGE',
    `etcd-peer: etcd --initial-cluster names one member (${flags['--initial-cluster'] ?? 'unset'}): there is no peer to dial; list two or three members, e.g. --initial-cluster=a=https://10.0.0.10:2380,b=https://10.0.0.10:12380`,
    { field: '--initial-cluster' });
}

/** The peer port's TLS, as etcd's transport.TLSInfo for peers makes it (the same code as the client port). */
export interface PeerTls {
  pair?: LoadedKeyPair;
  trustedCa?: { certs: IssuedCert[]; file: string };
  clientCertAuth: boolean;
  /** transport/listener.go ServerConfig: a trusted CA file *or* client-cert-auth switches on RequireAndVerifyClientCert. */
  requireClientCert: boolean;
}

/** Reads the --peer-* files (typed errors name the flag); a member with peer URLs over https needs a peer key pair. */
export function loadPeerTls(fs: NodeFs, flags: Flags, self?: EtcdMember): PeerTls {
  const certFile = flags['--peer-cert-file'];
  const keyFile = flags['--peer-key-file'];
  if (self?.scheme === 'https' && (!certFile || !keyFile)) {
    const message = `TLS key/cert (--peer-cert-file, --peer-key-file) must be provided for peer url ${self.url} with HTTPS scheme`;
    throw new KubeMtlsSimError('ERR_COMPONENT_FLAG', `${C}: ${message}`, { field: '--peer-cert-file', goMessage: message });
  }
  const caFile = flags['--peer-trusted-ca-file'];
  const clientCertAuth = flags['--peer-client-cert-auth'] === 'true';
  return {
    ...(certFile && keyFile ? { pair: loadKeyPair(fs, certFile, keyFile, `${C} --peer-cert-file`, `${C} --peer-key-file`) } : {}),
    ...(caFile ? { trustedCa: loadCaBundle(fs, caFile, `${C} --peer-trusted-ca-file`) } : {}),
    clientCertAuth,
    requireClientCert: Boolean(caFile) || clientCertAuth,
  };
}
