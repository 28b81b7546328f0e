import type { UserInfo } from '../authn/types.js';
import { statusBody } from './http.js';
import type { RequestInfo } from './request-info.js';
import { coreObjects, type CoreContext } from './core-objects.js';
import { coreTable } from './core-tables.js';
import type { ApiAnswer } from './csr-api.js';

/**
 * The core group's read-only resources on the fake apiserver (nodes, pods, namespaces, services,
 * endpoints): get and list, narrowed by namespace, labelSelector and fieldSelector as kube-apiserver
 * narrows them, in the Table form when kubectl asks for it. Writes answer 405: `serve` shows the
 * cluster it simulates, it does not run workloads.
 */
export const CORE_RESOURCES = new Set(['nodes', 'pods', 'namespaces', 'services', 'endpoints']);
const NAMESPACED = new Set(['pods', 'services', 'endpoints']);
const KINDS: Record<string, string> = { nodes: 'Node', pods: 'Pod', namespaces: 'Namespace', services: 'Service', endpoints: 'Endpoints' };
const TABLE_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

type Requirement = { key: string; op: '=' | '!=' | 'exists' | '!exists'; value?: string };

/** labels.Parse / fields.ParseSelector for the forms kubectl sends: `k=v`, `k==v`, `k!=v`, `k`, `!k`, comma-joined. */
export function parseSelector(text: string): Requirement[] {
  return text.split(',').map((s) => s.trim()).filter(Boolean).map((term) => {
    const m = /^([^=!]+)(==|!=|=)(.*)$/.exec(term);
    if (m) return { key: m[1]!.trim(), op: m[2] === '!=' ? '!=' : '=', value: m[3]!.trim() };
    return term.startsWith('!') ? { key: term.slice(1), op: '!exists' } : { key: term, op: 'exists' };
  });
}

function matches(requirements: Requirement[], lookup: (key: string) => string | undefined): boolean {
  return requirements.every(({ key, op, value }) => {
    const got = lookup(key);
    if (op === 'exists') return got !== undefined;
    if (op === '!exists') return got === undefined;
    return op === '=' ? got === value : got !== value;
  });
}

/** A field selector reads a dotted path of the object (metadata.name, spec.nodeName, status.phase). */
function field(obj: unknown, path: string): string | undefined {
  let at: unknown = obj;
  for (const part of path.split('.')) at = at && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined;
  return at === undefined || at === null ? undefined : String(at);
}

const notFound = (resource: string, name: string): ApiAnswer => ({ status: 404, body: statusBody(404, 'NotFound', `${resource} ${JSON.stringify(name)} not found`, { name, kind: resource }) });

export function handleCoreApi(info: RequestInfo, url: string, accept: string, user: UserInfo, ctx: CoreContext, now: Date): ApiAnswer {
  const resource = info.resource!;
  const query = new URLSearchParams(url.split('?')[1] ?? '');
  const wantsTable = /as=Table/.test(accept);
  // A Node by name is built alone: building every Node for each kubelet's GET of its own made a join storm O(n²).
  const named = (name: string) => (resource === 'nodes' ? coreObjects('nodes', { ...ctx, nodes: new Set(ctx.nodes.has(name) ? [name] : []) }) : coreObjects(resource, ctx));
  let items = info.name !== undefined ? named(info.name) : coreObjects(resource, ctx);
  if (NAMESPACED.has(resource) && info.namespace) items = items.filter((o) => o.metadata.namespace === info.namespace);
  if (info.name !== undefined) {
    if (info.verb !== 'get' || info.subresource) return methodNotAllowed();
    let found = items.find((o) => o.metadata.name === info.name);
    // A kubelet registers its Node as soon as it can authenticate: a node reading itself finds it.
    if (!found && resource === 'nodes' && user.name === `system:node:${info.name}`) found = coreObjects('nodes', { ...ctx, nodes: new Set([info.name]) })[0];
    if (!found) return notFound(resource, info.name);
    return wantsTable ? { status: 200, contentType: TABLE_TYPE, body: coreTable(resource, [found], now) } : { status: 200, body: found };
  }
  if (info.verb !== 'list') return methodNotAllowed();
  const labels = parseSelector(query.get('labelSelector') ?? '');
  const fields = parseSelector(query.get('fieldSelector') ?? '');
  items = items.filter((o) => matches(labels, (k) => o.metadata.labels?.[k]) && matches(fields, (k) => field(o, k)));
  if (wantsTable) return { status: 200, contentType: TABLE_TYPE, body: coreTable(resource, items, now) };
  return { status: 200, body: { kind: `${KINDS[resource]}List`, apiVersion: 'v1', metadata: { resourceVersion: '1' }, items } };
}

function methodNotAllowed(): ApiAnswer {
  return { status: 405, body: statusBody(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource') };
}
