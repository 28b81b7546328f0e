#!/usr/bin/env node
import { isKubeMtlsSimError } from '../errors.js';
import { pkiCommand, PKI_USAGE } from './pki.js';
import { scenarioCommand, SCENARIO_USAGE } from './scenario.js';
import { serveCommand, SERVE_USAGE } from './serve.js';

const USAGE = `kube-mtls-sim: the mutual-TLS wiring of a Kubernetes cluster, simulated in-process.

${SCENARIO_USAGE}

${PKI_USAGE}

${SERVE_USAGE}`;

export async function main(argv: string[], out = (t: string) => console.log(t), err = (t: string) => console.error(t)): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      out(USAGE);
      return command === undefined ? 2 : 0;
    }
    if (command === 'pki') return await pkiCommand(rest, out);
    if (command === 'scenario') return await scenarioCommand(rest, out, err);
    if (command === 'serve') return await serveCommand(rest, out);
    err(`error: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  } catch (error) {
    if (isKubeMtlsSimError(error)) {
      err(`error: [${error.code}] ${error.message}`);
      if (error.goMessage) err(`a Kubernetes component would say: ${error.goMessage}`);
      return error.code === 'ERR_USAGE' ? 2 : 1;
    }
    throw error;
  }
}

// Run when executed directly (node dist/lib/cli/main.js, tsx lib/cli/main.ts, or the npm bin link).
const entry = process.argv[1] ?? '';
if (/(^|[/\\])(main\.(ts|js)|kube-mtls-sim)$/.test(entry)) {
  process.exitCode = await main(process.argv.slice(2));
}
