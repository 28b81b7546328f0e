// kube-scheduler's and kube-proxy's --config files (KubeSchedulerConfiguration,
// KubeProxyConfiguration), read for the one field the simulator needs: clientConnection.kubeconfig,
// where the Hard Way names their kubeconfigs instead of --kubeconfig.
import { parse as parseYaml } from 'yaml';
import { KubeMtlsSimError } from '../errors.js';

/**
 * The kubeconfig a component's --config file names, or undefined when it names none. kube-scheduler
 * ignores --kubeconfig when --config is given ("This parameter is ignored if a config file is
 * specified in --config"); kube-proxy loads the file over its flags. So a kubeconfig named here wins.
 */
export function configKubeconfig(text: string, file: string): string | undefined {
  const bad = (why: string) => new KubeMtlsSimError('ERR_NODE_COMPONENT_CONFIG', `${file}: ${why}`, { file, field: 'clientConnection.kubeconfig' });
  let doc: unknown;
  try {
    doc = parseYaml(text, { logLevel: 'error' });
  } catch (cause) {
    throw bad(`not valid YAML: ${(cause as Error).message.split('\n')[0]}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw bad('not a YAML mapping (a component configuration file is one)');
  const connection = (doc as { clientConnection?: unknown }).clientConnection;
  if (connection === undefined || connection === null) return undefined;
  const kubeconfig = (connection as { kubeconfig?: unknown }).kubeconfig;
  if (kubeconfig === undefined || kubeconfig === '') return undefined;
  if (typeof kubeconfig !== 'string') throw bad('`clientConnection.kubeconfig` is not a string');
  return kubeconfig;
}
