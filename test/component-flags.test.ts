import test from 'ava';
import { defineCluster, type ClusterOptions } from '../lib/cluster/cluster.js';
import { NodeFs } from '../lib/fs/node-fs.js';
import { commandLine, SERVER_COMPONENTS } from '../lib/cluster/servers.js';
import { KUBE_CONTROLLER_MANAGER_FLAGS } from '../lib/components/controller-manager.js';
import type { FlagKind, FlagTable } from '../lib/component-base/flag-table.js';
import { kubelet } from '../lib/components/kubelet.js';
import { COMPONENT_SPECS, controlPlaneSpec, type ComponentSpecs } from '../lib/component-base/presets.js';
import { KubeMtlsSimError } from '../lib/errors.js';
import { ADDON_EDGE_NAMES } from '../lib/edges/edges.js';
import { METRICS_SERVER_CERT, METRICS_SERVER_KEY } from '../lib/cluster/metrics-server-addon.js';
import { clock, pkiFor } from './helpers/pki.js';

/**
 * Issue 10: every flag of every component is parsed through the component's flag table as it starts;
 * a value of the wrong form (or a file flag naming no file) is a config-error naming the flag, never
 * a component running with it. The table drives the test: a new flag or kind is covered by itself.
 */

const MISSING = '/etc/kubernetes/pki/no-such-file.pem';
/** For each kind, a value its parser (or the component reading the file) refuses; null where the real binary accepts any value. */
const UNPARSABLE: Record<FlagKind, string | null> = {
  file: MISSING, files: MISSING, 'optional-file': null, dir: null, text: null, list: null,
  bool: 'maybe', port: '65536', duration: '5 parsecs', 'tls-version': 'VersionTLS99', ip: '999.1.1.1',
  urls: 'ftp://127.0.0.1:2379', issuers: 'https://[bad', 'authorization-modes': 'Bogus', 'initial-cluster': 'm1=ftp://127.0.0.1:2380',
};

const TABLES: [string, FlagTable][] = [...SERVER_COMPONENTS.map((m): [string, FlagTable] => [m.name, m.flags]), ['kube-controller-manager', KUBE_CONTROLLER_MANAGER_FLAGS]];
const OPTION: Record<string, 'apiserver' | 'etcd' | 'controllerManager'> = { 'kube-apiserver': 'apiserver', etcd: 'etcd', 'kube-controller-manager': 'controllerManager' };

const names = (error: KubeMtlsSimError, flag: string) => (error.field ?? '').split(' ').includes(flag) && error.message.includes(flag);

test('the flags no value can break are exactly those a real binary takes any value for', (t) => {
  const free = TABLES.flatMap(([c, table]) => Object.entries(table).filter(([, spec]) => UNPARSABLE[spec.kind] === null).map(([flag]) => `${c} ${flag}`));
  t.deepEqual(free, [
    'kube-apiserver --kubelet-preferred-address-types', 'kube-apiserver --requestheader-allowed-names', 'kube-apiserver --requestheader-username-headers',
    'kube-apiserver --requestheader-group-headers', 'kube-apiserver --requestheader-extra-headers-prefix', 'etcd --name', 'etcd --initial-cluster-token', 'kubelet --kubeconfig', 'kubelet --cert-dir',
    'metrics-server --cert-dir', 'metrics-server --requestheader-allowed-names', 'metrics-server --requestheader-username-headers', 'metrics-server --requestheader-group-headers',
    'metrics-server --kubelet-preferred-address-types',
  ]);
});

