// issue 14 (catalogue ≤ 3 s): every cluster of a preset writes and reads the same KubeletConfiguration;
// YAML (the slowest part of reading a node's files) runs once per distinct text.
import { createRequire } from 'node:module';
import test from 'ava';
import { buildKubeletConfiguration, parseKubeletConfiguration, stringifyKubeletConfiguration } from '../lib/kubeletconfig/config.js';
import { getPreset } from '../lib/pki/presets/index.js';
import { resolveClusterConfig } from '../lib/pki/cluster-config.js';

const yaml = createRequire(import.meta.url)('yaml') as { parse: (...args: unknown[]) => unknown; stringify: (...args: unknown[]) => string };

test.serial('a KubeletConfiguration text is written once and parsed once; each reader gets its own copy', (t) => {
  const calls = { parse: 0, stringify: 0 };
  const real = { parse: yaml.parse, stringify: yaml.stringify };
  yaml.parse = (...args) => (calls.parse++, real.parse(...args));
  yaml.stringify = (...args) => (calls.stringify++, real.stringify(...args));
  t.teardown(() => Object.assign(yaml, real));
  const preset = getPreset('kubeadm');
  const record = preset.kubelet!;
  // kubeadm's own config is written and read without yaml at all (plain-yaml.ts, below); a field yaml
  // must write (a number) sends the text through yaml, once.
  const plain = buildKubeletConfiguration('kubeadm', record, resolveClusterConfig({ nodeName: 'config-once-plain' }));
  t.deepEqual(parseKubeletConfiguration(stringifyKubeletConfiguration(plain), '/var/lib/kubelet/config.yaml'), plain);
  t.deepEqual(calls, { parse: 0, stringify: 0 });
  const config = () => ({ ...buildKubeletConfiguration('kubeadm', record, resolveClusterConfig({ nodeName: 'config-once-test' })), maxPods: 110 });
  const text = stringifyKubeletConfiguration(config());
  t.is(stringifyKubeletConfiguration(config()), text);
  const first = parseKubeletConfiguration(text, '/var/lib/kubelet/config.yaml');
  first.tlsCertFile = '/changed/by/a/reader';
  const second = parseKubeletConfiguration(text, '/var/lib/kubelet/config.yaml');
  t.not(second.tlsCertFile, '/changed/by/a/reader', 'a reader\'s change stays its own');
  t.deepEqual(second, parseKubeletConfiguration(text, '/var/lib/kubelet/config.yaml'));
  t.deepEqual(calls, { parse: 1, stringify: 1 });
  // A text that does not parse is not kept: it fails each time with the file named.
  t.throws(() => parseKubeletConfiguration('kind: [', '/x/config.yaml'), { message: /\/x\/config\.yaml: not valid YAML/ });
  t.throws(() => parseKubeletConfiguration('kind: [', '/x/config.yaml'), { message: /\/x\/config\.yaml: not valid YAML/ });
});
