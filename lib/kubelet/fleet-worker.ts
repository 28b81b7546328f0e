import { parentPort, workerData } from 'node:worker_threads';
import { fixedClock } from '../clock.js';
import { NodeFs } from '../fs/node-fs.js';
import { readCertificates } from '../pki/pem.js';
import type { IssuedCert } from '../pki/issue.js';
import { KubeletCertificates } from './certificates.js';
import type { FleetJob, FleetMessage, NodeJoin } from './fleet.js';

/**
 * The kubelets of `joinNodes`, on their own thread: each does the TLS bootstrap against the
 * apiserver's real port and then one request with the certificate it got, exactly as a kubelet
 * built with `newKubelet` does on the main thread. Only registration crosses back (a message).
 */
const job = workerData as FleetJob;
const port = parentPort!;
const roots = readCertificates(job.rootsPem, { file: 'bootstrap kubeconfig certificate-authority-data' });
const chain: readonly IssuedCert[] = readCertificates(job.apiserverChainPem, { file: 'kube-apiserver serving certificate' });
const clock = fixedClock(new Date(job.nowMs));
let sequence = 0;
const registered = new Map<number, () => void>();
let stopping = false;
port.on('message', (m: FleetMessage) => {
  if (m.type === 'registered') registered.get(m.id)?.();
  else if (m.type === 'stop') stopping = true;
});

async function join(nodeName: string): Promise<NodeJoin> {
  let registering: Promise<void> = Promise.resolve();
  const kubelet = new KubeletCertificates({
    fs: new NodeFs(), clock, nodeName, nodeAddress: job.nodeAddress, serverAddress: job.serverAddress,
    certDir: job.certDir, kubeconfig: job.kubeconfig, algorithm: job.algorithm, roots, apiPort: job.apiPort,
    // The apiserver listens on the main thread: its chain is known, but it cannot be told this kubelet's.
    apiserver: () => ({ port: job.port, chain }),
    register: (name) => {
      const id = sequence++;
      registering = new Promise((resolve) => registered.set(id, () => { registered.delete(id); resolve(); }));
      port.postMessage({ type: 'register', id, name } satisfies FleetMessage);
    },
  });
  const outcome = await kubelet.bootstrap(job.token);
  await registering;
  if (!outcome.file) return { nodeName, bootstrap: outcome };
  const current = kubelet.currentClient()!;
  const first = job.request ? await kubelet.request(job.request.method, job.request.path.replaceAll('{node}', () => nodeName)) : undefined;
  return { nodeName, bootstrap: outcome, certificatePem: current.certificatePem, ...(first ? { firstRequest: first } : {}) };
}

let next = 0;
const results: NodeJoin[] = new Array(job.names.length);
await Promise.all(Array.from({ length: Math.min(job.concurrency, job.names.length) }, async () => {
  while (!stopping && next < job.names.length) {
    const i = next++;
    results[i] = await join(job.names[i]!);
  }
}));
port.postMessage({ type: 'done', results } satisfies FleetMessage);
// Nothing is in flight any more: closing the port lets the thread end by itself.
port.close();
