/**
 * The vocabulary of the certificate tables. A preset is data: an ordered list of certificate
 * records (CAs before the leaves they sign), key pairs, kubeconfig records and the kubelet's
 * files. Values known only at run time (SANs from the cluster config, CN = node name) are
 * `Derived` values: a label for the docs and a function for generation.
 */

export const KEY_ALGORITHMS = ['ecdsa-p256', 'ecdsa-p384', 'rsa-2048', 'rsa-3072', 'rsa-4096'] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];

/** RFC 5280 KeyUsage bits (contentCommitment is the bit once called nonRepudiation), named as Go's x509.KeyUsage constants are. */
export type KeyUsage =
  | 'digitalSignature' | 'contentCommitment' | 'keyEncipherment' | 'dataEncipherment' | 'keyAgreement' | 'keyCertSign' | 'cRLSign'
  | 'encipherOnly' | 'decipherOnly';
/** The extended key usages Go's x509 knows by name (x509.ExtKeyUsage), in Go's order, which is the order they are written in. */
export const EXT_KEY_USAGES = [
  'any', 'serverAuth', 'clientAuth', 'codeSigning', 'emailProtection', 'ipsecEndSystem', 'ipsecTunnel', 'ipsecUser', 'timeStamping',
  'ocspSigning', 'microsoftServerGatedCrypto', 'netscapeServerGatedCrypto',
] as const;
export type ExtKeyUsage = (typeof EXT_KEY_USAGES)[number];

export type San = { dns: string } | { ip: string };

/** The inputs kubeadm derives SANs and names from (a subset of its ClusterConfiguration/InitConfiguration). */
export interface ClusterConfig {
  /** `nodeRegistration.name`; the kubelet's node name, etcd's CN, a SAN of the apiserver. */
  nodeName: string;
  /** `localAPIEndpoint.advertiseAddress`: an IP SAN of the apiserver and etcd, and the kubeconfigs' server. */
  advertiseAddress: string;
  /** `localAPIEndpoint.bindPort`. */
  bindPort: number;
  /** `networking.serviceSubnet`; its first IP is the `kubernetes` Service's ClusterIP, a SAN of the apiserver. */
  serviceSubnet: string;
  /** `networking.dnsDomain`. */
  dnsDomain: string;
  /** `controlPlaneEndpoint` (host or host:port), when set: a SAN and the server of admin-facing kubeconfigs. */
  controlPlaneEndpoint?: string;
  /** `apiServer.certSANs`: extra DNS names or IPs on the apiserver's serving cert. */
  apiServerCertSans: string[];
  /** `etcd.local.serverCertSANs`. */
  etcdServerCertSans: string[];
  /** `etcd.local.peerCertSANs`. */
  etcdPeerCertSans: string[];
}

export interface RecordContext {
  config: ClusterConfig;
  /** The generation time (from the injected clock). */
  now: Date;
}

export interface Derived<T> {
  /** How the docs show the value, e.g. `<node name>`. */
  label: string;
  resolve(context: RecordContext): T;
}
export type Value<T> = T | Derived<T>;

/**
 * Certificate dates as offsets in milliseconds from the generation time. `notBefore: 'issuer'`
 * copies the issuing CA's NotBefore, as kubeadm does for every leaf.
 */
export interface Validity {
  notBefore: number | 'issuer';
  notAfter: number;
}

/** Where a certificate and its key are stored. Paths are absolute paths on the node. */
export type CertFiles =
  /** A `.crt`/`.pem` file and a separate key file. */
  | { kind: 'pair'; cert: string; key: string }
  /** Certificate (chain) then key in one PEM file, as the kubelet's certificate store writes, plus a `-current` symlink to it. */
  | { kind: 'bundle'; file: string; link: string }
  /** Embedded in a kubeconfig's `client-certificate-data`/`client-key-data`; no file of its own. */
  | { kind: 'kubeconfig'; kubeconfig: string }
  /** Not written at all (the kubelet's throwaway CA: its key is discarded, its cert rides in the leaf's chain). */
  | { kind: 'none' };

export interface CertRecordBase {
  /** Kebab-case id, unique in the preset; what faults and kubeconfig records refer to. */
  id: string;
  /** Who uses this certificate, for what. */
  description: string;
  cn: Value<string>;
  o: Value<string[]>;
  keyUsage: readonly KeyUsage[];
  extKeyUsage: readonly ExtKeyUsage[];
  sans: Value<San[]>;
  validity: Validity;
  files: CertFiles;
  /** Fixed serial number (hex) where the real generator uses one (the kubelet's self-signed pair uses 1 and 2). */
  serial?: string;
}

export interface CaRecord extends CertRecordBase {
  kind: 'ca';
  /** Further paths where the same CA certificate is copied (the reference layout keeps three copies). */
  copies: string[];
}

export interface LeafRecord extends CertRecordBase {
  kind: 'leaf';
  /** Id of the CA record that signs this certificate. */
  ca: string;
  /** Write the issuing CA after the leaf in the cert file (the kubelet's self-signed `kubelet.crt`). */
  chain: boolean;
  /** Which side of TLS this certificate is for: what its EKU must allow. */
  role: 'server' | 'client' | 'server-and-client';
}

export type CertRecord = CaRecord | LeafRecord;

/** A bare key pair (the ServiceAccount signing key `sa.key`/`sa.pub`). */
export interface KeyPairRecord {
  id: string;
  description: string;
  privateKey: string;
  publicKey: string;
}

export type KubeconfigAuth =
  /** Client cert and key embedded as `client-certificate-data`/`client-key-data`. */
  | { kind: 'client-cert-data'; cert: string }
  /** `client-certificate`/`client-key` paths to a file (the kubelet's rotated `kubelet-client-current.pem`). */
  | { kind: 'client-cert-file'; cert: string; path: string }
  /** A ServiceAccount token in `tokenFile`, signed with a key pair record. */
  | { kind: 'token-file'; tokenFile: string; signingKey: string; namespace: string; serviceAccount: string };

export interface KubeconfigRecord {
  /** The file name, e.g. `admin.conf`; also its id. */
  id: string;
  /** Absolute path on the node. */
  file: string;
  description: string;
  /** Which component reads it, in Kubernetes' words. */
  usedBy: string;
  clusterName: string;
  /** Id of the CA record that the cluster entry trusts. */
  ca: string;
  /** `certificate-authority-data` (embedded) or a `certificate-authority` path to a copy of the CA. */
  caFile?: string;
  server: Value<string>;
  userName: Value<string>;
  contextName: Value<string>;
  auth: KubeconfigAuth;
}

/** The kubelet's own configuration file and certificate directory. */
export interface KubeletFilesRecord {
  /** `--config` file: a KubeletConfiguration. */
  configFile: string;
  /** `--cert-dir`. */
  certDir: string;
  /** `tlsCertFile` / `tlsPrivateKeyFile` as written (possibly empty: then the kubelet self-signs into `certDir`). */
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  /** `authentication.x509.clientCAFile`. */
  clientCAFile: string;
  /** Id of the CA whose certificate `clientCAFile` holds. */
  clientCA: string;
  /** `--kubeconfig`. */
  kubeconfig: string;
}

export interface Preset {
  name: PresetName;
  title: string;
  description: string;
  certs: CertRecord[];
  keyPairs: KeyPairRecord[];
  kubeconfigs: KubeconfigRecord[];
  kubelet: KubeletFilesRecord;
}

export const PRESET_NAMES = ['kubeadm', 'reference'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];
