#!/usr/bin/env bash
# Baseline for bench/run.ts: the kubeadm certificate set made by hand with the openssl CLI, the
# way people do it (one `req -new -newkey` + one `x509 -req` per leaf).
#
#   bench/openssl-pki.sh [DIR] [ecdsa|rsa]    DIR defaults to a new `mktemp -d`; keys default to ECDSA P-256
#
# Writes the kubeadm layout under DIR (ca.crt, etcd/server.crt, kubelet/kubelet.crt, sa.key, ...).
# Prints nothing on success; on failure prints the failing command's output and exits non-zero.
set -euo pipefail

dir='' algorithm=ecdsa
for arg in "$@"; do
  case "$arg" in
    rsa | ecdsa) algorithm=$arg ;;
    *) dir=$arg ;;
  esac
done
[[ -n "$dir" ]] || dir=$(mktemp -d)
mkdir -p "$dir/etcd" "$dir/kubelet"
cd "$dir"

if [[ $algorithm == rsa ]]; then
  newkey=(-newkey rsa:2048)
  genkey=(-algorithm RSA -pkeyopt rsa_keygen_bits:2048)
else
  newkey=(-newkey ec -pkeyopt ec_paramgen_curve:P-256)
  genkey=(-algorithm EC -pkeyopt ec_paramgen_curve:P-256)
fi

# openssl chats on stderr even when it succeeds: keep quiet unless the command fails.
quiet() {
  local out
  if ! out=$("$@" 2>&1); then
    printf 'openssl-pki.sh: failed: %s\n%s\n' "$*" "$out" >&2
    return 1
  fi
}

CA_USAGE='keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign'
LEAF_USAGE='keyUsage=critical,digitalSignature,keyEncipherment'

# ca STEM SUBJECT [SANS]: self-signed CA, 10 years (kubeadm also puts the CN in a DNS SAN).
ca() {
  quiet openssl req -x509 -new "${newkey[@]}" -nodes -keyout "$1.key" -out "$1.crt" -subj "$2" -days 3650 \
    -addext basicConstraints=critical,CA:TRUE -addext "$CA_USAGE" ${3:+-addext "subjectAltName=$3"}
}

# leaf STEM CA_STEM SUBJECT EKU [SANS]: key + CSR, then signed by CA_STEM for 365 days.
leaf() {
  local stem=$1 issuer=$2 subject=$3 eku=$4 sans=${5:-}
  {
    echo 'basicConstraints=critical,CA:FALSE'
    echo "$LEAF_USAGE"
    echo "extendedKeyUsage=$eku"
    echo 'authorityKeyIdentifier=keyid'
    [[ -z "$sans" ]] || echo "subjectAltName=$sans"
  } >"$stem.ext"
  quiet openssl req -new "${newkey[@]}" -nodes -keyout "$stem.key" -out "$stem.csr" -subj "$subject"
  quiet openssl x509 -req -in "$stem.csr" -CA "$issuer.crt" -CAkey "$issuer.key" -days 365 \
    -extfile "$stem.ext" -out "$stem.crt"
  rm -f "$stem.csr" "$stem.ext"
}

# Certificate authorities
ca ca /CN=kubernetes DNS:kubernetes
ca front-proxy-ca /CN=front-proxy-ca DNS:front-proxy-ca
ca etcd/ca /CN=etcd-ca DNS:etcd-ca

# Leaves under /etc/kubernetes/pki
leaf apiserver ca /CN=kube-apiserver serverAuth \
  'DNS:control-plane,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:10.96.0.1,IP:10.0.0.10'
leaf apiserver-kubelet-client ca '/O=kubeadm:cluster-admins/CN=kube-apiserver-kubelet-client' clientAuth
leaf front-proxy-client front-proxy-ca /CN=front-proxy-client clientAuth
ETCD_SANS='DNS:control-plane,DNS:localhost,IP:10.0.0.10,IP:127.0.0.1,IP:::1'
leaf etcd/server etcd/ca /CN=control-plane serverAuth,clientAuth "$ETCD_SANS"
leaf etcd/peer etcd/ca /CN=control-plane serverAuth,clientAuth "$ETCD_SANS"
leaf etcd/healthcheck-client etcd/ca /CN=kube-etcd-healthcheck-client clientAuth
leaf apiserver-etcd-client etcd/ca /CN=kube-apiserver-etcd-client clientAuth

# Client certs embedded in the kubeconfigs
leaf admin ca '/O=kubeadm:cluster-admins/CN=kubernetes-admin' clientAuth
leaf super-admin ca '/O=system:masters/CN=kubernetes-super-admin' clientAuth
leaf controller-manager ca /CN=system:kube-controller-manager clientAuth
leaf scheduler ca /CN=system:kube-scheduler clientAuth

# The kubelet: client cert from the cluster CA, serving cert from its own throwaway CA
leaf kubelet/kubelet-client ca '/O=system:nodes/CN=system:node:control-plane' clientAuth
ca kubelet/kubelet-ca "/CN=control-plane-ca@$(date +%s)"
leaf kubelet/kubelet kubelet/kubelet-ca "/CN=control-plane@$(date +%s)" serverAuth DNS:control-plane

# ServiceAccount signing key pair
quiet openssl genpkey "${genkey[@]}" -out sa.key
quiet openssl pkey -in sa.key -pubout -out sa.pub
