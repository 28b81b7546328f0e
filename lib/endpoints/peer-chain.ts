import type { TLSSocket } from 'node:tls';
import { fromDer, type IssuedCert } from '../pki/issue.js';

type DetailedCert = { raw?: Buffer; issuerCertificate?: DetailedCert };

/** The certificates the peer sent, leaf first (node:tls links them through `issuerCertificate`). */
export function peerChain(socket: TLSSocket): IssuedCert[] {
  const chain: IssuedCert[] = [];
  const seen = new Set<string>();
  let cert = socket.getPeerCertificate(true) as DetailedCert | undefined;
  while (cert?.raw && !seen.has(cert.raw.toString('base64'))) {
    seen.add(cert.raw.toString('base64'));
    chain.push(fromDer(cert.raw));
    cert = cert.issuerCertificate;
  }
  return chain;
}
