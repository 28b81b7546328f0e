import { KubeMtlsSimError } from '../errors.js';
import type { ResolvedKubeconfig } from './parse.js';

/**
 * kubectl's credential prompt. client-go (clientcmd getUserIdentificationPartialConfig) prompts for a
 * username and password when the user entry cannot identify anyone (canIdentifyUser: no username, no
 * client certificate, no token, no auth-provider, no exec plugin) and the config has a fallback
 * reader. kubectl builds its config with os.Stdin as that reader; the kubelet, the scheduler and the
 * other components build theirs without one, so they send the request anonymously instead. With no
 * terminal the prompt reads EOF: kubectl 1.32 prints `Please enter Username: ` on stdout,
 * `error: EOF` on stderr, exits 1 and sends nothing (measured, stdin </dev/null). client-go only
 * reads the user's credentials for a TLS transport (an https server).
 */
export function refuseWithoutCredentials(kc: ResolvedKubeconfig): void {
  if (kc.clientCert || kc.token || !/^https:/i.test(kc.server)) return;
  const users = (kc.document.users ?? []) as unknown[];
  const index = users.findIndex((u) => typeof u === 'object' && u !== null && (u as { name?: unknown }).name === kc.userName);
  const user = ((users[index] as { user?: Record<string, unknown> } | undefined)?.user ?? {}) as Record<string, unknown>;
  const present = (key: string) => user[key] !== undefined && user[key] !== null && user[key] !== '';
  if (present('username') || present('exec') || present('auth-provider')) return;
  const field = `users[${index}].user`;
  throw new KubeMtlsSimError('ERR_KUBECONFIG_PROMPT',
    `${kc.file}: \`${field}\` (user "${kc.userName}") has no client certificate, token, exec or auth-provider plugin, or username: kubectl would prompt "Please enter Username: " and, with no terminal to answer it, stop with "error: EOF" before sending any request`,
    { file: kc.file, field, goMessage: 'EOF' });
}
