import test from 'ava';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { KUBELET_CONFIG, plainYaml, readPlainYaml } from '../lib/util/plain-yaml.js';
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

// The KubeletConfiguration profile: yaml's { lineWidth: 0, indentSeq: false } (keys in the object's
// order), with booleans and digit-led strings that are no YAML number (cacheTTL: 0s, clusterDNS: 10.96.0.10).
const KUBELET_OPTIONS = { lineWidth: 0, indentSeq: false } as const;
const kubeletText = fc.oneof(
  { arbitrary: text, weight: 4 },
  { arbitrary: fc.stringMatching(/^[0-9][A-Za-z0-9_./:@+=-]{0,8}$/), weight: 2 },
  { arbitrary: fc.constantFrom('0s', '2m0s', '10.96.0.10', '1', '1.5', '1e3', '0x1f', '0o17', '0b1', '1_000', '10:30', '1.', '2026-01-01', '6443'), weight: 1 },
);
const kubeletValue = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, kubeletText, fc.boolean(), fc.constant(undefined), fc.array(fc.oneof(kubeletText, fc.boolean(), tie('map')), { maxLength: 3 }), tie('map')),
  map: fc.dictionary(key, tie('node'), { maxKeys: 4 }),
})).map;

test('KubeletConfiguration profile: written as yaml writes it or refused; read back as yaml reads it or refused', (t) => {
  let written = 0;
  fc.assert(fc.property(kubeletValue, (doc) => {
    const plain = plainYaml(doc, KUBELET_CONFIG);
    const yamlText = stringify(doc, KUBELET_OPTIONS);
    const back = readPlainYaml(yamlText, KUBELET_CONFIG);
    if (back !== undefined && JSON.stringify(back) !== JSON.stringify(parse(yamlText))) return false;
    if (plain === undefined) return true;
    written++;
    return plain === yamlText;
  }), { numRuns: Number(process.env.FUZZ_RUNS ?? 3000), seed: 11 });
  t.true(written > 100, `only ${written} documents were written directly`);
  // The kubelet config a kubeadm node gets: written and read without yaml, as yaml would.
  const config = { apiVersion: 'kubelet.config.k8s.io/v1beta1', authentication: { anonymous: { enabled: false }, webhook: { cacheTTL: '0s', enabled: true } }, clusterDNS: ['10.96.0.10'], kind: 'KubeletConfiguration', rotateCertificates: true };
  t.is(plainYaml(config, KUBELET_CONFIG), stringify(config, KUBELET_OPTIONS));
  t.deepEqual(readPlainYaml(stringify(config, KUBELET_OPTIONS), KUBELET_CONFIG), config);
  // Numbers, and strings yaml would read as numbers or booleans, are refused.
  for (const value of [1, '1', '1.5', '1e3', '0x1f', '0o17', 'true']) t.is(plainYaml({ key: value }, KUBELET_CONFIG), undefined, JSON.stringify(value));
  t.is(readPlainYaml('a: 1\n', KUBELET_CONFIG), undefined);
  t.is(readPlainYaml('a: yes\n', KUBELET_CONFIG), undefined);
});
