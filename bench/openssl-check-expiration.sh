#!/usr/bin/env bash
# Baseline for bench/check.ts: `kubeadm certs check-expiration`'s job done by hand with the openssl
# CLI over a node folder: the expiry of every certificate under etc/kubernetes/pki, and of the
# client certificate embedded in each kubeconfig, one `openssl x509 -enddate -noout` each, and
# whether each CA's key is on the node (kubeadm's EXTERNALLY MANAGED).
#
#   bench/openssl-check-expiration.sh DIR      DIR: a node's root (etc/kubernetes/…)
#
# Prints one line per certificate: NAME notAfter=DATE; exits non-zero when openssl fails.
set -euo pipefail
root=${1:?usage: openssl-check-expiration.sh DIR}
pki=$root/etc/kubernetes/pki

for cert in "$pki"/*.crt "$pki"/etcd/*.crt; do
  [[ -e $cert ]] || continue
  name=${cert#"$pki"/}
  echo "${name%.crt} $(openssl x509 -enddate -noout -in "$cert")"
done
for conf in "$root"/etc/kubernetes/*.conf; do
  data=$(sed -n 's/^ *client-certificate-data: *//p' "$conf")
  [[ -n $data ]] || continue
  echo "$(basename "$conf") $(base64 -d <<<"$data" | openssl x509 -enddate -noout)"
done
for ca in ca front-proxy-ca etcd/ca; do
  if [[ -e $pki/$ca.key ]]; then echo "$ca externally-managed=no"; else echo "$ca externally-managed=yes"; fi
done
