// The CLI's contract (issue 9, item 10), command by command: --help/-h exit 0, one exit-status table
// (0 as documented, 1 a problem found, 2 usage), every flag either honoured or refused by name,
// errors with a code, long values cut. In-process through main(); the EPIPE tests spawn the CLI.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { main } from '../lib/cli/main.js';
import { EXIT, clip, isoTime } from '../lib/cli/contract.js';
import { readLayout } from '../lib/layout/layout.js';
import { tempDir } from './helpers/tools.js';
import { cli } from './helpers/cli.js';

const NOW = '2026-01-01T00:00:00Z';
// No command below reaches the disk: each is refused (or answered) while its arguments are read;
// should one not be, it fails here (ENOTDIR) instead of writing anywhere.
const DIR = '/dev/null/kube-mtls-sim-contract';

/** Every command and subcommand, as typed before its own arguments. */
const COMMANDS: string[][] = [[], ['scenario'], ['pki'], ['pki', 'write'], ['pki', 'inspect'], ['serve']];

for (const command of COMMANDS) {
  for (const help of ['--help', '-h']) {
    test(`\`${[...command, help].join(' ')}\` prints its usage and the exit-status table on stdout, exit 0`, async (t) => {
      const r = await cli([...command, help]);
      t.is(r.status, EXIT.OK, r.stderr);
      t.is(r.stderr, '');
      t.regex(r.stdout, /Usage:/);
      t.regex(r.stdout, /Exit status \(every command\):\n {2}0 .*\n {2}1 .*\n {2}2 /);
      if (command.length > 0) t.regex(r.stdout, new RegExp(`kube-mtls-sim ${command.join(' ')}`));
    });
  }
  test(`\`${[...command, '--bogus'].join(' ')}\` is a usage error with a code, naming the flag: exit 2`, async (t) => {
    const r = await cli([...command, ...(command[0] === 'pki' && command.length === 2 ? [DIR] : []), '--bogus']);
    t.is(r.status, EXIT.USAGE);
    t.regex(r.stderr, /^error: \[ERR_USAGE\] .*--bogus/);
  });
}

test('--help wins wherever it stands, even beside a missing argument; `help CMD` is CMD --help', async (t) => {
  t.is((await cli(['pki', 'write', '--help'])).status, EXIT.OK);
  t.is((await cli(['scenario', 'no-such-scenario', '-h'])).status, EXIT.OK);
  const help = await cli(['help', 'serve']);
  t.is(help.status, EXIT.OK);
  t.regex(help.stdout, /kube-mtls-sim serve \[DIR\]/);
});

test('--version and `version` print the version in package.json, exit 0', async (t) => {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  for (const argv of [['--version'], ['version']]) {
    const r = await cli(argv);
    t.is(r.status, EXIT.OK);
    t.is(r.stdout, version);
  }
  t.is((await cli(['version', '--json'])).status, EXIT.USAGE);
});

test('an unknown command, and no command at all, are usage errors with [ERR_USAGE] on stderr', async (t) => {
  for (const argv of [['kubectl'], []]) {
    const r = await cli(argv);
    t.is(r.status, EXIT.USAGE);
    t.regex(r.stderr, /^error: \[ERR_USAGE\] (unknown command "kubectl"|missing command)/);
  }
});

// A flag a command knows but the chosen mode does not use was silently ignored: now it is refused by name.
const NOT_APPLICABLE: [string[], string][] = [
  [['pki', 'inspect', DIR, '--algo', 'rsa-2048'], '--algo'],
  [['pki', 'inspect', DIR, '--force'], '--force'],
  [['pki', 'inspect', DIR, '--preset', 'kubeadm'], '--preset'],
  [['pki', 'inspect', DIR, '--node-name', 'cp-1'], '--node-name'],
  [['scenario', '--list', '--now', NOW], '--now'],
  [['scenario', '--list', '--expirations'], '--expirations'],
  [['scenario', 'kubelet-to-apiserver', '--grep', 'etcd'], '--grep'],
  [['serve', DIR, '--json'], '--json'],
  [['serve', DIR, '--force'], '--force'],
  [['serve', DIR, '--algo', 'rsa-2048'], '--algo'],
  [['scenario', '--list', '--json=yes'], '--json'],
  [['pki', 'write', DIR, '--now'], '--now'],
  [['scenario', '--list', '--all'], '--all'],
  [['scenario', 'kubelet-to-apiserver', '--all'], '--all'],
];
for (const [argv, flag] of NOT_APPLICABLE) {
  test(`\`${argv.join(' ')}\`: refused naming ${flag}, exit 2`, async (t) => {
    const r = await cli(argv);
    t.is(r.status, EXIT.USAGE, r.stdout);
    t.regex(r.stderr, /^error: \[ERR_USAGE\] /);
    t.true(r.stderr.split('\n')[0]!.includes(flag), r.stderr);
  });
}

