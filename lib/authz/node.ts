/**
 * The Node authorizer (kubernetes/kubernetes plugin/pkg/auth/authorizer/node/node_authorizer.go) with
 * AuthorizeNodeWithSelectors on, its default since v1.32, and the node identity of
 * pkg/auth/nodeidentifier/default.go: user `system:node:<name>` AND group `system:nodes`.
 *
 * Like Kubernetes' it never denies: it allows, or has no opinion (often with a reason, which ends up
 * in the 403 message when RBAC does not allow either). Requests from anyone who is not a node get no
 * opinion and no reason.
 *
 * The simulation keeps no object graph (no pods bound to nodes, no volumes), so requests the real
 * authorizer settles through the graph (get of a secret, configmap, PVC, PV, ResourceClaim,
 * VolumeAttachment, pod by name; a ServiceAccount token) fail the way they do on a real cluster for an
 * object unrelated to the node: `no relationship found between node '<n>' and this object`.
 */
import type { UserInfo } from '../authn/types.js';
import type { RequestAttributes } from './types.js';
import type { AuthorizerAnswer } from './rbac-types.js';
import { NODE_RULES } from './rbac-defaults.js';
import { ruleAllows } from './rbac.js';
import { goQuote } from './go-format.js';

/**
 * What the Node authorizer reads beyond RequestAttributes: the equality requirements of the request's
 * field selector (`spec.nodeName=<node>` for a kubelet's pod list, `nodeName=<node>` for ResourceSlices).
 * kube-apiserver also turns `metadata.name=<x>` on a list/watch into the request's name: put that in `name`.
 */
export interface FieldSelectorAttributes {
  fieldSelector?: Readonly<Record<string, string>> | undefined;
}

export type NodeRequestAttributes = RequestAttributes & FieldSelectorAttributes;

/** nodeidentifier.NodeIdentity. */
export function nodeIdentity(user: UserInfo): { isNode: boolean; nodeName: string } {
  const prefix = 'system:node:';
  if (!user.name.startsWith(prefix) || !user.groups.includes('system:nodes')) return { isNode: false, nodeName: '' };
  return { isNode: true, nodeName: user.name.slice(prefix.length) };
}

const allow = (reason: string): AuthorizerAnswer => ({ decision: 'Allow', reason });
const noOpinion = (reason = ''): AuthorizerAnswer => ({ decision: 'NoOpinion', reason });
const noRelationship = (node: string): AuthorizerAnswer => noOpinion(`no relationship found between node '${node}' and this object`);

/** authorize(): a named object reachable from the node in the graph; with no graph, never. */
function graph(node: string, a: RequestAttributes): AuthorizerAnswer {
  return a.name ? noRelationship(node) : noOpinion('No Object name found');
}

function readNamespacedObject(node: string, a: RequestAttributes): AuthorizerAnswer {
  if (!['get', 'list', 'watch'].includes(a.verb)) return noOpinion('can only read resources of this type');
  if (a.subresource) return noOpinion('cannot read subresource');
  if (!a.namespace) return noOpinion('can only read namespaced object of this type');
  return graph(node, a);
}

function getOnly(node: string, a: RequestAttributes): AuthorizerAnswer {
  if (a.verb !== 'get') return noOpinion('can only get individual resources of this type');
  if (a.subresource) return noOpinion('cannot get subresource');
  return graph(node, a);
}

function statusUpdate(node: string, a: RequestAttributes): AuthorizerAnswer {
  if (a.verb !== 'update' && a.verb !== 'patch') return noOpinion('can only get/update/patch this type');
  return graph(node, a);
}

function createToken(node: string, a: RequestAttributes): AuthorizerAnswer {
  if (a.verb !== 'create' || !a.name) return noOpinion('can only create tokens for individual service accounts');
  if (a.subresource !== 'token') return noOpinion('can only create token subresource of serviceaccount');
  return noRelationship(node);
}

const OWN_OBJECT_VERBS = ['get', 'create', 'update', 'patch', 'delete'];

function lease(node: string, a: RequestAttributes): AuthorizerAnswer {
  if (!OWN_OBJECT_VERBS.includes(a.verb)) return noOpinion('can only get, create, update, patch, or delete a node lease');
  if (a.namespace !== 'kube-node-lease') return noOpinion(`can only access leases in the ${goQuote('kube-node-lease')} system namespace`);
  if (a.verb !== 'create' && a.name !== node) return noOpinion('can only access node lease with the same name as the requesting node');
  return allow(`Node authorizer: node ${goQuote(node)} may ${a.verb} its own Lease in kube-node-lease`);
}

function csiNode(node: string, a: RequestAttributes): AuthorizerAnswer {
  if (!OWN_OBJECT_VERBS.includes(a.verb)) return noOpinion('can only get, create, update, patch, or delete a CSINode');
  if (a.subresource) return noOpinion('cannot authorize CSINode subresources');
  if (a.verb !== 'create' && a.name !== node) return noOpinion('can only access CSINode with the same name as the requesting node');
  return allow(`Node authorizer: node ${goQuote(node)} may ${a.verb} its own CSINode`);
}

