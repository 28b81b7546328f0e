import { createServer, type Server, type Socket } from 'node:net';
import type { IssuedCert } from '../pki/issue.js';
import type { ConnectionRecord, Endpoint } from './tls-endpoint.js';
import { closeServer, listenOnLoopback } from './close-server.js';

/**
 * A kubelet with `serverTLSBootstrap: true` whose serving CSR is not approved yet has no
 * certificate to serve: Go's TLS server answers every ClientHello with an internal_error alert
 * and logs "no serving certificate available for the kubelet". This endpoint does exactly that
 * on the wire (TLS 1.2 record header, alert level fatal, description 80).
 */
export class NoCertEndpoint implements Endpoint {
  readonly chain: readonly IssuedCert[] = [];
  readonly #server: Server;
  readonly #records = new Map<number, ConnectionRecord>();
  readonly #sockets = new Set<Socket>();
  #port = 0;
  #closed = false;

  constructor(readonly name: string, message: string) {
    this.#server = createServer((socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
      socket.on('error', () => undefined);
      socket.once('data', () => {
        const port = socket.remotePort ?? 0;
        this.#records.set(port, {
          remotePort: port, peerChain: [], requestedClientCert: false, nodeAuthorizationError: null, protocol: null, servername: null, exchanges: [],
          rejected: { reason: 'NO_SERVING_CERT', log: `http: TLS handshake error from 127.0.0.1:${port}: ${message}` },
        });
        socket.end(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x50]));
      });
    });
  }

  #listening: Promise<number> | undefined;

  async listen(): Promise<number> {
    this.#port = await (this.#listening = listenOnLoopback(this.#server));
    return this.#port;
  }

  get port(): number {
    return this.#port;
  }

  announceClientChain(): void {}

  takeRecord(clientPort: number): ConnectionRecord | undefined {
    const record = this.#records.get(clientPort);
    this.#records.delete(clientPort);
    return record;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await closeServer(this.#server, this.#sockets, this.#listening);
  }
}
