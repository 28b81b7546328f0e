// A control-plane node in the manner of Kubernetes The Hard Way: one CA, every certificate made by
// the openssl CLI from the sections of one `ca.conf` (`req -config ca.conf -section NAME`, then
// `x509 -req -copy_extensions copyall`), kubeconfigs made with `kubectl config … --embed-certs`, and
// every component a systemd unit under /etc/systemd/system with its flags on continuation lines.
// Keys are ECDSA P-256 (the Hard Way uses RSA 4096; the shape is the same and the test stays fast).
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

type Sh = (command: string, args: string[]) => void;

/** The Hard Way's sections (its ca.conf), for the certificates this node uses; `node-0` is the kubelet. */
export function caConf(apiserverSans = 'IP.0 = 127.0.0.1\nIP.1 = 10.32.0.1\nDNS.0 = kubernetes\nDNS.1 = kubernetes.default\nDNS.2 = kubernetes.default.svc\nDNS.3 = kubernetes.default.svc.cluster\nDNS.4 = kubernetes.svc.cluster.local\nDNS.5 = server.kubernetes.local\nDNS.6 = api-server.kubernetes.local'): string {
  const client = (name: string, cn: string, o?: string) => `
[${name}]
distinguished_name = ${name}_distinguished_name
prompt             = no
req_extensions     = ${name}_req_extensions

[${name}_req_extensions]
basicConstraints     = CA:FALSE
extendedKeyUsage     = clientAuth
keyUsage             = critical, digitalSignature, keyEncipherment
nsCertType           = client
nsComment            = "${cn} Certificate"
subjectKeyIdentifier = hash

[${name}_distinguished_name]
CN = ${cn}
${o ? `O  = ${o}\n` : ''}C  = US
ST = Washington
L  = Seattle
`;
  return `[req]
distinguished_name = req_distinguished_name
prompt             = no
x509_extensions    = ca_x509_extensions

[ca_x509_extensions]
basicConstraints = CA:TRUE
keyUsage         = cRLSign, keyCertSign

[req_distinguished_name]
C   = US
ST  = Washington
L   = Seattle
CN  = CA
${client('admin', 'admin', 'system:masters')}${client('kube-proxy', 'system:kube-proxy', 'system:node-proxier')}${client('kube-controller-manager', 'system:kube-controller-manager', 'system:kube-controller-manager')}${client('kube-scheduler', 'system:kube-scheduler', 'system:system:kube-scheduler')}
[node-0]
distinguished_name = node-0_distinguished_name
prompt             = no
req_extensions     = node-0_req_extensions

[node-0_req_extensions]
basicConstraints     = CA:FALSE
extendedKeyUsage     = clientAuth, serverAuth
keyUsage             = critical, digitalSignature, keyEncipherment
nsCertType           = client
nsComment            = "node-0 Certificate"
subjectAltName       = DNS:node-0, IP:127.0.0.1
subjectKeyIdentifier = hash

[node-0_distinguished_name]
CN = system:node:node-0
O  = system:nodes
C  = US
ST = Washington
L  = Seattle

[kube-api-server]
distinguished_name = kube-api-server_distinguished_name
prompt             = no
req_extensions     = kube-api-server_req_extensions

[kube-api-server_req_extensions]
basicConstraints     = CA:FALSE
extendedKeyUsage     = clientAuth, serverAuth
keyUsage             = critical, digitalSignature, keyEncipherment
nsCertType           = client, server
nsComment            = "Kube API Server Certificate"
subjectAltName       = @kube-api-server_alt_names
subjectKeyIdentifier = hash

[kube-api-server_alt_names]
${apiserverSans}

[kube-api-server_distinguished_name]
CN = kubernetes
C  = US
ST = Washington
L  = Seattle
${client('service-accounts', 'service-accounts')}`;
}

const CERTS = ['admin', 'node-0', 'kube-proxy', 'kube-scheduler', 'kube-controller-manager', 'kube-api-server', 'service-accounts'] as const;

/** The Hard Way's openssl commands, in `work`: the CA, then each section's key, CSR and certificate. */
export function makeCertificates(work: string, sh: Sh, conf = caConf()): void {
  const conffile = join(work, 'ca.conf');
  writeFileSync(conffile, conf);
  const at = (name: string) => join(work, name);
  const key = (out: string) => sh('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', out]);
  key(at('ca.key'));
  sh('openssl', ['req', '-x509', '-new', '-sha512', '-noenc', '-key', at('ca.key'), '-days', '3653', '-config', conffile, '-out', at('ca.crt')]);
  for (const name of CERTS) {
    key(at(`${name}.key`));
    sh('openssl', ['req', '-new', '-key', at(`${name}.key`), '-sha256', '-config', conffile, '-section', name, '-out', at(`${name}.csr`)]);
    sh('openssl', ['x509', '-req', '-days', '3653', '-in', at(`${name}.csr`), '-copy_extensions', 'copyall', '-sha256', '-CA', at('ca.crt'), '-CAkey', at('ca.key'), '-CAcreateserial', '-out', at(`${name}.crt`)]);
  }
}

