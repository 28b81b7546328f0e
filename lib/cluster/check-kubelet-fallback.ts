// `check DIR` and a kubelet whose client certificate is past its time: what the kubelet on that node
// does when it next starts (pkg/kubelet/certificate/bootstrap LoadClientConfig). With a bootstrap
// kubeconfig that holds a token it falls back to that token; whether that works depends on the
// token's Secret in etcd, which a folder does not hold, so the fallback is dialled twice, once under
// each assumption, and the report labels both as assumptions.
import type { Clock } from '../clock.js';
import { isKubeMtlsSimError } from '../errors.js';
import { BOOTSTRAP_TOKEN_SECRET_PREFIX, kubeadmBootstrapToken, parseBootstrapToken } from '../authn/bootstrap-tokens.js';
import { parseKubeconfig } from '../kubeconfig/parse.js';
import type { LoadedNode } from '../node/load.js';
import type { EdgeResult } from '../verdict/result.js';
import type { StartedCluster } from './cluster.js';

/** Why the kubelet does or does not fall back to its bootstrap token when it starts. */
export type FallbackCase =
  /** --bootstrap-kubeconfig names a file with a bootstrap token: the kubelet asks for a new certificate with it. */
  | 'falls-back'
  /** No --bootstrap-kubeconfig: LoadClientConfig uses kubelet.conf as it is. */
  | 'no-bootstrap-flag'
  /** The flag names a file that is not there: LoadClientConfig fails, and the kubelet with it. */
  | 'no-bootstrap-file'
  /** The file is there but cannot be read as a kubeconfig, or holds no bootstrap token. */
  | 'no-token'
  /** NotBefore is after now: isClientConfigStillValid checks only NotAfter, so the kubelet keeps the certificate. */
  | 'not-yet-valid';

/** The kubelet-to-apiserver edge after a restart, under one assumption about the token's Secret. */
export interface FallbackOutcome {
  assumption: 'token-valid' | 'token-not-valid';
  /** What the kubelet logged as it started. */
  log: string[];
  result: EdgeResult;
}

export interface KubeletFallback {
  edge: 'kubelet-to-apiserver';
  case: FallbackCase;
  /** The node the kubelet runs as (system:node:<name>). */
  nodeName: string;
  /** The kubelet's --kubeconfig and the certificate in it that is past its time. */
  kubeconfig: string;
  certificate: { file: string; notBefore: string; notAfter: string; state: 'expired' | 'not-yet-valid' };
  /** The kubelet's --bootstrap-kubeconfig (null: not set). */
  bootstrapKubeconfig: string | null;
  /** The bootstrap token's ID and the Secret that must hold it (kube-system/bootstrap-token-<id>). */
  token?: { id: string; secret: string };
  /** Why the bootstrap kubeconfig could not be used (case no-token). */
  problem?: string;
  /** Both outcomes of the fallback, dialled (case falls-back). */
  outcomes: FallbackOutcome[];
}

/** kubelet.conf's client certificate, read the way isClientConfigStillValid reads it; undefined when there is none to judge. */
function clientCertificate(cluster: StartedCluster, kubeconfig: string): KubeletFallback['certificate'] | undefined {
  const { fs, clock } = cluster;
  try {
    const config = parseKubeconfig(fs.read(kubeconfig).toString('utf8'), kubeconfig, { readFile: (path) => fs.read(path) });
    const certs = config.clientCert?.certs ?? [];
    const now = clock.now();
    // Go: now.After(cert.NotAfter) for any certificate in the file.
    const expired = certs.find((c) => now > new Date(c.node.validTo));
    const leaf = expired ?? certs[0];
    if (!leaf) return undefined;
    const file = config.clientCert?.source.file ?? kubeconfig;
    const at = { file, notBefore: new Date(leaf.node.validFrom).toISOString(), notAfter: new Date(leaf.node.validTo).toISOString() };
    if (expired) return { ...at, state: 'expired' };
    return now < new Date(leaf.node.validFrom) ? { ...at, state: 'not-yet-valid' } : undefined;
  } catch (error) {
    // A kubelet.conf that cannot be read is the kubelet's load problem, reported with the components.
    if (isKubeMtlsSimError(error)) return undefined;
    throw error;
  }
}

/** The bootstrap kubeconfig's token, or why there is none. */
function bootstrapToken(cluster: StartedCluster, file: string): { token: string } | { problem: string } {
  try {
    const config = parseKubeconfig(cluster.fs.read(file).toString('utf8'), file, { readFile: (path) => cluster.fs.read(path) });
    const token = config.token?.value;
    if (!token) return { problem: `${file} holds no token (user ${config.userName ?? ''})` };
    if (!parseBootstrapToken(token)) return { problem: `${file}'s token is not a bootstrap token ([a-z0-9]{6}.[a-z0-9]{16})` };
    return { token };
  } catch (error) {
    if (isKubeMtlsSimError(error)) return { problem: error.message };
    throw error;
  }
}

/**
 * What the node's kubelet does on its next start, when kubelet.conf's client certificate is past
 * its time at the clock's time; undefined when it is not (or the node runs no kubelet). Run after
 * every other edge was dialled: the fallback writes a new certificate into the cluster's files.
 */
export async function kubeletFallback(node: LoadedNode, cluster: StartedCluster, clock: Clock): Promise<KubeletFallback | undefined> {
  const kubeconfig = node.spec.kubelet.kubeconfig;
  if (node.components.kubelet.how === 'absent' || !kubeconfig) return undefined;
  const certificate = clientCertificate(cluster, kubeconfig);
  if (!certificate) return undefined;
  const bootstrapKubeconfig = node.components.kubelet.flags['--bootstrap-kubeconfig'] || null;
  const base = { edge: 'kubelet-to-apiserver' as const, nodeName: node.config.nodeName, kubeconfig, certificate, bootstrapKubeconfig, outcomes: [] };
  if (certificate.state === 'not-yet-valid') return { ...base, case: 'not-yet-valid' };
  if (!bootstrapKubeconfig) return { ...base, case: 'no-bootstrap-flag' };
  if (!cluster.fs.exists(bootstrapKubeconfig)) return { ...base, case: 'no-bootstrap-file' };
  const read = bootstrapToken(cluster, bootstrapKubeconfig);
  if ('problem' in read) return { ...base, case: 'no-token', problem: read.problem };
  const id = parseBootstrapToken(read.token)!.tokenId;
  const token = { id, secret: `kube-system/${BOOTSTRAP_TOKEN_SECRET_PREFIX}${id}` };
  // First as the folder leaves it: no Secret for the token (expired and removed, or deleted); then with one.
  const outcomes: FallbackOutcome[] = [];
  for (const assumption of ['token-not-valid', 'token-valid'] as const) {
    if (assumption === 'token-valid') cluster.addBootstrapToken(kubeadmBootstrapToken(read.token, clock.now()));
    const started = await cluster.restartKubelet(bootstrapKubeconfig);
    outcomes.push({ assumption, log: started.log, result: await cluster.dial('kubelet-to-apiserver') });
  }
  return { ...base, case: 'falls-back', token, outcomes };
}
