import { resolve } from 'node:path';
import { fixedClock, systemClock } from '../clock.js';
import type { NodeCheck } from '../cluster/check-node.js';
import type { Lang } from '../verdict/explain.js';
import { htmlFile, writeHtml } from './picture.js';
import { EXIT, EXIT_STATUS_HELP, clip, isoTime, oneOf, parseCommandLine, usageError, type FlagTable } from './contract.js';

export const CHECK_USAGE = `Usage:
  kube-mtls-sim check DIR [--json] [--now ISO-TIME] [--fail-on insecure] [--lang en|zh] [--html FILE]

  Checks a node's own files: DIR is laid out as the node's root (a copy of its /etc/kubernetes,
  /var/lib/kubelet and systemd units, or what \`pki write\` wrote). Reads how each component runs
  (static Pod manifests or systemd units, the kubelet's config), starts the components from what
  was read, dials every edge, and prints one table — edge, verdict, stage, the responsible file or
  flag, the reason, what Kubernetes would print —, the explanation of each edge that is not ok,
  \`kubeadm certs check-expiration\`'s table, the static checks (certificate against CA and key,
  each kubeconfig's CA against the cluster CA), the components that could not load, and the flags
  the simulator does not model. Exit status 1 when an edge is rejected or a config-error, a
  component cannot start, or a static check fails. See docs/check.md.
  --json               the report as JSON
  --now ISO-TIME       check at another time, e.g. a month ahead: 2026-02-01T00:00:00Z (default: the current time)
  --fail-on insecure   also exit 1 when an edge works but is insecure
  --lang en|zh         the language of the report (default: en); what Kubernetes prints stays as it is
  --html FILE          also write a picture of the node's wiring to FILE: one self-contained HTML page,
                       an arrow per edge coloured by verdict, each edge's report on click (English and
                       Chinese, opening in --lang)
  --help, -h           this text

${EXIT_STATUS_HELP}`;

const CHECK_FLAGS: FlagTable = { json: { type: 'boolean' }, now: { type: 'string' }, 'fail-on': { type: 'string' }, lang: { type: 'string' }, html: { type: 'string' } };

export interface CheckArgs {
  dir: string;
  json: boolean;
  now?: string;
  failOnInsecure: boolean;
  lang: Lang;
  html?: string;
}

/** The flags of `check`, read before anything is loaded: each bad value is a usage error naming its flag. */
export function parseCheckArgs(args: string[]): { help: true } | ({ help: false } & CheckArgs) {
  const parsed = parseCommandLine(args, 'check', CHECK_FLAGS, CHECK_USAGE);
  if (parsed.help) return parsed;
  const { values, positionals } = parsed;
  if (positionals.length === 0) throw usageError('check: missing DIR', CHECK_USAGE);
  if (positionals.length > 1) throw usageError(`check: unexpected argument "${clip(positionals[1]!)}"`, CHECK_USAGE);
  return {
    help: false, dir: positionals[0]!, json: values.json === true,
    ...(values.now !== undefined ? { now: isoTime('now', values.now as string) } : {}),
    failOnInsecure: values['fail-on'] !== undefined && oneOf('fail-on', values['fail-on'] as string, ['insecure'] as const) === 'insecure',
    lang: values.lang === undefined ? 'en' : oneOf('lang', values.lang as string, ['en', 'zh'] as const),
    ...(values.html !== undefined ? { html: htmlFile(values.html as string, CHECK_USAGE)! } : {}),
  };
}

/** Whether the node passes: every edge ok (or insecure, unless failing on it), every component started, no static check failed. */
export function checkPasses(report: NodeCheck, failOnInsecure: boolean): boolean {
  const edgesPass = report.edges.every((e) => e.verdict === 'ok' || (e.verdict === 'insecure' && !failOnInsecure));
  return edgesPass && report.notStarted.length === 0 && report.problems.length === 0 && report.static.findings.every((f) => f.severity !== 'fail');
}

export async function checkCommand(args: string[], out: (text: string) => void, err: (text: string) => void = () => {}): Promise<number> {
  const parsed = parseCheckArgs(args);
  if (parsed.help) {
    out(CHECK_USAGE);
    return EXIT.OK;
  }
  // The cluster runtime loads once the flags are known to be good: a usage error stays a short command.
  const [{ checkNode }, { formatCheck, checkJson }] = await Promise.all([import('../cluster/check-node.js'), import('./check-format.js')]);
  const report = await checkNode(resolve(parsed.dir), parsed.now ? fixedClock(parsed.now) : systemClock);
  const ok = checkPasses(report, parsed.failOnInsecure);
  out(parsed.json ? JSON.stringify(checkJson(report, ok, parsed.lang), null, 2) : formatCheck(report, ok, parsed.lang));
  if (parsed.html !== undefined) {
    const notes = [...report.skipped.map((s) => `${s.edge}: ${s.why}`), ...report.notStarted.map((s) => `${s.component}: [${s.code}] ${s.message}`)];
    const written = await writeHtml(parsed.html, report.edges, { lang: parsed.lang, title: `check ${report.root}`, notes });
    err(`picture: ${written}`);
  }
  return ok ? EXIT.OK : EXIT.PROBLEM;
}
