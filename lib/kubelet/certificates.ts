import { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';
import { ApiClient } from '../clients/api-client.js';
import type { NodeFs } from '../fs/node-fs.js';
import { KubeMtlsSimError } from '../errors.js';
import type { Endpoint } from '../tls/connection.js';
import type { ClientSeat } from '../tls/connection-ledger.js';
import { buildKubeconfig, stringifyKubeconfig } from '../kubeconfig/build.js';
import { generateKey } from '../pki/keys.js';
import type { IssuedCert } from '../pki/issue.js';
import { storeTimestamp } from '../layout/layout-files.js';
import { readCertificates } from '../pki/pem.js';
import type { KeyAlgorithm } from '../pki/types.js';
import { hostPortURL } from '../pki/cluster-config.js';
import { createCsrPem, submitCsr, type CsrRequestResult } from './csr-request.js';

/**
 * The kubelet's certificate managers (pkg/kubelet/certificate, client-go util/certificate): TLS
 * bootstrap of the client certificate with a bootstrap token, rotation of the client certificate
 * at a point between 70 % and 90 % of its lifetime (jittered per node here by a hash, not by
 * chance, so runs repeat), and the serving certificate through a kubelet-serving CSR.
 */
export interface KubeletContext {
  fs: NodeFs;
  clock: Clock;
  nodeName: string;
  /** The node's own address (a serving certificate's IP SAN). */
  nodeAddress: string;
  /** The apiserver's address the kubelet dials and verifies (the control-plane endpoint). */
  serverAddress: string;
  certDir: string;
  kubeconfig: string;
  algorithm: KeyAlgorithm;
  /** The running kube-apiserver endpoint on 127.0.0.1 (undefined when it is not running). */
  apiserver: () => Pick<Endpoint, 'port' | 'chain'> | undefined;
  /** The cluster's connection ledger, when the apiserver listens on this thread: the kubelet announces the chain it sends. */
  ledger?: ClientSeat;
  /** The CA the kubelet trusts for the apiserver (the bootstrap kubeconfig's). */
  roots: readonly IssuedCert[];
  /** A node that got a client certificate registers its Node object. */
  register: (nodeName: string) => void;
  apiPort: number;
  /** The cluster was stopped: every request is ERR_CLUSTER_STOPPED, as `dial` and `joinNodes` are. */
  stopped?: () => boolean;
}

export interface CertificateOutcome extends CsrRequestResult {
  /** Where the kubelet stored the issued pair (`kubelet-client-<time>.pem`, `kubelet-server-<time>.pem`). */
  file?: string;
}

const CLIENT_USAGES = (ec: boolean) => (ec ? ['digital signature', 'client auth'] : ['digital signature', 'key encipherment', 'client auth']);
const SERVING_USAGES = (ec: boolean) => (ec ? ['digital signature', 'server auth'] : ['digital signature', 'key encipherment', 'server auth']);

/** What the kubelet authenticates with: the bootstrap token, or its current pair (`chain` parsed from `certPem`). */
export interface Credentials { token?: string; certPem?: string; keyPem?: string; chain?: () => readonly IssuedCert[] }

export class KubeletCertificates {
  /** A serving CSR waiting for someone to approve it (kubelet-serving CSRs are never auto-approved). */
  #pendingServing: { name: string; keyPem: string } | undefined;

  constructor(readonly ctx: KubeletContext) {}

  get pendingServingCsr(): string | undefined {
    return this.#pendingServing?.name;
  }

  /** The serving CSR was issued: store the pair as kubelet-server-<time>.pem. Returns the file, or undefined if it was not ours. */
  collectServing(name: string, certificatePem: string): string | undefined {
    if (this.#pendingServing?.name !== name) return undefined;
    const file = this.store('server', certificatePem, this.#pendingServing.keyPem);
    this.#pendingServing = undefined;
    return file;
  }

  /** A stopped cluster is a misuse of the API, not an outcome a kubelet could see: a typed rejection, as `dial` and `joinNodes` give. */
  #assertRunning(what: string): void {
    if (this.ctx.stopped?.()) throw new KubeMtlsSimError('ERR_CLUSTER_STOPPED', `kubelet ${this.ctx.nodeName}: cannot ${what}: the cluster was stopped`);
  }

  #client(credentials: Credentials): ApiClient | undefined {
    const peer = this.ctx.apiserver();
    if (peer === undefined) return undefined;
    return new ApiClient({
      port: peer.port, serverSends: peer.chain, ...(this.ctx.ledger ? { ledger: this.ctx.ledger } : {}), serverName: this.ctx.serverAddress, roots: this.ctx.roots, clock: this.ctx.clock,
      ...(credentials.token ? { token: credentials.token } : {}),
      ...(credentials.certPem && credentials.keyPem ? { cert: { certPem: credentials.certPem, keyPem: credentials.keyPem, ...(credentials.chain ? { chain: credentials.chain } : {}) } } : {}),
    });
  }

  async #request(kind: 'client' | 'server', credentials: Credentials): Promise<CertificateOutcome> {
    const client = this.#client(credentials);
    if (!client) return { name: '', status: 0, error: 'kube-apiserver is not running' };
    try {
      const key = await generateKey(this.ctx.algorithm);
      const ec = this.ctx.algorithm.startsWith('ecdsa');
      const serving = kind === 'server';
      const csrPem = await createCsrPem(key, `system:node:${this.ctx.nodeName}`, ['system:nodes'], serving ? { dns: [this.ctx.nodeName], ips: [this.ctx.nodeAddress] } : { dns: [], ips: [] });
      const result = await submitCsr(client, {
        csrPem, signerName: serving ? 'kubernetes.io/kubelet-serving' : 'kubernetes.io/kube-apiserver-client-kubelet', usages: serving ? SERVING_USAGES(ec) : CLIENT_USAGES(ec),
      });
      if (!result.certificatePem) {
        if (serving && result.name) this.#pendingServing = { name: result.name, keyPem: key.pem };
        return result;
      }
      return { ...result, file: this.store(kind, result.certificatePem, key.pem) };
    } catch (error) {
      return { name: '', status: 0, error: (error as Error).message };
    } finally {
      client.close();
    }
  }

  /** Writes `kubelet-<kind>-<time>.pem` (certificate then key, 0600) and points `-current` at it. */
  store(kind: 'client' | 'server', certPem: string, keyPem: string): string {
    const name = `kubelet-${kind}-${storeTimestamp(this.ctx.clock.now())}.pem`;
    const file = `${this.ctx.certDir}/${name}`;
    this.ctx.fs.write(file, certPem + keyPem);
    this.ctx.fs.link(`${this.ctx.certDir}/kubelet-${kind}-current.pem`, name);
    return file;
  }

  /** TLS bootstrap: the bootstrap token's identity asks for a client certificate; on issue the kubelet writes kubelet.conf. */
  async bootstrap(token: string): Promise<CertificateOutcome> {
    this.#assertRunning('bootstrap');
    const outcome = await this.#request('client', { token });
    if (outcome.file) {
      const current = `${this.ctx.certDir}/kubelet-client-current.pem`;
      this.ctx.fs.write(this.ctx.kubeconfig, stringifyKubeconfig(buildKubeconfig({
        clusterName: 'default-cluster', contextName: 'default-context', userName: 'default-auth',
        cluster: { server: hostPortURL(this.ctx.serverAddress, this.ctx.apiPort), 'certificate-authority-data': Buffer.from(this.ctx.roots.map((c) => c.pem).join('')).toString('base64') },
        user: { 'client-certificate': current, 'client-key': current },
      })));
      this.ctx.register(this.ctx.nodeName);
    }
    return outcome;
  }

  /** The current client certificate and key, if the kubelet has one. */
  currentClient(): { readonly cert: IssuedCert; pem: string; certificatePem: string; credentials: Credentials } | undefined {
    const path = `${this.ctx.certDir}/kubelet-client-current.pem`;
    if (!this.ctx.fs.exists(path)) return undefined;
    const pem = this.ctx.fs.read(path).toString('utf8');
    // Parsed when first needed (rotation, announcing the chain); a request only hands the PEM to TLS.
    let chain: IssuedCert[] | undefined;
    const parsed = () => (chain ??= readCertificates(pem, { file: path }));
    // The file holds the certificate, then its key.
    const split = pem.indexOf('-----BEGIN', pem.lastIndexOf('-----END CERTIFICATE-----'));
    const keyPem = pem.slice(split);
    return {
      get cert() {
        return parsed()[0]!;
      },
      pem,
      certificatePem: pem.slice(0, split),
      credentials: {
        certPem: pem, keyPem,
        chain: parsed,
      },
    };
  }

  /** When the client certificate manager rotates: 70–90 % into the certificate's life. */
  rotationDeadline(cert: IssuedCert): Date {
    const from = new Date(cert.node.validFrom).getTime();
    const to = new Date(cert.node.validTo).getTime();
    const jitter = createHash('sha256').update(`${this.ctx.nodeName}/${cert.fingerprint}`).digest().readUInt32BE(0) / 0x1_0000_0000;
    return new Date(from + (to - from) * (0.7 + 0.2 * jitter));
  }

  /** Rotates the client certificate if its deadline has passed, authenticating with the current one. */
  async rotateIfDue(): Promise<CertificateOutcome | null> {
    this.#assertRunning('rotate its client certificate');
    const current = this.currentClient();
    if (!current || this.ctx.clock.now() < this.rotationDeadline(current.cert)) return null;
    return this.#request('client', current.credentials);
  }

  /** A request to the apiserver with the kubelet's current client certificate (e.g. reading its Node). */
  async request(method: string, path: string): Promise<{ status: number; body: string }> {
    this.#assertRunning('send a request');
    const current = this.currentClient();
    if (!current) return { status: 0, body: 'the kubelet has no client certificate' };
    const client = this.#client(current.credentials);
    if (!client) return { status: 0, body: 'kube-apiserver is not running' };
    try {
      const response = await client.request(method, path);
      return { status: response.status, body: response.body };
    } catch (error) {
      // A refused handshake or a dropped connection is an outcome, as in #request: status 0 and Go's error text.
      return { status: 0, body: (error as Error).message };
    } finally {
      client.close();
    }
  }

  /** serverTLSBootstrap: ask for a kubelet-serving certificate, authenticating with the client certificate. */
  async requestServing(): Promise<CertificateOutcome> {
    this.#assertRunning('request a serving certificate');
    const current = this.currentClient();
    if (!current) return { name: '', status: 0, error: 'the kubelet has no client certificate to ask with' };
    return this.#request('server', current.credentials);
  }
}