function resourceSlice(node: string, a: NodeRequestAttributes): AuthorizerAnswer {
  if (a.subresource) return noOpinion('cannot authorize ResourceSlice subresources');
  switch (a.verb) {
    case 'create':
      return allow('Node authorizer: nodes may create ResourceSlices (NodeRestriction checks the nodeName)');
    case 'get': case 'update': case 'patch': case 'delete':
      return graph(node, a);
    case 'watch': case 'list': case 'deletecollection':
      if (a.fieldSelector?.['nodeName'] === node) return allow(`Node authorizer: ResourceSlices selected by nodeName=${node}`);
      return noOpinion('can only list/watch/deletecollection resourceslices with nodeName field selector');
    default:
      return noOpinion('only the following verbs are allowed for a ResourceSlice: get, watch, list, create, update, patch, delete, deletecollection');
  }
}

/** authorizeNode: the node's own Node object only (AuthorizeNodeWithSelectors). */
function nodeObject(node: string, a: RequestAttributes): AuthorizerAnswer {
  const sub = a.subresource ?? '';
  if (sub === '' && ['create', 'update', 'patch'].includes(a.verb)) {
    return allow(`Node authorizer: nodes may ${a.verb} Node objects (NodeRestriction limits them to their own)`);
  }
  if (sub === '' && ['get', 'list', 'watch'].includes(a.verb)) {
    if (a.name === node) return allow(`Node authorizer: node ${goQuote(node)} may ${a.verb} its own Node object`);
    if (!a.name) return noOpinion(`node '${node}' cannot read all nodes, only its own Node object`);
    return noOpinion(`node '${node}' cannot read '${a.name}', only its own Node object`);
  }
  if (sub === 'status' && (a.verb === 'update' || a.verb === 'patch')) {
    return allow(`Node authorizer: nodes may ${a.verb} nodes/status (NodeRestriction limits them to their own)`);
  }
  return noOpinion();
}

/** authorizePod: mirror pods, pod status, evictions, and pods bound to the node. */
function pod(node: string, a: NodeRequestAttributes): AuthorizerAnswer {
  const sub = a.subresource ?? '';
  if (sub === '') {
    if (a.verb === 'get') return getOnly(node, a);
    if (a.verb === 'list' || a.verb === 'watch') {
      if (a.fieldSelector?.['spec.nodeName'] === node) return allow(`Node authorizer: pods selected by spec.nodeName=${node}`);
      if (a.name) return graph(node, a);
      return noOpinion('can only list/watch pods with spec.nodeName field selector');
    }
    if (a.verb === 'create' || a.verb === 'delete') return allow(`Node authorizer: nodes may ${a.verb} mirror pods (NodeRestriction limits them to their own)`);
  }
  if (sub === 'status' && (a.verb === 'update' || a.verb === 'patch')) return allow(`Node authorizer: nodes may ${a.verb} pods/status`);
  if (sub === 'eviction' && a.verb === 'create') return allow('Node authorizer: nodes may evict pods (NodeRestriction limits them to their own)');
  return noOpinion();
}

/** NodeAuthorizer.Authorize. */
export function nodeAuthorize(attrs: NodeRequestAttributes): AuthorizerAnswer {
  const { isNode, nodeName } = nodeIdentity(attrs.user);
  if (!isNode) return noOpinion();
  if (!nodeName) return noOpinion(`unknown node for user ${goQuote(attrs.user.name)}`);
  if (attrs.resourceRequest) {
    switch (`${attrs.apiGroup ?? ''}/${attrs.resource ?? ''}`) {
      case '/secrets': case '/configmaps': return readNamespacedObject(nodeName, attrs);
      case '/persistentvolumeclaims': return attrs.subresource === 'status' ? statusUpdate(nodeName, attrs) : getOnly(nodeName, attrs);
      case '/persistentvolumes': case 'resource.k8s.io/resourceclaims': case 'storage.k8s.io/volumeattachments': return getOnly(nodeName, attrs);
      case '/serviceaccounts': return createToken(nodeName, attrs);
      case 'coordination.k8s.io/leases': return lease(nodeName, attrs);
      case 'storage.k8s.io/csinodes': return csiNode(nodeName, attrs);
      case 'resource.k8s.io/resourceslices': return resourceSlice(nodeName, attrs);
      case '/nodes': return nodeObject(nodeName, attrs);
      case '/pods': return pod(nodeName, attrs);
    }
  }
  if (NODE_RULES.some((rule) => ruleAllows(attrs, rule))) return allow('Node authorizer: static node rules (ClusterRole "system:node" rules, bootstrappolicy.NodeRules)');
  return noOpinion();
}
