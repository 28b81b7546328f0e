import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CsrStore, CsrWatchEvent } from '../csr/store.js';
import { csrTable } from '../csr/printer.js';
import type { ApiAnswer } from './csr-api.js';

/**
 * Watches (`?watch=true`), as kube-apiserver streams them: one JSON WatchEvent per line
 * (`{"type":"ADDED","object":…}`), the response kept open until the client goes (or
 * `timeoutSeconds` passes). Without a resourceVersion (or with "0") the watch starts with an ADDED
 * event for every object; with the list's resourceVersion it sends only what changes after it.
 * When kubectl asks for `as=Table`, each event's object is a one-row Table (kubectl get -w).
 */
export interface WatchSource<T> {
  /** The objects now, and the collection's resourceVersion. */
  current(): { items: T[]; resourceVersion: string };
  /** Subscribes to changes; returns the unsubscribe. Absent for collections that never change. */
  subscribe?(emit: (type: CsrWatchEvent['type'], object: T) => void): () => void;
  /** The object as sent: itself, or a Table of it. */
  encode(object: T): unknown;
  versionOf(object: T): string;
}

export type StreamingAnswer = ApiAnswer & { stream: (req: IncomingMessage, res: ServerResponse) => void };

export function watchAnswer<T>(source: WatchSource<T>, query: URLSearchParams, contentType: string): StreamingAnswer {
  return {
    status: 200, body: undefined, contentType,
    stream: (req, res) => {
      res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
      const send = (type: string, object: T) => res.write(`${JSON.stringify({ type, object: source.encode(object) })}\n`);
      const since = query.get('resourceVersion') ?? '';
      const { items } = source.current();
      for (const item of items) {
        if (since === '' || since === '0' || Number(source.versionOf(item)) > Number(since)) send('ADDED', item);
      }
      const unsubscribe = source.subscribe?.((type, object) => send(type, object));
      const timeout = Number(query.get('timeoutSeconds') ?? 0);
      const timer = timeout > 0 ? setTimeout(() => res.end(), timeout * 1000) : undefined;
      timer?.unref();
      const stop = () => {
        unsubscribe?.();
        if (timer) clearTimeout(timer);
      };
      res.once('close', stop);
      req.once('close', stop);
    },
  };
}

export function watchCsrs(store: CsrStore, accept: string, query: URLSearchParams): StreamingAnswer {
  const table = /as=Table/.test(accept);
  return watchAnswer({
    current: () => ({ items: store.list(), resourceVersion: store.resourceVersion }),
    subscribe: (emit) => store.watch((event) => emit(event.type, event.object)),
    encode: (csr) => (table ? csrTable([csr], store.clock.now(), csr.metadata.resourceVersion ?? store.resourceVersion) : csr),
    versionOf: (csr) => csr.metadata.resourceVersion ?? '0',
  }, query, table ? 'application/json;as=Table;v=v1;g=meta.k8s.io' : 'application/json');
}
