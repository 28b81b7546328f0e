// A component's argv as it sits in a node's files (a static Pod's command + args, a unit's ExecStart),
// read the way spf13/pflag reads it, and written back the way kubeadm writes it.

export interface ParsedArgv {
  /** The binary (argv[0]) as written, e.g. `kube-apiserver` or `/usr/local/bin/etcd`. */
  binary: string;
  /** Every flag, last one wins (pflag sets a flag again on each occurrence). */
  flags: Record<string, string>;
  /** Words that are not flags (kubeadm writes none; a stray one is kept for the report). */
  positionals: string[];
}

/**
 * pflag's reading: `--name=value`, or `--name value` when the flag takes a value; a boolean flag
 * never takes the next word (`--client-cert-auth` alone is `true`). Which flags are booleans comes
 * from the component's flag table; for a flag the table does not know, the next word is its value
 * unless it is itself a flag, which is how pflag would read a string flag.
 */
export function parseArgv(argv: readonly string[], isBool: (flag: string) => boolean): ParsedArgv {
  const [binary = '', ...rest] = argv;
  const flags: Record<string, string> = {};
  const positionals: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    if (word === '--') {
      positionals.push(...rest.slice(i + 1));
      break;
    }
    if (!word.startsWith('--') || word === '--') {
      positionals.push(word);
      continue;
    }
    const eq = word.indexOf('=');
    if (eq > 0) {
      flags[word.slice(0, eq)] = word.slice(eq + 1);
      continue;
    }
    const next = rest[i + 1];
    if (isBool(word) || next === undefined || next.startsWith('-')) {
      flags[word] = 'true';
    } else {
      flags[word] = next;
      i++;
    }
  }
  return { binary, flags, positionals };
}

/** `--name=value` words, in the order given (kubeadm sorts its flags; the specs already keep an order). */
export function flagWords(flags: Readonly<Record<string, string>>): string[] {
  return Object.entries(flags).map(([flag, value]) => `${flag}=${value}`);
}
