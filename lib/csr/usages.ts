import type { ExtKeyUsage, KeyUsage } from '../pki/types.js';

/** certificates.k8s.io/v1 KeyUsage values (k8s.io/api/certificates/v1 types.go), in their documented order. */
export const CSR_USAGES = [
  'signing', 'digital signature', 'content commitment', 'key encipherment', 'key agreement', 'data encipherment', 'cert sign',
  'crl sign', 'encipher only', 'decipher only', 'any', 'server auth', 'client auth', 'code signing', 'email protection', 's/mime',
  'ipsec end system', 'ipsec tunnel', 'ipsec user', 'timestamping', 'ocsp signing', 'microsoft sgc', 'netscape sgc',
] as const;

/** What the simulation's certificates can carry for each usage (others are accepted by the API and dropped by the signer). */
export function usagesToExtensions(usages: readonly string[]): { keyUsage: KeyUsage[]; extKeyUsage: ExtKeyUsage[] } {
  const keyUsage: KeyUsage[] = [];
  const extKeyUsage: ExtKeyUsage[] = [];
  for (const usage of usages) {
    if (usage === 'digital signature' || usage === 'signing') keyUsage.push('digitalSignature');
    if (usage === 'key encipherment') keyUsage.push('keyEncipherment');
    if (usage === 'cert sign') keyUsage.push('keyCertSign');
    if (usage === 'crl sign') keyUsage.push('cRLSign');
    if (usage === 'server auth') extKeyUsage.push('serverAuth');
    if (usage === 'client auth') extKeyUsage.push('clientAuth');
  }
  return { keyUsage: [...new Set(keyUsage)], extKeyUsage: [...new Set(extKeyUsage)] };
}
