import { isIP } from 'node:net';
import type { NodeFs } from '../fs/node-fs.js';
import { loadCaBundle, loadKeyPair } from '../component-base/files.js';
import type { ControlPlaneSpec } from '../component-base/presets.js';
import type { Flags } from '../component-base/flags.js';
import { parseKubeconfig } from '../kubeconfig/parse.js';
import { refuseWithoutCredentials } from '../kubeconfig/prompt.js';
import { splitHostPort } from '../pki/cluster-config.js';
import type { EdgeSpec } from '../edges/edges.js';
import { aggregatorClient, metricsServerKubeletClient } from './addon-credentials.js';
import { loadPeerTls, onlyOneMember, peerPair } from '../component-base/etcd-peer.js';

// The client's side as data lives in client-side.ts, which the addon's clients (addon-credentials.ts) share.
export type { ClientSide, ClientTrust } from './client-side.js';
import type { ClientSide, ClientTrust } from './client-side.js';

export function resolveClient(edge: EdgeSpec, fs: NodeFs, spec: ControlPlaneSpec, apiserverFlags: Flags, node: { name: string; address: string }, etcdPeerDialsSelf = false): ClientSide {
  // A client whose manifest or unit could not be read never ran: the edge fails on its side with that error.
  const problem = spec.problems?.[edge.client];
  if (problem) throw problem;
  if (edge.credentials.kind === 'kubeconfig') {
    const file = spec.clients[edge.credentials.client].kubeconfig;
    const kc = parseKubeconfig(fs.read(file, `${edge.client} --kubeconfig`).toString('utf8'), file, {
      readFile: (path, by) => fs.read(path, `${by.field} in ${by.file}`),
    });
    // Only kubectl prompts for a username; the components' client-go sends the request anonymously.
    if (edge.client === 'kubectl') refuseWithoutCredentials(kc);
    const url = new URL(kc.server);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const field = `clusters[${kc.clusterName}].cluster`;
    const trust: ClientTrust = kc.insecureSkipTLSVerify
      ? { kind: 'none', field: `${field}.insecure-skip-tls-verify`, switchedOff: true }
      : kc.ca ? { kind: 'ca', certs: kc.ca.certs, field: kc.ca.source.field ?? `${field}.certificate-authority-data`, file: kc.ca.source.file ?? file }
        : { kind: 'system-roots', certs: [], field: `${field}.certificate-authority-data` };
    return {
      component: edge.client, url: kc.server, host, port: Number(url.port || 443), verifyName: kc.tlsServerName ?? host, trust, configuredBy: file,
      ...(kc.clientCert && kc.clientKey ? {
        cert: {
          chain: kc.clientCert.certs, certPem: kc.clientCert.certs.map((c) => c.pem).join(''),
          keyPem: kc.clientKey.key.keyObject.export({ type: 'pkcs8', format: 'pem' }) as string,
          field: kc.clientCert.source.field ?? 'client-certificate-data', file: kc.clientCert.source.file ?? file,
        },
      } : {}),
      ...(kc.token ? { token: { value: kc.token.value, field: kc.token.source.field ?? 'token', file: kc.token.source.file ?? file } } : {}),
    };
  }
  if (edge.credentials.kind === 'metrics-server-flags') return metricsServerKubeletClient(fs, spec, (preferred) => kubeletURL(preferred, node));
  if (edge.credentials.kind === 'etcd-peer-flags') return etcdPeerClient(fs, spec.etcd, etcdPeerDialsSelf);
  if (edge.credentials.target === 'metrics-server') return aggregatorClient(fs, spec);
  const flag = (name: string) => apiserverFlags[name];
  const C = 'kube-apiserver';
  const target = edge.credentials.target;
  const [caFlag, certFlag, keyFlag] = target === 'etcd'
    ? ['--etcd-cafile', '--etcd-certfile', '--etcd-keyfile']
    : ['--kubelet-certificate-authority', '--kubelet-client-certificate', '--kubelet-client-key'];
  const url = target === 'etcd' ? (flag('--etcd-servers') ?? '').split(',')[0]!.trim() : kubeletURL(flag('--kubelet-preferred-address-types'), node);
  const { host, port } = splitHostPort(url.replace(/^https?:\/\//, '').replace(/\/.*$/, ''));
  const caFile = flag(caFlag);
  // The etcd client verifies against the system roots without --etcd-cafile; the kubelet client does not verify at all without --kubelet-certificate-authority.
  const trust: ClientTrust = caFile
    ? { kind: 'ca', ...loadCaBundle(fs, caFile, `${C} ${caFlag}`) }
    : target === 'etcd' ? { kind: 'system-roots', certs: [], field: `${C} ${caFlag}` } : { kind: 'none', field: `${C} ${caFlag}` };
  const certFile = flag(certFlag);
  const keyFile = flag(keyFlag);
  const pair = certFile && keyFile ? loadKeyPair(fs, certFile, keyFile, `${C} ${certFlag}`, `${C} ${keyFlag}`) : undefined;
  return {
    component: C, url, host, port: port ?? 443, verifyName: host, trust, configuredBy: `${C} flags`,
    ...(pair ? { cert: { chain: pair.chain, certPem: pair.certPem, keyPem: pair.keyPem, field: `${C} ${certFlag}`, file: pair.certFile } } : {}),
  };
}

/**
 * The kubelet address the apiserver dials: the first of `--kubelet-preferred-address-types` the
 * Node reports (kube-apiserver's default order starts with Hostname; kubeadm puts InternalIP
 * first). The simulated Node reports its hostname and InternalIP (the advertise address).
 */
function kubeletURL(preferred: string | undefined, node: { name: string; address: string }): string {
  const order = (preferred ?? 'Hostname,InternalDNS,InternalIP,ExternalDNS,ExternalIP').split(',').map((t) => t.trim());
  const addresses: Record<string, string> = { Hostname: node.name, InternalIP: node.address };
  const host = order.map((type) => addresses[type]).find((a) => a !== undefined) ?? node.address;
  return `https://${isIP(host) === 6 ? `[${host}]` : host}:10250`;
}

/**
 * This member (--name) as rafthttp dials the next member of --initial-cluster: it presents its
 * --peer-cert-file and verifies the peer's certificate against --peer-trusted-ca-file (the system
 * roots without it) and the host of the peer URL (transport.TLSInfo.ClientConfig). With `dialSelf` (a node
 * folder: one member's files) the dialler is another member made the same way, at this member's own peer URL.
 */
function etcdPeerClient(fs: NodeFs, flags: Flags, dialSelf: boolean): ClientSide {
  const pair = peerPair(flags, dialSelf);
  if (!pair) throw onlyOneMember(flags);
  const { self, peer } = pair;
  const tls = loadPeerTls(fs, flags, self);
  const field = 'etcd --peer-trusted-ca-file';
  const trust: ClientTrust = tls.trustedCa ? { kind: 'ca', certs: tls.trustedCa.certs, field, file: tls.trustedCa.file } : { kind: 'system-roots', certs: [], field };
  return {
    component: 'etcd', url: peer.url, host: peer.host, port: peer.port, verifyName: peer.host, trust, configuredBy: dialSelf ? `etcd flags of member ${self.name}, as another member made the same way dials it` : `etcd flags (member ${self.name})`,
    ...(tls.pair ? { cert: { chain: tls.pair.chain, certPem: tls.pair.certPem, keyPem: tls.pair.keyPem, field: 'etcd --peer-cert-file', file: tls.pair.certFile } } : {}),
  };
}
