import { goTime } from '../csr/signer.js';
import { buildKubeconfig, stringifyKubeconfig } from '../kubeconfig/build.js';
import { parseKubeconfig } from '../kubeconfig/parse.js';
import { hostPortURL } from '../pki/cluster-config.js';
import type { CertificateOutcome, KubeletCertificates } from './certificates.js';

/**
 * The kubelet starting with `--bootstrap-kubeconfig` (cmd/kubelet/app/server.go
 * buildKubeletClientConfig; pkg/kubelet/certificate/bootstrap/bootstrap.go). It first asks
 * isClientConfigStillValid of `--kubeconfig`: a missing file, or any certificate in it past its
 * NotAfter, sends it back to the bootstrap kubeconfig's token for a new client certificate; that
 * is how a node that was off for longer than its certificate lived comes back by itself.
 *  - rotateCertificates on (kubeadm's default): LoadClientConfig, then the client certificate manager
 *    asks with the bootstrap credentials "in the background"; a refusal is logged and retried, the
 *    kubelet runs on with the expired certificate (every request 401).
 *  - off: LoadClientCert asks before the kubelet runs; a refusal ends the kubelet.
 */
export interface KubeletStart {
  /** Null when kubelet.conf was still valid and nothing was asked. */
  outcome: CertificateOutcome | null;
  /** What the kubelet logged, in order (klog's message, without the header). */
  log: string[];
}

/** The kubelet's view of `--kubeconfig`: valid, or the line isClientConfigStillValid logs (null: the file is missing). */
function stillValid(kubelet: KubeletCertificates): { ok: true } | { ok: false; line: string | null } {
  const { fs, kubeconfig, clock } = kubelet.ctx;
  if (!fs.exists(kubeconfig)) return { ok: false, line: null };
  try {
    const config = parseKubeconfig(fs.read(kubeconfig).toString('utf8'), kubeconfig, { readFile: (path) => fs.read(path) });
    const certs = config.clientCert?.certs ?? [];
    if (certs.length === 0) return { ok: false, line: `"Unhandled Error" err="unable to read TLS certificates from existing bootstrap client config read from ${kubeconfig}: <nil>"` };
    for (const cert of certs) {
      const notAfter = new Date(cert.node.validTo);
      // Go: now.After(cert.NotAfter).
      if (clock.now() > notAfter) return { ok: false, line: `"Unhandled Error" err="part of the existing bootstrap client certificate in ${kubeconfig} is expired: ${goTime(notAfter)}"` };
    }
    return { ok: true };
  } catch (error) {
    return { ok: false, line: `"Unhandled Error" err="unable to read existing bootstrap client config from ${kubeconfig}: ${(error as Error).message}"` };
  }
}

/** The token of the bootstrap kubeconfig's current user (what the kubelet authenticates its CSR with). */
function bootstrapToken(kubelet: KubeletCertificates, bootstrapKubeconfig: string): string | undefined {
  const { fs } = kubelet.ctx;
  return parseKubeconfig(fs.read(bootstrapKubeconfig).toString('utf8'), bootstrapKubeconfig, { readFile: (path) => fs.read(path) }).token?.value;
}

/** client-go's error for a CSR create the apiserver refused (csr.RequestCertificate), as Go prints a 401/403 Status. */
function createError(outcome: CertificateOutcome): string {
  if (outcome.status === 401) return 'cannot create certificate signing request: Unauthorized';
  let message = outcome.error ?? '';
  try {
    message = (JSON.parse(message) as { message?: string }).message ?? message;
  } catch {
    // Not a Status object: the transport's own error text.
  }
  return `cannot create certificate signing request: ${message}`;
}

export async function startKubelet(kubelet: KubeletCertificates, bootstrapKubeconfig: string, rotateCertificates: boolean): Promise<KubeletStart> {
  const log: string[] = [];
  const valid = stillValid(kubelet);
  // Only what klog prints at kubeadm's default verbosity (bootstrap.go's V(2) lines are left out).
  if (valid.ok) return { outcome: null, log };
  if (valid.line) log.push(valid.line);
  const token = bootstrapToken(kubelet, bootstrapKubeconfig);
  if (rotateCertificates) log.push('"Client rotation is on, will bootstrap in background"');
  const outcome = await kubelet.bootstrap(token ?? '');
  if (outcome.file) {
    if (rotateCertificates) log.push('"Certificate rotation detected, shutting down client connections to start using new credentials"');
    return { outcome, log };
  }
  const error = createError(outcome);
  // The certificate manager retries (and the kubelet runs on); LoadClientCert's error ends the kubelet.
  log.push(rotateCertificates
    ? `kubernetes.io/kube-apiserver-client-kubelet: Failed while requesting a signed certificate from the control plane: ${error}`
    : `"command failed" err="failed to run Kubelet: ${error}"`);
  return { outcome, log };
}

/** What `kubeadm join` writes for the kubelet (kubeadm deletes it once the kubelet has its certificate; a node kept it here). */
export function bootstrapKubeconfigText(kubelet: KubeletCertificates, token: string): string {
  const { serverAddress, apiPort, roots } = kubelet.ctx;
  return stringifyKubeconfig(buildKubeconfig({
    clusterName: 'kubernetes', contextName: 'tls-bootstrap-token-user@kubernetes', userName: 'tls-bootstrap-token-user',
    cluster: { server: hostPortURL(serverAddress, apiPort), 'certificate-authority-data': Buffer.from(roots.map((c) => c.pem).join('')).toString('base64') },
    user: { token },
  }));
}
