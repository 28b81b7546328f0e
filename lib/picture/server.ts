// The picture of a live cluster, served on 127.0.0.1 (plain http: loopback only, and the page holds
// no secret, only certificates' public facts): each load dials every edge again, so the page shows
// the edges' verdicts as they are now (after a CSR approved, a clock advanced, a file changed).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Lang } from '../verdict/explain.js';
import type { EdgeResult } from '../verdict/result.js';
import { CSP, renderPicture, type PictureOptions } from './page.js';

export interface PictureServer {
  /** `http://127.0.0.1:PORT/`; `?lang=zh` opens the page in Chinese. */
  url: string;
  close(): Promise<void>;
}

export async function servePicture(results: () => Promise<EdgeResult[]>, options: PictureOptions): Promise<PictureServer> {
  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/') return send(res, 404, 'text/plain; charset=utf-8', 'not found: the picture is at /\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', { allow: 'GET, HEAD' });
    const lang: Lang = url.searchParams.get('lang') === 'zh' ? 'zh' : options.lang ?? 'en';
    try {
      const html = await renderPicture(await results(), { ...options, lang });
      return send(res, 200, 'text/html; charset=utf-8', req.method === 'HEAD' ? '' : html, { 'content-security-policy': CSP });
    } catch (error) {
      // The cluster stopping between the request and its dials, most likely: say so, plainly.
      return send(res, 503, 'text/plain; charset=utf-8', `the cluster could not be dialled: ${(error as Error).message}\n`);
    }
  };
  const server = createServer((req, res) => void answer(req, res));
  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ready());
  });
  // The page server never keeps the process alive by itself: `serve` stops on its signals and closes it.
  server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((done) => {
      server.closeAllConnections();
      server.close(() => done());
    }),
  };
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers });
  res.end(body);
}
