/**
 * The sentences of the aggregation layer's own reason (FRONT_PROXY_NOT_ALLOWED), in each language;
 * phrases.ts spreads them into its tables (kept apart so that file stays small).
 */
export interface AggregationPhrases {
  /** `cert`: the front proxy's certificate as the result names it; `allowed`: where the allowed names are set; `error`: Go's words. */
  whyFrontProxyNotAllowed(client: string, server: string, cert: string, allowed: string, error: string): string;
  fixFrontProxyNotAllowed(cert: string, allowed: string): string;
  /** A name mismatch on an addon edge: metrics-server's Service name, or a kubelet address metrics-server dialled. */
  fixAddonSan(certFile: string, name: string, server: string): string;
}

export const AGGREGATION_EN: AggregationPhrases = {
  whyFrontProxyNotAllowed: (client, server, cert, allowed, error) => `${client}'s front-proxy client certificate ${cert} is signed by the request-header CA, but ${server} accepts X-Remote-User and X-Remote-Group only from the common names in ${allowed}: "${error}". No other authenticator accepts the certificate, so the request is refused (401) and kubectl top and every aggregated API through ${server} fail.`,
  fixAddonSan: (certFile, name, server) => (server === 'metrics-server'
    ? `Give metrics-server a serving certificate for ${name} (--tls-cert-file/--tls-private-key-file, from the CA in the APIService's caBundle) instead of ${certFile}, the self-signed one it makes for localhost.`
    : `Give the kubelet a serving certificate that names ${name} (serverTLSBootstrap: true, then approve its kubelet-serving CSRs, which carry the node's addresses), or have metrics-server dial an address ${certFile} has (--kubelet-preferred-address-types); --kubelet-insecure-tls only hides the problem.`),
  fixFrontProxyNotAllowed: (cert, allowed) => `Make the CN of ${cert} one of the names in ${allowed} (kubeadm: CN=front-proxy-client and --requestheader-allowed-names=front-proxy-client), or correct the list; an empty list accepts any certificate the request-header CA signed.`,
};

export const AGGREGATION_ZH: AggregationPhrases = {
  whyFrontProxyNotAllowed: (client, server, cert, allowed, error) => `${client} 的 front-proxy 客户端证书 ${cert} 由 request-header CA 签发，但 ${server} 只信任 ${allowed} 中列出的 CN 发来的 X-Remote-User 和 X-Remote-Group：“${error}”。其他认证器也不接受该证书，所以请求被拒绝（401），kubectl top 以及经过 ${server} 的所有聚合 API 都会失败。`,
  fixAddonSan: (certFile, name, server) => (server === 'metrics-server'
    ? `为 metrics-server 配置一张包含 ${name} 的服务证书（--tls-cert-file/--tls-private-key-file，由 APIService caBundle 中的 CA 签发），替换它为 localhost 自签的 ${certFile}。`
    : `为 kubelet 配置包含 ${name} 的服务证书（serverTLSBootstrap: true，然后批准它的 kubelet-serving CSR，其中带有节点地址），或让 metrics-server 拨打 ${certFile} 中已有的地址（--kubelet-preferred-address-types）；--kubelet-insecure-tls 只是掩盖问题。`),
  fixFrontProxyNotAllowed: (cert, allowed) => `让 ${cert} 的 CN 属于 ${allowed} 中的名称（kubeadm：CN=front-proxy-client，--requestheader-allowed-names=front-proxy-client），或者修正该列表；列表为空时接受 request-header CA 签发的任何证书。`,
};
