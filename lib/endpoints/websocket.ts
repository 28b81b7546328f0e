import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * The server half of a WebSocket (RFC 6455) just large enough for the remote-command protocols
 * kubectl speaks (`v5.channel.k8s.io` … `channel.k8s.io`): accept the upgrade, send binary
 * messages whose first byte is the channel, and close normally. Nothing is read from the client:
 * every answer the simulation gives on such a stream is complete before the client would type.
 */
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** Whether a request asks for a WebSocket (Connection: Upgrade, Upgrade: websocket, a key). */
export function isWebSocketRequest(req: IncomingMessage): boolean {
  const connection = String(req.headers.connection ?? '').toLowerCase();
  return connection.split(',').some((t) => t.trim() === 'upgrade') && String(req.headers.upgrade ?? '').toLowerCase() === 'websocket' && typeof req.headers['sec-websocket-key'] === 'string';
}

/** The subprotocols the client offered, in its order. */
export function offeredProtocols(req: IncomingMessage): string[] {
  return String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
}

/** One unmasked frame (the server never masks): FIN set, the opcode, the length in its shortest form. */
function frame(opcode: number, payload: Buffer): Buffer {
  const n = payload.length;
  const head = n < 126 ? Buffer.from([0x80 | opcode, n])
    : n < 65536 ? Buffer.from([0x80 | opcode, 126, n >> 8, n & 0xff])
      : Buffer.concat([Buffer.from([0x80 | opcode, 127]), (() => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(n)); return b; })()]);
  return Buffer.concat([head, payload]);
}

/**
 * Answers the upgrade with 101 and `protocol`, writes each message on its channel, then a normal
 * close (1000): client-go's reader gives its streams EOF on a normal close, so the error channel's
 * Status is read to its end.
 */
export function answerOverWebSocket(req: IncomingMessage, socket: Duplex, protocol: string, messages: ReadonlyArray<{ channel: number; data: Buffer }>): void {
  // The HTTP server must not read the client's frames as another request: nothing more is read.
  socket.pause();
  const accept = createHash('sha1').update(`${String(req.headers['sec-websocket-key'])}${GUID}`).digest('base64');
  socket.write(['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${accept}`,
    `Sec-WebSocket-Protocol: ${protocol}`, '', ''].join('\r\n'));
  for (const m of messages) socket.write(frame(0x2, Buffer.concat([Buffer.from([m.channel]), m.data])));
  socket.write(frame(0x8, Buffer.from([0x03, 0xe8])));
  // Once everything is flushed the connection is over (a close answer from the client is not awaited).
  socket.once('finish', () => socket.destroy());
  socket.end();
}
