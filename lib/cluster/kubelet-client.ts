import { dialEdge, type DialContext } from '../clients/dial.js';
import type { WireOutcome } from '../clients/exchange.js';
import { EDGES } from '../edges/edges.js';
import type { KubeletDial, KubeletReply } from '../endpoints/pod-subresources.js';
import type { EdgeResult } from '../verdict/result.js';

/**
 * kube-apiserver's client towards the kubelet, as its pods/log and pods/exec handlers use it: the
 * very dial of the apiserver→kubelet edge (the client certificate of --kubelet-client-certificate,
 * the server checked against --kubelet-certificate-authority or not at all), with the user's
 * request in place of the edge's own. So `kubectl logs` breaks exactly when that edge does, and
 * the error is Go's text for what the dial saw.
 */
export function kubeletClient(ctx: DialContext, settled: () => Promise<void>): KubeletDial {
  return async (request) => {
    // A kubelet restarting with a new serving certificate is dialled once it listens again.
    await settled();
    let wire: WireOutcome | undefined;
    const result = await dialEdge(ctx, EDGES['apiserver-to-kubelet'], { request, onWire: (w) => (wire = w) });
    const url = `${result.client.dialled.replace(/\/$/, '')}${request.path}`;
    if (wire?.response) return { url, response: { status: wire.response.status, body: wire.response.body } };
    return { url, error: goError(result, wire) };
  };
}

/** What Go's client says of a dial that got no answer, in the words of crypto/tls and net. */
function goError(result: EdgeResult, wire: WireOutcome | undefined): KubeletReply['error'] {
  const hostPort = result.client.dialled.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  const refused = wire?.clientRefused;
  if (refused) return refused.reason === 'HANDSHAKE_FAILED' ? refused.error : `tls: failed to verify certificate: ${refused.error}`;
  switch (result.reason) {
    case 'CONNECTION_REFUSED': return `dial tcp ${hostPort}: connect: connection refused`;
    case 'NO_SERVING_CERT': return 'remote error: tls: internal error';
    case 'TLS_VERSION': return 'remote error: tls: protocol version not supported';
    case 'HANDSHAKE_FAILED': return 'remote error: tls: handshake failure';
    case 'TIMEOUT': return `net/http: TLS handshake timeout`;
    case 'CONNECTION_CLOSED': return 'EOF';
    default:
      return wire ? 'remote error: tls: bad certificate' : result.summary;
  }
}
