/**
 * Every error this library throws on bad input is a `KubeMtlsSimError` with a stable `code`,
 * a message that names the file, flag or field at fault, and (where a real Go component would
 * fail the same way) the text that component prints, in `goMessage`.
 *
 * The catalogue below is the single source for the codes: `docs/reasons.md` is generated from it
 * and a test pins it, so a code never changes meaning silently.
 */

export const ERROR_CODES = {
  // Files
  ERR_FILE_NOT_FOUND: 'A file named in the layout, a flag or a kubeconfig does not exist.',
  ERR_FILE_UNREADABLE: 'A file exists but cannot be read (a directory, or no permission).',
  ERR_FILE_EXISTS: 'Refused to overwrite an existing file (pass `overwrite: true` / `--force`).',
  // PEM and DER
  ERR_PEM_EMPTY: 'The file is empty.',
  ERR_PEM_NO_DATA: 'The input holds no PEM block at all (garbage or plain text).',
  ERR_PEM_DER_INPUT: 'The input is binary DER where PEM text was expected.',
  ERR_PEM_TRUNCATED: 'A PEM block starts but never ends (the file was cut short).',
  ERR_PEM_BAD_BASE64: 'A PEM block body is not valid base64.',
  ERR_PEM_WRONG_TYPE: 'A PEM block of another type was found where a certificate or key was expected.',
  ERR_PEM_SWITCHED: 'The certificate input holds a private key, or the key input a certificate: the two paths are swapped.',
  ERR_CERT_PARSE: 'A CERTIFICATE block does not parse as an X.509 certificate.',
  ERR_KEY_PARSE: 'A private key block does not parse.',
  ERR_KEY_MISMATCH: 'The private key does not belong to the certificate.',
  // Kubeconfig
  ERR_KUBECONFIG_YAML: 'A kubeconfig is not valid YAML, or not a mapping.',
  ERR_KUBECONFIG_FIELD: 'A kubeconfig field is missing or has the wrong type.',
  ERR_KUBECONFIG_REF: 'A kubeconfig context names a cluster or user that the file does not define.',
  ERR_KUBECONFIG_BASE64: 'A kubeconfig `*-data` field is not valid base64.',
  ERR_KUBECONFIG_CONFLICT: 'A kubeconfig sets both a `*-data` field and the matching file path.',
  // KubeletConfiguration
  ERR_KUBELET_CONFIG: 'A KubeletConfiguration file is not valid YAML or has a field of the wrong type.',
  // PKI generation and tables
  ERR_ALGORITHM_UNKNOWN: 'The key algorithm is not one of the supported ones.',
  ERR_PRESET_UNKNOWN: 'The preset name is not one of the known presets.',
  ERR_CLUSTER_CONFIG: 'A cluster config value (node name, address, CIDR, DNS domain, SAN) is invalid.',
  ERR_FAULT_INVALID: 'A fault names a certificate or CA that does not exist, or cannot apply to it.',
  ERR_TABLE_INVALID: 'A certificate or kubeconfig table is inconsistent (a CA id that does not resolve, a duplicate id or path, a CA after its leaf).',
  ERR_LAYOUT_UNKNOWN: 'A folder does not hold any known layout (no kubeadm or reference CA found).',
  // Components and clusters
  ERR_COMPONENT_FLAG: 'A component flag is unknown, or its value is not of the right form.',
  ERR_EDGE_UNKNOWN: 'An edge name is not one of the seven documented edges.',
  ERR_CLUSTER_STOPPED: 'The cluster was stopped; start a new one.',
  // Command line
  ERR_USAGE: 'The command line is malformed (unknown command, flag or missing argument).',
  // Added later (codes are only ever appended)
  ERR_KEY_UNUSABLE: 'A certificate or key parses, but the TLS library refuses to use it (for instance an RSA key below 1024 bits).',
  ERR_TOKEN_FILE: 'A token file a layout needs (the ServiceAccount token of kube-proxy) is empty.',
  ERR_KUBECONFIG_INSECURE_CA: 'A kubeconfig cluster sets `insecure-skip-tls-verify: true` together with `certificate-authority(-data)`: client-go refuses to build a client.',
  ERR_FILE_NOT_REGULAR: 'A FIFO, socket or device is where a file is read, or a symlink, folder or other non-regular file is where a file is written (a symlink is replaced only with `--force` / `overwrite: true`, never written through).',
  ERR_FILE_TOO_LARGE: 'A file is larger than the 16 MiB any certificate, key or config file may be.',
  ERR_FILE_OUTSIDE_ROOT: 'A symlink in a node folder leads out of it (an absolute target is taken inside the folder, as on the node).',
  ERR_FOLDER_UNSAFE: 'A folder on the way to a written file is a symlink or a file, or is writable by group or others (fix its mode, or pass `--force` / `overwrite: true` to make it 0700).',
  ERR_FILE_UNWRITABLE: 'A file or folder cannot be written (permission, read-only or full filesystem); nothing of the layout was changed.',
  ERR_NODE_MANIFEST: 'A static Pod manifest in a node folder is not YAML, not a Pod, or has no container command.',
  ERR_NODE_UNIT: 'A systemd unit in a node folder has no ExecStart= or an unterminated quote.',
  ERR_NODE_NOT_FOUND: 'A folder given as a node holds no component: no static Pod manifest, no kube-*/etcd unit and no kubelet unit or kubeadm-flags.env (empty, or not laid out as a node\'s root).',
  ERR_NODE_COMPONENT_CONFIG: 'A kube-scheduler or kube-proxy `--config` file in a node folder is not a YAML mapping, or its `clientConnection.kubeconfig` is not a string.',
  ERR_KUBECONFIG_PROMPT: 'A kubeconfig user kubectl would use has no credential (no client certificate, token, exec or auth-provider plugin, or username): kubectl prompts `Please enter Username:` and, with no terminal, stops with `error: EOF` having sent no request.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorDetails {
  /** The file the error is about, as the user named it. */
  file?: string;
  /** The field or flag at fault, e.g. `users[0].user.client-certificate-data` or `--algo`. */
  field?: string;
  /** What a real Go component prints for the same input, where that is known. */
  goMessage?: string;
  cause?: unknown;
}

export class KubeMtlsSimError extends Error {
  readonly code: ErrorCode;
  readonly file?: string;
  readonly field?: string;
  readonly goMessage?: string;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'KubeMtlsSimError';
    this.code = code;
    if (details.file !== undefined) this.file = details.file;
    if (details.field !== undefined) this.field = details.field;
    if (details.goMessage !== undefined) this.goMessage = details.goMessage;
  }
}

export function isKubeMtlsSimError(error: unknown, code?: ErrorCode): error is KubeMtlsSimError {
  return error instanceof KubeMtlsSimError && (code === undefined || error.code === code);
}
