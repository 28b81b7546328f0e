import { webcrypto } from 'node:crypto';
import * as x509 from '../pki/x509.js';
import { toPem } from '../pki/issue.js';
import type { KeyMaterial } from '../pki/keys.js';
import type { ApiClient } from '../clients/api-client.js';
import type { CertificateSigningRequest } from '../csr/types.js';

/**
 * What the kubelet's certificate manager sends (pkg/kubelet/certificate, client-go's csr helper):
 * a PKCS#10 request with `O=system:nodes, CN=system:node:<node>`, SANs only for serving, usages
 * without `key encipherment` for non-RSA keys, `generateName: csr-`.
 */
export async function createCsrPem(key: KeyMaterial, cn: string, o: string[], sans: { dns: string[]; ips: string[] }): Promise<string> {
  const ec = key.algorithm.startsWith('ecdsa');
  const params = ec
    ? { name: 'ECDSA', namedCurve: key.algorithm === 'ecdsa-p384' ? 'P-384' : 'P-256' }
    : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const privateKey = await webcrypto.subtle.importKey('pkcs8', key.keyObject.export({ type: 'pkcs8', format: 'der' }), params, true, ['sign']);
  const publicKey = await webcrypto.subtle.importKey('spki', key.spki, params, true, ['verify']);
  const extensions: x509.Extension[] = [];
  const names: x509.JsonGeneralName[] = [...sans.dns.map((value) => ({ type: 'dns' as const, value })), ...sans.ips.map((value) => ({ type: 'ip' as const, value }))];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names));
  const request = await x509.Pkcs10CertificateRequestGenerator.create({
    name: [{ O: o }, { CN: [cn] }],
    keys: { privateKey, publicKey },
    signingAlgorithm: ec ? { name: 'ECDSA', hash: key.algorithm === 'ecdsa-p384' ? 'SHA-384' : 'SHA-256' } as EcdsaParams : { name: 'RSASSA-PKCS1-v1_5' },
    extensions,
  });
  return toPem('CERTIFICATE REQUEST', new Uint8Array(request.rawData));
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
