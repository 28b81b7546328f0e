// The package's public API, named one by one: what a library user calls, and every type that appears
// in those signatures (so a user can name what they receive). Classes the cluster owns (its node file
// system, CSR store, kubelet certificates) are exported as types only: a user reads them, never builds
// one. Internals (the process-wide key pool, the registry checkers, the scenario comparator) are not
// here; scripts/check-pack.sh compiles these declarations as a consumer would (no DOM lib, no skipLibCheck).

// The asynchronous entry points load their implementation on first call (start-up is most of a
// short program's time): the cluster runtime, the PKI generator, the scenario runner.
export { defineCluster, generatePki, loadNode, renderPicture, runScenario, writeNode } from './load-on-use.js';
export type { PictureOptions } from './picture/page.js';
export type { LoadedNode, NodeComponent, NodeComponentSource, NodeProblem, UnmodelledFlag } from './node/load.js';
export type { NodeFolder, NodeFolderOptions } from './node/folder.js';

// Time and errors.
export { fixedClock, systemClock, type Clock, type ManualClock } from './clock.js';
export { ERROR_CODES, KubeMtlsSimError, isKubeMtlsSimError, type ErrorCode, type ErrorDetails } from './errors.js';

// The PKI: its table, presets, faults, keys, and the certificates it makes.
export type { GeneratePkiOptions, Pki, PkiCert } from './layout/generate.js';
export type { Fault, FaultEffect, FaultKind, FaultMap } from './pki/faults.js';
export { KeyPool, type KeyMaterial, type KeySource } from './pki/keys.js';
export { PRESETS, getPreset } from './pki/presets/index.js';
export { DEFAULT_CLUSTER_CONFIG } from './pki/cluster-config.js';
export type { FileKind, PkiFile } from './layout/layout-files.js';
export {
  EXT_KEY_USAGES, KEY_ALGORITHMS, PRESET_NAMES,
  type CaRecord, type CertFiles, type CertRecord, type CertRecordBase, type ClusterConfig, type Derived, type ExtKeyUsage,
  type KeyAlgorithm, type KeyPairRecord, type KeyUsage, type KubeconfigAuth, type KubeconfigRecord, type KubeletFilesRecord,
  type LeafRecord, type Preset, type PresetName, type RecordContext, type San, type Validity, type Value,
} from './pki/types.js';
export type { CertSan } from './pki/issue.js';
export type { IssuedCert, ParsedCertificate } from './pki/issued-cert.js';
export type { ReadKey, Source as PemSource } from './pki/pem.js';
export { writeLayout, readLayout, exportLayout, type Layout, type LayoutEntry, type WriteLayoutOptions } from './layout/layout.js';
export { inspectLayout, type CheckResult, type InspectProblem, type InspectReport, type InspectRow } from './layout/inspect.js';

// Kubeconfigs and the kubelet's configuration file.
export { parseKubeconfig, readKubeconfigFile, type ReadKubeconfigOptions, type ResolvedKubeconfig } from './kubeconfig/parse.js';
export type { Kubeconfig, KubeconfigCluster, KubeconfigContext, KubeconfigUser } from './kubeconfig/types.js';
export type { KubeletConfiguration } from './kubeletconfig/config.js';

// The cluster, the changes a scenario or a user makes to it, and what it exposes once started.
export type { ClusterDefinition, ClusterOptions, JoinNodesOptions, StartedCluster } from './cluster/cluster.js';
export type { EditValue, FileChanges, TokenChange } from './node/file-changes.js';
export type { ClientComponent, ComponentSpecs, ControlPlaneSpec, PresetFiles } from './component-base/presets.js';
export type { FlagOverrides, Flags } from './component-base/flags.js';
export type { ControllerManagerConfig } from './components/controller-manager.js';
export type { KubeletConfigOverrides } from './kubeletconfig/config.js';
export type { ConnectionRecord, Endpoint, Exchange } from './tls/connection.js';
export type { NodeFs } from './fs/node-fs.js';
export type { NodeJoin } from './kubelet/fleet.js';
export type { CertificateOutcome, Credentials, KubeletCertificates, KubeletContext } from './kubelet/certificates.js';
export type { CsrRequestResult } from './kubelet/csr-request.js';
export type { KubeletStart } from './kubelet/bootstrap-fallback.js';
export type { CsrStore } from './csr/store.js';
export type { CertificateSigningRequest, CsrCondition } from './csr/types.js';
export type { SigningCa } from './csr/signer.js';
export type { AuthnFailure, AuthnMethod, AuthnResult, UserInfo } from './authn/types.js';
export type { AuthorizationMode, AuthzDecision } from './authz/types.js';
export { generateBootstrapToken, kubeadmBootstrapToken, type BootstrapTokenSecret } from './authn/bootstrap-tokens.js';

// Edges, dials and verdicts, and their explanation in English or Chinese.
export { ADDON_EDGE_NAMES, EDGES, EDGE_NAMES, type AddonEdgeName, type EdgeName, type EdgeSpec, type ReferenceEdgeName, type ServerComponent } from './edges/edges.js';
export type { MetricsServerAddon } from './cluster/metrics-server-addon.js';
export type { DialOptions } from './clients/dial.js';
export { REASONS, type Reason, type Side, type Stage, type Verdict } from './verdict/reasons.js';
export type { CertSummary, EdgeResult, KubernetesMessage, TrustSummary } from './verdict/result.js';
export type { AuthnFailureFacts, Cause, ChainFacts, VerifyFailure, VerifyHint, WireError } from './verdict/cause.js';
export { explain, explanationText, type Explanation, type Lang } from './verdict/explain.js';
export { goVerify, type GoKeyUsage, type GoVerifyFailure, type GoVerifyOptions, type GoVerifyResult } from './x509/go-verify.js';

// Scenarios: the registry itself is `kube-mtls-sim/scenarios`.
export type { ScenarioRun } from './scenarios/run.js';
export type { Expectation, Scenario, ScenarioChanges, ScenarioStep } from './scenarios/types.js';
