#!/usr/bin/env bash
# Puts a certificate set made by another tool (openssl, cfssl) into a node folder the way kubeadm
# lays it out, and makes its kubeconfigs with kubectl (`kubectl config`, --embed-certs), as the
# Hard Way does by hand: so every certificate and kubeconfig in the folder is the other tools', not ours.
#
#   test/helpers/kubeadm-node.sh SRC DIR
#
# SRC holds STEM.crt/STEM.key for kubeadm's stems (ca, etcd/ca, apiserver, …, admin, scheduler,
# kubelet/kubelet-client, kubelet/kubelet and its kubelet/kubelet-ca) and sa.key/sa.pub. DIR is a
# node folder whose static Pods and kubelet files are already written; its PKI is replaced.
set -euo pipefail
src=$1 dir=$2
k=$dir/etc/kubernetes
rm -rf "$k/pki" "$dir/var/lib/kubelet/pki" "$k"/*.conf "$dir/var/lib/kube-proxy" "$dir/var/run/secrets" "$dir/kube-mtls-sim.json"
mkdir -p "$k/pki/etcd" "$dir/var/lib/kubelet/pki" "$dir/var/lib/kube-proxy" "$dir/var/run/secrets/kubernetes.io/serviceaccount"
for stem in ca front-proxy-ca etcd/ca apiserver apiserver-kubelet-client front-proxy-client etcd/server etcd/peer etcd/healthcheck-client apiserver-etcd-client; do
  cp "$src/$stem.crt" "$k/pki/$stem.crt"
  cp "$src/$stem.key" "$k/pki/$stem.key"
done
cp "$src/sa.key" "$src/sa.pub" "$k/pki/"
# The kubelet keeps its client pair in one PEM, and serves its certificate followed by the CA it made for it.
cat "$src/kubelet/kubelet-client.crt" "$src/kubelet/kubelet-client.key" >"$dir/var/lib/kubelet/pki/kubelet-client-current.pem"
cat "$src/kubelet/kubelet.crt" $([[ -f "$src/kubelet/kubelet-ca.crt" ]] && echo "$src/kubelet/kubelet-ca.crt") >"$dir/var/lib/kubelet/pki/kubelet.crt"
cp "$src/kubelet/kubelet.key" "$dir/var/lib/kubelet/pki/kubelet.key"
cp "$src/ca.crt" "$dir/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"

# kubeconfig FILE USER [STEM]: the cluster CA embedded; the client pair embedded from STEM, else the kubelet's rotated file.
kubeconfig() {
  local file=$1 user=$2 stem=${3:-}
  export KUBECONFIG=$file
  kubectl config set-cluster kubernetes --server=https://10.0.0.10:6443 --certificate-authority="$src/ca.crt" --embed-certs >/dev/null
  if [[ -n "$stem" ]]; then
    kubectl config set-credentials "$user" --client-certificate="$src/$stem.crt" --client-key="$src/$stem.key" --embed-certs >/dev/null
  else
    kubectl config set-credentials "$user" --client-certificate=/var/lib/kubelet/pki/kubelet-client-current.pem --client-key=/var/lib/kubelet/pki/kubelet-client-current.pem >/dev/null
  fi
  kubectl config set-context "$user@kubernetes" --cluster=kubernetes --user="$user" >/dev/null
  kubectl config use-context "$user@kubernetes" >/dev/null
}
kubeconfig "$k/admin.conf" kubernetes-admin admin
kubeconfig "$k/super-admin.conf" kubernetes-super-admin super-admin
kubeconfig "$k/controller-manager.conf" system:kube-controller-manager controller-manager
kubeconfig "$k/scheduler.conf" system:kube-scheduler scheduler
kubeconfig "$k/kubelet.conf" system:node:control-plane
# kube-proxy's, as its ConfigMap holds it: the Pod's ServiceAccount CA and token files.
export KUBECONFIG=$dir/var/lib/kube-proxy/kubeconfig.conf
kubectl config set-cluster default --server=https://10.0.0.10:6443 --certificate-authority=/var/run/secrets/kubernetes.io/serviceaccount/ca.crt >/dev/null
kubectl config set users.default.tokenFile /var/run/secrets/kubernetes.io/serviceaccount/token >/dev/null
kubectl config set-context default --cluster=default --user=default >/dev/null
kubectl config use-context default >/dev/null
