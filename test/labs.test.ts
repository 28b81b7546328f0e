import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { labSteps, stepsOnly, type LabStep } from './helpers/lab-steps.js';
import { kubectlPath, tempDir, which } from './helpers/tools.js';

/**
 * Every lab of docs/labs/ runs here, step by step, as a student would type it: in a fresh folder,
 * with a fresh HOME and kubectl cache, the CLI on PATH as the labs tell a clone to put it
 * (scripts/bin), and the real kubectl, openssl, curl, cfssl and etcdctl. A step that exits otherwise than
 * its page says, or does not print its `expect` excerpt, fails the lab: a lab that rots fails the suite.
 *
 * The Chinese pages must hold exactly the English pages' steps and excerpts (checked below), and
 * they are run too: a class follows the page in its own language, so each page is run as written
 * (about 45 s a language on an idle machine).
 */
const root = resolve(import.meta.dirname, '..');
const labsDir = join(root, 'docs/labs');
const pages = readdirSync(labsDir).filter((f) => /^\d\d-.*\.md$/.test(f)).sort();
const READY = 'Press Ctrl-C to stop.';
const STEP_TIMEOUT_MS = 60_000;

const tools = { kubectl: kubectlPath(), openssl: which('openssl'), curl: which('curl'), cfssl: which('cfssl'), cfssljson: which('cfssljson'), etcdctl: which('etcdctl') };
const missing = Object.entries(tools).filter(([, path]) => !path).map(([name]) => name);
const labTest = missing.length === 0 || process.env.CI ? test.serial : test.serial.skip;
if (missing.length > 0 && !process.env.CI) {
  console.warn(`\n*** ${missing.join(', ')} not installed: skipping the labs (docs/labs/). Install them (see .ci/run) to run them. ***\n`);
}

test('there are seven labs, each with a Chinese page, and an index in both languages', (t) => {
  t.is(pages.length, 7, pages.join(' '));
  for (const page of [...pages, 'README.md']) t.true(readdirSync(join(labsDir, 'zh')).includes(page), `zh/${page}`);
});

for (const page of pages) {
  test(`${page}: the Chinese page asks the same steps and shows the same excerpts`, (t) => {
    const en = labSteps(readFileSync(join(labsDir, page), 'utf8'));
    t.true(en.length >= 3, 'a lab has steps');
    t.deepEqual(stepsOnly(labSteps(readFileSync(join(labsDir, 'zh', page), 'utf8'))), stepsOnly(en));
  });

  for (const lang of ['', 'zh/']) {
    labTest(`${lang}${page}: every step runs as the page says`, async (t) => {
      t.timeout(240_000);
      await runLab(t, labSteps(readFileSync(join(labsDir, lang, page), 'utf8')));
    });
  }
}

/** One shell session, emulated across processes: each step starts from the variables and folder the last one left. */
async function runLab(t: ExecutionContext, steps: LabStep[]) {
  const dir = tempDir(t, 'kms-lab-');
  const bin = join(dir, '.bin');
  mkdirSync(bin);
  // The pinned kubectl when the machine has one (test/helpers/tools.ts), under the name the labs type.
  symlinkSync(tools.kubectl ?? 'kubectl', join(bin, 'kubectl'));
  const work = join(dir, 'work');
  mkdirSync(join(dir, 'home'), { recursive: true });
  mkdirSync(work);
  const state = join(dir, '.state');
  const cwd = join(dir, '.cwd');
  writeFileSync(state, '');
  writeFileSync(cwd, work);
  const env = {
    PATH: `${bin}:${join(root, 'scripts/bin')}:${process.env.PATH}`,
    HOME: join(dir, 'home'),
    KUBECACHEDIR: join(dir, 'kube-cache'),
    LANG: 'C.UTF-8',
  };
  let serving: ChildProcess | undefined;
  const stopServe = async () => {
    const child = serving;
    serving = undefined;
    if (!child || child.exitCode !== null) return;
    const gone = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await gone;
  };
  t.teardown(stopServe);
  const prelude = `source ${JSON.stringify(state)}; cd "$(cat ${JSON.stringify(cwd)})"`;
  for (const step of steps) {
    const where = `line ${step.line}: ${step.script.split('\n')[0]}`;
    if (step.kind === 'serve') {
      await stopServe();
      serving = spawn('bash', ['-c', `${prelude}; exec ${step.script}`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      const output = await ready(serving);
      t.true(output.includes(READY), `${where}: serve stopped before it was ready:\n${output}`);
      for (const excerpt of step.expect) t.true(output.includes(excerpt), `${where}: expected "${excerpt}" in:\n${output}`);
      continue;
    }
    const file = join(dir, '.step.sh');
    writeFileSync(file, `${step.script}\n`);
    const script = `${prelude}; source ${JSON.stringify(file)} </dev/null; rc=$?; export -p > ${JSON.stringify(state)}; pwd > ${JSON.stringify(cwd)}; exit $rc`;
    const run = spawnSync('bash', ['-c', script], { env, encoding: 'utf8', timeout: STEP_TIMEOUT_MS });
    const output = `${run.stdout}${run.stderr}`;
    if (step.kind === 'fails') t.not(run.status, 0, `${where}: should fail, exited 0:\n${output}`);
    else t.is(run.status, 0, `${where}: exited ${run.status}:\n${output}`);
    for (const excerpt of step.expect) t.true(output.includes(excerpt), `${where}: expected "${excerpt}" in:\n${output}`);
  }
}

/** What serve printed until its readiness line, or until it exited. */
function ready(child: ChildProcess): Promise<string> {
  return new Promise((done) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(READY)) finish();
    };
    const finish = () => {
      child.stdout!.off('data', onData);
      child.stderr!.off('data', onData);
      child.off('exit', finish);
      // Keep draining, so a full pipe never blocks serve.
      child.stdout!.resume();
      child.stderr!.resume();
      done(output);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', finish);
  });
}
