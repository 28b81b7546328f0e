import test from 'ava';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { plainYaml, readPlainYaml } from '../lib/util/plain-yaml.js';
import { buildKubeconfig, stringifyKubeconfig } from '../lib/kubeconfig/build.js';

// lib/util/plain-yaml.ts writes kubeconfig-shaped YAML without yaml's general writer: whatever it
// writes must be exactly what yaml writes with the kubeconfig options, and what it cannot write it
// must refuse (undefined), never write differently.
const OPTIONS = { lineWidth: 0, minContentWidth: 0, indentSeq: false, sortMapEntries: true } as const;

test('a kubeadm kubeconfig (embedded data, file paths, a token file) is written as yaml writes it', (t) => {
  const kubeconfigs = [
    buildKubeconfig({ clusterName: 'kubernetes', cluster: { server: 'https://10.0.0.10:6443', 'certificate-authority-data': 'LS0tLS1CRUdJTi'.repeat(80) }, userName: 'system:node:control-plane', user: { 'client-certificate': '/var/lib/kubelet/pki/kubelet-client-current.pem', 'client-key': '/var/lib/kubelet/pki/kubelet-client-current.pem' }, contextName: 'system:node:control-plane@kubernetes' }),
    buildKubeconfig({ clusterName: 'default-cluster', cluster: { server: 'https://kubernetes.default.svc:443', 'certificate-authority': '/etc/kubernetes/pki/ca.crt' }, userName: 'default-auth', user: { tokenFile: '/var/run/secrets/token' }, contextName: 'default-context' }),
  ];
  for (const kubeconfig of kubeconfigs) {
    const written = plainYaml(kubeconfig);
    t.not(written, undefined);
    t.is(written, stringify(kubeconfig, OPTIONS));
    t.is(stringifyKubeconfig(kubeconfig), stringify(kubeconfig, OPTIONS));
  }
});

test('strings YAML would read otherwise, numbers and nested lists are refused, not written differently', (t) => {
  for (const value of ['true', 'No', 'null', '~', '1.5', '0x1f', '-1', '.inf', 'a b', 'key:', '#x', '*x', '&x', '!x', "'q'", '"q"', '', '@x', '%x', 'a#b c', 'x\ny']) {
    t.is(plainYaml({ key: value }), undefined, JSON.stringify(value));
  }
  t.is(plainYaml({ n: 1 }), undefined);
  t.is(plainYaml({ b: true }), undefined);
  t.is(plainYaml({ l: [['a']] }), undefined);
  t.is(plainYaml([]), undefined);
  t.is(stringifyKubeconfig({ port: 6443, name: 'yes' }), stringify({ port: 6443, name: 'yes' }, OPTIONS));
});

// Strings from the characters kubeconfigs hold, and the ones YAML treats specially.
const text = fc.oneof(
  { arbitrary: fc.stringMatching(/^[A-Za-z_/][A-Za-z0-9_./:@+=-]{0,12}$/), weight: 6 },
  { arbitrary: fc.stringMatching(/^[A-Za-z0-9_./:@+=\- #'"*&!%~{}[\],?|>]{0,12}$/), weight: 1 },
  { arbitrary: fc.constantFrom('true', 'Off', 'null', '1', '1e3', '.5', '-', 'a:', ':a', '/', 'a//b', 'https://h:1/p', 'n'), weight: 1 },
);
const key = fc.oneof(fc.constantFrom('name', 'cluster', 'user', 'server', 'certificate-authority-data', 'current-context', 'B', 'a', 'Z_z'), text);
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, text, fc.constant(undefined), fc.array(fc.oneof(text, tie('map')), { maxLength: 3 }), tie('map')),
  map: fc.dictionary(key, tie('node'), { maxKeys: 4 }),
})).map;

test('any map of strings, lists and maps: written as yaml writes it, or refused', (t) => {
  let written = 0;
  fc.assert(fc.property(value, (doc) => {
    const plain = plainYaml(doc);
    if (plain === undefined) return true;
    written++;
    return plain === stringify(doc, OPTIONS);
  }), { numRuns: Number(process.env.FUZZ_RUNS ?? 3000), seed: 10 });
  t.true(written > 100, `only ${written} documents were written directly`);
});

test('reading back: what is written directly reads as yaml reads it; any other text is refused or read as yaml reads it', (t) => {
  let read = 0;
  fc.assert(fc.property(value, (doc) => {
    const text = stringify(doc, OPTIONS);
    const back = readPlainYaml(text);
    if (back === undefined) return plainYaml(doc) === undefined;
    read++;
    return JSON.stringify(back) === JSON.stringify(parse(text));
  }), { numRuns: Number(process.env.FUZZ_RUNS ?? 3000), seed: 10 });
  t.true(read > 100, `only ${read} documents were read directly`);
  // Text yaml reads otherwise, or that is not written this way: refused (yaml then reads it, with its own errors).
  for (const text of ['a: b', 'a: b\n# c\n', 'a: "b"\n', 'a: b\na: c\n', 'a:\n  - b\n', 'a: &x b\n', 'b: 1\na: 2\n', 'a: b \n', 'a:\n', 'a: true\n', '- a\n', 'a: b\r\n', 'a:\n  b: c\n d: e\n']) {
    t.is(readPlainYaml(text), undefined, JSON.stringify(text));
  }
  t.deepEqual(readPlainYaml('a: b\nc:\n- d\n- e: f\n  g: {}\nh:\n  i: []\n'), { a: 'b', c: ['d', { e: 'f', g: {} }], h: { i: [] } });
});
