import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fixedClock, systemClock } from '../clock.js';
import { defineCluster, type StartedCluster } from '../cluster/cluster.js';
import { KubeMtlsSimError } from '../errors.js';
import { buildKubeconfig, stringifyKubeconfig } from '../kubeconfig/build.js';
import { generatePki } from '../layout/generate.js';
import { writeLayout } from '../layout/layout.js';
import { manifestFile, MANIFEST, readPkiFolder, SERVE_OUTPUT, type Manifest } from '../layout/manifest.js';
import { pathExists, readInRoot } from '../fs/read.js';
import { writeFilesSafely } from '../fs/write.js';
import type { Pki } from '../layout/generate.js';
import type { Clock } from '../clock.js';
import { isNode } from '../cluster/check-node.js';
import { loadNode, type LoadedNode } from '../node/load.js';
import { nodeKubeconfigs } from './serve-node.js';
import { PRESET_NAMES, type PresetName } from '../pki/types.js';
import type { PictureServer } from '../picture/server.js';
import { EXIT, EXIT_STATUS_HELP, clip, isoTime, oneOf, parseCommandLine, usageError, type FlagTable } from './contract.js';

export const SERVE_USAGE = `Usage:
  kube-mtls-sim serve [DIR] [--preset kubeadm|reference] [--now ISO-TIME]

  Starts the simulated control plane (kube-apiserver, etcd, kubelet) on 127.0.0.1 from the PKI in
  DIR (written by \`pki write\`), or from any node folder \`check\` reads (a copy of a node's
  /etc/kubernetes, /var/lib/kubelet and units: the components run with the node's own flags and
  files); a fresh PKI is generated into DIR when it holds neither, or kept in memory without DIR; writes kubeconfigs for the real kubectl (in DIR/kube-mtls-sim/, or without
  DIR in a new private temporary folder removed on exit), serves a picture of the cluster's wiring at
  a URL it prints (http://127.0.0.1:PORT/: every edge dialled when the page loads, an arrow coloured
  by verdict, each edge's report on click), and runs until interrupted (or until its standard output
  is closed).
  --preset NAME    the preset of a fresh PKI; with a DIR that holds one, it must be that PKI's preset (a node folder takes none)
  --now ISO-TIME   the cluster's (virtual) time, e.g. 2026-01-01T00:00:00Z (default: the current time)
  --help, -h       this text

${EXIT_STATUS_HELP}`;

const SERVE_FLAGS: FlagTable = { preset: { type: 'string' }, now: { type: 'string' } };

function usage(message: string): never {
  throw usageError(message, SERVE_USAGE);
}

/** Kubeconfigs that reach the simulated apiserver from this machine: 127.0.0.1, verified by the name `kubernetes`. */
function labKubeconfigs(pki: Pki, port: number): Record<string, string> {
  const ca = [...pki.certs.values()].find((c) => c.record.kind === 'ca' && c.record.id === (pki.preset.name === 'kubeadm' ? 'ca' : 'cluster-root-ca'))!;
  const users = pki.preset.name === 'kubeadm'
    ? [['admin', 'admin'], ['super-admin', 'super-admin']] as const
    : [['admin', 'admin']] as const;
  const out: Record<string, string> = {};
  for (const [file, id] of users) {
    const cert = pki.certs.get(id);
    if (!cert) continue;
    out[`${file}.kubeconfig`] = stringifyKubeconfig(buildKubeconfig({
      clusterName: 'kube-mtls-sim',
      cluster: {
        server: `https://127.0.0.1:${port}`,
        'certificate-authority-data': Buffer.from(ca.cert.pem).toString('base64'),
        // The serving certificate has no 127.0.0.1 SAN (kubeadm's has none): check it against a name it has.
        'tls-server-name': 'kubernetes',
      },
      userName: cert.cert.node.subject.split('\n').find((l) => l.startsWith('CN='))!.slice(3),
      user: {
        'client-certificate-data': Buffer.from(cert.cert.pem).toString('base64'),
        'client-key-data': Buffer.from(cert.key.pem).toString('base64'),
      },
      contextName: `${file}@kube-mtls-sim`,
    }));
  }
  return out;
}

/** The shell file a lab sources (`source DIR/kube-mtls-sim/env`): the kubeconfig, and each running component's URL, since the ports change every run. */
export const SERVE_ENV = 'env';

