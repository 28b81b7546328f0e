import { toPem } from '../pki/issue.js';
import type { KeyMaterial } from '../pki/keys.js';
import { createCsrDer } from '../csr/pkcs10.js';
import type { ApiClient } from '../clients/api-client.js';
import type { CertificateSigningRequest } from '../csr/types.js';

/**
 * What the kubelet's certificate manager sends (pkg/kubelet/certificate, client-go's csr helper):
 * a PKCS#10 request with `O=system:nodes, CN=system:node:<node>`, SANs only for serving, usages
 * without `key encipherment` for non-RSA keys, `generateName: csr-`.
 */
export function createCsrPem(key: KeyMaterial, cn: string, o: string[], sans: { dns: string[]; ips: string[] }): string {
  return toPem('CERTIFICATE REQUEST', createCsrDer(key, { cn, o, dns: sans.dns, ips: sans.ips }));
}

export interface CsrRequestResult {
  name: string;
  status: number;
  csr?: CertificateSigningRequest;
  /** The issued certificate (PEM) once the signer has issued it. */
  certificatePem?: string;
  error?: string;
}

/** POST the CSR, then read it back: the in-process controllers have approved and signed it by then, or never will. */
export async function submitCsr(client: ApiClient, spec: { csrPem: string; signerName: string; usages: string[]; expirationSeconds?: number }): Promise<CsrRequestResult> {
  const created = await client.request('POST', '/apis/certificates.k8s.io/v1/certificatesigningrequests', {
    apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { generateName: 'csr-' },
    spec: { request: Buffer.from(spec.csrPem).toString('base64'), signerName: spec.signerName, usages: spec.usages, ...(spec.expirationSeconds ? { expirationSeconds: spec.expirationSeconds } : {}) },
  });
  if (created.status !== 201) return { name: '', status: created.status, error: created.body };
  const name = created.json<CertificateSigningRequest>().metadata.name;
  const current = await client.request('GET', `/apis/certificates.k8s.io/v1/certificatesigningrequests/${name}`);
  if (current.status !== 200) return { name, status: current.status, error: current.body };
  const csr = current.json<CertificateSigningRequest>();
  return { name, status: 200, csr, ...(csr.status.certificate ? { certificatePem: Buffer.from(csr.status.certificate, 'base64').toString() } : {}) };
}
