// The layer rule of kube-mtls-sim as dependency-cruiser rules, generated from layers.json (the one
// list of layers; docs/architecture.md is checked against it by test/layers.test.ts).
// Run: npx depcruise lib scenarios --config .dependency-cruiser.cjs  (npm run lint:layers)
const { join } = require('node:path');
const { layers } = require('./layers.json');

// @swc/core's Visitor (which depcruise walks the syntax tree with) throws "Unknown statement type:
// UsingDeclaration" on `await using`, which lib/ uses. A using declaration imports nothing by itself:
// visit its initialisers as a variable declaration's, so a dynamic import() inside one still counts.
const { Visitor } = require('@swc/core/Visitor.js');
if (!Visitor.prototype.visitStatement.patchedForUsing) {
  const visitStatement = Visitor.prototype.visitStatement;
  const patched = function (statement) {
    if (statement.type !== 'UsingDeclaration') return visitStatement.call(this, statement);
    statement.decls = this.visitVariableDeclarators(statement.decls);
    return statement;
  };
  patched.patchedForUsing = true;
  Visitor.prototype.visitStatement = patched;
}

/** `lib/util/` covers the folder, `lib/clock.ts` the one file. */
const pattern = (path) => `^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${path.endsWith('/') ? '' : '$'}`;
const anyOf = (paths) => paths.map(pattern);
const allPaths = layers.flatMap((layer) => layer.paths);

const upward = layers.slice(0, -1).map((layer, index) => ({
  name: `layer-${layer.name.replace(/\W+/g, '-')}`,
  comment: `${layer.paths.join(', ')} may import only its own layer and the layers below it (layers.json).`,
  severity: 'error',
  from: { path: anyOf(layer.paths) },
  to: { path: anyOf(layers.slice(index + 1).flatMap((above) => above.paths)) },
}));

const siblings = layers.filter((layer) => layer.siblings).flatMap((layer) =>
  layer.paths.map((path) => ({
    name: `siblings-${path.replace(/\W+/g, '-').replace(/^-|-$/g, '')}`,
    comment: `${path} must not import its siblings in the "${layer.name}" layer: ${layer.paths.filter((p) => p !== path).join(', ')}.`,
    severity: 'error',
    from: { path: pattern(path) },
    to: { path: anyOf(layer.paths.filter((other) => other !== path)) },
  })));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No module reaches itself through its imports (type-only imports included).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'in-a-layer',
      comment: 'Every module under lib/ and scenarios/ belongs to a layer in layers.json.',
      severity: 'error',
      from: { path: '^(lib|scenarios)/', pathNot: anyOf(allPaths) },
      to: {},
    },
    {
      name: 'to-a-layer',
      comment: 'Every module under lib/ and scenarios/ that is imported belongs to a layer in layers.json.',
      severity: 'error',
      from: {},
      to: { path: '^(lib|scenarios)/', pathNot: anyOf(allPaths) },
    },
    ...upward,
    ...siblings,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a cycle through types is still a cycle for a reader.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: join(__dirname, 'tsconfig.json') },
    // depcruise's own TypeScript parser supports TypeScript < 7 only; swc parses ours.
    parser: 'swc',
  },
};
