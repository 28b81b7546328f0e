import { createServer } from 'node:net';
import type { IssuedCert } from '../pki/issue.js';
import type { ConnectionRecord, Endpoint } from './tls-endpoint.js';
import { ConnectionLedger, type ServerSeat } from '../tls/connection-ledger.js';
import { LoopbackListener } from './loopback-listener.js';

/**
 * A kubelet with `serverTLSBootstrap: true` whose serving CSR is not approved yet has no
 * certificate to serve: Go's TLS server answers every ClientHello with an internal_error alert
 * and logs "no serving certificate available for the kubelet". This endpoint does exactly that
 * on the wire (TLS 1.2 record header, alert level fatal, description 80).
 */
export class NoCertEndpoint implements Endpoint {
  readonly chain: readonly IssuedCert[] = [];
  readonly #listener: LoopbackListener;

  /** Its records hold no socket and are made only while a serving CSR waits for approval: filed, never dropped on close. */
  constructor(readonly name: string, message: string, ledger: ServerSeat<ConnectionRecord> = new ConnectionLedger()) {
    const server = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () => {
        const port = socket.remotePort ?? 0;
        ledger.open({ serverPort: this.port, clientPort: port }, {
          remotePort: port, peerChain: [], requestedClientCert: false, nodeAuthorizationError: null, protocol: null, servername: null, exchanges: [],
          rejected: { reason: 'NO_SERVING_CERT', log: `http: TLS handshake error from 127.0.0.1:${port}: ${message}` },
        });
        socket.end(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x50]));
      });
    });
    this.#listener = new LoopbackListener(server);
  }

  listen(): Promise<number> {
    return this.#listener.listen();
  }

  get port(): number {
    return this.#listener.port;
  }

  async close(): Promise<void> {
    await this.#listener.close();
  }
}
