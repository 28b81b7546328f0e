#!/usr/bin/env bash
# kubeadm's certificate set made with cfssl, from JSON CSRs and a signing profile, the way people
# write it (`cfssl gencert -initca`, then `cfssl gencert -ca … -config profile.json -profile P`).
#
#   test/helpers/cfssl-pki.sh DIR
#
# Writes DIR/STEM.crt + STEM.key for kubeadm's stems (as bench/openssl-pki.sh does), ECDSA P-256.
set -euo pipefail
dir=$1
mkdir -p "$dir/etcd" "$dir/kubelet"
cd "$dir"
cat >profile.json <<'JSON'
{"signing": {"default": {"expiry": "8760h"}, "profiles": {
  "kubernetes": {"usages": ["signing", "key encipherment", "server auth", "client auth"], "expiry": "8760h"},
  "server": {"usages": ["signing", "key encipherment", "server auth"], "expiry": "8760h"},
  "client": {"usages": ["signing", "key encipherment", "client auth"], "expiry": "8760h"}}}}
JSON
# csr CN O HOSTS: a JSON CSR (ECDSA P-256); HOSTS comma-separated.
csr() {
  local hosts=''
  [[ -z "$3" ]] || hosts=$(printf '"%s",' ${3//,/ }); hosts="[${hosts%,}]"
  local names=''
  [[ -z "$2" ]] || names=", \"names\": [{\"O\": \"$2\"}]"
  printf '{"CN": "%s", "hosts": %s, "key": {"algo": "ecdsa", "size": 256}%s}\n' "$1" "$hosts" "$names"
}
# ca STEM CN
ca() {
  csr "$2" '' '' | cfssl gencert -initca - 2>/dev/null | cfssljson -bare "$1"
  mv "$1.pem" "$1.crt"; mv "$1-key.pem" "$1.key"; rm -f "$1.csr"
}
# leaf STEM CA PROFILE CN [O] [HOSTS]
leaf() {
  csr "$4" "${5:-}" "${6:-}" | cfssl gencert -ca "$2.crt" -ca-key "$2.key" -config profile.json -profile "$3" - 2>/dev/null | cfssljson -bare "$1"
  mv "$1.pem" "$1.crt"; mv "$1-key.pem" "$1.key"; rm -f "$1.csr"
}
ca ca kubernetes
ca front-proxy-ca front-proxy-ca
ca etcd/ca etcd-ca
leaf apiserver ca server kube-apiserver '' control-plane,kubernetes,kubernetes.default,kubernetes.default.svc,kubernetes.default.svc.cluster.local,10.96.0.1,10.0.0.10
leaf apiserver-kubelet-client ca client kube-apiserver-kubelet-client kubeadm:cluster-admins
leaf front-proxy-client front-proxy-ca client front-proxy-client
ETCD_HOSTS=control-plane,localhost,10.0.0.10,127.0.0.1,::1
leaf etcd/server etcd/ca kubernetes control-plane '' "$ETCD_HOSTS"
leaf etcd/peer etcd/ca kubernetes control-plane '' "$ETCD_HOSTS"
leaf etcd/healthcheck-client etcd/ca client kube-etcd-healthcheck-client
leaf apiserver-etcd-client etcd/ca client kube-apiserver-etcd-client
leaf admin ca client kubernetes-admin kubeadm:cluster-admins
leaf super-admin ca client kubernetes-super-admin system:masters
leaf controller-manager ca client system:kube-controller-manager
leaf scheduler ca client system:kube-scheduler
leaf kubelet/kubelet-client ca "${KUBELET_CLIENT_PROFILE:-client}" system:node:control-plane system:nodes
ca kubelet/kubelet-ca control-plane-ca
leaf kubelet/kubelet kubelet/kubelet-ca server control-plane '' control-plane
# The ServiceAccount key: cfssl genkey makes the key (and a CSR nobody needs); openssl gives its public half.
csr sa '' '' | cfssl genkey - 2>/dev/null | cfssljson -bare sa
mv sa-key.pem sa.key; rm -f sa.csr
openssl pkey -in sa.key -pubout -out sa.pub 2>/dev/null
