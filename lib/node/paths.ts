// Where a node keeps what runs its components: kubeadm's and the kubelet package's paths, and the
// Hard Way's units. The writer and the reader name the same places.

/** kubeadm's static Pod manifests (the kubelet's staticPodPath). */
export const MANIFESTS_DIR = '/etc/kubernetes/manifests';
/** Units the administrator installs (Kubernetes The Hard Way puts every component here). */
export const UNIT_DIR = '/etc/systemd/system';
/** The kubelet package's drop-in that kubeadm relies on. */
export const KUBEADM_DROP_IN = '/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf';
/** What `kubeadm init`/`join` write for the kubelet: KUBELET_KUBEADM_ARGS. */
export const KUBEADM_FLAGS_ENV = '/var/lib/kubelet/kubeadm-flags.env';
/** Where units may live, in the order systemd reads them (a unit in /etc overrides the package's). */
export const UNIT_DIRS = ['/usr/lib/systemd/system', '/lib/systemd/system', UNIT_DIR] as const;
/** kube-proxy's kubeconfig as kubeadm's ConfigMap mounts it (key kubeconfig.conf of ConfigMap kube-proxy). */
export const KUBE_PROXY_KUBECONFIG = '/var/lib/kube-proxy/kubeconfig.conf';
/** kubectl's kubeconfig on a node: kubeadm's admin.conf, else kubectl's default for root ($HOME/.kube/config). */
export const KUBECTL_KUBECONFIGS = ['/etc/kubernetes/admin.conf', '/root/.kube/config'] as const;
