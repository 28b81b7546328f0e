import type { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { fromX509, type IssuedCert } from '../pki/issue.js';

/**
 * The certificates the peer sent, leaf first, in the order they were on the wire (what Go's
 * `PeerCertificates` holds). node:tls's `getPeerX509Certificate()` links exactly the list the peer
 * sent through `issuerCertificate`, unlike `getPeerCertificate(true)`, which also appends an issuer
 * looked up in this side's own trust store, a certificate the peer never sent. The certificates
 * come already parsed, so nothing is decoded twice. When both ends live in this process the sender
 * can say what it sent (`sent`); that list is used when its leaf is the leaf received.
 */
export function peerChain(socket: TLSSocket, sent?: readonly IssuedCert[]): IssuedCert[] {
  const leaf = socket.getPeerX509Certificate();
  if (!leaf) return [];
  if (sent && sent.length > 0 && leaf.raw.equals(sent[0]!.der)) return [...sent];
  const chain: IssuedCert[] = [];
  const seen = new Set<string>();
  for (let cert: X509Certificate | undefined = leaf; cert; cert = cert.issuerCertificate) {
    const der = cert.raw;
    const key = der.toString('base64');
    if (seen.has(key)) break;
    seen.add(key);
    chain.push(fromX509(cert, der));
  }
  return chain;
}
