import { parseArgs } from 'node:util';
import { fixedClock, systemClock, type Clock } from '../clock.js';
import { KubeMtlsSimError } from '../errors.js';
import { generatePki } from '../pki/generate.js';
import { inspectLayout, type InspectReport } from '../pki/inspect.js';
import { parseKeyAlgorithm } from '../pki/keys.js';
import { writeLayout } from '../pki/layout.js';
import { manifestFile } from '../pki/manifest.js';
import { getPreset } from '../pki/presets/index.js';
import { kubeadmDate, renderTable, residual } from './table.js';

export const PKI_USAGE = `Usage:
  kube-mtls-sim pki write DIR [--preset kubeadm|reference] [--algo ecdsa-p256|ecdsa-p384|rsa-2048|rsa-3072|rsa-4096]
                              [--node-name NAME] [--advertise-address IP] [--cert-sans A,B] [--now ISO-TIME] [--force] [--json]
  kube-mtls-sim pki inspect DIR [--now ISO-TIME] [--json]

  write     generate the preset's certificates, keys, kubeconfigs and kubelet config under DIR, in their
            real paths (DIR/etc/kubernetes/pki/...). Never overwrites existing files unless --force.
  inspect   list every certificate under DIR with its expiry (as \`kubeadm certs check-expiration\`),
            subject, issuer, usages and SANs, and check that it verifies against its CA, that its
            usages fit its role and that its key matches.
  --now     the time to generate or inspect at (default: the current time).`;

function usage(message: string): never {
  throw new KubeMtlsSimError('ERR_USAGE', `${message}\n\n${PKI_USAGE}`);
}

function clockFrom(now: string | undefined): Clock {
  if (now === undefined) return systemClock;
  if (Number.isNaN(new Date(now).getTime())) usage(`\`--now\`: "${now}" is not a date (use ISO 8601, e.g. 2026-01-01T00:00:00Z)`);
  return fixedClock(now);
}

export async function pkiCommand(args: string[], out: (text: string) => void): Promise<number> {
  const [sub, ...rest] = args;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest, allowPositionals: true, strict: true,
      options: {
        preset: { type: 'string' }, algo: { type: 'string' }, 'node-name': { type: 'string' }, 'advertise-address': { type: 'string' },
        'cert-sans': { type: 'string' }, now: { type: 'string' }, force: { type: 'boolean' }, json: { type: 'boolean' },
      },
    });
  } catch (error) {
    return usage((error as Error).message);
  }
  const { values, positionals } = parsed;
  const dir = positionals[0];
  if (sub !== 'write' && sub !== 'inspect') usage(sub ? `unknown pki command "${sub}"` : 'missing pki command');
  if (!dir) usage(`pki ${sub}: missing DIR`);
  if (positionals.length > 1) usage(`pki ${sub}: unexpected argument "${positionals[1]}"`);
  const clock = clockFrom(values.now);

  if (sub === 'write') {
    const preset = getPreset(values.preset ?? 'kubeadm');
    const algorithm = parseKeyAlgorithm(values.algo ?? 'ecdsa-p256', '--algo');
    const pki = await generatePki({
      preset, algorithm, clock, keys: 'fresh',
      cluster: {
        ...(values['node-name'] ? { nodeName: values['node-name'] } : {}),
        ...(values['advertise-address'] ? { advertiseAddress: values['advertise-address'] } : {}),
        ...(values['cert-sans'] ? { apiServerCertSans: values['cert-sans'].split(',').map((s) => s.trim()).filter(Boolean) } : {}),
      },
    });
    writeLayout([...pki.files, manifestFile(pki)], dir, { overwrite: values.force === true });
    if (values.json) {
      out(JSON.stringify({ preset: preset.name, algorithm, root: dir, files: pki.files.map((f) => ({ path: f.path, kind: f.kind, mode: f.mode?.toString(8) })) }, null, 2));
    } else {
      out(`[pki] preset "${preset.name}" (${preset.title}), ${algorithm} keys, generated at ${pki.generatedAt.toISOString()}`);
      for (const f of pki.files) {
        out(`[pki] wrote ${dir.replace(/\/$/, '')}${f.path}${f.kind === 'symlink' ? ` -> ${f.target}` : ` (${f.mode.toString(8)})`}`);
      }
      out(`[pki] next: kube-mtls-sim pki inspect ${dir}`);
    }
    return 0;
  }

  const report = inspectLayout(dir, clock);
  out(values.json ? JSON.stringify(report, null, 2) : formatInspect(report));
  return report.ok ? 0 : 1; // 1: a problem found (a file missing or unreadable, a failing check)
}

export function formatInspect(report: InspectReport): string {
  const lines: string[] = [];
  lines.push(`[check-expiration] ${report.root}: ${report.preset ? `${report.preset} layout` : 'unknown layout'}, at ${report.at.toISOString()}`);
  lines.push('');
  const leaves = report.rows.filter((r) => !r.isCa);
  const cas = report.rows.filter((r) => r.isCa);
  lines.push(renderTable(['CERTIFICATE', 'EXPIRES', 'RESIDUAL TIME', 'CERTIFICATE AUTHORITY'],
    leaves.map((r) => [r.name, kubeadmDate(r.notAfter), residual(r.residualMs), r.verifiedAgainst?.name ?? r.issuer])));
  lines.push('');
  lines.push(renderTable(['CERTIFICATE AUTHORITY', 'EXPIRES', 'RESIDUAL TIME'], cas.map((r) => [r.name, kubeadmDate(r.notAfter), residual(r.residualMs)])));
  lines.push('');
  lines.push(renderTable(['CERTIFICATE', 'CN', 'O', 'ISSUER', 'EKU', 'CHAIN', 'EKU FITS', 'KEY'],
    report.rows.map((r) => [r.name, r.cn, r.o.join(',') || '-', r.issuer, r.extKeyUsage.join(',') || '-', r.checks.chain.reason, r.checks.eku.reason, r.checks.key.reason])));
  for (const r of report.rows) {
    lines.push('');
    lines.push(`${r.name}  (${r.path}${r.field ? `, ${r.field}` : ''})`);
    lines.push(`  subject   CN=${r.cn}${r.o.map((o) => `, O=${o}`).join('')}    serial ${r.serial}`);
    const against = r.verifiedAgainst;
    const which = against?.certificate ? ` (certificate ${against.certificate} of ${against.of}, serial ${against.serial})` : '';
    lines.push(`  issuer    CN=${r.issuer}${against ? `    checked against ${against.path}${which}` : ''}`);
    lines.push(`  valid     ${r.notBefore.toISOString()} .. ${r.notAfter.toISOString()}`);
    if (r.sans.length > 0) lines.push(`  SANs      ${r.sans.join(', ')}`);
    for (const [name, check] of Object.entries(r.checks)) {
      lines.push(`  ${check.ok ? 'ok  ' : 'FAIL'}      ${name}: ${check.detail}`);
    }
  }
  for (const p of report.problems) {
    lines.push('');
    lines.push(`FAIL ${p.path}: [${p.code}] ${p.message}${p.goMessage ? `\n     a Go component would say: ${p.goMessage}` : ''}`);
  }
  lines.push('');
  const failing = report.rows.filter((r) => !r.checks.chain.ok || !r.checks.eku.ok || !r.checks.key.ok).length;
  lines.push(report.ok
    ? `[check-expiration] ok: ${report.rows.length} certificate(s), every file of the layout present and every check passed`
    : `[check-expiration] FAIL: ${report.problems.length} problem(s) with the folder or its files, ${failing} certificate(s) failing a check`);
  return lines.join('\n');
}
