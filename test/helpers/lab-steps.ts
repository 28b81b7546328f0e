/**
 * The steps of a lab page (docs/labs/*.md), as the lab test runs them. A page marks them with the
 * info string of a fenced block, so that the text a student reads is the text the test runs:
 *
 *   ```sh step            a command; it must exit 0
 *   ```sh step fails      a command that must exit non-zero (the point of the step is the refusal)
 *   ```sh serve           `kube-mtls-sim serve …`, which runs until stopped: the test starts it in
 *                         the background, waits for its "Press Ctrl-C to stop." line, and stops it
 *                         before the next `serve` block and at the end of the lab
 *   ```text expect        right after a step: each non-empty line must appear in what it printed
 *
 * Any other block (```sh without a marker, ```yaml…) is prose for the reader and is not run.
 */
export type StepKind = 'step' | 'fails' | 'serve';

export interface LabStep {
  kind: StepKind;
  script: string;
  /** Excerpts that must each appear in the step's output (stdout and stderr). */
  expect: string[];
  /** 1-based line of the block in the page, for failure messages. */
  line: number;
}

const FENCE = /^```(.*)$/;

/** The marked steps of one page, in order. */
export function labSteps(markdown: string): LabStep[] {
  const lines = markdown.split('\n');
  const steps: LabStep[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const info = open[1]!.trim();
    const body: string[] = [];
    const start = i + 1;
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    if (i >= lines.length) throw new Error(`line ${start}: a fenced block that never closes`);
    const kind = markerKind(info, start);
    if (kind === 'expect') {
      const last = steps.at(-1);
      if (!last || last.expect.length > 0) throw new Error(`line ${start}: an expect block must follow a step, once`);
      last.expect = body.map((l) => l.trim()).filter((l) => l !== '');
    } else if (kind) {
      steps.push({ kind, script: body.join('\n'), expect: [], line: start });
    }
  }
  return steps;
}

function markerKind(info: string, line: number): StepKind | 'expect' | undefined {
  switch (info) {
    case 'sh step': return 'step';
    case 'sh step fails': return 'fails';
    case 'sh serve': return 'serve';
    case 'text expect': return 'expect';
    default:
      // A misspelt marker would silently drop a step from the test: refuse anything close to one.
      if (/step|serve|expect/.test(info)) throw new Error(`line ${line}: unknown lab marker \`${info}\``);
      return undefined;
  }
}

/** What a page asks, without its line numbers: the English and the Chinese page must ask the same. */
export function stepsOnly(steps: readonly LabStep[]): Omit<LabStep, 'line'>[] {
  return steps.map(({ kind, script, expect }) => ({ kind, script, expect }));
}
