// What `check DIR` says about metrics-server → this node's kubelet, in English and Chinese: an
// assumption about an addon that lives in the API, so the section never counts in check's verdict.
// What metrics-server, kubectl and the kubelet print stays as they print it.
import { IN_CLUSTER_CA } from '../clients/addon-credentials.js';
import type { MetricsServerKubelet } from '../cluster/check-metrics-server-kubelet.js';
import { explain, type Lang } from '../verdict/explain.js';
import type { EdgeResult } from '../verdict/result.js';
import { REASON_TEXT, VERDICT_WORDS } from '../verdict/reason-text.js';

/** The serving certificate's file and SANs, as the result names them. */
const served = (r: EdgeResult) => ({ file: r.server.presented?.file ?? r.server.presented?.field ?? 'kubelet.crt', sans: r.server.presented?.sans.join(', ') || '-' });
const dialled = (r: EdgeResult) => r.client.checksName?.name ?? r.client.dialled;

const WORDS = {
  en: {
    heading: 'metrics-server-to-kubelet: if metrics-server runs with its defaults — it is a cluster addon, not a file on this node (components.yaml: no --kubelet-certificate-authority, so the in-cluster CA; no --kubelet-insecure-tls; the node dialled at its InternalIP). Not counted in the verdict above:',
    noFrontProxy: 'not checked: kube-apiserver has no --proxy-client-cert-file/--requestheader-client-ca-file, so the aggregation layer metrics-server is served through is not set up, and no simulated metrics-server is started to dial the kubelet.',
    noClusterCa: 'not checked: the cluster CA pair (kube-controller-manager --cluster-signing-cert-file/--cluster-signing-key-file) is not in the folder, so no simulated metrics-server can be given a serving certificate and started.',
    noKubelet: 'not checked: this node runs no kubelet, so there is nothing on it for metrics-server to scrape.',
    caFrom: (file: string) => `metrics-server's in-cluster CA (${IN_CLUSTER_CA}) is not in the folder (a Pod's volume): taken as ${file}, which the kube-root-ca.crt ConfigMap publishes to every Pod (kube-controller-manager --root-ca-file).`,
    issue1602: (r: EdgeResult) => `This is kubeadm issue 1602: the kubelet serves ${served(r).file}, whose SANs (${served(r).sans}) hold no IP, so a default metrics-server checking it with the cluster CA at the node's InternalIP ${dialled(r)} refuses it. Every scrape of this node fails, and kubectl top has nothing for it.`,
    fix: 'Fix (kubeadm\'s documented one): set serverTLSBootstrap: true in the kubelet\'s configuration (/var/lib/kubelet/config.yaml, or the kubelet-config ConfigMap for every node), restart the kubelet, then approve its kubernetes.io/kubelet-serving CSRs (`kubectl get csr`, check the node name and addresses, `kubectl certificate approve <name>`): the kubelet then serves kubelet-server-current.pem from the cluster CA with the node\'s IP, and metrics-server needs no flag. metrics-server --kubelet-insecure-tls makes scrapes work only by not checking the kubelet\'s certificate at all: an insecure workaround, not a fix.',
    ok: (r: EdgeResult) => `The kubelet's serving certificate (${served(r).file}) names ${dialled(r)} and is signed by the cluster CA: a default metrics-server scrapes it, no --kubelet-insecure-tls needed.`,
  },
  zh: {
    heading: 'metrics-server-to-kubelet：假设 metrics-server 以默认设置运行——它是集群插件，不是这个节点上的文件（components.yaml：未设置 --kubelet-certificate-authority，因此使用集群内 CA；未设置 --kubelet-insecure-tls；按节点的 InternalIP 连接）。不计入上面的结论：',
    noFrontProxy: '未检查：kube-apiserver 没有设置 --proxy-client-cert-file/--requestheader-client-ca-file，metrics-server 所依赖的聚合层没有配置，因此没有启动模拟的 metrics-server 去连接 kubelet。',
    noClusterCa: '未检查：目录中没有集群 CA 的证书和密钥（kube-controller-manager --cluster-signing-cert-file/--cluster-signing-key-file），无法为模拟的 metrics-server 签发服务证书并启动它。',
    noKubelet: '未检查：这个节点没有运行 kubelet，metrics-server 在它上面没有可抓取的对象。',
    caFrom: (file: string) => `目录中没有 metrics-server 的集群内 CA（${IN_CLUSTER_CA}，它是 Pod 的卷）：改用 ${file}，kube-root-ca.crt ConfigMap 会把它发布给每个 Pod（kube-controller-manager --root-ca-file）。`,
    issue1602: (r: EdgeResult) => `这就是 kubeadm issue 1602：kubelet 出示的是 ${served(r).file}，其 SAN（${served(r).sans}）中没有 IP，默认设置的 metrics-server 按节点的 InternalIP ${dialled(r)} 用集群 CA 校验它时会拒绝。对这个节点的每次抓取都会失败，kubectl top 也拿不到它的数据。`,
    fix: '修复方法（kubeadm 文档中的做法）：在 kubelet --config 指定的配置文件（或对所有节点生效的 kubelet-config ConfigMap）中设置 serverTLSBootstrap: true，重启 kubelet，然后批准它的 kubernetes.io/kubelet-serving CSR（`kubectl get csr`，核对节点名称和地址后 `kubectl certificate approve <名称>`）：之后 kubelet 出示由集群 CA 签发、带有节点 IP 的 kubelet-server-current.pem，metrics-server 无需任何参数。metrics-server --kubelet-insecure-tls 只是完全不校验 kubelet 的证书来让抓取成功：这是不安全的权宜之计，不是修复。',
    ok: (r: EdgeResult) => `kubelet 的服务证书（${served(r).file}）包含 ${dialled(r)} 且由集群 CA 签发：默认设置的 metrics-server 可以抓取它，不需要 --kubelet-insecure-tls。`,
  },
} as const;

/** The section's sentences in `lang`: the heading (the assumption), then why it is not checked, or the verdict, what is printed and the fix. */
export function metricsKubeletLines(m: MetricsServerKubelet, lang: Lang): string[] {
  const w = WORDS[lang];
  const lines: string[] = [w.heading];
  if (m.case !== 'dialled' || !m.result) return [...lines, m.case === 'no-kubelet' ? w.noKubelet : m.case === 'no-cluster-ca' ? w.noClusterCa : w.noFrontProxy];
  const r = m.result;
  if (m.inClusterCa && m.inClusterCa !== IN_CLUSTER_CA) lines.push(w.caFrom(m.inClusterCa));
  const said = lang === 'en' ? r.summary : REASON_TEXT[lang][r.reason];
  lines.push(`${VERDICT_WORDS[lang][r.verdict].toLowerCase()} [${r.reason}]: ${said}`);
  lines.push(...r.messages.map((msg) => `  ${msg.component} (${msg.where}): ${msg.text}`));
  if (r.verdict === 'ok') return [...lines, w.ok(r)];
  if (r.reason === 'SAN_MISMATCH') lines.push(w.issue1602(r));
  // The kubelet's serving certificate refused by metrics-server: kubeadm's fix; anything else: the reason's own.
  return [...lines, r.stage === 'tls' && r.detectedBy === 'client' ? w.fix : explain(r, lang).fix];
}
