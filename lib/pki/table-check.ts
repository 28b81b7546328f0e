import { KubeMtlsSimError } from '../errors.js';
import type { Preset } from './types.js';

export interface TableProblem {
  where: string;
  problem: string;
}

/**
 * The table's own invariants, checked before anything is generated: unique ids and paths, every
 * CA id resolves to a CA that comes earlier, kubeconfigs name existing certs and CAs, a
 * certificate embedded in a kubeconfig is embedded in exactly that kubeconfig.
 */
export function tableProblems(preset: Preset): TableProblem[] {
  const problems: TableProblem[] = [];
  const add = (where: string, problem: string) => problems.push({ where, problem });
  const seenIds = new Map<string, number>();
  const paths = new Map<string, string>();
  const usePath = (path: string, owner: string) => {
    if (!path.startsWith('/')) add(owner, `path "${path}" is not absolute`);
    const other = paths.get(path);
    if (other !== undefined && other !== owner) add(owner, `path "${path}" is also used by ${other}`);
    paths.set(path, owner);
  };
  preset.certs.forEach((record, index) => {
    const where = `certs[${index}] "${record.id}"`;
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(record.id)) add(where, 'id is not kebab-case');
    if (seenIds.has(record.id)) add(where, `duplicate id (also certs[${seenIds.get(record.id)}])`);
    seenIds.set(record.id, index);
    if (record.kind === 'leaf') {
      const caIndex = preset.certs.findIndex((r) => r.id === record.ca);
      if (caIndex < 0) add(where, `CA "${record.ca}" does not resolve`);
      else if (preset.certs[caIndex]!.kind !== 'ca') add(where, `CA "${record.ca}" is not a CA record`);
      else if (caIndex > index) add(where, `CA "${record.ca}" comes after its leaf`);
      const needs = record.role === 'server' ? ['serverAuth'] : record.role === 'client' ? ['clientAuth'] : ['serverAuth', 'clientAuth'];
      for (const eku of needs) if (!record.extKeyUsage.includes(eku as 'serverAuth')) add(where, `role ${record.role} needs EKU ${eku}`);
    } else if (!record.keyUsage.includes('keyCertSign')) {
      add(where, 'a CA needs the keyCertSign key usage');
    }
    const files = record.files;
    if (files.kind === 'pair') {
      usePath(files.cert, record.id);
      usePath(files.key, record.id);
    } else if (files.kind === 'bundle') {
      usePath(files.file, record.id);
      usePath(files.link, record.id);
    } else if (files.kind === 'kubeconfig') {
      const kc = preset.kubeconfigs.find((k) => k.id === files.kubeconfig);
      if (!kc) add(where, `kubeconfig "${files.kubeconfig}" does not exist`);
      else if (kc.auth.kind !== 'client-cert-data' || kc.auth.cert !== record.id) add(where, `kubeconfig "${files.kubeconfig}" does not embed it`);
    }
    if (record.kind === 'ca') for (const copy of record.copies) usePath(copy, record.id);
  });
  preset.keyPairs.forEach((pair) => {
    if (seenIds.has(pair.id)) add(`keyPairs "${pair.id}"`, 'duplicate id');
    usePath(pair.privateKey, pair.id);
    usePath(pair.publicKey, pair.id);
  });
  const kubeconfigIds = new Set<string>();
  preset.kubeconfigs.forEach((kc, index) => {
    const where = `kubeconfigs[${index}] "${kc.id}"`;
    if (kubeconfigIds.has(kc.id)) add(where, 'duplicate id');
    kubeconfigIds.add(kc.id);
    usePath(kc.file, kc.id);
    if (preset.certs.find((r) => r.id === kc.ca)?.kind !== 'ca') add(where, `cluster CA "${kc.ca}" is not a CA record`);
    if (kc.caFile && !preset.certs.some((r) => r.id === kc.ca && r.kind === 'ca' && (r.copies.includes(kc.caFile!) || (r.files.kind === 'pair' && r.files.cert === kc.caFile)))) {
      add(where, `certificate-authority "${kc.caFile}" is not a file of CA "${kc.ca}"`);
    }
    const auth = kc.auth;
    if (auth.kind === 'client-cert-data' || auth.kind === 'client-cert-file') {
      const cert = preset.certs.find((r) => r.id === auth.cert);
      if (!cert || cert.kind !== 'leaf') add(where, `client cert "${auth.cert}" is not a leaf record`);
      else if (!cert.extKeyUsage.includes('clientAuth')) add(where, `client cert "${auth.cert}" lacks the clientAuth EKU`);
      if (auth.kind === 'client-cert-file' && cert?.files.kind === 'bundle' && cert.files.link !== auth.path && cert.files.file !== auth.path) {
        add(where, `client-certificate "${auth.path}" is not a file of "${auth.cert}"`);
      }
    } else if (!preset.keyPairs.some((k) => k.id === auth.signingKey)) {
      add(where, `token signing key "${auth.signingKey}" is not a key pair record`);
    }
  });
  const kubelet = preset.kubelet;
  if (preset.certs.find((r) => r.id === kubelet.clientCA)?.kind !== 'ca') add('kubelet', `clientCA "${kubelet.clientCA}" is not a CA record`);
  if (!preset.kubeconfigs.some((k) => k.file === kubelet.kubeconfig)) add('kubelet', `kubeconfig "${kubelet.kubeconfig}" is not in the kubeconfig table`);
  usePath(kubelet.configFile, 'kubelet config');
  return problems;
}

const checked = new WeakSet<Preset>();

export function checkTable(preset: Preset): void {
  if (checked.has(preset)) return;
  const problems = tableProblems(preset);
  if (problems.length > 0) {
    throw new KubeMtlsSimError(
      'ERR_TABLE_INVALID',
      `preset "${preset.name}" table is inconsistent:\n${problems.map((p) => `  ${p.where}: ${p.problem}`).join('\n')}`,
      { field: 'preset' },
    );
  }
  checked.add(preset);
}
