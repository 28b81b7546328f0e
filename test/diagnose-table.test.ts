// `diagnose` against a table of error lines (issue 14): every distinct text the catalogue prints,
// run fresh from the scenarios (real ports, serials and times, not the index's templates), and
// lines as the real components print them, each ranked first to its right cause. Where the
// catalogue prints one text for several causes, those causes tie at the head (tiedFirst), and
// exactly they do. Lines that match nothing get an honest "no match" with the closest reasons.
import test from 'ava';
import { fixedClock } from '../lib/clock.js';
import { CATALOGUE_INDEX } from '../lib/diagnose/catalogue-index.js';
import { diagnose } from '../lib/diagnose/match.js';
import { templateOf } from '../lib/diagnose/template.js';
import { runScenarios } from '../lib/scenarios/run.js';
import type { Reason } from '../lib/verdict/reasons.js';
import { SCENARIOS } from '../scenarios/index.js';

/** A line as a real component prints it, where it was seen, and the cause(s) it must rank first. */
interface RealLine { line: string; seen: string; first: Reason[] }

/**
 * Lines from the real binaries: kubectl 1.32 and etcd 3.4 measured on this machine
 * (../shared/spec/real-peers.md §1.1, §2.7), and kube-apiserver / kubelet / client-go lines in their
 * klog form as Kubernetes 1.32 prints them (prefixes, times, PIDs and addresses differ from the
 * catalogue's on purpose).
 */
