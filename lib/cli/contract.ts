/**
 * The contract every command of the CLI keeps: one exit-status table, one way to read flags (a table
 * per command; a flag outside it is a usage error naming it, never silently ignored), one way to
 * cut a user's long value out of a message, and the flag values every command shares.
 */
import { parseArgs } from 'node:util';
import { KubeMtlsSimError, isKubeMtlsSimError, type ErrorCode } from '../errors.js';

/** The exit statuses, the same for every command; `--help` and the README print this table. */
export const EXIT = {
  /** As documented: every scenario outcome matched, the layout was written, inspect found nothing wrong. */
  OK: 0,
  /** A problem found: a scenario outcome differs, an input file is malformed, inspect found problems. */
  PROBLEM: 1,
  /** Usage: unknown command or flag, missing argument, bad flag value, a flag that does not apply. */
  USAGE: 2,
} as const;

export const EXIT_STATUS_HELP = `Exit status (every command):
  ${EXIT.OK}  as documented: every scenario outcome matched, the layout was written, inspect found no problem
  ${EXIT.PROBLEM}  a problem found: a scenario outcome differs, an input is malformed ([ERR_…]), inspect found problems
  ${EXIT.USAGE}  usage ([ERR_USAGE] or the flag's own code): unknown command or flag, missing argument, bad flag value,
     a flag that does not apply, a --grep that selects nothing`;

/** Longest user value echoed whole in a message: beyond it, a 10,000-character flag would bury the error. */
export const ECHO_LIMIT = 60;

/** A user's value as a message shows it: whole when short, else its start and its length. */
export function clip(value: string, limit = ECHO_LIMIT): string {
  const chars = [...value];
  return chars.length <= limit ? value : `${chars.slice(0, limit).join('')}… (${chars.length} characters)`;
}

/**
 * Cuts every long command-line value (and each comma-separated part of one) out of a message, so a
 * message built deeper in the library, which echoes what it was given, is cut like the CLI's own.
 */
export function clipInputs(message: string, argv: readonly string[]): string {
  const values = argv.flatMap((arg) => [arg, ...arg.split(/[,=]/)]).filter((v) => [...v].length > ECHO_LIMIT);
  values.sort((a, b) => b.length - a.length);
  let text = message;
  for (const value of values) text = text.split(value).join(clip(value));
  return text;
}

/** Errors thrown by a flag's validation that keep their own code (ERR_PRESET_UNKNOWN…) but exit 2. */
const flagErrors = new WeakSet<object>();

/** Marks a typed error as caused by a flag value: its code stays, the exit status is EXIT.USAGE. */
export function asFlagError(error: unknown): unknown {
  if (isKubeMtlsSimError(error)) flagErrors.add(error);
  return error;
}

export function exitStatusOf(error: KubeMtlsSimError): number {
  return error.code === 'ERR_USAGE' || flagErrors.has(error) ? EXIT.USAGE : EXIT.PROBLEM;
}

export function usageError(message: string, usage: string): KubeMtlsSimError {
  return new KubeMtlsSimError('ERR_USAGE', `${message}\n\n${usage}`);
}

/** `multiple`: a string flag that may be repeated; its values, in order, are in `lists` (not `values`). */
export type FlagTable = Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;

export type Parsed = { help: true } | { help: false; values: Record<string, string | boolean | undefined>; lists: Record<string, string[]>; positionals: string[] };

const flagList = (flags: FlagTable) => Object.keys(flags).map((f) => `--${f}`).join(', ');

/**
 * Reads `args` against the command's flag table. `--help`/`-h` anywhere (before `--`) wins. An
 * unknown flag, a string flag without its value and a boolean flag given one are usage errors
 * that name the flag, as typed, cut to ECHO_LIMIT.
 */
export function parseCommandLine(args: string[], command: string, flags: FlagTable, usage: string): Parsed {
  const options = { ...flags, help: { type: 'boolean' as const, short: 'h' } };
  const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) return { help: true };
  const values: Record<string, string | boolean | undefined> = {};
  const lists: Record<string, string[]> = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const flag = flags[token.name];
    if (!flag) throw usageError(`Unknown option '${clip(token.rawName)}' for \`${command}\` (it accepts: ${flagList(flags)}, --help)`, usage);
    if (flag.type === 'string' && token.value === undefined) throw usageError(`\`--${token.name}\` needs a value`, usage);
    if (flag.type === 'boolean' && token.value !== undefined) throw usageError(`\`--${token.name}\` takes no value (given "${clip(token.value)}")`, usage);
    if (flag.multiple) (lists[token.name] ??= []).push(token.value!);
    else values[token.name] = flag.type === 'boolean' ? true : token.value;
  }
  return { help: false, values, lists, positionals };
}

/** Refuses every given flag that the chosen mode of a command does not use: none is silently ignored. */
export function refuseFlags(values: Record<string, unknown>, accepted: readonly string[], mode: string, usage: string): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || accepted.includes(name)) continue;
    throw usageError(`\`--${name}\` does not apply to \`${mode}\` (it accepts: ${accepted.map((f) => `--${f}`).join(', ') || 'no flag'})`, usage);
  }
}

/** A flag whose value is one of a fixed list; `code` is the library's own code for that kind of value. */
export function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[], code: ErrorCode = 'ERR_USAGE'): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw asFlagError(new KubeMtlsSimError(code, `\`--${flag}\`: "${clip(value)}" is not ${allowed.length > 1 ? `${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}` : allowed[0]}`, { field: `--${flag}` }));
}

// RFC 3339 date-time: a date, a time and a zone. A bare number (`--now 0`, which V8 reads as the
// year 2000), a date alone or a time without zone (read in the machine's zone) is refused as ambiguous.
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?([Zz]|[+-]\d{2}:\d{2})$/;

/** The `--now` value: an ISO-8601 date-time with its zone, on a day that exists. */
export function isoTime(flag: string, value: string): string {
  const m = ISO_DATE_TIME.exec(value);
  const date = new Date(value.toUpperCase());
  // `new Date` rolls 2026-02-30 over to March 2: compare the calendar day it read with the one given.
  const sameDay = m && !Number.isNaN(date.getTime()) && Number(m[4]) < 24 && (() => {
    const offset = m[7]!.toUpperCase() === 'Z' ? 0 : (m[7]!.startsWith('-') ? -1 : 1) * (Number(m[7]!.slice(1, 3)) * 60 + Number(m[7]!.slice(4)));
    const local = new Date(date.getTime() + offset * 60_000);
    return local.getUTCFullYear() === Number(m[1]) && local.getUTCMonth() + 1 === Number(m[2]) && local.getUTCDate() === Number(m[3]);
  })();
  if (!sameDay) {
    throw asFlagError(new KubeMtlsSimError('ERR_USAGE', `\`--${flag}\`: "${clip(value)}" is not a date (use ISO 8601 with a zone, e.g. 2026-01-01T00:00:00Z)`, { field: `--${flag}` }));
  }
  return value.toUpperCase();
}