/** `kubectl config` the Hard Way: CA and client pair embedded. */
function kubeconfig(sh: Sh, work: string, file: string, user: string, stem: string, server = 'https://127.0.0.1:6443'): void {
  const k = (...args: string[]) => sh('kubectl', ['config', ...args, `--kubeconfig=${file}`]);
  k('set-cluster', 'kubernetes-the-hard-way', `--certificate-authority=${join(work, 'ca.crt')}`, '--embed-certs=true', `--server=${server}`);
  k('set-credentials', user, `--client-certificate=${join(work, `${stem}.crt`)}`, `--client-key=${join(work, `${stem}.key`)}`, '--embed-certs=true');
  k('set-context', 'default', '--cluster=kubernetes-the-hard-way', `--user=${user}`);
  k('use-context', 'default');
}

const unit = (description: string, exec: string[]) => `[Unit]
Description=${description}
Documentation=https://github.com/kubernetes/kubernetes

[Service]
ExecStart=${exec.join(' \\\n  ')}
Restart=on-failure
RestartSec=5

[Install]
WantedBy=multi-user.target
`;

/** The units' command lines, the Hard Way's flags (both `--flag=value` and `--flag value`, as it mixes them). */
export const UNITS: Record<string, string[]> = {
  etcd: ['/usr/local/bin/etcd', '--name controller', '--cert-file=/etc/etcd/kube-api-server.crt', '--key-file=/etc/etcd/kube-api-server.key',
    '--peer-cert-file=/etc/etcd/kube-api-server.crt', '--peer-key-file=/etc/etcd/kube-api-server.key', '--trusted-ca-file=/etc/etcd/ca.crt',
    '--peer-trusted-ca-file=/etc/etcd/ca.crt', '--peer-client-cert-auth', '--client-cert-auth', '--initial-advertise-peer-urls https://10.0.0.10:2380',
    '--listen-peer-urls https://10.0.0.10:2380', '--listen-client-urls https://10.0.0.10:2379,https://127.0.0.1:2379',
    '--advertise-client-urls https://10.0.0.10:2379', '--initial-cluster-token etcd-cluster-0', '--initial-cluster controller=https://10.0.0.10:2380',
    '--initial-cluster-state new', '--data-dir=/var/lib/etcd'],
  'kube-apiserver': ['/usr/local/bin/kube-apiserver', '--allow-privileged=true', '--apiserver-count=1', '--audit-log-maxage=30',
    '--authorization-mode=Node,RBAC', '--bind-address=0.0.0.0', '--advertise-address=10.0.0.10', '--client-ca-file=/var/lib/kubernetes/ca.crt',
    '--enable-admission-plugins=NamespaceLifecycle,NodeRestriction,LimitRanger,ServiceAccount,DefaultStorageClass,ResourceQuota',
    '--etcd-cafile=/var/lib/kubernetes/ca.crt', '--etcd-certfile=/var/lib/kubernetes/kube-api-server.crt', '--etcd-keyfile=/var/lib/kubernetes/kube-api-server.key',
    '--etcd-servers=https://127.0.0.1:2379', '--kubelet-certificate-authority=/var/lib/kubernetes/ca.crt',
    '--kubelet-client-certificate=/var/lib/kubernetes/kube-api-server.crt', '--kubelet-client-key=/var/lib/kubernetes/kube-api-server.key',
    "--runtime-config='api/all=true'", '--service-account-key-file=/var/lib/kubernetes/service-accounts.crt',
    '--service-account-signing-key-file=/var/lib/kubernetes/service-accounts.key', '--service-account-issuer=https://server.kubernetes.local:6443',
    '--service-cluster-ip-range=10.32.0.0/24', '--service-node-port-range=30000-32767', '--tls-cert-file=/var/lib/kubernetes/kube-api-server.crt',
    '--tls-private-key-file=/var/lib/kubernetes/kube-api-server.key', '--v=2'],
  'kube-controller-manager': ['/usr/local/bin/kube-controller-manager', '--bind-address=0.0.0.0', '--cluster-cidr=10.200.0.0/16', '--cluster-name=kubernetes',
    '--cluster-signing-cert-file=/var/lib/kubernetes/ca.crt', '--cluster-signing-key-file=/var/lib/kubernetes/ca.key',
    '--kubeconfig=/var/lib/kubernetes/kube-controller-manager.kubeconfig', '--root-ca-file=/var/lib/kubernetes/ca.crt',
    '--service-account-private-key-file=/var/lib/kubernetes/service-accounts.key', '--service-cluster-ip-range=10.32.0.0/24',
    '--use-service-account-credentials=true', '--v=2'],
  // The scheduler and kube-proxy take their kubeconfig from their --config file's clientConnection, as the Hard Way writes them.
  'kube-scheduler': ['/usr/local/bin/kube-scheduler', '--config=/etc/kubernetes/config/kube-scheduler.yaml', '--v=2'],
  kubelet: ['/usr/local/bin/kubelet', '--config=/var/lib/kubelet/kubelet-config.yaml', '--kubeconfig=/var/lib/kubelet/kubeconfig', '--hostname-override=node-0', '--register-node=true', '--v=2'],
  'kube-proxy': ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/kube-proxy-config.yaml'],
};

