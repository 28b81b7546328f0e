import type { NodeFs } from '../fs/node-fs.js';
import { authorize } from '../authz/authorize.js';
import { goQuote } from '../authz/go-format.js';
import { BUILTIN_SIGNERS, signCsr, signerViolation, type SigningCa } from '../csr/signer.js';
import { parseCsrPem } from '../csr/parse.js';
import type { CsrStore } from '../csr/store.js';
import type { CertificateSigningRequest, CsrCondition } from '../csr/types.js';
import { keyMaterial } from '../pki/keys.js';
import { readCertificates, readPrivateKey, checkKeyPair } from '../pki/pem.js';
import type { Flags } from '../component-base/flags.js';
import { duration, parseFlags, path, type ParsedFlags } from '../component-base/flag-table.js';
import { KubeMtlsSimError } from '../errors.js';

/**
 * kube-controller-manager's certificate controllers, as its flags configure them: csrsigning
 * (`--cluster-signing-cert-file`/`--cluster-signing-key-file`, per-signer overrides,
 * `--cluster-signing-duration`) and csrapproving (kubelet client CSRs only, after a
 * SubjectAccessReview). They react to every CSR write, at once, in process.
 */
export interface ControllerManagerConfig {
  signers: Partial<Record<string, SigningCa>>;
  durationMs: number;
  /** Why a signer is not running (no signing files), for reports. */
  disabled: Partial<Record<string, string>>;
  /**
   * What kube-controller-manager logs for a CSR it could not sign, by CSR name (the latest error;
   * `Sync <name> failed with : error auto signing csr: …`). The real controller requeues the CSR and
   * never writes the error into it; here it is tried again on the CSR's next write.
   */
  syncErrors: Map<string, string>;
}

/** At most this many CSRs' sync errors are kept: the oldest is forgotten first. */
const SYNC_ERRORS_LIMIT = 1024;

const PER_SIGNER: Record<string, string> = {
  'kubernetes.io/kubelet-serving': 'kubelet-serving',
  'kubernetes.io/kube-apiserver-client-kubelet': 'kubelet-client',
  'kubernetes.io/kube-apiserver-client': 'kube-apiserver-client',
  'kubernetes.io/legacy-unknown': 'legacy-unknown',
};

const SIGNING_FILE = (signer: string, what: 'cert' | 'key') =>
  path(`Filename containing a PEM-encoded ${what === 'cert' ? 'X509 CA certificate' : 'RSA or ECDSA private key'} used to issue certificates for the ${signer} signer.`);

/** The kube-controller-manager flags the simulation reads (its certificate controllers' and --kubeconfig). */
export const KUBE_CONTROLLER_MANAGER_FLAGS = {
  '--kubeconfig': path('Path to kubeconfig file with authorization and master location information.'),
  '--cluster-signing-cert-file': path('Filename containing a PEM-encoded X509 CA certificate used to issue cluster-scoped certificates.'),
  '--cluster-signing-key-file': path('Filename containing a PEM-encoded RSA or ECDSA private key used to sign cluster-scoped certificates.'),
  '--cluster-signing-duration': duration('The max length of duration signed certificates will be given.', 365 * 24 * 3_600_000),
  '--cluster-signing-kubelet-serving-cert-file': SIGNING_FILE('kubernetes.io/kubelet-serving', 'cert'),
  '--cluster-signing-kubelet-serving-key-file': SIGNING_FILE('kubernetes.io/kubelet-serving', 'key'),
  '--cluster-signing-kubelet-client-cert-file': SIGNING_FILE('kubernetes.io/kube-apiserver-client-kubelet', 'cert'),
  '--cluster-signing-kubelet-client-key-file': SIGNING_FILE('kubernetes.io/kube-apiserver-client-kubelet', 'key'),
  '--cluster-signing-kube-apiserver-client-cert-file': SIGNING_FILE('kubernetes.io/kube-apiserver-client', 'cert'),
  '--cluster-signing-kube-apiserver-client-key-file': SIGNING_FILE('kubernetes.io/kube-apiserver-client', 'key'),
  '--cluster-signing-legacy-unknown-cert-file': SIGNING_FILE('kubernetes.io/legacy-unknown', 'cert'),
  '--cluster-signing-legacy-unknown-key-file': SIGNING_FILE('kubernetes.io/legacy-unknown', 'key'),
} as const;

