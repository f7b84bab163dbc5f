import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');

export interface PackageJson {
  name: string;
  version: string;
  main?: string;
  module?: string;
  types?: string;
  exports: Record<string, unknown>;
  typesVersions?: Record<string, Record<string, string[]>>;
  files: string[];
  [field: string]: unknown;
}

export interface EntryPoint {
  /** `.`, `./testing`, … */
  subpath: string;
  /** What users import: `authkit-express`, `authkit-express/testing`, … */
  specifier: string;
  /** The built file's path under dist/esm and dist/cjs, without extension: `index`, `testing/index`, `express`. */
  stem: string;
  /** The source in lib/, or undefined while the entry point has none yet. */
  source: string | undefined;
}

export function readPackageJson(): PackageJson {
  return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
}

/** The package's entry points, read from `exports` the way scripts/build.mjs reads them. */
export function entryPoints(pkg: PackageJson = readPackageJson()): EntryPoint[] {
  return Object.keys(pkg.exports)
    .filter((subpath) => subpath !== './package.json')
    .map((subpath) => {
      const name = subpath === '.' ? 'index' : subpath.slice(2);
      const source = [join(ROOT, 'lib', `${name}.ts`), join(ROOT, 'lib', name, 'index.ts')].find((file) => existsSync(file));
      const stem = source ? relative(join(ROOT, 'lib'), source).replace(/\.ts$/, '').split('\\').join('/') : name;
      return { subpath, specifier: subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`, stem, source };
    });
}

/** A module's runtime surface: each export's name and kind (`typeof`, or `class`). */
export type Surface = Record<string, string>;

export function describeExports(mod: Record<string, unknown>): Surface {
  const kind = (value: unknown): string =>
    typeof value === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(value)) ? 'class' : typeof value;
  return Object.fromEntries(
    Object.keys(mod)
      .sort()
      .map((name) => [name, kind(mod[name])]),
  );
}

/** The checked-in list of every entry point's runtime exports. */
export function expectedSurfaces(): Record<string, Surface> {
  return JSON.parse(readFileSync(join(__dirname, 'public-exports.json'), 'utf8')) as Record<string, Surface>;
}