const KUBELET_CONFIG = `kind: KubeletConfiguration
apiVersion: kubelet.config.k8s.io/v1beta1
address: "0.0.0.0"
authentication:
  anonymous:
    enabled: false
  webhook:
    enabled: true
  x509:
    clientCAFile: "/var/lib/kubelet/ca.crt"
authorization:
  mode: Webhook
cgroupDriver: systemd
containerRuntimeEndpoint: "unix:///var/run/containerd/containerd.sock"
enableServer: true
failSwapOn: false
maxPods: 16
memorySwap:
  swapBehavior: NoSwap
port: 10250
resolvConf: "/etc/resolv.conf"
registerNode: true
runtimeRequestTimeout: "15m"
tlsCertFile: "/var/lib/kubelet/kubelet.crt"
tlsPrivateKeyFile: "/var/lib/kubelet/kubelet.key"
`;

/** Writes the whole node under `dir` (certificates made in `dir/../hard-way`); `conf` changes ca.conf (the deliberate mistake). */
export function hardWayNode(dir: string, sh: Sh, options: { conf?: string; units?: Partial<typeof UNITS> } = {}): void {
  const work = join(dirname(dir), 'hard-way');
  mkdirSync(work, { recursive: true });
  makeCertificates(work, sh, options.conf);
  const put = (path: string, from: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    copyFileSync(join(work, from), join(dir, path));
  };
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  for (const f of ['ca.crt', 'ca.key', 'kube-api-server.crt', 'kube-api-server.key', 'service-accounts.crt', 'service-accounts.key']) put(`var/lib/kubernetes/${f}`, f);
  for (const f of ['ca.crt', 'kube-api-server.crt', 'kube-api-server.key']) put(`etc/etcd/${f}`, f);
  put('var/lib/kubelet/ca.crt', 'ca.crt');
  put('var/lib/kubelet/kubelet.crt', 'node-0.crt');
  put('var/lib/kubelet/kubelet.key', 'node-0.key');
  mkdirSync(join(dir, 'var/lib/kube-proxy'), { recursive: true });
  mkdirSync(join(dir, 'root/.kube'), { recursive: true });
  kubeconfig(sh, work, join(dir, 'var/lib/kubelet/kubeconfig'), 'system:node:node-0', 'node-0');
  kubeconfig(sh, work, join(dir, 'var/lib/kube-proxy/kubeconfig'), 'system:kube-proxy', 'kube-proxy');
  kubeconfig(sh, work, join(dir, 'var/lib/kubernetes/kube-controller-manager.kubeconfig'), 'system:kube-controller-manager', 'kube-controller-manager');
  kubeconfig(sh, work, join(dir, 'var/lib/kubernetes/kube-scheduler.kubeconfig'), 'system:kube-scheduler', 'kube-scheduler');
  kubeconfig(sh, work, join(dir, 'root/.kube/config'), 'admin', 'admin');
  write('etc/kubernetes/config/kube-scheduler.yaml', 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nclientConnection:\n  kubeconfig: "/var/lib/kubernetes/kube-scheduler.kubeconfig"\nleaderElection:\n  leaderElect: true\n');
  write('var/lib/kube-proxy/kube-proxy-config.yaml', 'kind: KubeProxyConfiguration\napiVersion: kubeproxy.config.k8s.io/v1alpha1\nclientConnection:\n  kubeconfig: "/var/lib/kube-proxy/kubeconfig"\nmode: "iptables"\nclusterCIDR: "10.200.0.0/16"\n');
  write('var/lib/kubelet/kubelet-config.yaml', KUBELET_CONFIG);
  const units = { ...UNITS, ...options.units };
  for (const [name, exec] of Object.entries(units)) write(`etc/systemd/system/${name}.service`, unit(name, exec!));
}
