import type { Server } from 'node:net';
import type { Socket } from 'node:net';

/**
 * Destroys every open connection, closes the listener, and waits one more loop turn: 'close'
 * fires before libuv's close callbacks run, and only then is the listening handle really gone.
 */
export async function closeServer(server: Server, sockets: Iterable<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  if (!server.listening) return;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));
}