const REAL_LINES: RealLine[] = [
  { seen: 'kubectl 1.32, server cert from an unknown CA', first: ['UNKNOWN_AUTHORITY'], line: 'Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority' },
  { seen: 'kubectl 1.32, server cert without the IP SAN', first: ['SAN_MISMATCH'], line: "Unable to connect to the server: tls: failed to verify certificate: x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs" },
  { seen: 'kubectl 1.32, expired server certificate', first: ['CERT_EXPIRED'], line: 'Unable to connect to the server: tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2027-01-02T00:00:00Z is after 2026-12-31T23:59:59Z' },
  { seen: 'kubectl 1.32 get pods, discovery after a 401', first: ['CERT_EXPIRED', 'CERT_NOT_YET_VALID', 'UNKNOWN_AUTHORITY', 'WRONG_EKU'], line: 'E1203 17:40:00.123456   12345 memcache.go:265] "Unhandled Error" err="couldn\'t get current server API group list: the server has asked for the client to provide credentials"' },
  { seen: 'kubectl 1.32 version, a 401', first: ['CERT_EXPIRED', 'CERT_NOT_YET_VALID', 'UNKNOWN_AUTHORITY', 'WRONG_EKU'], line: 'error: You must be logged in to the server (the server has asked for the client to provide credentials)' },
  { seen: 'etcd 3.4 (capnslog), client without a certificate', first: ['NO_CLIENT_CERT'], line: '2026-12-03 17:40:00.000000 I | embed: rejected connection from "127.0.0.1:55708" (error "tls: client didn\'t provide a certificate", ServerName "")' },
  { seen: 'etcd 3.4 (capnslog), client certificate with serverAuth only', first: ['WRONG_EKU'], line: '2026-12-03 17:40:00.000000 I | embed: rejected connection from "127.0.0.1:40001" (error "tls: failed to verify client certificate: x509: certificate specifies an incompatible key usage", ServerName "")' },
  { seen: 'etcd 3.4 (capnslog), the client refused etcd\'s certificate', first: ['SAN_MISMATCH', 'UNKNOWN_AUTHORITY'], line: '2026-12-03 17:40:00.000000 I | embed: rejected connection from "127.0.0.1:40002" (error "remote error: tls: bad certificate", ServerName "")' },
  { seen: 'etcd 3.4 (capnslog), client certificate from another CA', first: ['NO_TRUSTED_CA', 'UNKNOWN_AUTHORITY'], line: '2026-12-03 17:40:00.000000 I | embed: rejected connection from "127.0.0.1:51466" (error "tls: failed to verify client certificate: x509: certificate signed by unknown authority", ServerName "")' },
  { seen: 'etcd 3.4 (--logger=zap), client without a certificate', first: ['NO_CLIENT_CERT'], line: '{"level":"warn","ts":"2026-12-03T17:40:00.000Z","caller":"embed/config_logging.go:287","msg":"rejected connection","remote-addr":"127.0.0.1:41234","server-name":"","error":"tls: client didn\'t provide a certificate"}' },
  { seen: 'kube-apiserver 1.32, client certificate from another CA', first: ['UNKNOWN_AUTHORITY'], line: 'E1203 17:40:00.000000       1 authentication.go:73] "Unable to authenticate the request" err="[x509: certificate signed by unknown authority, verifying certificate SN=1234567, SKID=, AKID=AB:CD:EF:01 failed: x509: certificate signed by unknown authority]"' },
  { seen: 'kube-apiserver 1.32, expired client certificate', first: ['CERT_EXPIRED'], line: 'E1203 17:40:00.000000       1 authentication.go:73] "Unable to authenticate the request" err="[x509: certificate has expired or is not yet valid: current time 2027-01-02T00:00:00Z is after 2026-12-31T23:59:59Z, verifying certificate SN=77777777, SKID=, AKID=AB:CD:EF:01 failed: x509: certificate has expired or is not yet valid: current time 2027-01-02T00:00:00Z is after 2026-12-31T23:59:59Z]"' },
  { seen: 'kube-apiserver 1.32 storage, etcd\'s certificate from another CA', first: ['UNKNOWN_AUTHORITY'], line: 'W1203 17:40:00.000000       1 logging.go:59] [core] [Channel #1 SubChannel #2] grpc: addrConn.createTransport failed to connect to {Addr: "127.0.0.1:2379", ServerName: "127.0.0.1:2379", }. Err: connection error: desc = "transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate signed by unknown authority"' },
  { seen: 'kube-apiserver 1.32 (Go net/http), the client refused its certificate', first: ['CERT_EXPIRED', 'NOT_A_CA', 'SAN_MISMATCH', 'UNKNOWN_AUTHORITY', 'WRONG_EKU'], line: 'I1203 17:40:00.000000       1 log.go:245] http: TLS handshake error from 10.0.0.10:41234: remote error: tls: bad certificate' },
  { seen: 'kube-controller-manager 1.32, a 401 on its lease', first: ['UNKNOWN_AUTHORITY'], line: 'E1203 17:40:00.000000       1 leaderelection.go:436] error retrieving resource lock kube-system/kube-controller-manager: Unauthorized' },
  { seen: 'kube-scheduler 1.32 (client-go reflector), apiserver down', first: ['CONNECTION_REFUSED'], line: 'W1203 17:40:00.000000       1 reflector.go:561] k8s.io/client-go/informers/factory.go:160: failed to list *v1.Pod: Get "https://10.0.0.10:6443/api/v1/pods?limit=500&resourceVersion=0": dial tcp 10.0.0.10:6443: connect: connection refused' },
  { seen: 'kubectl 1.32, a user with no credential at all (stdin not a terminal)', first: ['CREDENTIALS_PROMPT'], line: 'Please enter Username: error: EOF' },
  { seen: 'metrics-server built with Go < 1.20 (metrics-server issues 196, 1025), the kubelet\'s self-signed certificate', first: ['SAN_MISMATCH'], line: 'E1203 17:40:00.000000       1 scraper.go:149] "Failed to scrape node" err="Get \\"https://10.0.0.11:10250/metrics/resource\\": x509: cannot validate certificate for 10.0.0.11 because it doesn\'t contain any IP SANs" node="worker-1"' },
  { seen: 'kube-apiserver built with Go < 1.20, the APIService without the right caBundle', first: ['UNKNOWN_AUTHORITY'], line: 'E1203 17:40:00.000000       1 available_controller.go:460] v1beta1.metrics.k8s.io failed with: failing or missing response from https://10.96.12.34:443/apis/metrics.k8s.io/v1beta1: Get "https://10.96.12.34:443/apis/metrics.k8s.io/v1beta1": x509: certificate signed by unknown authority' },
  { seen: 'kubectl top node, the metrics API failing for any cause', first: ['FRONT_PROXY_NOT_ALLOWED', 'SAN_MISMATCH', 'UNKNOWN_AUTHORITY'], line: 'error: Metrics API not available' },
  { seen: 'etcd 3.4.23 (measured), a member\'s peer certificate from another CA', first: ['UNKNOWN_AUTHORITY'], line: '2026-12-03 17:40:00.000000 W | rafthttp: health check for peer 8e9e05c52164694d could not connect: x509: certificate signed by unknown authority' },
  { seen: 'kubelet 1.32 with rotation on, its bootstrap token refused', first: ['CERT_EXPIRED'], line: 'E1203 17:40:00.000000    2345 certificate_manager.go:562] kubernetes.io/kube-apiserver-client-kubelet: Failed while requesting a signed certificate from the control plane: cannot create certificate signing request: Unauthorized' },
  { seen: 'kubectl 1.32, certificate and key files swapped', first: ['PEM_SWITCHED'], line: 'error: tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched' },
];

