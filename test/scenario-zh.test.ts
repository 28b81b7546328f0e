import test from 'ava';
import { SCENARIOS } from '../scenarios/index.js';
import { SCENARIO_ZH, scenarioText } from '../scenarios/zh/index.js';
import { cli } from './helpers/cli.js';

/**
 * Every scenario's title and description exist in Simplified Chinese (issue 13), as data beside the
 * catalogue: a scenario added without its Chinese text fails here, and so does a Chinese entry whose
 * scenario was renamed or removed.
 */
const CJK = /[\u4e00-\u9fff]/;

test('every registered scenario has a Chinese title and description, and every entry names a scenario', (t) => {
  const names = new Set(SCENARIOS.map((s) => s.name));
  t.deepEqual(SCENARIOS.filter((s) => !SCENARIO_ZH[s.name]).map((s) => s.name), []);
  t.deepEqual(Object.keys(SCENARIO_ZH).filter((name) => !names.has(name)), []);
  for (const s of SCENARIOS) {
    const zh = scenarioText(s, 'zh');
    t.regex(zh.title, CJK, `${s.name} title`);
    t.regex(zh.description, CJK, `${s.name} description`);
  }
});

test('the Chinese text keeps every flag of the English verbatim', (t) => {
  const flags = (text: string) => new Set(text.match(/--[a-z][a-z0-9-]*(?:=[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*)?/g) ?? []);
  for (const s of SCENARIOS) {
    const zh = scenarioText(s, 'zh');
    for (const [en, translated, what] of [[s.title, zh.title, 'title'], [s.description, zh.description, 'description']] as const) {
      const missing = [...flags(en)].filter((flag) => !translated.includes(flag));
      t.deepEqual(missing, [], `${s.name} ${what}`);
    }
  }
});

test('English stays the scenario\'s own text', (t) => {
  const s = SCENARIOS[0]!;
  t.deepEqual(scenarioText(s, 'en'), { title: s.title, description: s.description });
});

test('scenario --list --lang zh lists the Chinese titles; --json too', async (t) => {
  const r = await cli(['scenario', '--list', '--lang', 'zh', '--grep', '^etcd-peer-ok$']);
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /etcd-peer-ok +ok +三个成员使用 kubeadm 的 etcd\/peer\.crt：互相认证通过/);
  const json = await cli(['scenario', '--list', '--lang', 'zh', '--json', '--grep', '^etcd-peer-ok$']);
  t.is((JSON.parse(json.stdout) as Array<{ title: string }>)[0]!.title, SCENARIO_ZH['etcd-peer-ok']!.title);
  const byChinese = await cli(['scenario', '--list', '--lang', 'zh', '--grep', '互相认证通过']);
  t.regex(byChinese.stdout, /etcd-peer-ok/);
  const en = await cli(['scenario', '--list', '--grep', '^etcd-peer-ok$']);
  t.notRegex(en.stdout, CJK);
});
