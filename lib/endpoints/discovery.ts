/**
 * Discovery and OpenAPI documents for the API groups the simulation serves, in the two forms
 * kubectl 1.32 accepts (real-peers.md §2.3, §2.5): aggregated discovery (apidiscovery.k8s.io/v2)
 * when the Accept header asks for v2, the legacy lists otherwise; and the minimal OpenAPI v3 that
 * lets `kubectl create` validate with fieldValidation=Strict.
 */
const CSR_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const GROUPS = [
  {
    name: 'certificates.k8s.io', version: 'v1',
    resources: [{
      resource: 'certificatesigningrequests', kind: 'CertificateSigningRequest', singular: 'certificatesigningrequest', verbs: CSR_VERBS, shortNames: ['csr'],
      subresources: ['approval', 'status'],
    }],
  },
  {
    name: 'authentication.k8s.io', version: 'v1',
    resources: [{ resource: 'selfsubjectreviews', kind: 'SelfSubjectReview', singular: 'selfsubjectreview', verbs: ['create'], shortNames: [], subresources: [] }],
  },
];

export type Discovery = { status: number; body: unknown; contentType?: string };

export function discovery(path: string, accept: string): Discovery | undefined {
  const aggregated = /g=apidiscovery\.k8s\.io;v=v2;as=APIGroupDiscoveryList/.test(accept);
  const aggregatedType = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
  if (path === '/api') {
    return aggregated
      ? { status: 200, contentType: aggregatedType, body: { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items: [{ metadata: { name: '', creationTimestamp: null }, versions: [{ version: 'v1', resources: [], freshness: 'Current' }] }] } }
      : { status: 200, body: { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] } };
  }
  if (path === '/apis') {
    if (aggregated) {
      return {
        status: 200, contentType: aggregatedType,
        body: {
          kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {},
          items: GROUPS.map((g) => ({
            metadata: { name: g.name, creationTimestamp: null },
            versions: [{
              version: g.version, freshness: 'Current',
              resources: g.resources.map((r) => ({
                resource: r.resource, responseKind: { group: '', version: '', kind: r.kind }, scope: 'Cluster', singularResource: r.singular, verbs: r.verbs,
                ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
                ...(r.subresources.length ? { subresources: r.subresources.map((s) => ({ subresource: s, responseKind: { group: '', version: '', kind: r.kind }, verbs: ['get', 'patch', 'update'] })) } : {}),
              })),
            }],
          })),
        },
      };
    }
    return {
      status: 200,
      body: { kind: 'APIGroupList', apiVersion: 'v1', groups: GROUPS.map((g) => ({ name: g.name, versions: [{ groupVersion: `${g.name}/${g.version}`, version: g.version }], preferredVersion: { groupVersion: `${g.name}/${g.version}`, version: g.version } })) },
    };
  }
  if (path === '/api/v1') return { status: 200, body: { kind: 'APIResourceList', groupVersion: 'v1', resources: [] } };
  for (const g of GROUPS) {
    if (path === `/apis/${g.name}/${g.version}`) {
      return {
        status: 200,
        body: {
          kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${g.name}/${g.version}`,
          resources: g.resources.flatMap((r) => [
            { name: r.resource, singularName: r.singular, namespaced: false, kind: r.kind, verbs: r.verbs, ...(r.shortNames.length ? { shortNames: r.shortNames } : {}) },
            ...r.subresources.map((s) => ({ name: `${r.resource}/${s}`, singularName: '', namespaced: false, kind: r.kind, verbs: ['get', 'patch', 'update'] })),
          ]),
        },
      };
    }
  }
  if (path === '/openapi/v3') {
    return { status: 200, body: { paths: Object.fromEntries(GROUPS.map((g) => [`apis/${g.name}/${g.version}`, { serverRelativeURL: `/openapi/v3/apis/${g.name}/${g.version}?hash=KMS0001` }])) } };
  }
  for (const g of GROUPS) {
    if (path === `/openapi/v3/apis/${g.name}/${g.version}`) {
      return {
        status: 200,
        body: {
          openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' },
          paths: Object.fromEntries(g.resources.map((r) => [`/apis/${g.name}/${g.version}/${r.resource}/{name}`, {
            patch: {
              'x-kubernetes-group-version-kind': { group: g.name, version: g.version, kind: r.kind },
              parameters: [{ name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } }],
              responses: { 200: { description: 'OK' } },
            },
          }])),
        },
      };
    }
  }
  return undefined;
}
