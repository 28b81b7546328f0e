// How a component is run on a node, found and read from the node's folder: its static Pod manifest
// (kubeadm), or its systemd unit and drop-ins (the Hard Way; the kubelet everywhere). Every file is
// read through readInRoot: an absolute path on the node is a path under the folder, and a symlink
// is followed inside it only.
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { KubeMtlsSimError, isKubeMtlsSimError } from '../errors.js';
import { fsError, readInRoot, resolveInRoot } from '../fs/read.js';
import { KUBEADM_FLAGS_ENV, MANIFESTS_DIR, UNIT_DIRS } from './paths.js';
import { execArgv, readEnvironmentFile, readUnit, type UnitService } from './systemd.js';

/** Where a component's command line was found. */
export type SourceKind = 'static-pod' | 'systemd' | 'kubeadm-default';

/** A component's argv as the node runs it, and the file that holds it. */
export interface ComponentArgv {
  how: SourceKind;
  /** The node path of the manifest or unit (the last drop-in read, for a unit with drop-ins: see `files`). */
  file: string;
  /** Every file the command line was assembled from (unit, drop-ins, environment files). */
  files: string[];
  argv: string[];
}

/** Whether a node path exists under `root` (links resolved inside it; a link leaving it counts as present, for the read to refuse). */
export function present(root: string, path: string): boolean {
  try {
    lstatSync(join(root, resolveInRoot(root, path)));
    return true;
  } catch (error) {
    return isKubeMtlsSimError(error);
  }
}

function typed(error: unknown, file: string): KubeMtlsSimError {
  return isKubeMtlsSimError(error) ? error : fsError(file, error);
}

/** A static Pod manifest's argv: `spec.containers[0].command` then `args`, as the container runtime joins them. */
export function readManifest(root: string, path: string): ComponentArgv {
  const file = join(root, path);
  const text = readInRoot(root, path).toString('utf8');
  const bad = (why: string, cause?: unknown) => new KubeMtlsSimError('ERR_NODE_MANIFEST', `${file}: ${why}`, { file, field: 'spec.containers[0].command', ...(cause ? { cause } : {}) });
  let doc: unknown;
  try {
    doc = parseYaml(text, { logLevel: 'error' });
  } catch (cause) {
    throw bad(`not valid YAML: ${(cause as Error).message.split('\n')[0]}`, cause);
  }
  const pod = doc as { kind?: unknown; spec?: { containers?: { command?: unknown; args?: unknown }[] } } | null;
  if (typeof pod !== 'object' || pod === null || Array.isArray(pod)) throw bad('not a YAML mapping (a static Pod manifest is a v1 Pod)');
  if (pod.kind !== 'Pod') throw bad(`\`kind\` is ${JSON.stringify(pod.kind ?? null)}, not "Pod"`);
  const container = Array.isArray(pod.spec?.containers) ? pod.spec!.containers[0] : undefined;
  const words = (v: unknown) => Array.isArray(v) && v.every((w) => typeof w === 'string') ? (v as string[]) : undefined;
  const command = words(container?.command);
  if (!command || command.length === 0) throw bad('no `spec.containers[0].command`: the simulator cannot tell which flags the component runs with');
  const args = container?.args === undefined ? [] : words(container.args);
  if (!args) throw bad('`spec.containers[0].args` is not a list of strings');
  return { how: 'static-pod', file: path, files: [path], argv: [...command, ...args] };
}

/** `<unit>.service.d/*.conf` drop-ins in one unit folder, in name order (as systemd applies them). */
function dropIns(root: string, dir: string, unit: string): string[] {
  const folder = `${dir}/${unit}.service.d`;
  try {
    return readdirSync(join(root, resolveInRoot(root, folder))).filter((n) => n.endsWith('.conf')).sort().map((n) => `${folder}/${n}`);
  } catch {
    return [];
  }
}

/**
 * A unit's argv: the unit file (the last of UNIT_DIRS that has one) and every drop-in, then the
 * environment files they name, then ExecStart= expanded. Null when the node has neither unit nor drop-in.
 */
export function readUnitArgv(root: string, unit: string): ComponentArgv | null {
  const mains = UNIT_DIRS.map((d) => `${d}/${unit}.service`).filter((p) => present(root, p));
  const files = [...mains.slice(-1), ...UNIT_DIRS.flatMap((d) => dropIns(root, d, unit))];
  if (files.length === 0) return null;
  const service: UnitService = { environment: {}, environmentFiles: [] };
  for (const path of files) readUnit(readInRoot(root, path).toString('utf8'), service, join(root, path));
  const env: Record<string, string> = {};
  for (const { path, optional } of service.environmentFiles) {
    if (optional && !present(root, path)) continue;
    try {
      readEnvironmentFile(readInRoot(root, path, { field: 'EnvironmentFile', file: join(root, files.at(-1)!) }).toString('utf8'), env);
      files.push(path);
    } catch (error) {
      throw typed(error, join(root, path));
    }
  }
  // Environment files are read when the unit starts and override Environment= of the same name.
  service.environment = { ...service.environment, ...env };
  const file = files.find((f) => f.endsWith('.service') || f.endsWith('.conf'))!;
  return { how: 'systemd', file, files, argv: execArgv(service, join(root, file)) };
}

/** A static Pod manifest if the node has one for `component`, else its unit; null when it has neither. */
export function readComponentArgv(root: string, component: string): ComponentArgv | null {
  const manifest = `${MANIFESTS_DIR}/${component}.yaml`;
  if (present(root, manifest)) return readManifest(root, manifest);
  return readUnitArgv(root, component);
}

/**
 * The kubelet: its unit and drop-ins; on a folder copied without them (only /etc/kubernetes and
 * /var/lib/kubelet), the command line kubeadm's drop-in gives it, with kubeadm-flags.env.
 */
export function readKubeletArgv(root: string): ComponentArgv | null {
  const unit = readUnitArgv(root, 'kubelet');
  if (unit) return unit;
  if (!present(root, KUBEADM_FLAGS_ENV) && !present(root, '/var/lib/kubelet/config.yaml')) return null;
  const env: Record<string, string> = {};
  const files = [];
  if (present(root, KUBEADM_FLAGS_ENV)) {
    readEnvironmentFile(readInRoot(root, KUBEADM_FLAGS_ENV).toString('utf8'), env);
    files.push(KUBEADM_FLAGS_ENV);
  }
  const service: UnitService = {
    execStart: '/usr/bin/kubelet --bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf --config=/var/lib/kubelet/config.yaml $KUBELET_KUBEADM_ARGS',
    environment: env, environmentFiles: [],
  };
  return { how: 'kubeadm-default', file: files[0] ?? '/var/lib/kubelet/config.yaml', files, argv: execArgv(service, KUBEADM_FLAGS_ENV) };
}
