/**
 * The layering of lib/ (see DESIGN.md), checked by `npm run lint` and CI. Imports point one way:
 *
 *   entry points (index, koa/, redis/, express, testing/, shared-exports)
 *     -> adapters/connect, adapters/koa (never each other)
 *       -> core/
 *         -> flow/
 *           -> session/, tokens/, authorization/, store/
 *             -> config/, http/, encoding/, errors
 *               -> model/ (plain data types)
 *
 * A layer may import its own layer and any layer below it, never above, and nothing may form a
 * cycle (type-only imports included). The emulator (testing/emulator) uses only http/.
 */
const LAYERS = [
  { name: 'model', path: '^lib/model/' },
  { name: 'base', path: '^lib/(config/|http/|encoding/|errors\\.ts$)' },
  { name: 'domain', path: '^lib/(session|tokens|authorization|store)/' },
  { name: 'flow', path: '^lib/flow/' },
  { name: 'core', path: '^lib/core/' },
  { name: 'adapters', path: '^lib/adapters/' },
];

/** For each layer, a rule that refuses imports of every layer above it. */
const upwardRules = LAYERS.slice(0, -1).map((layer, index) => ({
  name: `no-upward-from-${layer.name}`,
  comment: `${layer.name} may import only itself and the layers below it`,
  severity: 'error',
  from: { path: layer.path },
  to: { path: LAYERS.slice(index + 1).map((above) => above.path) },
}));

module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'no import cycles anywhere in lib/', severity: 'error', from: {}, to: { circular: true } },
    ...upwardRules,
    {
      name: 'adapters-only-below',
      comment: 'adapters translate for the core: they never import an entry point',
      severity: 'error',
      from: { path: '^lib/adapters/' },
      to: { path: '^lib/(index|express|shared-exports)\\.ts$|^lib/(koa|redis|testing)/' },
    },
    { name: 'koa-not-on-connect', severity: 'error', from: { path: '^lib/adapters/koa/' }, to: { path: '^lib/adapters/connect/' } },
    { name: 'connect-not-on-koa', severity: 'error', from: { path: '^lib/adapters/connect/' }, to: { path: '^lib/adapters/koa/' } },
    {
      name: 'emulator-stands-alone',
      comment: 'the emulator is a separate program: it may share only low-level http helpers',
      severity: 'error',
      from: { path: '^lib/testing/emulator/' },
      to: { path: '^lib/', pathNot: '^lib/(testing/|http/)' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '\\.d\\.ts$' },
  },
};
