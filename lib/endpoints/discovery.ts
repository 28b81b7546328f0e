/**
 * Discovery and OpenAPI documents for the API groups the simulation serves, in the two forms
 * kubectl 1.32 accepts (real-peers.md §2.3, §2.5): aggregated discovery (apidiscovery.k8s.io/v2)
 * when the Accept header asks for v2, the legacy lists otherwise; and the minimal OpenAPI v3 that
 * lets `kubectl create` validate with fieldValidation=Strict.
 *
 * The core group lists what `kubectl get nodes|pods|namespaces|services|endpoints` and
 * `kubectl cluster-info` resolve their resource types with (verbs and shortNames as
 * kube-apiserver 1.32 lists them); without it kubectl says "the server doesn't have a resource type".
 */
interface ResourceDoc {
  resource: string;
  kind: string;
  singular: string;
  verbs: string[];
  shortNames: string[];
  subresources: string[];
  namespaced?: boolean;
}
interface GroupDoc { name: string; version: string; resources: ResourceDoc[] }

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const CREATE_ONLY = ['create'];
const review = (resource: string, kind: string): ResourceDoc => ({ resource, kind, singular: resource.replace(/s$/, ''), verbs: CREATE_ONLY, shortNames: [], subresources: [] });

/** The core group ("" / v1): the read-only objects serve answers (lib/endpoints/core-api.ts). */
const CORE: GroupDoc = {
  name: '', version: 'v1',
  resources: [
    { resource: 'endpoints', kind: 'Endpoints', singular: 'endpoints', verbs: ALL_VERBS, shortNames: ['ep'], subresources: [], namespaced: true },
    { resource: 'namespaces', kind: 'Namespace', singular: 'namespace', verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['ns'], subresources: ['finalize', 'status'] },
    { resource: 'nodes', kind: 'Node', singular: 'node', verbs: ALL_VERBS, shortNames: ['no'], subresources: ['proxy', 'status'] },
    { resource: 'pods', kind: 'Pod', singular: 'pod', verbs: ALL_VERBS, shortNames: ['po'], subresources: ['exec', 'log', 'proxy', 'status'], namespaced: true },
    { resource: 'services', kind: 'Service', singular: 'service', verbs: ALL_VERBS, shortNames: ['svc'], subresources: ['proxy', 'status'], namespaced: true },
  ],
};

const GROUPS: GroupDoc[] = [
  {
    name: 'certificates.k8s.io', version: 'v1',
    resources: [{
      resource: 'certificatesigningrequests', kind: 'CertificateSigningRequest', singular: 'certificatesigningrequest', verbs: ALL_VERBS, shortNames: ['csr'],
      subresources: ['approval', 'status'],
    }],
  },
  { name: 'authentication.k8s.io', version: 'v1', resources: [review('selfsubjectreviews', 'SelfSubjectReview')] },
  {
    name: 'authorization.k8s.io', version: 'v1',
    resources: [review('selfsubjectaccessreviews', 'SelfSubjectAccessReview'), review('selfsubjectrulesreviews', 'SelfSubjectRulesReview')],
  },
  // The leader-election leases the controller-manager and scheduler read (objects.ts): get and list only.
  { name: 'coordination.k8s.io', version: 'v1', resources: [{ resource: 'leases', kind: 'Lease', singular: 'lease', verbs: ['get', 'list'], shortNames: [], subresources: [], namespaced: true }] },
];

export type Discovery = { status: number; body: unknown; contentType?: string };

const AGGREGATED_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** Subresource verbs as kube-apiserver lists them (proxy takes every HTTP verb; exec/log are get-ish). */
function subresourceVerbs(subresource: string): string[] {
  if (subresource === 'proxy') return ['create', 'delete', 'get', 'patch', 'update'];
  if (subresource === 'exec') return ['create', 'get'];
  if (subresource === 'log') return ['get'];
  if (subresource === 'finalize') return ['update'];
  return ['get', 'patch', 'update'];
}

/** One APIGroupDiscovery (apidiscovery.k8s.io/v2). */
function aggregatedGroup(g: GroupDoc) {
  return {
    metadata: { name: g.name, creationTimestamp: null },
    versions: [{
      version: g.version, freshness: 'Current',
      resources: g.resources.map((r) => ({
        resource: r.resource, responseKind: { group: g.name, version: g.version, kind: r.kind }, scope: r.namespaced ? 'Namespaced' : 'Cluster',
        singularResource: r.singular, verbs: r.verbs,
        ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
        ...(r.subresources.length ? { subresources: r.subresources.map((s) => ({ subresource: s, responseKind: { group: g.name, version: g.version, kind: r.kind }, verbs: subresourceVerbs(s) })) } : {}),
      })),
    }],
  };
}

/** One legacy APIResourceList (/api/v1, /apis/GROUP/VERSION). */
function resourceList(g: GroupDoc) {
  const groupVersion = g.name ? `${g.name}/${g.version}` : g.version;
  return {
    kind: 'APIResourceList', apiVersion: 'v1', groupVersion,
    resources: g.resources.flatMap((r) => [
      { name: r.resource, singularName: r.singular, namespaced: r.namespaced === true, kind: r.kind, verbs: r.verbs, ...(r.shortNames.length ? { shortNames: r.shortNames } : {}) },
      ...r.subresources.map((s) => ({ name: `${r.resource}/${s}`, singularName: '', namespaced: r.namespaced === true, kind: r.kind, verbs: subresourceVerbs(s) })),
    ]),
  };
}

function aggregatedList(groups: GroupDoc[]): Discovery {
  return { status: 200, contentType: AGGREGATED_TYPE, body: { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items: groups.map(aggregatedGroup) } };
}

/** The minimal OpenAPI v3 document of one group: a PATCH per resource with the fieldValidation parameter. */
function openApiDocument(g: GroupDoc) {
  return {
    openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths: Object.fromEntries(g.resources.map((r) => [`/apis/${g.name}/${g.version}/${r.resource}/{name}`, {
      patch: {
        'x-kubernetes-group-version-kind': { group: g.name, version: g.version, kind: r.kind },
        parameters: [{ name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } }],
        responses: { 200: { description: 'OK' } },
      },
    }])),
  };
}

export function discovery(path: string, accept: string): Discovery | undefined {
  const aggregated = /g=apidiscovery\.k8s\.io;v=v2;as=APIGroupDiscoveryList/.test(accept);
  if (path === '/api') return aggregated ? aggregatedList([CORE]) : { status: 200, body: { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] } };
  if (path === '/apis') {
    if (aggregated) return aggregatedList(GROUPS);
    return {
      status: 200,
      body: { kind: 'APIGroupList', apiVersion: 'v1', groups: GROUPS.map((g) => ({ name: g.name, versions: [{ groupVersion: `${g.name}/${g.version}`, version: g.version }], preferredVersion: { groupVersion: `${g.name}/${g.version}`, version: g.version } })) },
    };
  }
  if (path === '/api/v1') return { status: 200, body: resourceList(CORE) };
  const group = GROUPS.find((g) => path === `/apis/${g.name}/${g.version}`);
  if (group) return { status: 200, body: resourceList(group) };
  if (path === '/openapi/v3') {
    return { status: 200, body: { paths: Object.fromEntries(GROUPS.map((g) => [`apis/${g.name}/${g.version}`, { serverRelativeURL: `/openapi/v3/apis/${g.name}/${g.version}?hash=KMS0001` }])) } };
  }
  const openapi = GROUPS.find((g) => path === `/openapi/v3/apis/${g.name}/${g.version}`);
  return openapi ? { status: 200, body: openApiDocument(openapi) } : undefined;
}
