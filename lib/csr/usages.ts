import { goQuote } from '../authz/go-format.js';
import { EXT_KEY_USAGES, type ExtKeyUsage, type KeyUsage } from '../pki/types.js';

/** certificates.k8s.io/v1 KeyUsage values (k8s.io/api/certificates/v1 types.go), in their documented order. */
export const CSR_USAGES = [
  'signing', 'digital signature', 'content commitment', 'key encipherment', 'key agreement', 'data encipherment', 'cert sign',
  'crl sign', 'encipher only', 'decipher only', 'any', 'server auth', 'client auth', 'code signing', 'email protection', 's/mime',
  'ipsec end system', 'ipsec tunnel', 'ipsec user', 'timestamping', 'ocsp signing', 'microsoft sgc', 'netscape sgc',
] as const;

/** The signing policy's keyUsageDict (pkg/controller/certificates/authority/policies.go): the usages that are KeyUsage bits. */
const KEY_USAGE_DICT: Readonly<Record<string, KeyUsage>> = {
  'signing': 'digitalSignature', 'digital signature': 'digitalSignature', 'content commitment': 'contentCommitment',
  'key encipherment': 'keyEncipherment', 'key agreement': 'keyAgreement', 'data encipherment': 'dataEncipherment',
  'cert sign': 'keyCertSign', 'crl sign': 'cRLSign', 'encipher only': 'encipherOnly', 'decipher only': 'decipherOnly',
};

/** Its extKeyUsageDict: the others, extended key usages (`s/mime` is email protection too). */
const EXT_KEY_USAGE_DICT: Readonly<Record<string, ExtKeyUsage>> = {
  'any': 'any', 'server auth': 'serverAuth', 'client auth': 'clientAuth', 'code signing': 'codeSigning',
  'email protection': 'emailProtection', 's/mime': 'emailProtection', 'ipsec end system': 'ipsecEndSystem', 'ipsec tunnel': 'ipsecTunnel',
  'ipsec user': 'ipsecUser', 'timestamping': 'timeStamping', 'ocsp signing': 'ocspSigning', 'microsoft sgc': 'microsoftServerGatedCrypto',
  'netscape sgc': 'netscapeServerGatedCrypto',
};

export type UsageExtensions = { ok: true; keyUsage: KeyUsage[]; extKeyUsage: ExtKeyUsage[] } | { ok: false; error: string };

/**
 * keyUsagesFromStrings: every usage maps to a KeyUsage bit or an extended key usage, or the
 * signature fails with "unrecognized usage values: [...]" (Go's %q of the list). Extended key usages
 * come out once each, in Go's x509.ExtKeyUsage order, as the policy sorts them.
 */
export function usagesToExtensions(usages: readonly string[]): UsageExtensions {
  const keyUsage = new Set<KeyUsage>();
  const extKeyUsage = new Set<ExtKeyUsage>();
  const unrecognized: string[] = [];
  for (const usage of usages) {
    // Own properties only: a usage named "constructor" is as unknown as any other.
    if (Object.hasOwn(KEY_USAGE_DICT, usage)) keyUsage.add(KEY_USAGE_DICT[usage]!);
    else if (Object.hasOwn(EXT_KEY_USAGE_DICT, usage)) extKeyUsage.add(EXT_KEY_USAGE_DICT[usage]!);
    else unrecognized.push(usage);
  }
  if (unrecognized.length > 0) return { ok: false, error: `unrecognized usage values: [${unrecognized.map(goQuote).join(' ')}]` };
  return { ok: true, keyUsage: [...keyUsage], extKeyUsage: EXT_KEY_USAGES.filter((u) => extKeyUsage.has(u)) };
}