test('a bad --preset exits 2 with ERR_PRESET_UNKNOWN in every command; a bad --algo or --lang too', async (t) => {
  for (const argv of [['scenario', 'kubelet-to-apiserver'], ['scenario', '--all'], ['scenario', '--list'], ['pki', 'write', DIR], ['serve', DIR]]) {
    const r = await cli([...argv, '--preset', 'kind']);
    t.is(r.status, EXIT.USAGE, argv.join(' '));
    t.regex(r.stderr, /^error: \[ERR_PRESET_UNKNOWN\] `--preset`: "kind" is not kubeadm or reference/);
  }
  t.like(await cli(['pki', 'write', DIR, '--algo', 'dsa-1024']), { status: EXIT.USAGE });
  t.like(await cli(['scenario', '--all', '--lang', 'fr']), { status: EXIT.USAGE });
  const node = await cli(['pki', 'write', DIR, '--node-name', 'Not_A_Node']);
  t.is(node.status, EXIT.USAGE);
  t.regex(node.stderr, /^error: \[ERR_CLUSTER_CONFIG\] `--node-name`: /);
});

test('--now takes an ISO-8601 date-time with its zone: a bare number, a date alone, no zone, a day that does not exist are refused', async (t) => {
  for (const now of ['0', '1767225600000', '2026-01-01', '2026-01-01T00:00:00', '2026-02-30T00:00:00Z', 'yesterday', '2026-01-01T24:00:00Z']) {
    for (const argv of [['pki', 'write', DIR], ['pki', 'inspect', DIR], ['scenario', 'kubelet-to-apiserver'], ['serve', DIR]]) {
      const r = await cli([...argv, '--now', now]);
      t.is(r.status, EXIT.USAGE, `${argv.join(' ')} --now ${now}`);
      t.regex(r.stderr, /^error: \[ERR_USAGE\] `--now`: ".*" is not a date/);
    }
  }
  t.is(isoTime('now', NOW), NOW);
  t.is(isoTime('now', '2026-03-01T12:30:00.250+02:00'), '2026-03-01T12:30:00.250+02:00');
  t.is(isoTime('now', '2026-02-28T23:00:00-05:00'), '2026-02-28T23:00:00-05:00');
});

test('a 10,000-character value is cut in every message that echoes it', async (t) => {
  const long = 'a'.repeat(10_000);
  const cut = `${'a'.repeat(60)}… (10000 characters)`;
  t.is(clip(long), cut);
  t.is(clip('short'), 'short');
  for (const argv of [
    ['pki', 'write', DIR, '--node-name', long],
    ['pki', 'write', DIR, '--cert-sans', `10.0.0.1,${long}_`],
    ['pki', 'write', DIR, '--preset', long],
    ['scenario', long],
    ['scenario', '--list', '--grep', long],
    ['scenario', 'kubelet-to-apiserver', '--now', long],
    ['scenario', `--${long}`],
    [long],
  ]) {
    const r = await cli(argv);
    t.is(r.status, EXIT.USAGE, argv[0]);
    t.regex(r.stderr, /^error: \[ERR_/);
    t.regex(r.stderr, /a{58,60}… \(1000[0-2] characters\)/);
    t.false(r.stderr.includes('a'.repeat(61)), r.stderr.slice(0, 300));
  }
});

test('--grep that selects nothing is the same usage error for --list and --all (a typo, not a vacuous success)', async (t) => {
  const list = await cli(['scenario', '--list', '--grep', 'zzz']);
  const all = await cli(['scenario', '--all', '--grep', 'zzz', '--now', NOW]);
  t.is(list.status, EXIT.USAGE);
  t.is(all.status, list.status);
  t.is(all.stderr, list.stderr);
  t.regex(list.stderr, /^error: \[ERR_USAGE\] no scenario matches --grep "zzz"/);
  t.is(list.stdout, '');
});

test('--list honours --json and --preset; --all honours --preset', async (t) => {
  const list = await cli(['scenario', '--list', '--json', '--preset', 'reference']);
  t.is(list.status, EXIT.OK);
  const entries = JSON.parse(list.stdout) as { name: string; preset: string; edge: string }[];
  t.true(entries.length > 0);
  t.true(entries.every((e) => e.preset === 'reference' && e.name.startsWith('reference-')));
  const all = await cli(['scenario', '--all', '--preset', 'reference', '--grep', '^(reference-)?apiserver-to-etcd$', '--now', NOW]);
  t.is(all.status, EXIT.OK, all.stderr);
  t.regex(all.stdout, /^reference-apiserver-to-etcd +/m);
  t.notRegex(all.stdout, /^apiserver-to-etcd +/m);
});

test('a kubelet config.yaml that is not YAML is a kubelet config error (ERR_KUBELET_CONFIG), not a kubeconfig one', (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'var/lib/kubelet'), { recursive: true });
  writeFileSync(join(dir, 'var/lib/kubelet/config.yaml'), 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication: [unclosed\n');
  writeFileSync(join(dir, 'admin.conf'), 'apiVersion: v1\nkind: Config\nclusters: [unclosed\n');
  const entries = readLayout(dir).entries;
  t.is(entries.find((e) => e.path === '/var/lib/kubelet/config.yaml')?.problem?.code, 'ERR_KUBELET_CONFIG');
  t.is(entries.find((e) => e.path === '/admin.conf')?.problem?.code, 'ERR_KUBECONFIG_YAML');
});

test('serve DIR --preset P on a folder that holds a PKI of another preset is refused, not ignored', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'kube-mtls-sim.json'), JSON.stringify({ preset: 'kubeadm' }));
  const r = await cli(['serve', dir, '--preset', 'reference', '--now', NOW]);
  t.is(r.status, EXIT.USAGE, r.stderr);
  t.regex(r.stderr, /^error: \[ERR_USAGE\] `--preset reference`: .* holds a kubeadm PKI/);
});
