// Builds dist/esm (*.mjs) and dist/cjs (*.cjs) with esbuild, and declarations with tsc.
// jose is ESM only: the CommonJS build bundles it so require() works on every supported Node.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const entryPoints = { index: 'lib/index.ts', 'koa/index': 'lib/koa/index.ts', 'testing/index': 'lib/testing/index.ts' };
const common = { entryPoints, bundle: true, platform: 'node', target: 'node22', sourcemap: true, logLevel: 'info' };
const peers = ['@workos-inc/node'];

rmSync('dist', { recursive: true, force: true });
await build({ ...common, format: 'esm', outdir: 'dist/esm', outExtension: { '.js': '.mjs' }, external: [...peers, 'jose'] });
await build({ ...common, format: 'cjs', outdir: 'dist/cjs', outExtension: { '.js': '.cjs' }, external: peers });
execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