function serveEnv(kubeconfig: string, servers: StartedCluster['servers']): string {
  const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;
  const lines = [`export KUBECONFIG=${quote(kubeconfig)}`];
  for (const [name, s] of Object.entries(servers)) {
    if (s.running) lines.push(`export ${name.replace(/-/g, '_').toUpperCase()}_URL=https://127.0.0.1:${s.port}`);
  }
  return `${lines.join('\n')}\n`;
}

export interface Serving {
  cluster: StartedCluster;
  kubeconfigs: string[];
  /** The private temporary folder holding the kubeconfigs when no DIR was given; removed by serveCommand on stop. */
  scratch?: string;
  /** The picture of the cluster's wiring, served on 127.0.0.1; closed by serveCommand on stop. */
  picture: PictureServer;
}

/** The flags of `serve`, checked before anything starts; `help` when --help/-h was given. */
export function parseServeArgs(args: string[]): { help: true } | { help: false; dir?: string; preset?: PresetName; now?: string } {
  const parsed = parseCommandLine(args, 'serve', SERVE_FLAGS, SERVE_USAGE);
  if (parsed.help) return parsed;
  const { values, positionals } = parsed;
  if (positionals.length > 1) usage(`unexpected argument "${clip(positionals[1]!)}"`);
  return {
    help: false,
    ...(positionals[0] !== undefined ? { dir: positionals[0] } : {}),
    ...(values.preset !== undefined ? { preset: oneOf('preset', values.preset as string, PRESET_NAMES, 'ERR_PRESET_UNKNOWN') } : {}),
    ...(values.now !== undefined ? { now: isoTime('now', values.now as string) } : {}),
  };
}

/**
 * The folder's kube-mtls-sim.json as far as it reads, or nothing: read once, with the one safe reader
 * (no FIFO hang, no link out of DIR, size cap); an unreadable manifest is readPkiFolder's to report.
 */
function heldManifest(dir: string): Partial<Manifest> | undefined {
  try {
    const held: unknown = JSON.parse(readInRoot(dir, `/${MANIFEST}`).toString('utf8'));
    return held === null ? undefined : Object(held) as Partial<Manifest>;
  } catch {
    return undefined;
  }
}

/** --preset chooses the preset of a new PKI; against a folder that holds another one, it would be ignored. */
function refusePresetOfOtherFolder(dir: string, held: Partial<Manifest> | undefined, preset: PresetName | undefined): void {
  if (preset === undefined || held === undefined) return;
  if (held.preset !== preset) usage(`\`--preset ${preset}\`: ${clip(dir)} holds a ${clip(String(held.preset))} PKI (--preset only chooses the preset of a new one)`);
}

/** What serve starts from: a PKI (pki write's folder, or a fresh one), or a node folder read by loadNode. */
type Origin = { pki: Pki; node?: undefined; label: string } | { node: LoadedNode; pki?: undefined; label: string };

async function originOf(dir: string | undefined, preset: PresetName | undefined, clock: Clock): Promise<Origin> {
  const ours = dir !== undefined && pathExists(join(dir, MANIFEST));
  const held = ours ? heldManifest(dir) : undefined;
  // A folder written with --flag runs with those flags only when read as the node it is: the PKI
  // alone would start every component with the preset's own flags.
  const flagsChanged = held?.flagsChanged;
  if (ours && !(Array.isArray(flagsChanged) && flagsChanged.length > 0)) {
    refusePresetOfOtherFolder(dir, held, preset);
    const pki = readPkiFolder(dir);
    return { pki, label: pki.preset.name };
  }
  if (dir && pathExists(dir)) {
    // A node's own folder (no manifest of ours): the components run with the node's flags and files.
    const node = await loadNode(dir);
    if (isNode(node)) {
      if (preset !== undefined) usage(`\`--preset ${preset}\`: ${clip(dir)} is a node folder (--preset only chooses the preset of a new PKI)`);
      return { node, label: 'node folder' };
    }
  }
  const pki = await generatePki({ clock, preset: preset === 'reference' ? 'reference' : 'kubeadm', keys: 'fresh' });
  if (dir) writeLayout([...pki.files, manifestFile(pki)], dir);
  return { pki, label: pki.preset.name };
}

