import { derived, firstServiceIP, hostPortURL, splitHostPort, toSan } from '../cluster-config.js';
import { formatIP } from '../../util/ip.js';
import type { ClusterConfig, San } from '../types.js';
import { MINUTE, HOUR, YEAR } from '../../clock.js';

/** Run-time values shared by the presets, each with the label the generated docs show. */

export const nodeName = derived('<node name>', ({ config }) => config.nodeName);
export const nodeUser = derived('system:node:<node name>', ({ config }) => `system:node:${config.nodeName}`);

/** kubeadm's GetAPIServerAltNames: node name, the kubernetes Service names, its ClusterIP, the advertise address, the endpoint, certSANs. */
export const apiServerSans = derived(
  '<node name>, kubernetes, kubernetes.default, kubernetes.default.svc, kubernetes.default.svc.<dns domain>, IP <first service IP>, IP <advertise address>, <control-plane endpoint>, <apiServer.certSANs>',
  ({ config }) => {
    const sans: San[] = [
      { dns: config.nodeName },
      { dns: 'kubernetes' },
      { dns: 'kubernetes.default' },
      { dns: 'kubernetes.default.svc' },
      { dns: `kubernetes.default.svc.${config.dnsDomain}` },
      { ip: firstServiceIP(config.serviceSubnet) },
      { ip: config.advertiseAddress },
    ];
    if (config.controlPlaneEndpoint) sans.push(toSan(splitHostPort(config.controlPlaneEndpoint).host));
    return dedupeSans([...sans, ...config.apiServerCertSans.map(toSan)]);
  },
);

/** kubeadm's GetEtcdAltNames / GetEtcdPeerAltNames. */
export function etcdSans(extra: 'etcdServerCertSans' | 'etcdPeerCertSans') {
  return derived(
    `<node name>, localhost, IP <advertise address>, IP 127.0.0.1, IP ::1, <etcd.local.${extra === 'etcdServerCertSans' ? 'serverCertSANs' : 'peerCertSANs'}>`,
    ({ config }) =>
      dedupeSans([
        { dns: config.nodeName },
        { dns: 'localhost' },
        { ip: config.advertiseAddress },
        { ip: '127.0.0.1' },
        { ip: '::1' },
        ...config[extra].map(toSan),
      ]),
  );
}

/** The kubelet's serving SAN when it self-signs: the hostname only (an IP SAN if the name is an IP). */
export const hostnameSan = derived('<node name>', ({ config }) => [toSan(config.nodeName)]);

/** Server for kubeconfigs that face users and the kubelet: the control-plane endpoint if set, else the advertise address. */
export const controlPlaneURL = derived('https://<control-plane endpoint or advertise address>:<bind port>', ({ config }) =>
  endpointURL(config),
);
/** Server for the controller-manager and scheduler kubeconfigs: the local API endpoint. */
export const localAPIURL = derived('https://<advertise address>:<bind port>', ({ config }) =>
  hostPortURL(config.advertiseAddress, config.bindPort),
);

export function endpointURL(config: ClusterConfig): string {
  if (!config.controlPlaneEndpoint) return hostPortURL(config.advertiseAddress, config.bindPort);
  const { host, port } = splitHostPort(config.controlPlaneEndpoint);
  return hostPortURL(host, port ?? config.bindPort);
}

function dedupeSans(sans: San[]): San[] {
  const seen = new Set<string>();
  return sans.filter((san) => {
    const key = 'dns' in san ? `dns:${san.dns}` : `ip:${formatIP(san.ip)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}


/** kubeadm: CA NotBefore back-dated 5 minutes, 10 years; leaves copy the CA's NotBefore and last 1 year. */
export const CA_VALIDITY = { notBefore: -5 * MINUTE, notAfter: 10 * YEAR };
export const LEAF_VALIDITY = { notBefore: 'issuer' as const, notAfter: YEAR };
/** client-go GenerateSelfSignedCertKey: valid from an hour ago, for one year from then. */
export const KUBELET_SELF_SIGNED_VALIDITY = { notBefore: -HOUR, notAfter: YEAR - HOUR };

export const SERVER_USAGES = { keyUsage: ['digitalSignature', 'keyEncipherment'], extKeyUsage: ['serverAuth'] } as const;
export const CLIENT_USAGES = { keyUsage: ['digitalSignature', 'keyEncipherment'], extKeyUsage: ['clientAuth'] } as const;
export const PEER_USAGES = { keyUsage: ['digitalSignature', 'keyEncipherment'], extKeyUsage: ['serverAuth', 'clientAuth'] } as const;
export const CA_USAGES = { keyUsage: ['digitalSignature', 'keyEncipherment', 'keyCertSign'], extKeyUsage: [] } as const;
