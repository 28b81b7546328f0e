import type { ServerState } from '../clients/dial.js';
import type { CsrStore } from '../csr/store.js';
import type { Endpoint } from '../endpoints/tls-endpoint.js';
import type { KubeletCertificates } from '../kubelet/certificates.js';

/**
 * A kubelet with serverTLSBootstrap and no serving certificate asks for one as it starts; once someone
 * approves the CSR and the signer issues it, the kubelet serves with it. The new listener replaces the
 * old one only once it listens: a dial never sees a half-started kubelet.
 */
export class KubeletServingRestarts {
  #restarting: Promise<void> = Promise.resolve();
  #error: unknown;

  constructor(
    private readonly csrs: CsrStore,
    private readonly certificates: KubeletCertificates,
    private readonly server: ServerState,
    /** Builds the kubelet's endpoint again from its files (undefined when it refuses to start: the error is on `server`). */
    private readonly rebuild: () => Endpoint | undefined,
    private readonly stopping: () => boolean,
  ) {
    csrs.onChange((name) => this.#onCsr(name));
  }

  /** Resolves once any restart in flight listens (never rejects). */
  get restarting(): Promise<void> {
    return this.#restarting;
  }

  /** Waits for restarts in flight, and throws what the first one that broke threw. */
  async settle(): Promise<void> {
    await this.#restarting;
    if (this.#error !== undefined) throw this.#error;
  }

  #onCsr(name: string): void {
    if (this.stopping() || this.certificates.pendingServingCsr !== name) return;
    const issued = this.csrs.get(name)?.status.certificate;
    if (!issued) return;
    this.certificates.collectServing(name, Buffer.from(issued, 'base64').toString());
    this.#restarting = this.#restarting.then(() => this.#restart()).catch((error: unknown) => {
      this.#error ??= error;
    });
  }

  async #restart(): Promise<void> {
    if (this.stopping()) return;
    const next = this.rebuild();
    if (!next) return;
    await next.listen();
    if (this.stopping()) {
      await next.close();
      return;
    }
    const old = this.server.endpoint;
    this.server.endpoint = next;
    await old?.close();
  }
}
