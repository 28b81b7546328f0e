import type { AddressInfo, Server, Socket } from 'node:net';

/**
 * A server's life on 127.0.0.1, shared by every kind of endpoint: listen once on an ephemeral port
 * (never another address), keep the open connections, and close everything, including a listen
 * still in flight, idempotently.
 */
export class LoopbackListener {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #listening: Promise<number> | undefined;
  #port = 0;
  #closed = false;

  constructor(server: Server) {
    this.#server = server;
    server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
  }

  get port(): number {
    return this.#port;
  }

  async listen(): Promise<number> {
    this.#port = await (this.#listening = new Promise<number>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', () => {
        this.#server.off('error', reject);
        resolve((this.#server.address() as AddressInfo).port);
      });
    }));
    return this.#port;
  }

  /**
   * Destroys every open connection, closes the listener, and waits one more loop turn: 'close'
   * fires before libuv's close callbacks run, and only then is the listening handle really gone.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // A listen still in flight would otherwise bind after the close and keep the process alive.
    await this.#listening?.catch(() => undefined);
    for (const socket of this.#sockets) socket.destroy();
    if (!this.#server.listening) return;
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    await new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));
  }
}
