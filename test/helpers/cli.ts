import { main } from '../../lib/cli/main.js';

/** What one in-process run of the CLI printed, and its exit status. */
export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in this process (no spawn), collecting what it prints on each stream. */
export async function cli(args: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const status = await main(args, (text) => out.push(text), (text) => err.push(text));
  return { status, stdout: out.join('\n'), stderr: err.join('\n') };
}
