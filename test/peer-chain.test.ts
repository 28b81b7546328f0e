import test from 'ava';
import { connect, createServer, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { peerChain } from '../lib/tls/peer-chain.js';
import { issueCertificate, type IssuedCert } from '../lib/pki/issue.js';
import { generateKey, type KeyMaterial } from '../lib/pki/keys.js';

const now = new Date('2026-01-01T00:00:00Z');
const later = new Date('2027-01-01T00:00:00Z');

async function pair(cn: string, isCa: boolean, issuer?: { cert: IssuedCert; key: KeyMaterial }) {
  const key = await generateKey('ecdsa-p256');
  const cert = issueCertificate({ cn, o: [], isCa, keyUsage: isCa ? ['keyCertSign'] : ['digitalSignature'], extKeyUsage: isCa ? null : ['clientAuth', 'serverAuth'], sans: [{ ip: '127.0.0.1' }], notBefore: now, notAfter: later, subjectKey: key, ...(issuer ? { issuer } : {}) });
  return { cert, key };
}

/** What the server reads as the client's chain when the client sends `sent` (and the server trusts `ca`). */
async function received(sent: IssuedCert[], key: KeyMaterial, ca: IssuedCert, server: { cert: IssuedCert; key: KeyMaterial }): Promise<string[]> {
  let socket: TLSSocket | undefined;
  const chain = new Promise<string[]>((resolve) => {
    const srv = createServer({ cert: server.cert.pem, key: server.key.pem, ca: ca.pem, requestCert: true, rejectUnauthorized: false }, (s) => {
      resolve(peerChain(s).map((c) => c.node.subject));
      s.end();
      srv.close();
    });
    srv.listen(0, '127.0.0.1', () => {
      socket = connect({ port: (srv.address() as AddressInfo).port, host: '127.0.0.1', cert: sent.map((c) => c.pem).join(''), key: key.pem, rejectUnauthorized: false });
      socket.on('error', () => undefined);
    });
  });
  const result = await chain;
  socket?.destroy();
  return result;
}

test('the chain read from a handshake is what the peer sent, in wire order, and nothing from our own trust store', async (t) => {
  const ca = await pair('root-ca', true);
  const intermediate = await pair('intermediate-ca', true, ca);
  const leaf = await pair('leaf', false, intermediate);
  const stranger = await pair('unrelated', false, ca);
  const server = await pair('server', false, ca);
  // getPeerCertificate(true) would append root-ca here (looked up in the server's `ca`); Go's PeerCertificates never hold it.
  t.deepEqual(await received([leaf.cert], leaf.key, ca.cert, server), ['CN=leaf']);
  t.deepEqual(await received([leaf.cert, intermediate.cert], leaf.key, ca.cert, server), ['CN=leaf', 'CN=intermediate-ca']);
  // An extra certificate that issued nothing is still on the wire, so it is still in the list.
  t.deepEqual(await received([leaf.cert, stranger.cert], leaf.key, ca.cert, server), ['CN=leaf', 'CN=unrelated']);
  // Was a bug, found by review: a repeated certificate ended the list, dropping what came after it; Go keeps all of them.
  const deeper = await pair('deeper-ca', true, intermediate);
  const deepLeaf = await pair('deep-leaf', false, deeper);
  t.deepEqual(await received([deepLeaf.cert, deeper.cert, deeper.cert, intermediate.cert], deepLeaf.key, ca.cert, server),
    ['CN=deep-leaf', 'CN=deeper-ca', 'CN=deeper-ca', 'CN=intermediate-ca']);
});
