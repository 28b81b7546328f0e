import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

/**
 * Defined (as `true`) only inside the CLI bundle, by scripts/bundle.mjs (esbuild's `define`).
 * There `require` is the bundle's own and a literal `require('x')` is the copy of x in the bundle.
 */
declare const KUBE_MTLS_SIM_BUNDLE: true | undefined;

/**
 * A CommonJS dependency loaded on its first use rather than when the module naming it is imported:
 * start-up is most of a short command's time, and importing the package should not pay for a YAML
 * parser or ASN.1 schemas it may never use. Node resolves these packages to the same CommonJS files
 * under `import` and `require`, so every user shares one instance. `bundled` is the same load
 * written as a literal `require('x')`, which esbuild can see and bundle (a specifier in a variable
 * it cannot): the CLI bundle calls it; plain Node, where this module is ESM, never does.
 */
export function lazyRequire<T>(specifier: string, bundled: () => unknown): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= (typeof KUBE_MTLS_SIM_BUNDLE !== 'undefined' ? bundled() : createRequire(import.meta.url)(specifier)) as T);
}

const yaml = lazyRequire<typeof Yaml>('yaml', () => require('yaml'));

/** yaml's `parse`, loaded on first use. */
export function parseYaml(text: string, options?: Yaml.ParseOptions & Yaml.DocumentOptions & Yaml.SchemaOptions & Yaml.ToJSOptions): ReturnType<typeof Yaml.parse> {
  return yaml().parse(text, options);
}

/** yaml's `stringify`, loaded on first use. */
export function stringifyYaml(value: unknown, options?: Yaml.DocumentOptions & Yaml.SchemaOptions & Yaml.ParseOptions & Yaml.CreateNodeOptions & Yaml.ToStringOptions): string {
  return yaml().stringify(value, options);
}
