import type { NodeFs } from '../fs/node-fs.js';
import { KubeMtlsSimError } from '../errors.js';
import { startKubelet, type KubeletConfig } from '../endpoints/kubelet.js';
import { parseKubeletConfiguration, type KubeletConfigOverrides, type KubeletConfiguration } from '../kubeletconfig/config.js';
import { summarizeCert, summarizeTrust } from '../verdict/result.js';
import type { ServerComponentModule } from './component.js';
import { loadCaBundle, loadKeyPair } from '../component-base/files.js';
import { dir, optionalPath, parseFlags, path } from '../component-base/flag-table.js';
import type { Flags } from '../component-base/flags.js';
import type { ControlPlaneSpec } from '../component-base/presets.js';

/** The kubelet flags the simulation reads; everything else comes from its KubeletConfiguration file. */
export const KUBELET_FLAGS = {
  '--config': path('The Kubelet will load its initial configuration from this file.'),
  '--kubeconfig': optionalPath('Path to a kubeconfig file, specifying how to connect to the API server; without one the kubelet runs standalone.'),
  '--cert-dir': dir('The directory where the TLS certs are located.', '/var/lib/kubelet/pki'),
} as const;

/** The kubelet's part of a ControlPlaneSpec as its command line. */
export function kubeletFlags(spec: ControlPlaneSpec['kubelet']): Flags {
  return { '--config': spec.config, '--kubeconfig': spec.kubeconfig, '--cert-dir': spec.certDir };
}

// Defined with the file format, below the component modules: component.ts names it too.
export type { KubeletConfigOverrides } from '../kubeletconfig/config.js';

/** Deep-merges overrides into the config file's document; `null` removes a field. */
export function mergeKubeletConfig(base: KubeletConfiguration, overrides: KubeletConfigOverrides | undefined): KubeletConfiguration {
  const merge = (a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(b)) {
      if (v === null) delete out[k];
      else if (typeof v === 'object' && !Array.isArray(v) && typeof out[k] === 'object' && out[k] !== null) out[k] = merge(out[k] as Record<string, unknown>, v as Record<string, unknown>);
      else out[k] = v;
    }
    return out;
  };
  return merge(base as Record<string, unknown>, (overrides ?? {}) as Record<string, unknown>) as KubeletConfiguration;
}

/** Reads --config (merged with `overrides`) and the serving and client CA files it leads to. */
export function configureKubelet(fs: NodeFs, flags: Flags, nodeName: string, overrides?: KubeletConfigOverrides): KubeletConfig {
  const f = parseFlags('kubelet', KUBELET_FLAGS, flags);
  const configFile = f['--config'];
  if (!configFile) throw new KubeMtlsSimError('ERR_COMPONENT_FLAG', 'kubelet: --config must be set (the simulation reads the kubelet\'s settings from its config file)', { field: '--config' });
  const certDir = f['--cert-dir'];
  const config = mergeKubeletConfig(parseKubeletConfiguration(fs.read(configFile, 'kubelet --config').toString('utf8'), configFile), overrides);
  const explicit = Boolean(config.tlsCertFile) && Boolean(config.tlsPrivateKeyFile);
  const bootstrapped = `${certDir}/kubelet-server-current.pem`;
  // Only with both fields empty does the kubelet use (or create) the self-signed pair in --cert-dir,
  // and only without serverTLSBootstrap; with it, the kubelet serves what its CSR got, or nothing yet.
  const servingSource = explicit ? 'tlsCertFile' : config.serverTLSBootstrap ? 'serverTLSBootstrap' : 'cert-dir';
  const serving = servingSource === 'tlsCertFile'
    ? loadKeyPair(fs, config.tlsCertFile!, config.tlsPrivateKeyFile!, `KubeletConfiguration tlsCertFile (${configFile})`, `KubeletConfiguration tlsPrivateKeyFile (${configFile})`)
    : servingSource === 'cert-dir'
      ? loadKeyPair(fs, `${certDir}/kubelet.crt`, `${certDir}/kubelet.key`, 'kubelet --cert-dir (kubelet.crt)', 'kubelet --cert-dir (kubelet.key)')
      : fs.exists(bootstrapped) ? loadKeyPair(fs, bootstrapped, bootstrapped, 'kubelet --cert-dir (kubelet-server-current.pem)', 'kubelet --cert-dir (kubelet-server-current.pem)') : undefined;
  const caFile = config.authentication?.x509?.clientCAFile;
  return {
    configFile, config, nodeName, servingSource,
    ...(serving ? { serving } : {}),
    ...(caFile ? { clientCa: loadCaBundle(fs, caFile, `KubeletConfiguration authentication.x509.clientCAFile (${configFile})`) } : {}),
    // kubelet.config.k8s.io/v1beta1 defaults: anonymous disabled, Webhook authorization.
    anonymous: config.authentication?.anonymous?.enabled ?? false,
    authorizationMode: config.authorization?.mode ?? 'Webhook',
  };
}

const SERVING_FIELD = {
  tlsCertFile: 'KubeletConfiguration tlsCertFile',
  'cert-dir': 'kubelet --cert-dir (self-signed kubelet.crt)',
  serverTLSBootstrap: 'kubelet --cert-dir (kubelet-server-current.pem, from a kubelet-serving CSR)',
} as const;

export const kubelet: ServerComponentModule<KubeletConfig> = {
  name: 'kubelet',
  flags: KUBELET_FLAGS,
  configure: (fs, flags, env) => configureKubelet(fs, flags, env.nodeName, env.kubeletConfig),
  describe: (k) => ({
    presents: k.serving ? summarizeCert(k.serving.chain[0]!, { field: SERVING_FIELD[k.servingSource], file: k.serving.certFile, chain: k.serving.chain }) : null,
    verifiesClientsWith: k.clientCa
      ? summarizeTrust('ca', 'KubeletConfiguration authentication.x509.clientCAFile', k.clientCa.certs, k.clientCa.file)
      : summarizeTrust('none', 'KubeletConfiguration authentication.x509.clientCAFile', []),
  }),
  start: (config, ctx) => startKubelet(config, ctx.clock, ctx.reviewModes, ctx.ledger),
};
