import { fixedClock, systemClock } from '../clock.js';
import { KubeMtlsSimError } from '../errors.js';
import type { InspectReport } from '../layout/inspect.js';
import { KEY_ALGORITHMS, PRESET_NAMES, type ClusterConfig } from '../pki/types.js';
import { resolveClusterConfig } from '../pki/cluster-config.js';
import { writeNode } from '../node/folder.js';
import { getPreset } from '../pki/presets/index.js';
import { EXIT, EXIT_STATUS_HELP, asFlagError, clip, isoTime, oneOf, parseCommandLine, usageError, type FlagTable } from './contract.js';
import { kubeadmDate, renderTable, residual } from './table.js';
import { FAULT_HELP, faultsFrom, flagsFrom } from './pki-faults.js';
import { INSPECT_WORDS } from './inspect-words.js';
import { checkDetail } from './inspect-details.js';
import { SENT_IN_THE_CHAIN } from '../layout/sent-in-chain.js';
import type { Lang } from '../verdict/explain.js';

export const PKI_WRITE_USAGE = `Usage:
  kube-mtls-sim pki write DIR [--preset kubeadm|reference] [--algo ecdsa-p256|ecdsa-p384|rsa-2048|rsa-3072|rsa-4096]
                              [--node-name NAME] [--advertise-address IP] [--cert-sans A,B] [--now ISO-TIME] [--force] [--json]
                              [--fault RECORD=KIND[:ARG]]... [--flag COMPONENT:--name=value]...

  Writes a control-plane node under DIR, in its real paths: the preset's certificates, keys,
  kubeconfigs and kubelet config (DIR/etc/kubernetes/pki/...), and how each component runs with
  its flags: kubeadm's static Pod manifests (DIR/etc/kubernetes/manifests/), the kubelet's drop-in
  and kubeadm-flags.env; or, for the reference preset, systemd units (DIR/etc/systemd/system/).
  Never overwrites existing files unless --force. With --fault and --flag the node is written broken,
  as a lab or a test wants it (\`kube-mtls-sim check DIR\` then finds what is wrong).
${FAULT_HELP}
  --now ISO-TIME   the time to generate at, e.g. 2026-01-01T00:00:00Z (default: the current time)
  --json           what was written, as JSON
  --help, -h       this text

${EXIT_STATUS_HELP}`;

export const PKI_INSPECT_USAGE = `Usage:
  kube-mtls-sim pki inspect DIR [--now ISO-TIME] [--json] [--lang en|zh]

  Lists every certificate under DIR with its expiry (as \`kubeadm certs check-expiration\`),
  subject, issuer, usages and SANs, and checks that it verifies against its CA, that its usages
  fit its role and that its key matches. Exit status 1 when a check fails.
  --now ISO-TIME   the time to inspect at (default: the current time)
  --json           the report as JSON
  --lang en|zh     the text report's language (default: en)
  --help, -h       this text

${EXIT_STATUS_HELP}`;

export const PKI_USAGE = `${PKI_WRITE_USAGE.replace(/\n\n[^]*$/, '')}
${PKI_INSPECT_USAGE.replace(/^Usage:\n/, '').replace(/\n\n[^]*$/, '')}

  write     generate a layout under DIR (\`pki write --help\` for its flags)
  inspect   check the layout under DIR (\`pki inspect --help\`)

${EXIT_STATUS_HELP}`;

/** Each pki subcommand's flag table: a flag outside it is refused by name (`--force` means nothing to inspect). */
const PKI_FLAGS = {
  write: {
    preset: { type: 'string' }, algo: { type: 'string' }, 'node-name': { type: 'string' }, 'advertise-address': { type: 'string' },
    'cert-sans': { type: 'string' }, now: { type: 'string' }, force: { type: 'boolean' }, json: { type: 'boolean' },
    fault: { type: 'string', multiple: true }, flag: { type: 'string', multiple: true },
  },
  inspect: { now: { type: 'string' }, json: { type: 'boolean' }, lang: { type: 'string' } },
} as const satisfies Record<string, FlagTable>;

