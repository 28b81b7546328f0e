import type { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { fromX509, type IssuedCert } from '../pki/issue.js';

/** Longer than any chain a Kubernetes component is sent; Go's verifier gives up well before. */
const MAX_CHAIN = 32;

/**
 * The certificates the peer sent, leaf first, in the order they were on the wire (what Go's
 * `PeerCertificates` holds, duplicates included). node:tls's `getPeerX509Certificate()` links
 * exactly the list the peer sent through `issuerCertificate`, unlike `getPeerCertificate(true)`,
 * which links only proper issuers and then appends one looked up in this side's own trust store.
 * Its certificates come already parsed, so nothing is decoded twice.
 *
 * When both ends live in this process the sender says what it sent (`sent`), and only its leaf is
 * compared. Node 20 copies every certificate after the leaf for `getPeerX509Certificate()` and
 * never frees the originals, so with a longer announced chain the leaf is read without its chain.
 * Call this once per connection: node:tls hands the peer's chain over to the first such call.
 */
export function peerChain(socket: TLSSocket, sent?: readonly IssuedCert[]): IssuedCert[] {
  if (sent && sent.length > 0) {
    const leaf = sent.length === 1 ? socket.getPeerX509Certificate()?.raw : socket.getPeerCertificate(false)?.raw;
    if (leaf && leaf.equals(sent[0]!.der)) return [...sent];
  }
  const chain: IssuedCert[] = [];
  for (let cert: X509Certificate | undefined = socket.getPeerX509Certificate(); cert && chain.length < MAX_CHAIN; cert = cert.issuerCertificate) {
    chain.push(fromX509(cert));
  }
  return chain;
}
