import { KubeMtlsSimError } from '../errors.js';

/** A component's command line, flag → value, as written in its static Pod manifest. */
export type Flags = Readonly<Record<string, string>>;
/** Changes to a command line: a value sets the flag, `null` removes it. */
export type FlagOverrides = Readonly<Record<string, string | null>>;

/** The flags each simulated component understands (anything else is a typed error, as a real binary refuses unknown flags). */
export const KNOWN_FLAGS = {
  'kube-apiserver': [
    '--advertise-address', '--secure-port', '--tls-cert-file', '--tls-private-key-file', '--client-ca-file', '--etcd-servers',
    '--etcd-cafile', '--etcd-certfile', '--etcd-keyfile', '--kubelet-client-certificate', '--kubelet-client-key',
    '--kubelet-certificate-authority', '--kubelet-preferred-address-types', '--service-account-key-file', '--service-account-issuer',
    '--enable-bootstrap-token-auth', '--anonymous-auth', '--tls-min-version', '--authorization-mode',
  ],
  'kube-controller-manager': [
    '--kubeconfig', '--cluster-signing-cert-file', '--cluster-signing-key-file', '--cluster-signing-duration',
    '--cluster-signing-kubelet-serving-cert-file', '--cluster-signing-kubelet-serving-key-file',
    '--cluster-signing-kubelet-client-cert-file', '--cluster-signing-kubelet-client-key-file',
    '--cluster-signing-kube-apiserver-client-cert-file', '--cluster-signing-kube-apiserver-client-key-file',
    '--cluster-signing-legacy-unknown-cert-file', '--cluster-signing-legacy-unknown-key-file',
  ],
  etcd: [
    '--name', '--cert-file', '--key-file', '--trusted-ca-file', '--client-cert-auth', '--peer-cert-file', '--peer-key-file',
    '--peer-trusted-ca-file', '--peer-client-cert-auth', '--listen-client-urls', '--advertise-client-urls',
  ],
} as const;

export type FlagComponent = keyof typeof KNOWN_FLAGS;

export function applyFlagOverrides(component: FlagComponent, base: Flags, overrides: FlagOverrides | undefined): Flags {
  const known = KNOWN_FLAGS[component] as readonly string[];
  const result: Record<string, string> = { ...base };
  for (const [flag, value] of Object.entries(overrides ?? {})) {
    if (!known.includes(flag)) {
      throw new KubeMtlsSimError('ERR_COMPONENT_FLAG', `${component}: unknown flag \`${flag}\` (known: ${known.join(', ')})`, {
        field: flag, goMessage: `Error: unknown flag: ${flag}`,
      });
    }
    if (value === null) delete result[flag];
    else result[flag] = value;
  }
  return result;
}

/** Go's pflag bool parsing: `true`/`false` (and 1/0, t/f). */
export function boolFlag(component: string, flags: Flags, flag: string, fallback: boolean): boolean {
  const value = flags[flag];
  if (value === undefined) return fallback;
  if (/^(true|t|1|TRUE|True)$/.test(value)) return true;
  if (/^(false|f|0|FALSE|False)$/.test(value)) return false;
  throw new KubeMtlsSimError('ERR_COMPONENT_FLAG', `${component}: \`${flag}=${value}\` is not a boolean`, {
    field: flag, goMessage: `invalid argument "${value}" for "${flag}" flag: strconv.ParseBool: parsing "${value}": invalid syntax`,
  });
}

export function listFlag(flags: Flags, flag: string): string[] {
  return (flags[flag] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** `--tls-min-version` (Go constant names) → node:tls version. */
export function tlsVersionFlag(component: string, flags: Flags, flag: string): 'TLSv1.2' | 'TLSv1.3' | undefined {
  const value = flags[flag];
  if (value === undefined || value === '') return undefined;
  if (value === 'VersionTLS12') return 'TLSv1.2';
  if (value === 'VersionTLS13') return 'TLSv1.3';
  if (value === 'VersionTLS10' || value === 'VersionTLS11') return 'TLSv1.2'; // node (OpenSSL 3 defaults) offers nothing older anyway
  throw new KubeMtlsSimError('ERR_COMPONENT_FLAG', `${component}: \`${flag}=${value}\`: unknown TLS version (VersionTLS10, VersionTLS11, VersionTLS12, VersionTLS13)`, {
    field: flag, goMessage: `unknown tls version "${value}"`,
  });
}