const CLUSTER_FLAGS: Record<string, string> = { nodeName: '--node-name', advertiseAddress: '--advertise-address' };

/** The cluster flags, checked before anything is generated: a bad value is a usage error naming its flag. */
function clusterFrom(values: Record<string, string | boolean | undefined>): Partial<ClusterConfig> {
  const cluster: Partial<ClusterConfig> = {
    ...(values['node-name'] !== undefined ? { nodeName: values['node-name'] as string } : {}),
    ...(values['advertise-address'] !== undefined ? { advertiseAddress: values['advertise-address'] as string } : {}),
    ...(values['cert-sans'] !== undefined ? { apiServerCertSans: (values['cert-sans'] as string).split(',').map((s) => s.trim()).filter(Boolean) } : {}),
  };
  try {
    resolveClusterConfig(cluster);
  } catch (error) {
    if (!(error instanceof KubeMtlsSimError)) throw error;
    const flag = error.field?.startsWith('apiServerCertSans') ? '--cert-sans' : CLUSTER_FLAGS[error.field ?? ''] ?? error.field;
    throw asFlagError(new KubeMtlsSimError(error.code, `\`${flag}\`: ${error.message}`, { field: flag ?? '', cause: error }));
  }
  return cluster;
}

export async function pkiCommand(args: string[], out: (text: string) => void): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    out(PKI_USAGE);
    return EXIT.OK;
  }
  if (sub !== 'write' && sub !== 'inspect') throw usageError(sub ? `unknown pki command "${clip(sub)}"` : 'missing pki command', PKI_USAGE);
  const subUsage = sub === 'write' ? PKI_WRITE_USAGE : PKI_INSPECT_USAGE;
  const parsed = parseCommandLine(rest, `pki ${sub}`, PKI_FLAGS[sub], subUsage);
  if (parsed.help) {
    out(subUsage);
    return EXIT.OK;
  }
  const { values, lists, positionals } = parsed;
  const dir = positionals[0];
  if (!dir) throw usageError(`pki ${sub}: missing DIR`, subUsage);
  if (positionals.length > 1) throw usageError(`pki ${sub}: unexpected argument "${clip(positionals[1]!)}"`, subUsage);
  const clock = values.now === undefined ? systemClock : fixedClock(isoTime('now', values.now as string));

  if (sub === 'write') {
    const preset = getPreset(oneOf('preset', (values.preset as string | undefined) ?? 'kubeadm', PRESET_NAMES, 'ERR_PRESET_UNKNOWN'));
    const algorithm = oneOf('algo', (values.algo as string | undefined) ?? 'ecdsa-p256', KEY_ALGORITHMS, 'ERR_ALGORITHM_UNKNOWN');
    const faults = faultsFrom(lists.fault ?? [], preset);
    const flags = flagsFrom(lists.flag ?? []);
    const { pki, files } = await writeNode(dir, { preset, algorithm, clock, keys: 'fresh', cluster: clusterFrom(values), faults, ...flags, overwrite: values.force === true });
    if (values.json) {
      out(JSON.stringify({
        preset: preset.name, algorithm, root: dir, faults: lists.fault ?? [], flags: lists.flag ?? [],
        files: files.map((f) => ({ path: f.path, kind: f.kind, mode: f.mode?.toString(8) })),
      }, null, 2));
    } else {
      out(`[pki] preset "${preset.name}" (${preset.title}), ${algorithm} keys, generated at ${pki.generatedAt.toISOString()}`);
      for (const fault of lists.fault ?? []) out(`[pki] fault ${fault}`);
      for (const flag of lists.flag ?? []) out(`[pki] flag ${flag}`);
      for (const f of files) {
        out(`[pki] wrote ${dir.replace(/\/$/, '')}${f.path}${f.kind === 'symlink' ? ` -> ${f.target}` : ` (${f.mode.toString(8)})`}`);
      }
      out(`[pki] next: kube-mtls-sim pki inspect ${dir}`);
    }
    return EXIT.OK;
  }

  // The checks (and Go's verifier) load for `pki inspect` only: `pki write` is a short command.
  const { inspectLayout } = await import('../layout/inspect.js');
  const report = inspectLayout(dir, clock);
  const lang: Lang = values.lang === undefined ? 'en' : oneOf('lang', values.lang as string, ['en', 'zh'] as const);
  out(values.json ? JSON.stringify(report, null, 2) : formatInspect(report, lang));
  return report.ok ? EXIT.OK : EXIT.PROBLEM; // a file missing or unreadable, or a failing check
}