type SigningFlag = keyof typeof KUBE_CONTROLLER_MANAGER_FLAGS & `--cluster-signing-${string}-file`;

function signingFiles(f: ParsedFlags<typeof KUBE_CONTROLLER_MANAGER_FLAGS>, stem: string) {
  return { cert: f[`--cluster-signing-${stem}-cert-file` as SigningFlag] as string | undefined, key: f[`--cluster-signing-${stem}-key-file` as SigningFlag] as string | undefined };
}

/**
 * CSRSigningControllerOptions.Validate (cmd/kube-controller-manager/app/options/csrsigningcontroller.go):
 * a signer's own cert and key come together, and never beside --cluster-signing-{cert,key}-file.
 */
function checkSigningFiles(f: ParsedFlags<typeof KUBE_CONTROLLER_MANAGER_FLAGS>, single: boolean): void {
  const refuse = (flag: string, message: string, goMessage: string) => {
    throw new KubeMtlsSimError('ERR_COMPONENT_FLAG', `kube-controller-manager: \`${flag}\`: ${message}`, { field: flag, goMessage });
  };
  for (const stem of Object.values(PER_SIGNER)) {
    const { cert, key } = signingFiles(f, stem);
    const [certFlag, keyFlag] = [`--cluster-signing-${stem}-cert-file`, `--cluster-signing-${stem}-key-file`];
    if (cert && !key) refuse(certFlag, `set without ${keyFlag}`, `"cluster-signing-${stem}": cannot specify cert without key`);
    if (key && !cert) refuse(keyFlag, `set without ${certFlag}`, `"cluster-signing-${stem}": cannot specify key without cert`);
    if ((cert || key) && single) {
      refuse(cert ? certFlag : keyFlag, 'cannot be set beside --cluster-signing-cert-file/--cluster-signing-key-file',
        'cannot specify --cluster-signing-{cert,key}-file and other --cluster-signing-*-file flags at the same time');
    }
  }
}

export function configureControllerManager(fs: NodeFs, flags: Flags): ControllerManagerConfig {
  const load = (certFile: string, keyFile: string, certFlag: string, keyFlag: string): SigningCa => {
    const cert = readCertificates(fs.read(certFile, certFlag), { file: certFile, field: certFlag })[0]!;
    const { keyObject } = readPrivateKey(fs.read(keyFile, keyFlag), { file: keyFile, field: keyFlag });
    checkKeyPair(cert, keyObject, { file: certFile }, { file: keyFile });
    return { cert, key: keyMaterial(keyObject), certFile };
  };
  const f = parseFlags('kube-controller-manager', KUBE_CONTROLLER_MANAGER_FLAGS, flags);
  // It reads its kubeconfig as it starts: without it, it never runs.
  const kubeconfig = f['--kubeconfig'];
  if (kubeconfig) fs.read(kubeconfig, 'kube-controller-manager --kubeconfig');
  const config: ControllerManagerConfig = { signers: {}, disabled: {}, syncErrors: new Map(), durationMs: f['--cluster-signing-duration'] };
  const globalCert = f['--cluster-signing-cert-file'];
  const globalKey = f['--cluster-signing-key-file'];
  checkSigningFiles(f, Boolean(globalCert || globalKey));
  const global = globalCert && globalKey ? load(globalCert, globalKey, '--cluster-signing-cert-file', '--cluster-signing-key-file') : undefined;
  for (const signer of BUILTIN_SIGNERS) {
    const stem = PER_SIGNER[signer]!;
    const { cert, key } = signingFiles(f, stem);
    const ca = cert && key ? load(cert, key, `--cluster-signing-${stem}-cert-file`, `--cluster-signing-${stem}-key-file`) : global;
    if (ca) config.signers[signer] = ca;
    else config.disabled[signer] = 'no --cluster-signing-cert-file/--cluster-signing-key-file (external CA mode): the signer does not run';
  }
  return config;
}

