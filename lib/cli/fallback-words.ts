// What `check DIR` says about a kubelet whose client certificate is past its time: what it does when it
// next starts, in English and Chinese. What the kubelet logs stays as it prints it.
import type { FallbackOutcome, KubeletFallback } from '../cluster/check-kubelet-fallback.js';
import type { Lang } from '../verdict/explain.js';
import { REASON_TEXT, VERDICT_WORDS } from '../verdict/reason-text.js';

/** kubeadm's documented fix for a kubelet.conf whose certificate cannot be renewed on the node (troubleshooting-kubeadm: kubelet client certificate rotation fails). */
const kubeadmFix = (f: KubeletFallback) => `kubeadm kubeconfig user --org system:nodes --client-name system:node:${f.nodeName} > kubelet.conf`;

const WORDS = {
  en: {
    heading: 'kubelet-to-apiserver: when the kubelet next starts (pkg/kubelet/certificate/bootstrap LoadClientConfig, isClientConfigStillValid):',
    expired: (f: KubeletFallback) => `the client certificate in ${f.kubeconfig} (${f.certificate.file}) expired at ${f.certificate.notAfter}.`,
    fallsBack: (f: KubeletFallback) => `So the kubelet falls back to the bootstrap token in --bootstrap-kubeconfig ${f.bootstrapKubeconfig} (token ID ${f.token!.id}) and asks for a new client certificate with a kube-apiserver-client-kubelet CSR.`,
    dependsOn: (f: KubeletFallback) => `Whether that works depends on the token's Secret ${f.token!.secret} in etcd, which a folder does not hold: run \`kubeadm token list\` on a control-plane node (an expired or deleted token: \`kubeadm token create\`, then put it in ${f.bootstrapKubeconfig}). Both outcomes, dialled:`,
    assumption: { 'token-valid': 'assuming the token is valid', 'token-not-valid': 'assuming the token has expired or was deleted' } as Record<FallbackOutcome['assumption'], string>,
    as: (user: string) => `, the kubelet talks as ${user}`,
    withoutToken: 'Without a valid token (and no new one): ',
    newKubeconfig: (f: KubeletFallback) => `The node needs a new kubelet.conf (kubeadm's fix): on a control-plane node, \`${kubeadmFix(f)}\`; copy it to ${f.kubeconfig} on the node, remove ${f.certificate.file.replace(/[^/]*$/, 'kubelet-client-*')}, restart the kubelet.`,
    noFlag: () => 'The kubelet has no --bootstrap-kubeconfig, so it does not fall back: LoadClientConfig uses kubelet.conf as it is and every request is refused (401).',
    noFile: (f: KubeletFallback) => `--bootstrap-kubeconfig names ${f.bootstrapKubeconfig}, which is not on the node (kubeadm deletes it once the node has joined): LoadClientConfig fails and the kubelet exits: "command failed" err="failed to run Kubelet: unable to load bootstrap kubeconfig: stat ${f.bootstrapKubeconfig}: no such file or directory".`,
    noToken: (f: KubeletFallback) => `The kubelet falls back to --bootstrap-kubeconfig ${f.bootstrapKubeconfig}, but it cannot be used here: ${f.problem}. The simulation models the fallback with a bootstrap token only.`,
    notYetValid: (f: KubeletFallback) => `the client certificate in ${f.kubeconfig} (${f.certificate.file}) is not valid before ${f.certificate.notBefore}. isClientConfigStillValid checks only NotAfter, so the kubelet does not fall back to its bootstrap token: it keeps presenting this certificate and the apiserver refuses it until then (check the node's clock, and the clock the certificate was issued by).`,
  },
  zh: {
    heading: 'kubelet-to-apiserver：kubelet 下次启动时（pkg/kubelet/certificate/bootstrap 的 LoadClientConfig、isClientConfigStillValid）：',
    expired: (f: KubeletFallback) => `${f.kubeconfig} 中的客户端证书（${f.certificate.file}）已于 ${f.certificate.notAfter} 过期。`,
    fallsBack: (f: KubeletFallback) => `因此 kubelet 会退回到 --bootstrap-kubeconfig ${f.bootstrapKubeconfig} 中的引导令牌（令牌 ID ${f.token!.id}），用 kube-apiserver-client-kubelet CSR 申请新的客户端证书。`,
    dependsOn: (f: KubeletFallback) => `能否成功取决于 etcd 中该令牌的 Secret ${f.token!.secret}，而目录中没有它：请在控制平面节点上运行 \`kubeadm token list\`（令牌已过期或被删除：运行 \`kubeadm token create\`，再把新令牌写入 ${f.bootstrapKubeconfig}）。两种结果都已实际连接：`,
    assumption: { 'token-valid': '假设令牌有效', 'token-not-valid': '假设令牌已过期或被删除' } as Record<FallbackOutcome['assumption'], string>,
    as: (user: string) => `，kubelet 以 ${user} 身份访问`,
    withoutToken: '没有有效令牌（也不创建新令牌）时：',
    newKubeconfig: (f: KubeletFallback) => `该节点需要新的 kubelet.conf（kubeadm 的修复方法）：在控制平面节点上运行 \`${kubeadmFix(f)}\`，把它复制到该节点的 ${f.kubeconfig}，删除 ${f.certificate.file.replace(/[^/]*$/, 'kubelet-client-*')}，然后重启 kubelet。`,
    noFlag: () => 'kubelet 没有设置 --bootstrap-kubeconfig，因此不会退回到引导令牌：LoadClientConfig 照原样使用 kubelet.conf，每个请求都会被拒绝（401）。',
    noFile: (f: KubeletFallback) => `--bootstrap-kubeconfig 指向 ${f.bootstrapKubeconfig}，但节点上没有这个文件（节点加入集群后 kubeadm 会删除它）：LoadClientConfig 失败，kubelet 随之退出："command failed" err="failed to run Kubelet: unable to load bootstrap kubeconfig: stat ${f.bootstrapKubeconfig}: no such file or directory"。`,
    noToken: (f: KubeletFallback) => `kubelet 会退回到 --bootstrap-kubeconfig ${f.bootstrapKubeconfig}，但这里无法使用它：${f.problem}。模拟器只模拟用引导令牌退回的情形。`,
    notYetValid: (f: KubeletFallback) => `${f.kubeconfig} 中的客户端证书（${f.certificate.file}）在 ${f.certificate.notBefore} 之前无效。isClientConfigStillValid 只检查 NotAfter，因此 kubelet 不会退回到引导令牌：它继续出示这张证书，在那之前 apiserver 会一直拒绝它（请检查节点的时钟，以及签发证书时的时钟）。`,
  },
} as const;

