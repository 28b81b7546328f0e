import type { NodeFs } from '../fs/node-fs.js';
import { KubeMtlsSimError } from '../errors.js';
import { loadCaBundle, loadKeyPair } from '../component-base/files.js';
import type { ControlPlaneSpec } from '../component-base/presets.js';
import type { Flags } from '../component-base/flags.js';
import { readCertificates } from '../pki/pem.js';
import type { ClientSide, ClientTrust } from './client-side.js';

/** Where a pod's in-cluster config finds the cluster CA (rest.InClusterConfig). */
export const IN_CLUSTER_CA = '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt';

function pairFrom(fs: NodeFs, flags: Flags, component: string, certFlag: string, keyFlag: string): ClientSide['cert'] {
  const certFile = flags[certFlag];
  const keyFile = flags[keyFlag];
  if (!certFile || !keyFile) return undefined;
  const pair = loadKeyPair(fs, certFile, keyFile, `${component} ${certFlag}`, `${component} ${keyFlag}`);
  return { chain: pair.chain, certPem: pair.certPem, keyPem: pair.keyPem, field: `${component} ${certFlag}`, file: pair.certFile };
}

/**
 * kube-aggregator's proxy to an APIService: it dials the Service and checks the certificate for
 * `<service>.<namespace>.svc` against spec.caBundle (or not at all with insecureSkipTLSVerify; with
 * neither, Go's system roots, which hold no cluster CA), and presents --proxy-client-cert-file.
 */
export function aggregatorClient(fs: NodeFs, spec: ControlPlaneSpec): ClientSide {
  const api = spec.apiService;
  if (!api) throw new KubeMtlsSimError('ERR_USAGE', 'this cluster runs no metrics-server addon: there is no APIService to dial', { field: 'metricsServer' });
  const C = 'kube-apiserver';
  const field = `APIService ${api.name} spec`;
  const trust: ClientTrust = api.insecureSkipTLSVerify
    ? { kind: 'none', field: `${field}.insecureSkipTLSVerify`, switchedOff: true }
    : api.caBundle
      ? { kind: 'ca', certs: readCertificates(api.caBundle.pem, { field: `${field}.caBundle`, file: api.caBundle.from }), field: `${field}.caBundle`, file: api.caBundle.from }
      : { kind: 'system-roots', certs: [], field: `${field}.caBundle` };
  const host = `${api.service.name}.${api.service.namespace}.svc`;
  const cert = pairFrom(fs, spec['kube-apiserver'], C, '--proxy-client-cert-file', '--proxy-client-key-file');
  return {
    component: C, url: `https://${host}:${api.service.port}`, host, port: api.service.port, verifyName: host, trust,
    configuredBy: `${C} --proxy-client-cert-file and APIService ${api.name}`, ...(cert ? { cert } : {}),
  };
}

/**
 * metrics-server's kubelet client: the kubelet's serving certificate is checked with
 * --kubelet-certificate-authority, or the in-cluster config's CA when that is unset, or not at all
 * with --kubelet-insecure-tls. It authenticates with --kubelet-client-certificate when set (the real
 * default is its ServiceAccount token, which the simulated kubelet cannot review: see the addon).
 */
export function metricsServerKubeletClient(fs: NodeFs, spec: ControlPlaneSpec, kubeletURL: (preferred: string | undefined) => string): ClientSide {
  const flags = spec['metrics-server'];
  if (!flags) throw new KubeMtlsSimError('ERR_USAGE', 'this cluster runs no metrics-server addon', { field: 'metricsServer' });
  const C = 'metrics-server';
  const caFile = flags['--kubelet-certificate-authority'];
  const trust: ClientTrust = flags['--kubelet-insecure-tls'] === 'true'
    ? { kind: 'none', field: `${C} --kubelet-insecure-tls`, switchedOff: true }
    : caFile ? { kind: 'ca', ...loadCaBundle(fs, caFile, `${C} --kubelet-certificate-authority`) }
      : { kind: 'ca', ...loadCaBundle(fs, IN_CLUSTER_CA, `${C} --kubelet-certificate-authority (unset: the in-cluster config's CA)`) };
  const url = kubeletURL(flags['--kubelet-preferred-address-types']);
  const { hostname, port } = new URL(url);
  const host = hostname.replace(/^\[|\]$/g, '');
  const cert = pairFrom(fs, flags, C, '--kubelet-client-certificate', '--kubelet-client-key');
  return { component: C, url, host, port: Number(port || 10250), verifyName: host, trust, configuredBy: `${C} flags`, ...(cert ? { cert } : {}) };
}
