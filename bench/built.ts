/**
 * The library as users install it: the CommonJS build in dist/ (`npm run bench` builds it
 * first), not lib/ through tsx, whose keep-names helper wraps every closure the guard creates
 * and would bill the library for work the published code never does.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

function newestSourceMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Throws unless dist/ was built after the last change under lib/ (checked once, at the start of a run). */
export function assertBuildIsCurrent(): void {
  let builtAt: number;
  try {
    builtAt = statSync(join(ROOT, 'dist', 'cjs', 'index.cjs')).mtimeMs;
  } catch {
    throw new Error('dist/ is missing: run `npm run build` first (`npm run bench` does)');
  }
  // Measuring an old build would report on code that is not the code in lib/.
  if (newestSourceMtime(join(ROOT, 'lib')) > builtAt)
    throw new Error('dist/ is older than lib/: run `npm run build` first (`npm run bench` does)');
}

/** `modulePath` as under lib/, without extension: `index`, `session/session-cookie`, … */
export function loadBuilt<T>(modulePath: string): T {
  const file = join(ROOT, 'dist', 'cjs', `${modulePath}.cjs`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built CommonJS file, loaded at run time on purpose
  return require(file) as T;
}
