/**
 * The sentences for kubectl's credential prompt (reason CREDENTIALS_PROMPT), in each language; kept
 * apart from phrases.ts, whose two tables are at the size limit.
 */
export interface PromptPhrases {
  /** `user`: the kubeconfig field of the user entry; `config`: the kubeconfig file. */
  whyPrompt(user: string, config: string): string;
  fixPrompt(user: string, config: string): string;
}

export const PROMPT_PHRASES: Readonly<Record<'en' | 'zh', PromptPhrases>> = {
  en: {
    whyPrompt: (user, config) => `${user} in ${config} has no client certificate, no token, no exec or auth-provider plugin and no username. kubectl then asks for a username and password on its terminal ("Please enter Username: "); with no terminal (a script, CI, stdin closed) it reads end of input, prints "error: EOF" and exits 1 without sending any request. (The kubelet, the scheduler and the other components read such a kubeconfig without prompting and send their requests anonymously.)`,
    fixPrompt: (user, config) => `Give ${user} in ${config} a credential: client-certificate-data and client-key-data (kubeadm: \`kubeadm kubeconfig user --client-name=<name>\`, or copy /etc/kubernetes/admin.conf), or a token, or an exec plugin.`,
  },
  zh: {
    whyPrompt: (user, config) => `${config} 中的 ${user} 既没有客户端证书，也没有 Token、exec 或 auth-provider 插件和用户名。此时 kubectl 会在终端上询问用户名和密码（"Please enter Username: "）；没有终端时（脚本、CI、stdin 已关闭）它读到输入结束，打印 "error: EOF" 并以 1 退出，不发送任何请求。（kubelet、scheduler 等组件读取这样的 kubeconfig 时不会询问，而是以匿名身份发送请求。）`,
    fixPrompt: (user, config) => `为 ${config} 中的 ${user} 配置凭据：client-certificate-data 和 client-key-data（kubeadm：\`kubeadm kubeconfig user --client-name=<name>\`，或复制 /etc/kubernetes/admin.conf），或 Token，或 exec 插件。`,
  },
};
