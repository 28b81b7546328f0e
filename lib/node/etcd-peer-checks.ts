// The etcd peer certificate's static facts, for `check DIR`: what every member's peer port needs of
// it, whatever the other members hold (a node folder has one member's files). etcd uses one
// certificate both ways on 2380: served to peers that dial in, presented as a client when it dials out.
import { etcdMembers } from '../component-base/etcd-peer.js';
import { isKubeMtlsSimError } from '../errors.js';
import { readInRoot } from '../fs/read.js';
import { readCertificates } from '../pki/pem.js';
import type { IssuedCert } from '../pki/issued-cert.js';
import { goVerify } from '../x509/go-verify.js';
import type { LoadedNode } from './load.js';

/** A static-checks finding (static-checks.ts's StaticFinding, which imports this module). */
interface StaticFinding {
  check: 'usage' | 'chain';
  severity: 'fail';
  file: string;
  field: string;
  message: string;
  zh: string;
}

function certificates(node: LoadedNode, file: string, field: string): IssuedCert[] | undefined {
  try {
    return readCertificates(readInRoot(node.root, file), { file, field });
  } catch (error) {
    if (isKubeMtlsSimError(error)) return undefined; // etcd's own startup error, reported with its edges
    throw error;
  }
}

/** The hosts this member's peers dial it at: its https URLs in --initial-advertise-peer-urls and --initial-cluster. */
function advertisedHosts(flags: LoadedNode['spec']['etcd']): string[] {
  const hosts = new Set<string>();
  for (const url of (flags['--initial-advertise-peer-urls'] ?? '').split(',').map((u) => u.trim()).filter((u) => u.startsWith('https://'))) {
    hosts.add(new URL(url).hostname.replace(/^\[|\]$/g, ''));
  }
  try {
    const name = flags['--name'] || 'default';
    for (const m of etcdMembers(flags)) if (m.name === name && m.scheme === 'https') hosts.add(m.host);
  } catch (error) {
    if (!isKubeMtlsSimError(error)) throw error; // a bad --initial-cluster stops etcd: reported with its edges
  }
  return [...hosts];
}

/** When the node's etcd has --peer-cert-file: serverAuth and clientAuth, its advertised peer hosts as SANs, signed by --peer-trusted-ca-file. */
export function etcdPeerFindings(node: LoadedNode, now: Date): StaticFinding[] {
  const flags = node.spec.etcd;
  const file = flags['--peer-cert-file'];
  if (!file || node.problems.some((p) => p.component === 'etcd')) return [];
  const field = 'etcd --peer-cert-file';
  const chain = certificates(node, file, field);
  if (!chain?.[0]) return [];
  const leaf = chain[0];
  const out: StaticFinding[] = [];
  const finding = (message: string, zh: string): StaticFinding => ({ check: 'usage', severity: 'fail', file, field, message, zh });
  // Go's own usage check, with the certificate as its own root: only its usages are judged here.
  const missing = (['serverAuth', 'clientAuth'] as const).filter((u) => {
    const used = goVerify(leaf, { roots: [leaf], now, keyUsages: [u] });
    return !used.ok && used.reason === 'WRONG_EKU';
  });
  if (missing.length > 0) {
    const says = missing.includes('clientAuth') ? '"tls: failed to verify client certificate: x509: certificate specifies an incompatible key usage"' : '"x509: certificate specifies an incompatible key usage"';
    out.push(finding(`${file} (${field}) lacks the extended key usage ${missing.join(' and ')}: etcd serves it to the peers that dial in and presents it as a client when it dials them, so each member's peers refuse it (${says})`,
      `${file}（${field}）缺少扩展密钥用法 ${missing.join(' 和 ')}：etcd 既用它为连入的成员提供服务，又在连接其他成员时把它作为客户端证书出示，因此每个成员的对端都会拒绝它（${says}）`));
  }
  for (const host of advertisedHosts(flags)) {
    // The certificate as its own root: only the name is checked here (its signer is checked below).
    const named = goVerify(leaf, { roots: [leaf], now, keyUsages: ['any'], host });
    if (!named.ok && named.reason === 'SAN_MISMATCH') {
      out.push({ check: 'chain', severity: 'fail', file, field, message: `${file} (${field}) does not name ${host}, the host of this member's peer URL: the members that dial it refuse it ("${named.error}")`,
        zh: `${file}（${field}）中没有 ${host}，即该成员 peer URL 中的主机：连接它的成员会拒绝它（"${named.error}"）` });
    }
  }
  const caFile = flags['--peer-trusted-ca-file'];
  const roots = caFile ? certificates(node, caFile, 'etcd --peer-trusted-ca-file') : undefined;
  if (caFile && roots) {
    const signed = goVerify(leaf, { roots, intermediates: chain.slice(1), now, keyUsages: ['any'] });
    if (!signed.ok && signed.reason !== 'CERT_EXPIRED' && signed.reason !== 'CERT_NOT_YET_VALID') {
      out.push({ check: 'chain', severity: 'fail', file, field, message: `${file} (${field}) does not verify against ${caFile} (etcd --peer-trusted-ca-file), which every member checks its peers with: ${signed.error}`,
        zh: `${file}（${field}）无法用 ${caFile}（etcd --peer-trusted-ca-file）校验通过，而每个成员都用它校验对端：${signed.error}` });
    }
  }
  return out;
}