for (const [component, table] of TABLES) {
  for (const [flag, spec] of Object.entries(table)) {
    const bad = UNPARSABLE[spec.kind];
    if (bad === null) continue;
    test(`${component} ${flag}=${bad} (${spec.kind}): a config-error naming the flag`, async (t) => {
      const pki = await pkiFor();
      if (component === 'kubelet') {
        // The kubelet's command line is its spec's three paths; no cluster option changes them, so it is configured directly.
        const flags = { ...commandLine(controlPlaneSpec(pki.preset, pki.config), 'kubelet'), [flag]: bad };
        const error = t.throws(() => kubelet.configure(new NodeFs(pki.files), flags, { nodeName: pki.config.nodeName }), { instanceOf: KubeMtlsSimError });
        t.true(names(error!, flag), error!.message);
        return;
      }
      // metrics-server is an addon: started with its serving pair (so each file flag is changed alone), dialled on its own edges.
      const options: ClusterOptions = component === 'metrics-server'
        ? { clock, pki, metricsServer: { flags: { '--tls-cert-file': METRICS_SERVER_CERT, '--tls-private-key-file': METRICS_SERVER_KEY, [flag]: bad } } }
        : { clock, pki, [OPTION[component]!]: { [flag]: bad } };
      await using cluster = await defineCluster(options).start();
      if (component === 'kube-controller-manager') {
        const error = cluster.controllerManager;
        t.true(error instanceof KubeMtlsSimError);
        t.true(names(error as KubeMtlsSimError, flag), (error as KubeMtlsSimError).message);
        return;
      }
      // The component refuses to start, or (for the apiserver's client flags) its dial does not connect: either way, the edge says which flag.
      const results = component === 'metrics-server' ? await Promise.all(ADDON_EDGE_NAMES.map((e) => cluster.dial(e))) : await cluster.dialAll();
      const refused = results.filter((r) => r.verdict === 'config-error' && r.summary.includes(flag));
      t.true(refused.length > 0, results.map((r) => `${r.edge}: ${r.verdict} ${r.summary}`).join('\n'));
      // A flag the binary refuses is BAD_FLAG (its fix is the flag); a file flag naming no file is FILE_MISSING.
      for (const r of refused) t.is(r.reason, spec.kind.includes('file') || spec.kind === 'dir' ? 'FILE_MISSING' : 'BAD_FLAG', `${r.edge}: ${r.summary}`);
    });
  }
}

// The bug: an unknown or repeated mode reached the authorizer and answered 500 "Cannot read properties of undefined".
for (const [value, goMessage] of [
  ['Bogus', 'authorization-mode "Bogus" is not a valid mode'],
  ['Node,Node', 'authorization-mode ["Node" "Node"] has mode specified more than once'],
  ['Node,Bogus,Node', '[authorization-mode "Bogus" is not a valid mode, authorization-mode ["Node" "Bogus" "Node"] has mode specified more than once]'],
  ['', 'at least one authorization-mode must be passed'],
  ['ABAC', "authorization-mode ABAC's authorization policy file not passed"],
] as const) {
  test(`--authorization-mode=${value}: kube-apiserver does not start, in its own words`, async (t) => {
    await using cluster = await defineCluster({ clock, pki: await pkiFor(), apiserver: { '--authorization-mode': value } }).start();
    const apiserver = cluster.servers['kube-apiserver'];
    t.false(apiserver.running);
    t.like(apiserver.startupError, { code: 'ERR_COMPONENT_FLAG', field: '--authorization-mode', goMessage });
    const result = await cluster.dial('kubectl-to-apiserver');
    t.like(result, { verdict: 'config-error', stage: 'config', detectedBy: 'server', reason: 'BAD_FLAG', server: { saw: { log: goMessage } } });
    t.regex(result.summary, /^kube-apiserver would not start: kube-apiserver: `--authorization-mode=.*`/);
    // The other servers run: each component starts or fails on its own flags.
    t.true(cluster.servers.etcd.running);
  });
}

test('--authorization-mode with every mode the simulation models starts', async (t) => {
  await using cluster = await defineCluster({ clock, pki: await pkiFor(), apiserver: { '--authorization-mode': 'Node,RBAC,Webhook,AlwaysDeny,AlwaysAllow' } }).start();
  t.true(cluster.servers['kube-apiserver'].running);
});

test('a cluster brings its own component specs; their paths come from the preset\'s records', async (t) => {
  const pki = await pkiFor();
  const components: ComponentSpecs = (files, config, preset) => {
    const spec = COMPONENT_SPECS.kubeadm(files, config, preset);
    return { ...spec, 'kube-apiserver': { ...spec['kube-apiserver'], '--authorization-mode': 'Node' } };
  };
  await using cluster = await defineCluster({ clock, pki, components }).start();
  t.is(cluster.spec['kube-apiserver']['--authorization-mode'], 'Node');
  t.is(cluster.spec['kube-apiserver']['--tls-cert-file'], (pki.preset.certs.find((r) => r.id === 'apiserver')!.files as { cert: string }).cert);
  // Node alone authorizes no administrator: kubectl is forbidden, so the specs reached the running apiserver.
  t.like(await cluster.dial('kubectl-to-apiserver'), { verdict: 'rejected', http: { status: 403 } });
});
