/**
 * k8s.io/apiserver's RequestInfo, for the paths the simulation serves: which verb, resource,
 * namespace and name a URL and method mean, so the authorizer sees what kube-apiserver's would.
 */
export interface RequestInfo {
  resourceRequest: boolean;
  verb: string;
  path: string;
  apiGroup: string;
  apiVersion: string;
  namespace?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

const VERBS: Record<string, string> = { GET: 'get', HEAD: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

export function requestInfo(method: string, url: string): RequestInfo {
  const [path = '/', query = ''] = url.split('?');
  const parts = path.split('/').filter(Boolean);
  const base: RequestInfo = { resourceRequest: false, verb: (VERBS[method] ?? method.toLowerCase()), path, apiGroup: '', apiVersion: '' };
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 2) {
    base.apiVersion = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    base.apiGroup = parts[1]!;
    base.apiVersion = parts[2]!;
    rest = parts.slice(3);
  } else {
    return base;
  }
  if (rest.length === 0) return base;
  base.resourceRequest = true;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    base.namespace = rest[1]!;
    rest = rest.slice(2);
  } else if (rest[0] === 'namespaces' && rest.length === 2) {
    base.namespace = rest[1]!;
    rest = ['namespaces', rest[1]!];
  }
  base.resource = rest[0]!;
  if (rest[1] !== undefined) base.name = rest[1];
  if (rest[2] !== undefined) base.subresource = rest[2];
  if (base.verb === 'get' && base.name === undefined) base.verb = /(^|&)watch=(true|1)/.test(query) ? 'watch' : 'list';
  return base;
}
