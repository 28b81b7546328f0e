/** certificates.k8s.io/v1 CertificateSigningRequest, the fields this simulation stores and serves. */
export interface CsrCondition {
  type: 'Approved' | 'Denied' | 'Failed' | string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

export interface CertificateSigningRequest {
  apiVersion: 'certificates.k8s.io/v1';
  kind: 'CertificateSigningRequest';
  metadata: {
    name: string;
    uid?: string;
    resourceVersion?: string;
    /** RFC 3339, from the cluster clock. */
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: {
    /** base64 of a PEM `CERTIFICATE REQUEST` block (as in JSON/YAML). */
    request: string;
    signerName: string;
    expirationSeconds?: number;
    usages?: string[];
    username?: string;
    uid?: string;
    groups?: string[];
    extra?: Record<string, string[]>;
  };
  status: {
    conditions?: CsrCondition[];
    /** base64 of PEM CERTIFICATE block(s). */
    certificate?: string;
  };
}
