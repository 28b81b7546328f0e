// The verification cost of one dial: goVerify (lib/x509) on the chain a client checks when it dials
// kube-apiserver (kubeadm's apiserver.crt under ca.crt, ECDSA P-256, the dialled name and
// serverAuth), as operations per second, against a baseline measured in the same run: node:crypto
// (OpenSSL) parsing the same leaf and checking issuer, signature and host, the least any verifier
// does. The ratio is what compares across machines; its target is today's ratio plus 10 %, so a
// regression of more than 10 % in goVerify shows as MISS.
import { X509Certificate } from 'node:crypto';
import { fixedClock } from '../lib/clock.js';
import { generatePki } from '../lib/layout/generate.js';
import { IssuedCert } from '../lib/pki/issued-cert.js';
import { goVerify } from '../lib/x509/go-verify.js';
import { median, type Row } from './stats.js';

// goVerify's cost in bare OpenSSL checks, measured when this row was added (median of two runs on
// 2 shared CPUs; run to run they moved by about 8 %): warm (the sent certificate objects reused, as
// every in-process dial does: facts and signature checks are remembered per certificate) and cold
// (the leaf parsed from its bytes each time, as a certificate from outside the process).
const TODAY_WARM_RATIO = 0.125;
const TODAY_COLD_RATIO = 1.45;
const ALLOWED = 1.1;

const perSecond = (ops: number, ms: number) => (ops / ms) * 1000;
const opsValue = (value: number) => `${Math.round(value).toLocaleString('en-US')} ops/s`;

export async function verifyBenchmarks(quick: boolean): Promise<Row[]> {
  const clock = fixedClock('2026-01-01T00:00:00Z');
  const pki = await generatePki({ clock, preset: 'kubeadm', algorithm: 'ecdsa-p256' });
  const leaf = pki.certs.get('apiserver')!.cert;
  const ca = pki.certs.get('ca')!.cert;
  const caNode = new X509Certificate(ca.der);
  const options = { roots: [ca], now: clock.now(), keyUsages: ['serverAuth' as const], host: 'kubernetes' };
  const ops = quick ? 500 : 2000;
  const rounds = quick ? 3 : 7;

  const warm = () => {
    if (!goVerify(leaf, options).ok) throw new Error('verify bench: goVerify refused the kubeadm chain');
  };
  const cold = () => {
    if (!goVerify(new IssuedCert(Buffer.from(leaf.der)), options).ok) throw new Error('verify bench: goVerify refused the kubeadm chain');
  };
  const baseline = () => {
    const x = new X509Certificate(leaf.der);
    if (!x.checkIssued(caNode) || !x.verify(caNode.publicKey) || x.checkHost('kubernetes') === undefined) throw new Error('verify bench: OpenSSL refused the kubeadm chain');
  };
  const time = (fn: () => void) => {
    const start = performance.now();
    for (let i = 0; i < ops; i++) fn();
    return perSecond(ops, performance.now() - start);
  };
  for (const fn of [warm, cold, baseline]) time(fn);
  // Interleaved rounds, so a slower moment of the machine weighs on all three alike.
  const samples = { warm: [] as number[], cold: [] as number[], baseline: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    samples.baseline.push(time(baseline));
    samples.warm.push(time(warm));
    samples.cold.push(time(cold));
  }
  const [w, c, b] = [median(samples.warm), median(samples.cold), median(samples.baseline)];
  // Cost ratios: how many bare OpenSSL checks one goVerify costs.
  const warmRatio = b / w;
  const coldRatio = b / c;
  return [
    { label: 'one dial\'s verification: OpenSSL parse + issuer + signature + host (baseline)', value: opsValue(b), target: '—' },
    { label: '  goVerify, kubeadm apiserver chain, certificate objects reused (in-process dial)', value: opsValue(w), target: '—' },
    { label: '  …its cost in baseline checks', value: `${warmRatio.toFixed(2)}×`, target: `≤ ${(TODAY_WARM_RATIO * ALLOWED).toFixed(2)}×`, pass: warmRatio <= TODAY_WARM_RATIO * ALLOWED },
    { label: '  goVerify, the leaf parsed from its bytes each time (a peer from outside)', value: opsValue(c), target: '—' },
    { label: '  …its cost in baseline checks', value: `${coldRatio.toFixed(2)}×`, target: `≤ ${(TODAY_COLD_RATIO * ALLOWED).toFixed(2)}×`, pass: coldRatio <= TODAY_COLD_RATIO * ALLOWED },
  ];
}