function outcomeLines(lang: Lang, o: FallbackOutcome): string[] {
  const w = WORDS[lang];
  const r = o.result;
  const said = lang === 'en' ? r.summary : REASON_TEXT[lang][r.reason];
  const head = `${w.assumption[o.assumption]}: ${VERDICT_WORDS[lang][r.verdict].toLowerCase()} [${r.reason}]${r.identity ? w.as(r.identity.name) : `: ${said}`}`;
  return [head, ...o.log.map((line) => `  kubelet (log): ${line}`)];
}

/** The fallback's sentences in `lang`: the heading, then what the kubelet does, then (falls-back) each dialled outcome. */
export function fallbackLines(f: KubeletFallback, lang: Lang): string[] {
  const w = WORDS[lang];
  const lines: string[] = [w.heading];
  if (f.case === 'not-yet-valid') return [...lines, w.notYetValid(f)];
  lines.push(w.expired(f));
  switch (f.case) {
    case 'falls-back':
      lines.push(w.fallsBack(f), w.dependsOn(f), ...f.outcomes.flatMap((o) => outcomeLines(lang, o).map((l) => `  ${l}`)));
      if (f.outcomes.some((o) => o.result.verdict !== 'ok')) lines.push(`${w.withoutToken}${w.newKubeconfig(f)}`);
      break;
    case 'no-bootstrap-flag':
      lines.push(w.noFlag(), w.newKubeconfig(f));
      break;
    case 'no-bootstrap-file':
      lines.push(w.noFile(f), w.newKubeconfig(f));
      break;
    case 'no-token':
      lines.push(w.noToken(f), w.newKubeconfig(f));
      break;
  }
  return lines;
}
