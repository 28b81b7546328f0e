import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';

/**
 * Tests that ask a real tool (openssl, kubectl, cfssl, etcd) run when it is installed. Where it is
 * absent they are skipped with a loud warning; in CI (CI=true) they run anyway and fail, because
 * .ci/run installs every tool and a silent skip there would hide a broken install step.
 */
export function which(name: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

export function testWithTool(tool: string, path = which(tool)) {
  if (path || process.env.CI) return test;
  console.warn(`\n*** ${tool} is not installed: skipping the tests that run the real ${tool}. Install it (see .ci/run) to run them. ***\n`);
  return test.skip;
}

/** The kubectl binary to run: a pinned 1.32 from the gcloud SDK when present (its dispatcher probes servers), else kubectl on PATH. */
export function kubectlPath(): string | undefined {
  const pinned = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';
  return existsSync(pinned) ? pinned : which('kubectl');
}

export function run(command: string, args: string[], options: { input?: string; cwd?: string } = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 20_000, ...options });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function tempDir(t: ExecutionContext, prefix = 'kms-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
