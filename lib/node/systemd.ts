// systemd unit files as Kubernetes The Hard Way installs the control plane (and as the kubelet
// package installs the kubelet's drop-in): read with systemd's rules for what matters here
// (continuation lines, quoting, Environment=/EnvironmentFile=, $VAR expansion, `ExecStart=` reset),
// and written in the Hard Way's shape, one flag per continuation line.
import { KubeMtlsSimError } from '../errors.js';

/** The [Service] settings a component's command line is made of. */
export interface UnitService {
  /** The last ExecStart= (an empty `ExecStart=` in a drop-in clears what came before). */
  execStart?: string;
  environment: Record<string, string>;
  /** EnvironmentFile= paths; `optional` for the `-` prefix (a missing file is no error). */
  environmentFiles: { path: string; optional: boolean }[];
}

/** A unit's lines, continuation lines joined (a trailing backslash goes on with the next line), comments dropped. */
function logicalLines(text: string): string[] {
  const lines: string[] = [];
  let pending = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimEnd();
    if (pending === '' && /^\s*[#;]/.test(line)) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    lines.push(pending + line);
    pending = '';
  }
  if (pending !== '') lines.push(pending);
  return lines.map((l) => l.trim()).filter(Boolean);
}

/** Reads the [Service] section of one unit file into `into` (drop-ins are read after the unit, onto the same object). */
export function readUnit(text: string, into: UnitService = { environment: {}, environmentFiles: [] }, file = 'unit'): UnitService {
  let section = '';
  for (const line of logicalLines(text)) {
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1]!;
      continue;
    }
    if (section !== 'Service') continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (key === 'ExecStart') {
      if (value === '') delete into.execStart;
      else into.execStart = value;
    } else if (key === 'Environment') {
      for (const word of splitWords(value, file)) {
        const at = word.indexOf('=');
        if (at > 0) into.environment[word.slice(0, at)] = word.slice(at + 1);
      }
    } else if (key === 'EnvironmentFile') {
      const optional = value.startsWith('-');
      into.environmentFiles.push({ path: optional ? value.slice(1) : value, optional });
    }
  }
  return into;
}

/** An EnvironmentFile: `KEY=VALUE` lines, the value unquoted as systemd does; `#`/`;` comments. */
export function readEnvironmentFile(text: string, into: Record<string, string>): void {
  for (const line of logicalLines(text)) {
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    const value = m[2]!;
    const quoted = /^"(.*)"$/s.exec(value) ?? /^'(.*)'$/s.exec(value);
    into[m[1]!] = quoted ? quoted[1]!.replace(/\\(["\\])/g, '$1') : value;
  }
}

/**
 * systemd's word splitting of a command line: whitespace separates words, double and single
 * quotes group, a backslash escapes the next character. An unclosed quote is a typed error.
 */
export function splitWords(text: string, file: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length && quote !== "'") {
      word += text[++i]!;
      inWord = true;
    } else if (quote) {
      if (c === quote) quote = null;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new KubeMtlsSimError('ERR_NODE_UNIT', `${file}: ExecStart= has an unterminated ${quote === '"' ? 'double' : 'single'} quote`, { file, field: 'ExecStart' });
  if (inWord) words.push(word);
  return words;
}

/**
 * ExecStart= as systemd runs it: its prefixes (`-`, `@`, `+`, `!`, `:`) dropped, `${VAR}` replaced
 * inside a word, and a word that is exactly `$VAR` replaced by the variable's words (so
 * `$KUBELET_KUBEADM_ARGS` becomes several flags); an unset variable is nothing.
 */
export function execArgv(service: UnitService, file: string): string[] {
  if (service.execStart === undefined) throw new KubeMtlsSimError('ERR_NODE_UNIT', `${file}: no ExecStart= in [Service]`, { file, field: 'ExecStart' });
  const line = service.execStart.replace(/^[-@+!:]+/, '');
  const env = service.environment;
  const out: string[] = [];
  for (const word of splitWords(line.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => (env[name] ?? '').replace(/(["'\\\s])/g, '\\$1')), file)) {
    const whole = /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(word);
    if (whole) out.push(...splitWords(env[whole[1]!] ?? '', file));
    else out.push(word);
  }
  return out;
}

/** A unit in the Hard Way's shape: one flag per line, joined with `\` continuations. */
export function unitFile(description: string, binary: string, words: readonly string[], extra: readonly string[] = []): string {
  const exec = [binary, ...words].join(' \\\n  ');
  return [
    '[Unit]', `Description=${description}`, 'Documentation=https://github.com/kubernetes/kubernetes', '',
    '[Service]', ...extra, `ExecStart=${exec}`, 'Restart=on-failure', 'RestartSec=5', '',
    '[Install]', 'WantedBy=multi-user.target', '',
  ].join('\n');
}