export function formatInspect(report: InspectReport, lang: Lang = 'en'): string {
  const w = INSPECT_WORDS[lang];
  // A CA that the file sends itself (an intermediate) is named with a suffix: said in the report's language.
  const named = (name: string) => (name.endsWith(` ${SENT_IN_THE_CHAIN}`) ? `${name.slice(0, -SENT_IN_THE_CHAIN.length - 1)}${lang === 'en' ? ' ' : ''}${w.sentInChain}` : name);
  const lines: string[] = [];
  lines.push(w.heading(report.root, report.preset ?? undefined, report.at.toISOString()));
  lines.push('');
  const leaves = report.rows.filter((r) => !r.isCa);
  const cas = report.rows.filter((r) => r.isCa);
  lines.push(renderTable(w.leafHeaders, leaves.map((r) => [r.name, kubeadmDate(r.notAfter), residual(r.residualMs), named(r.verifiedAgainst?.name ?? r.issuer)])));
  lines.push('');
  lines.push(renderTable(w.caHeaders, cas.map((r) => [r.name, kubeadmDate(r.notAfter), residual(r.residualMs)])));
  lines.push('');
  lines.push(renderTable(w.checkHeaders,
    report.rows.map((r) => [r.name, r.cn, r.o.join(',') || '-', r.issuer, r.extKeyUsage.join(',') || '-', r.checks.chain.reason, r.checks.eku.reason, r.checks.key.reason])));
  for (const r of report.rows) {
    lines.push('');
    lines.push(`${r.name}  (${r.path}${r.field ? `, ${r.field}` : ''})`);
    lines.push(`  ${w.subject.padEnd(lang === 'en' ? 9 : 7)} CN=${r.cn}${r.o.map((o) => `, O=${o}`).join('')}    ${w.serial} ${r.serial}`);
    const against = r.verifiedAgainst;
    lines.push(`  ${w.issuer.padEnd(lang === 'en' ? 9 : 6)} CN=${r.issuer}${against ? `    ${w.checkedAgainst(against.path, against.certificate, against.of, against.serial)}` : ''}`);
    lines.push(`  ${w.valid.padEnd(lang === 'en' ? 9 : 6)} ${r.notBefore.toISOString()} .. ${r.notAfter.toISOString()}`);
    if (r.sans.length > 0) lines.push(`  ${w.sans.padEnd(9)} ${r.sans.join(', ')}`);
    for (const [name, check] of Object.entries(r.checks)) {
      lines.push(`  ${check.ok ? w.ok : w.fail}      ${name}: ${checkDetail(check, lang)}`);
    }
  }
  for (const p of report.problems) {
    lines.push('');
    lines.push(`${w.fail} ${p.path}: [${p.code}] ${p.message}${p.goMessage ? `\n     ${w.goWouldSay}: ${p.goMessage}` : ''}`);
  }
  lines.push('');
  const failing = report.rows.filter((r) => !r.checks.chain.ok || !r.checks.eku.ok || !r.checks.key.ok).length;
  lines.push(w.summary(report.ok, report.rows.length, report.problems.length, failing));
  return lines.join('\n');
}
