#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeMtlsSimError, isKubeMtlsSimError } from '../errors.js';
import { EXIT, EXIT_STATUS_HELP, clip, clipInputs, exitStatusOf, usageError } from './contract.js';

const strip = (usage: string) => usage.replace(`\n\n${EXIT_STATUS_HELP}`, '');

/**
 * Each command's module is loaded when that command runs (start-up is most of a short command's
 * time: `pki write` needs no scenario registry, `scenario` no layout writer); the whole usage,
 * which names every command, loads the three.
 */
async function usage(): Promise<string> {
  const [{ PKI_USAGE }, { SCENARIO_USAGE }, { SERVE_USAGE }, { CHECK_USAGE }, { DIAGNOSE_USAGE }] = await Promise.all([import('./pki.js'), import('./scenario.js'), import('./serve.js'), import('./check.js'), import('./diagnose.js')]);
  return `kube-mtls-sim: the mutual-TLS wiring of a Kubernetes cluster, simulated in-process.

${strip(SCENARIO_USAGE)}

${strip(PKI_USAGE)}

${strip(SERVE_USAGE)}

${strip(CHECK_USAGE)}

${strip(DIAGNOSE_USAGE)}

  kube-mtls-sim --version   the package version
  kube-mtls-sim COMMAND --help

${EXIT_STATUS_HELP}`;
}

/**
 * The version in the package's own package.json, found upwards from this file: two levels up from
 * lib/cli/main.ts (tsx), three from dist/lib/cli/main.js (the bin). Read only when asked.
 */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++, dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'kube-mtls-sim' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // no package.json here (or not ours): one level up.
    }
  }
  throw new KubeMtlsSimError('ERR_FILE_NOT_FOUND', `package.json of kube-mtls-sim not found above ${fileURLToPath(import.meta.url)}`);
}

export interface MainOptions {
  /** Aborted when the reader of stdout went away (EPIPE): `serve` stops its servers. */
  stdoutClosed?: AbortSignal;
  /** What `diagnose -` reads (default: the process's stdin); tests pass a log. */
  stdin?: () => string;
}

export async function main(
  argv: string[],
  out = (t: string) => console.log(t),
  err = (t: string) => console.error(t),
  options: MainOptions = {},
): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === '--help' || command === '-h' || command === 'help') {
      if (rest.length > 0) return await main([rest[0]!, '--help'], out, err, options);
      out(await usage());
      return EXIT.OK;
    }
    if (command === '--version' || command === 'version') {
      if (rest.length > 0) throw usageError(`\`${command}\` takes no argument (given "${clip(rest[0]!)}")`, await usage());
      out(packageVersion());
      return EXIT.OK;
    }
    if (command === undefined) throw usageError('missing command', await usage());
    if (command === 'pki') return await (await import('./pki.js')).pkiCommand(rest, out);
    if (command === 'scenario') return await (await import('./scenario.js')).scenarioCommand(rest, out, err);
    if (command === 'serve') return await (await import('./serve.js')).serveCommand(rest, out, options.stdoutClosed);
    if (command === 'check') return await (await import('./check.js')).checkCommand(rest, out, err);
    if (command === 'diagnose') return await (await import('./diagnose.js')).diagnoseCommand(rest, out, options.stdin);
    throw usageError(`unknown command "${clip(command)}" (commands: scenario, pki, serve, check, diagnose; --help, --version)`, await usage());
  } catch (error) {
    if (isKubeMtlsSimError(error)) {
      err(`error: [${error.code}] ${clipInputs(error.message, argv)}`);
      if (error.goMessage) err(`a Kubernetes component would say: ${clipInputs(error.goMessage, argv)}`);
      return exitStatusOf(error);
    }
    throw error;
  }
}

/**
 * Writes lines to a stream until its reader goes away. EPIPE (`serve DIR | head -2`) is not an error
 * of ours: like coreutils, the CLI stops writing quietly, with no stack trace, and `serve` stops.
 */
function lineWriter(stream: NodeJS.WriteStream, closed: AbortController): (text: string) => void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    closed.abort();
  });
  return (text) => {
    if (!closed.signal.aborted) stream.write(`${text}\n`);
  };
}

/** The command line of this process, run: what the bin (dist/cli.cjs, lib/cli/bin.ts) and a direct run of this file do. */
export async function runCli(): Promise<void> {
  const stdoutClosed = new AbortController();
  const out = lineWriter(process.stdout, stdoutClosed);
  const err = lineWriter(process.stderr, new AbortController());
  process.exitCode = await main(process.argv.slice(2), out, err, { stdoutClosed: stdoutClosed.signal });
}

// Run when executed directly (node dist/lib/cli/main.js, tsx lib/cli/main.ts). Not awaited at top
// level, so that the CLI bundle (CommonJS, which has no top-level await) can include this module;
// a rejection is then an unhandled one, which Node reports and exits 1 on, as before.
if (/(^|[/\\])main\.(ts|js)$/.test(process.argv[1] ?? '')) void runCli();
