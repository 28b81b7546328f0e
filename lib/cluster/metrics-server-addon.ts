import { applyFlagOverrides, type FlagOverrides } from '../components/flags.js';
import type { ControlPlaneSpec } from '../component-base/presets.js';
import { KubeMtlsSimError } from '../errors.js';
import type { NodeFs } from '../fs/node-fs.js';
import { issueCertificate, type IssuedCert } from '../pki/issue.js';
import { keyMaterial, sharedKeyPool, type KeyMaterial } from '../pki/keys.js';
import { readCertificates, readPrivateKey } from '../pki/pem.js';
import type { KeyAlgorithm } from '../pki/types.js';

/**
 * The metrics-server addon (kubernetes-sigs/metrics-server's components.yaml) on top of a cluster.
 * What the simulation changes, and why: the real Deployment authenticates to kubelets with its
 * ServiceAccount token, which a kubelet checks with a TokenReview; the simulated kubelet reviews no
 * tokens, so the addon gives metrics-server the apiserver's kubelet client pair
 * (--kubelet-client-certificate/--kubelet-client-key, real metrics-server flags) instead. The
 * metrics-server → kubelet edge is about the kubelet's serving certificate, which this does not change.
 */
export interface MetricsServerAddon {
  /** metrics-server flag changes on top of the addon's (`null` removes one). */
  flags?: FlagOverrides;
  /**
   * The APIService v1beta1.metrics.k8s.io. Default: components.yaml's `insecureSkipTLSVerify: true`.
   * `caBundleFile`: a node file whose PEM is put in spec.caBundle (as `base64 -w0 FILE` would).
   */
  apiService?: { caBundleFile?: string; insecureSkipTLSVerify?: boolean };
}

/** A serving certificate for the metrics-server Service, signed by the cluster CA (the controller-manager's signer, as a CSR or cert-manager would get it). */
export const METRICS_SERVER_CERT = '/etc/kubernetes/pki/metrics-server.crt';
export const METRICS_SERVER_KEY = '/etc/kubernetes/pki/metrics-server.key';
const SERVICE = { namespace: 'kube-system', name: 'metrics-server', port: 443 };
const HOUR = 3_600_000;
const YEAR = 365 * 24 * HOUR;

const pemOf = (chain: readonly IssuedCert[]) => chain.map((c) => c.pem).join('');

/**
 * client-go GenerateSelfSignedCertKey("localhost", [127.0.0.1]) as metrics-server calls it when it has
 * no --tls-cert-file: a throwaway CA localhost-ca@<time> and a leaf for localhost and 127.0.0.1, both
 * written to --cert-dir/apiserver.crt (leaf first).
 */
async function selfSigned(fs: NodeFs, certDir: string, algorithm: KeyAlgorithm, now: Date): Promise<void> {
  const crt = `${certDir}/apiserver.crt`;
  if (fs.exists(crt)) return;
  const unix = Math.floor(now.getTime() / 1000);
  const [caKey, key] = await Promise.all([sharedKeyPool.get(algorithm, 'metrics-server-self-ca'), sharedKeyPool.get(algorithm, 'metrics-server-self')]);
  const validity = { notBefore: new Date(now.getTime() - HOUR), notAfter: new Date(now.getTime() - HOUR + YEAR) };
  const ca = issueCertificate({ cn: `localhost-ca@${unix}`, o: [], isCa: true, keyUsage: ['digitalSignature', 'keyEncipherment', 'keyCertSign'], extKeyUsage: null, sans: [], ...validity, subjectKey: caKey });
  const leaf = issueCertificate({
    cn: `localhost@${unix}`, o: [], isCa: false, keyUsage: ['digitalSignature', 'keyEncipherment'], extKeyUsage: ['serverAuth'],
    sans: [{ ip: '127.0.0.1' }, { dns: 'localhost' }], ...validity, subjectKey: key, issuer: { cert: ca, key: caKey },
  });
  fs.write(crt, pemOf([leaf, ca]));
  fs.write(`${certDir}/apiserver.key`, key.pem);
}

