// What a component's command line is, before any component reads it: shared by the servers
// (endpoints/), the clients (the apiserver's flags name its client credentials) and the component
// modules that own the flag tables (components/).

/** A component's command line, flag → value, as written in its static Pod manifest (its typed form is the component's flag table). */
export type Flags = Readonly<Record<string, string>>;
/** Changes to a command line: a value sets the flag, `null` removes it. */
export type FlagOverrides = Readonly<Record<string, string | null>>;

/** A comma-separated flag as its words (for readers that need a list before the component parses its flags). */
export function listFlag(flags: Flags, flag: string): string[] {
  return (flags[flag] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}