export async function startServe(args: string[], out: (text: string) => void): Promise<Serving> {
  const parsed = parseServeArgs(args);
  if (parsed.help) return usage('--help is answered by serveCommand');
  const values = parsed;
  const positionals = parsed.dir === undefined ? [] : [parsed.dir];
  const clock = values.now ? fixedClock(values.now) : systemClock;
  const dir = positionals[0] ? resolve(positionals[0]) : undefined;
  const origin = await originOf(dir, values.preset, clock);
  const cluster = await defineCluster({ clock, ...(origin.node ? { node: origin.node } : { pki: origin.pki }) }).start();
  const port = cluster.servers['kube-apiserver'].port;
  if (port === undefined) {
    await cluster.stop();
    throw cluster.servers['kube-apiserver'].startupError ?? new KubeMtlsSimError('ERR_USAGE', 'kube-apiserver did not start');
  }
  // Without DIR, the kubeconfigs (private keys inside) go to a fresh private folder (mkdtemp: 0700,
  // a new name each time) outside the checkout, so nothing can be committed or planted in advance.
  const scratch = dir ? undefined : mkdtempSync(join(tmpdir(), 'kube-mtls-sim-'));
  const written = (() => {
    try {
      // The kubeconfigs name this run's port: replace last run's (the files, never what a link points to).
      const texts = origin.node ? nodeKubeconfigs(origin.node, port) : labKubeconfigs(origin.pki, port);
      const folder = dir ? join(dir, SERVE_OUTPUT) : scratch!;
      texts[SERVE_ENV] = serveEnv(join(folder, Object.keys(texts)[0]!), cluster.servers);
      return writeFilesSafely(dir ?? scratch!, Object.entries(texts).map(([name, text]) => ({ path: `${dir ? `/${SERVE_OUTPUT}` : ''}/${name}`, contents: text, mode: 0o600 })), { overwrite: true, repairModes: false });
    } catch (error) {
      return error as Error;
    }
  })();
  if (written instanceof Error) {
    await cluster.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    throw written;
  }
  const kubeconfigs = written.filter((file) => !file.endsWith(`/${SERVE_ENV}`));
  // Each load of the page dials every edge, so it shows the verdicts as they are at that moment.
  const picture = await (await import('../picture/server.js')).servePicture(() => cluster.dialAll(), { title: `kube-mtls-sim serve: ${origin.label}${dir ? ` from ${dir}` : ''}` });
  out(`kube-mtls-sim: ${origin.label} control plane on 127.0.0.1${dir ? ` from ${dir}` : ''}`);
  for (const [name, s] of Object.entries(cluster.servers)) {
    out(`  ${name.padEnd(15)} ${s.running ? `https://127.0.0.1:${s.port}` : `not running: ${s.startupError?.message}`}`);
  }
  out(`kubeconfig: ${kubeconfigs[0]}`);
  out(`picture:    ${picture.url}  (the wiring, each edge dialled when the page loads; ?lang=zh for Chinese)`);
  out(`env: ${written.find((file) => file.endsWith(`/${SERVE_ENV}`))} (\`source\` it: KUBECONFIG and each component's URL)`);
  out('');
  out(`  export KUBECONFIG=${kubeconfigs[0]}`);
  out('  kubectl get --raw /version');
  out('  kubectl auth whoami');
  out('  kubectl get csr');
  out('');
  if (scratch) out(`(no DIR: the kubeconfigs are in the private folder ${scratch}, removed when the server stops)`);
  out('Press Ctrl-C to stop.');
  return { cluster, kubeconfigs, picture, ...(scratch ? { scratch } : {}) };
}

/**
 * Serves until SIGINT, SIGTERM or `stdoutClosed` (the reader of its output went away, as in
 * `serve DIR | head -2`): each stops the servers and exits 0.
 */
export async function serveCommand(args: string[], out: (text: string) => void, stdoutClosed?: AbortSignal): Promise<number> {
  if (parseServeArgs(args).help) {
    out(SERVE_USAGE);
    return EXIT.OK;
  }
  const { cluster, scratch, picture } = await startServe(args, out);
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      stdoutClosed?.removeEventListener('abort', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (stdoutClosed?.aborted) stop();
    else stdoutClosed?.addEventListener('abort', stop);
  });
  await picture.close();
  await cluster.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  out('kube-mtls-sim: stopped.');
  return EXIT.OK;
}