const condition = (type: string, reason: string, message: string, now: Date): CsrCondition => {
  const time = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { type, status: 'True', reason, message, lastUpdateTime: time, lastTransitionTime: time };
};

/** Runs csrapproving then csrsigning on one CSR. */
export function reconcileCsr(store: CsrStore, name: string, config: ControllerManagerConfig, authorizationModes: Parameters<typeof authorize>[1]['modes']): void {
  const csr = store.get(name);
  if (!csr) return;
  const now = store.clock.now();
  const types = new Set((csr.status.conditions ?? []).map((c) => c.type));
  const parsed = parseCsrPem(Buffer.from(csr.spec.request, 'base64'));
  if (parsed.ok && !types.has('Approved') && !types.has('Denied') && csr.spec.signerName === 'kubernetes.io/kube-apiserver-client-kubelet' && !signerViolationForApproval(csr, parsed.csr)) {
    // A node renewing its own certificate is checked for selfnodeclient first, then (as any requester) nodeclient.
    const may = (subresource: string) => authorize({
      user: { name: csr.spec.username ?? '', groups: csr.spec.groups ?? [] }, verb: 'create', resourceRequest: true,
      apiGroup: 'certificates.k8s.io', resource: 'certificatesigningrequests', subresource,
    }, { modes: authorizationModes }).allowed;
    const self = csr.spec.username === parsed.csr.cn && may('selfnodeclient');
    if (self || may('nodeclient')) {
      store.updateStatus(name, { ...csr.status, conditions: [...(csr.status.conditions ?? []), condition('Approved', 'AutoApproved',
        self ? 'Auto approving self kubelet client certificate after SubjectAccessReview.' : 'Auto approving kubelet client certificate after SubjectAccessReview.', now)] });
      return; // the write notifies again: signing happens on that pass
    }
  }
  // IsCertificateRequestApproved: Approved and not Denied (a stored object may hold both).
  if (!types.has('Approved') || types.has('Denied') || types.has('Failed') || csr.status.certificate) return;
  const ca = config.signers[csr.spec.signerName];
  if (!ca) return; // a custom signer (example.com/serving) or a disabled one: stays Approved, never Issued
  if (!parsed.ok) {
    recordSyncError(config, name, `unable to parse csr ${goQuote(name)}: ${parsed.error}`);
    return;
  }
  // signer.handle: a broken rule of the signer is written into the CSR as a Failed condition ...
  const violation = signerViolation(csr.spec.signerName, parsed.csr, csr.spec.usages ?? []);
  if (violation) {
    config.syncErrors.delete(name);
    store.updateStatus(name, { ...csr.status, conditions: [...(csr.status.conditions ?? []), condition('Failed', 'SignerValidationFailure', violation, now)] });
    return;
  }
  // ... but a signature that fails (an unknown usage, an expired CA) is an error of the sync: logged,
  // retried, and the CSR stays Approved without a certificate.
  const outcome = signCsr(csr, parsed.csr, ca, now, config.durationMs);
  if (!outcome.ok) {
    recordSyncError(config, name, `error auto signing csr: ${outcome.message}`);
    return;
  }
  config.syncErrors.delete(name);
  store.updateStatus(name, { ...csr.status, certificate: Buffer.from(outcome.certificatePem).toString('base64') });
}

function recordSyncError(config: ControllerManagerConfig, name: string, error: string): void {
  config.syncErrors.delete(name); // re-inserted last: the map's order is the order of the latest errors
  config.syncErrors.set(name, `Sync ${name} failed with : ${error}`);
  if (config.syncErrors.size > SYNC_ERRORS_LIMIT) config.syncErrors.delete(config.syncErrors.keys().next().value!);
}

function signerViolationForApproval(csr: CertificateSigningRequest, parsed: Parameters<typeof signCsr>[1]): boolean {
  // csrapproving only considers well-formed kubelet client requests (isNodeClientCert): the signer's own rules, exact usages included.
  return signerViolation('kubernetes.io/kube-apiserver-client-kubelet', parsed, csr.spec.usages ?? []) !== null;
}
