import { readFileSync } from 'node:fs';
import test from 'ava';
import { generatedDocs } from '../lib/docs/index.js';
import { ERROR_CODES } from '../lib/errors.js';
import { DIAGNOSE_INDEX_PATH, buildDiagnoseIndex, renderDiagnoseIndex } from '../lib/docs/diagnose-index.js';
import { SCENARIOS } from '../scenarios/index.js';

for (const [path, expected] of Object.entries(generatedDocs())) {
  test(`${path} is up to date (run \`npm run docs\`)`, (t) => {
    const actual = readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
    t.is(actual, expected);
  });
}

// The index `diagnose` reads is built by running the whole catalogue (seconds), so it is checked in.
test(`${DIAGNOSE_INDEX_PATH} is up to date (run \`npm run docs\`)`, async (t) => {
  const actual = readFileSync(new URL(`../${DIAGNOSE_INDEX_PATH}`, import.meta.url), 'utf8');
  t.is(actual, renderDiagnoseIndex(await buildDiagnoseIndex(SCENARIOS)));
});

test('docs/pki.md lists every certificate of both presets with its CN', (t) => {
  const doc = generatedDocs()['docs/pki.md']!;
  for (const id of ['ca', 'front-proxy-ca', 'etcd-ca', 'apiserver', 'kubelet-serving', 'cluster-root-ca', 'kube-etcd']) t.true(doc.includes(`| \`${id}\` |`), id);
  t.true(doc.includes('| `apiserver-kubelet-client` | `/etc/kubernetes/pki/apiserver-kubelet-client.crt`'));
});

test('the error code catalogue is pinned: codes are only ever added', (t) => {
  t.deepEqual(Object.keys(ERROR_CODES), [
    'ERR_FILE_NOT_FOUND', 'ERR_FILE_UNREADABLE', 'ERR_FILE_EXISTS', 'ERR_PEM_EMPTY', 'ERR_PEM_NO_DATA', 'ERR_PEM_DER_INPUT',
    'ERR_PEM_TRUNCATED', 'ERR_PEM_BAD_BASE64', 'ERR_PEM_WRONG_TYPE', 'ERR_PEM_SWITCHED', 'ERR_CERT_PARSE', 'ERR_KEY_PARSE',
    'ERR_KEY_MISMATCH', 'ERR_KUBECONFIG_YAML', 'ERR_KUBECONFIG_FIELD', 'ERR_KUBECONFIG_REF', 'ERR_KUBECONFIG_BASE64',
    'ERR_KUBECONFIG_CONFLICT', 'ERR_KUBELET_CONFIG', 'ERR_ALGORITHM_UNKNOWN', 'ERR_PRESET_UNKNOWN', 'ERR_CLUSTER_CONFIG',
    'ERR_FAULT_INVALID', 'ERR_TABLE_INVALID', 'ERR_LAYOUT_UNKNOWN', 'ERR_COMPONENT_FLAG', 'ERR_EDGE_UNKNOWN',
    'ERR_CLUSTER_STOPPED', 'ERR_USAGE', 'ERR_KEY_UNUSABLE', 'ERR_TOKEN_FILE', 'ERR_KUBECONFIG_INSECURE_CA', 'ERR_FILE_NOT_REGULAR',
    'ERR_FILE_TOO_LARGE', 'ERR_FILE_OUTSIDE_ROOT', 'ERR_FOLDER_UNSAFE', 'ERR_FILE_UNWRITABLE',
    'ERR_NODE_MANIFEST', 'ERR_NODE_UNIT', 'ERR_NODE_NOT_FOUND', 'ERR_NODE_COMPONENT_CONFIG',
    'ERR_KUBECONFIG_PROMPT',
  ]);
});
