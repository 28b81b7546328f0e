import test from 'ava';
import * as api from '../lib/index.js';

// The package's values, named deliberately: a new export is a decision (add it here), and internals
// (the process-wide key pool, the node's file system class, the registry checkers, the scenario
// comparator) stay out of reach of library users. Types are checked by scripts/check-pack.sh, which
// compiles the built declarations as a consumer would.
const VALUES = [
  'ADDON_EDGE_NAMES', 'DEFAULT_CLUSTER_CONFIG', 'EDGES', 'EDGE_NAMES', 'ERROR_CODES', 'EXT_KEY_USAGES', 'KEY_ALGORITHMS', 'KeyPool',
  'KubeMtlsSimError', 'PRESETS', 'PRESET_NAMES', 'REASONS', 'defineCluster', 'explain', 'explanationText', 'exportLayout',
  'fixedClock', 'generateBootstrapToken', 'generatePki', 'getPreset', 'goVerify', 'inspectLayout', 'isKubeMtlsSimError',
  'kubeadmBootstrapToken', 'loadNode', 'parseKubeconfig', 'readKubeconfigFile', 'readLayout', 'renderPicture', 'runScenario', 'systemClock', 'writeLayout', 'writeNode',
];

test('the package exports exactly its deliberate values', (t) => {
  t.deepEqual(Object.keys(api).sort(), [...VALUES].sort());
});

test('internals are not exported', (t) => {
  for (const name of ['NodeFs', 'sharedKeyPool', 'compare', 'checkRegistry', 'registryProblems']) t.false(name in api, name);
});

test('explain is public, in both its languages', async (t) => {
  await using cluster = await api.defineCluster({ clock: api.fixedClock('2026-01-01T00:00:00Z') }).start();
  const result = await cluster.dial('kubelet-to-apiserver');
  const en = api.explanationText(api.explain(result, 'en'));
  const zh = api.explanationText(api.explain(result, 'zh'));
  t.true(en.length > 0 && zh.length > 0);
  t.not(en, zh);
});
