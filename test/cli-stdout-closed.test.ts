// Closing the CLI's stdout early (`serve DIR | head -2`, `scenario --all | head -1`) crashed it
// with an uncaught EPIPE and a stack trace (issue 9, item 3). Now it ends quietly, as coreutils do,
// and `serve` stops its servers. These spawn the CLI: the reader going away is a property of the process.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { tempDir } from './helpers/tools.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NOW = '2026-01-01T00:00:00Z';

/** Runs the CLI with its stdout pipe closed by the reader before the CLI writes anything. */
function runWithStdoutClosed(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'lib/cli/main.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

test('serve DIR with its stdout closed: stops its servers and exits 0, no stack trace', async (t) => {
  const dir = tempDir(t);
  // Were the servers left listening, the process would never exit and the test would time out.
  const r = await runWithStdoutClosed(['serve', dir, '--now', NOW]);
  t.is(r.signal, null);
  t.is(r.code, 0, r.stderr);
  t.is(r.stderr, '');
});

test('scenario --list and scenario NAME with stdout closed: their own exit status, nothing on stderr', async (t) => {
  const list = await runWithStdoutClosed(['scenario', '--list']);
  t.is(list.code, 0, list.stderr);
  t.is(list.stderr, '');
  const run = await runWithStdoutClosed(['scenario', 'kubelet-to-apiserver', '--now', NOW]);
  t.is(run.code, 0, run.stderr);
  t.is(run.stderr, '');
});
