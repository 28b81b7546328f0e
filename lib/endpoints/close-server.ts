import type { AddressInfo, Server, Socket } from 'node:net';

/** Listens on an ephemeral port of 127.0.0.1 (never elsewhere); resolves with the port. */
export function listenOnLoopback(server: Server): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Destroys every open connection, closes the listener, and waits one more loop turn: 'close'
 * fires before libuv's close callbacks run, and only then is the listening handle really gone.
 */
export async function closeServer(server: Server, sockets: Iterable<Socket>, listening?: Promise<unknown>): Promise<void> {
  // A listen still in flight would otherwise bind after the close and keep the process alive.
  await listening?.catch(() => undefined);
  for (const socket of sockets) socket.destroy();
  if (!server.listening) return;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));
}