/** The Service's serving certificate from the cluster CA (--cluster-signing-cert-file/--cluster-signing-key-file). */
async function caSigned(fs: NodeFs, spec: ControlPlaneSpec, algorithm: KeyAlgorithm, now: Date): Promise<void> {
  const caFile = spec['kube-controller-manager']['--cluster-signing-cert-file'];
  const caKeyFile = spec['kube-controller-manager']['--cluster-signing-key-file'];
  if (fs.exists(METRICS_SERVER_CERT) || !caFile || !caKeyFile || !fs.exists(caFile) || !fs.exists(caKeyFile)) return;
  const [ca] = readCertificates(fs.read(caFile, 'kube-controller-manager --cluster-signing-cert-file'), { file: caFile });
  const caKey: KeyMaterial = keyMaterial(readPrivateKey(fs.read(caKeyFile, 'kube-controller-manager --cluster-signing-key-file'), { file: caKeyFile }).keyObject);
  const key = await sharedKeyPool.get(algorithm, 'metrics-server');
  const host = `${SERVICE.name}.${SERVICE.namespace}.svc`;
  const leaf = issueCertificate({
    cn: host, o: [], isCa: false, keyUsage: ['digitalSignature', 'keyEncipherment'], extKeyUsage: ['serverAuth'],
    sans: [{ dns: SERVICE.name }, { dns: `${SERVICE.name}.${SERVICE.namespace}` }, { dns: host }],
    notBefore: new Date(now.getTime() - 5 * 60_000), notAfter: new Date(now.getTime() + YEAR), subjectKey: key, issuer: { cert: ca!, key: caKey },
  });
  fs.write(METRICS_SERVER_CERT, leaf.pem);
  fs.write(METRICS_SERVER_KEY, key.pem);
}

/**
 * Adds the addon to a cluster's spec and files: metrics-server's command line (components.yaml's
 * arguments, plus the kubelet client pair above) with the caller's changes, the serving pairs
 * (the throwaway one only without --tls-cert-file, as metrics-server makes it), and the
 * APIService. An APIService caBundle naming a missing file is ERR_FILE_NOT_FOUND.
 */
export async function withMetricsServer(spec: ControlPlaneSpec, fs: NodeFs, addon: MetricsServerAddon, algorithm: KeyAlgorithm, now: Date): Promise<ControlPlaneSpec> {
  const apiserver = spec['kube-apiserver'];
  const base = {
    '--cert-dir': '/tmp',
    '--kubelet-preferred-address-types': 'InternalIP,ExternalIP,Hostname',
    ...(apiserver['--kubelet-client-certificate'] && apiserver['--kubelet-client-key']
      ? { '--kubelet-client-certificate': apiserver['--kubelet-client-certificate'], '--kubelet-client-key': apiserver['--kubelet-client-key'] } : {}),
  };
  const flags = applyFlagOverrides('metrics-server', base, addon.flags);
  // metrics-server makes its throwaway pair only when it has no --tls-cert-file (as check DIR's and most scenarios' have).
  const selfSignedPair = flags['--tls-cert-file'] ? undefined : selfSigned(fs, flags['--cert-dir'] ?? 'apiserver.local.config/certificates', algorithm, now);
  await Promise.all([selfSignedPair, caSigned(fs, spec, algorithm, now)]);
  const bundleFile = addon.apiService?.caBundleFile;
  if (bundleFile !== undefined && !fs.exists(bundleFile)) {
    throw new KubeMtlsSimError('ERR_FILE_NOT_FOUND', `APIService v1beta1.metrics.k8s.io: the caBundle file ${bundleFile} does not exist`, { file: bundleFile, field: 'metricsServer.apiService.caBundleFile' });
  }
  return {
    ...spec,
    'metrics-server': flags,
    apiService: {
      name: 'v1beta1.metrics.k8s.io', service: SERVICE,
      ...(bundleFile !== undefined ? { caBundle: { pem: fs.read(bundleFile, 'APIService caBundle').toString('utf8'), from: bundleFile } } : {}),
      insecureSkipTLSVerify: addon.apiService?.insecureSkipTLSVerify ?? (bundleFile === undefined && addon.apiService === undefined),
    },
  };
}
