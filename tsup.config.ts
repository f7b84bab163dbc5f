import { defineConfig } from 'tsup';

const entry = { index: 'lib/index.ts', 'testing/index': 'lib/testing/index.ts' };
// Explicit .mjs/.cjs so each build means the same module system whatever package.json says.
const outExtension = ({ format }: { format: string }) => ({ js: format === 'cjs' ? '.cjs' : '.mjs' });

export default defineConfig([
  { entry, format: 'esm', outDir: 'dist/esm', dts: true, sourcemap: true, clean: true, target: 'node22', tsconfig: 'tsconfig.build.json', outExtension },
  // jose is ESM only; bundling it into the CommonJS build keeps require() working on every supported Node.
  { entry, format: 'cjs', outDir: 'dist/cjs', dts: true, sourcemap: true, clean: true, target: 'node22', tsconfig: 'tsconfig.build.json', outExtension, noExternal: ['jose'] },
]);
