// `serve DIR` on a node's own folder: the lab kubeconfig is the node's kubectl kubeconfig (admin.conf,
// or root's ~/.kube/config), with its own CA and credential, pointed at the simulated apiserver.
import { readInRoot } from '../fs/read.js';
import { buildKubeconfig, stringifyKubeconfig } from '../kubeconfig/build.js';
import { parseKubeconfig } from '../kubeconfig/parse.js';
import type { LoadedNode } from '../node/load.js';

const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');

/** The node's kubectl kubeconfig, dialling 127.0.0.1:port and checking the name `kubernetes` (a SAN of kubeadm's and the Hard Way's apiserver certificate). */
export function nodeKubeconfigs(node: LoadedNode, port: number): Record<string, string> {
  const file = node.spec.clients.kubectl.kubeconfig;
  // Its errors (absent, malformed) are typed and name the file: serve stops and reports them.
  const kc = parseKubeconfig(readInRoot(node.root, file, { field: 'kubectl kubeconfig' }).toString('utf8'), file, {
    readFile: (path, by) => readInRoot(node.root, path, { field: by.field, file: by.file }),
  });
  const user: Record<string, string> = {};
  if (kc.clientCert && kc.clientKey) {
    user['client-certificate-data'] = b64(kc.clientCert.certs.map((c) => c.pem).join(''));
    user['client-key-data'] = b64(kc.clientKey.key.keyObject.export({ format: 'pem', type: 'pkcs8' }));
  }
  if (kc.token) user.token = kc.token.value;
  return {
    'admin.kubeconfig': stringifyKubeconfig(buildKubeconfig({
      clusterName: 'kube-mtls-sim',
      cluster: {
        server: `https://127.0.0.1:${port}`,
        ...(kc.ca ? { 'certificate-authority-data': b64(kc.ca.certs.map((c) => c.pem).join('')) } : {}),
        'tls-server-name': 'kubernetes',
      },
      userName: kc.userName,
      user,
      contextName: `${kc.userName}@kube-mtls-sim`,
    })),
  };
}
