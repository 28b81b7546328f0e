import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

/**
 * A CommonJS dependency loaded on its first use rather than when the module naming it is imported:
 * start-up is most of a short command's time, and importing the package should not pay for a YAML
 * parser or ASN.1 schemas it may never use. Node resolves these packages to the same CommonJS files
 * under `import` and `require`, so every user shares one instance.
 */
export function lazyRequire<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= createRequire(import.meta.url)(specifier) as T);
}

const yaml = lazyRequire<typeof Yaml>('yaml');

/** yaml's `parse`, loaded on first use. */
export function parseYaml(text: string, options?: Yaml.ParseOptions & Yaml.DocumentOptions & Yaml.SchemaOptions & Yaml.ToJSOptions): ReturnType<typeof Yaml.parse> {
  return yaml().parse(text, options);
}

/** yaml's `stringify`, loaded on first use. */
export function stringifyYaml(value: unknown, options?: Yaml.DocumentOptions & Yaml.SchemaOptions & Yaml.ParseOptions & Yaml.CreateNodeOptions & Yaml.ToStringOptions): string {
  return yaml().stringify(value, options);
}
