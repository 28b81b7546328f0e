import type { TLSSocket } from 'node:tls';
import { fromDer, type IssuedCert } from '../pki/issue.js';

type DetailedCert = { raw?: Buffer; issuerCertificate?: DetailedCert };

/**
 * The certificates the peer sent, leaf first. node:tls links the peer's certificates through
 * `issuerCertificate` only where OpenSSL's `X509_check_issued` agrees, so a certificate that is
 * no proper issuer (a CA:FALSE "intermediate") silently drops out although it was on the wire.
 * Both ends of a simulated connection live in this process, so the sender can tell the receiver
 * what it sent (`sent`): used when its leaf is the leaf node:tls received.
 */
export function peerChain(socket: TLSSocket, sent?: readonly IssuedCert[]): IssuedCert[] {
  // The common case, cheaply: the peer is in this process and its leaf is the one it announced.
  if (sent && sent.length > 0) {
    const leaf = socket.getPeerX509Certificate();
    if (leaf && leaf.raw.equals(sent[0]!.der)) return [...sent];
  }
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