/** Lines no cause of the catalogue prints: said honestly, with the closest reasons. */
const NO_MATCH: { line: string; seen: string; closest?: Reason }[] = [
  { seen: 'curl, server certificate from an unknown CA (OpenSSL words, not a Kubernetes component)', closest: 'UNKNOWN_AUTHORITY', line: 'curl: (60) SSL certificate problem: unable to get local issuer certificate' },
  { seen: 'etcdctl 3.4 on any TLS rejection: no TLS detail at all', line: 'Error: context deadline exceeded' },
  // kubeasz issue 1257 (kubelet 1.27): no catalogue scenario loses the bootstrap kubeconfig too.
  { seen: 'kubelet, neither kubelet.conf nor the bootstrap kubeconfig', closest: 'FILE_MISSING', line: 'E0416 12:04:10.794442    7769 run.go:74] "command failed" err="failed to run Kubelet: unable to load bootstrap kubeconfig: stat /etc/kubernetes/bootstrap-kubelet.conf: no such file or directory"' },
];

const sorted = (xs: Iterable<string>) => [...xs].sort();

test('every distinct text the catalogue prints, as it prints it, ranks first exactly the causes that print it', async (t) => {
  const runs = await runScenarios(SCENARIOS, fixedClock('2026-01-01T00:00:00Z'), { concurrency: 4 });
  const byTemplate = new Map<string, { line: string; reasons: Set<Reason> }>();
  for (const { result } of runs) {
    for (const m of result.messages) {
      const template = templateOf(m.text);
      const entry = byTemplate.get(template) ?? { line: m.text, reasons: new Set<Reason>() };
      entry.reasons.add(result.reason);
      byTemplate.set(template, entry);
    }
  }
  t.is(byTemplate.size, CATALOGUE_INDEX.lines.length, 'the checked-in index has every text of the catalogue (npm run docs)');
  for (const [template, { line, reasons }] of byTemplate) {
    const d = diagnose([line], CATALOGUE_INDEX);
    t.true(d.causes.length > 0, `no cause for ${line}`);
    t.deepEqual(sorted(d.causes.slice(0, d.tiedFirst).map((c) => c.reason)), sorted(reasons), `${template}`);
  }
  t.true(byTemplate.size + REAL_LINES.length + NO_MATCH.length >= 60, `the table has ${byTemplate.size + REAL_LINES.length + NO_MATCH.length} lines`);
});

for (const { line, seen, first } of REAL_LINES) {
  test(`real: ${seen}`, (t) => {
    const d = diagnose([line], CATALOGUE_INDEX);
    t.true(d.causes.length > 0, 'matched');
    // Every named cause is at the head; others may tie with them when the catalogue prints the
    // same text for them too (the first test checks those ties against the scenarios themselves).
    const head = d.causes.slice(0, d.tiedFirst).map((c) => c.reason);
    t.true(first.every((r) => head.includes(r)), `head: ${head.join(', ')}`);
    if (first.length === 1 && head.length > 1) t.true(d.causes[0]!.matches.every((m) => m.kind !== 'similar'), 'a tie only on an exact text');
  });
}

for (const { line, seen, closest } of NO_MATCH) {
  test(`no match: ${seen}`, (t) => {
    const d = diagnose([line], CATALOGUE_INDEX);
    t.is(d.causes.length, 0);
    t.is(d.tiedFirst, 0);
    t.true(d.closest.length > 0 && d.closest.length <= 3, 'names the closest reasons');
    if (closest) t.is(d.closest[0]!.reason, closest);
  });
}
