// Builds the package, one output file per source file so every entry point shares one copy of
// each module (one `AuthKitError` class, one `req.auth` brand) within a module system:
//   dist/esm/**/*.mjs + *.d.mts   for `import`
//   dist/cjs/**/*.cjs + *.d.cts   for `require`
// ESM-only dependencies (jose 6) are bundled into dist/cjs/_vendor/ for the CommonJS build:
// require(esm) needs Node >= 22.12, and `engines` allows 22.11.
// Entry points are read from package.json `exports` ("./x" → lib/x/index.ts or lib/x.ts);
// one whose source does not exist yet is reported and left out.
//
// Usage: node scripts/build.mjs [--out-dir DIR]   (default: dist)
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new globalThis.URL('..', import.meta.url));
const src = join(root, 'lib');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outArg = process.argv.indexOf('--out-dir');
const outDir = resolve(root, outArg === -1 ? 'dist' : process.argv[outArg + 1]);

/** ESM-only dependencies bundled into the CommonJS build; imported from node_modules by the ESM build. */
const VENDORED_FOR_CJS = ['jose'];
const FORMATS = [
  { format: 'esm', dir: 'esm', js: '.mjs', dts: '.d.mts' },
  { format: 'cjs', dir: 'cjs', js: '.cjs', dts: '.d.cts' },
];

const toPosix = (path) => path.split(sep).join('/');
const external = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
const builtins = new Set(builtinModules);
const packageName = (specifier) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** `./x` → `./x.mjs` or `./x/index.mjs`, checked against the sources (or declarations) in `base`. */
function withExtension(specifier, fromDir, ext, sourceExt) {
  const target = resolve(fromDir, specifier);
  if (existsSync(target + sourceExt)) return specifier + ext;
  if (existsSync(join(target, `index${sourceExt}`))) return `${specifier.replace(/\/$/, '')}/index${ext}`;
  return undefined;
}

/** Package `exports` subpaths (other than ./package.json) and the source file each is built from. */
function entryPoints() {
  return Object.keys(pkg.exports)
    .filter((subpath) => subpath !== './package.json')
    .map((subpath) => {
      const name = subpath === '.' ? 'index' : subpath.slice(2);
      const candidates = [join(src, `${name}.ts`), join(src, name, 'index.ts')];
      return { subpath, source: candidates.find((file) => existsSync(file)) };
    });
}

/** Keeps every import as written but pointed at the built file; refuses imports of anything not declared. */
function importRewriter({ format, js }) {
  return {
    name: 'per-file-imports',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const { path: specifier, importer } = args;
        if (specifier.startsWith('.')) {
          const rewritten = withExtension(specifier, dirname(importer), js, '.ts');
          if (!rewritten) return { errors: [{ text: `cannot find the source of ${specifier}` }] };
          return { path: rewritten, external: true };
        }
        if (builtins.has(specifier) || specifier.startsWith('node:')) return { path: specifier, external: true };
        const name = packageName(specifier);
        if (format === 'cjs' && VENDORED_FOR_CJS.includes(name)) {
          if (specifier !== name) return { errors: [{ text: `only the root of vendored ${name} can be imported` }] };
          let path = toPosix(relative(dirname(relative(src, importer)), `_vendor/${name}.cjs`));
          if (!path.startsWith('.')) path = `./${path}`;
          return { path, external: true };
        }
        if (external.has(name)) return { path: specifier, external: true };
        return { errors: [{ text: `${specifier} is neither a dependency nor a peer dependency in package.json` }] };
      });
    },
  };
}

const started = Date.now();
for (const { subpath, source } of entryPoints()) {
  if (!source) console.warn(`build: exports["${subpath}"] has no source in lib/ yet; skipped`);
}
rmSync(outDir, { recursive: true, force: true });

const files = sourceFiles(src);
const common = { entryPoints: files, outbase: src, bundle: true, platform: 'node', target: 'node22', sourcemap: true, logLevel: 'warning' };
for (const target of FORMATS) {
  await build({
    ...common,
    format: target.format,
    outdir: join(outDir, target.dir),
    outExtension: { '.js': target.js },
    plugins: [importRewriter(target)],
  });
}
const require = createRequire(join(root, 'package.json'));
for (const name of VENDORED_FOR_CJS) {
  await build({
    stdin: { contents: `export * from ${JSON.stringify(name)};`, resolveDir: root, loader: 'js' },
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    outfile: join(outDir, 'cjs', '_vendor', `${name}.cjs`),
    logLevel: 'warning',
  });
  const pkgDir = dirname(require.resolve(`${name}/package.json`));
  const license = readdirSync(pkgDir).find((file) => /^licen[sc]e/i.test(file));
  if (license) copyFileSync(join(pkgDir, license), join(outDir, 'cjs', '_vendor', `${name}.${license}`));
}

// Declarations: tsc once, then a copy per module system with relative imports given the
// extension of that system (`./auth` → `./auth.mjs` in .d.mts, `./auth.cjs` in .d.cts), so
// TypeScript sees ESM types for `import` and CommonJS types for `require`.
const typesDir = mkdtempSync(join(tmpdir(), 'authkit-express-types-'));
try {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', typesDir], { stdio: 'inherit', cwd: root });
  const specifierPattern = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)(['"])(\.{1,2}\/[^'"]*|\.{1,2})\2/g;
  const declarations = (dir) =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? declarations(path) : entry.name.endsWith('.d.ts') ? [path] : [];
    });
  for (const file of declarations(typesDir)) {
    const text = readFileSync(file, 'utf8');
    const rel = relative(typesDir, file).slice(0, -'.d.ts'.length);
    for (const target of FORMATS) {
      const rewritten = text.replace(specifierPattern, (match, lead, quote, specifier) => {
        const withExt = withExtension(specifier, dirname(file), target.js, '.d.ts');
        if (!withExt) throw new Error(`${rel}.d.ts: cannot resolve ${specifier}`);
        return `${lead}${quote}${withExt}${quote}`;
      });
      const out = join(outDir, target.dir, rel + target.dts);
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, rewritten);
    }
  }
} finally {
  rmSync(typesDir, { recursive: true, force: true });
}

// Every path package.json points at must now exist (entries without a source were reported above).
const built = new Set(
  entryPoints()
    .filter((entry) => entry.source)
    .map((entry) => entry.subpath),
);
const missing = [];
const walk = (value) => (typeof value === 'string' ? [value] : Object.values(value ?? {}).flatMap(walk));
for (const [subpath, targets] of Object.entries(pkg.exports)) {
  if (subpath !== './package.json' && !built.has(subpath)) continue;
  for (const path of walk(targets)) {
    if (path.startsWith('./dist/') && !existsSync(join(outDir, path.slice('./dist/'.length))))
      missing.push(`exports["${subpath}"]: ${path}`);
  }
}
for (const field of ['main', 'module', 'types']) {
  if (pkg[field] && !existsSync(join(outDir, pkg[field].replace(/^\.\/dist\//, '')))) missing.push(`${field}: ${pkg[field]}`);
}
// `bin` targets (the CommonJS build: it runs on every Node `engines` allows, jose bundled in) must
// start with a hashbang, which esbuild keeps from the source, and be executable when run from dist/.
for (const [name, path] of Object.entries(pkg.bin ?? {})) {
  const file = join(outDir, path.replace(/^\.\/dist\//, ''));
  if (!existsSync(file)) missing.push(`bin["${name}"]: ${path}`);
  else if (!readFileSync(file, 'utf8').startsWith('#!/usr/bin/env node\n'))
    missing.push(`bin["${name}"]: ${path} has no #!/usr/bin/env node line`);
  else chmodSync(file, 0o755);
}
if (missing.length > 0) {
  console.error(`build: package.json points at files the build did not make:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
const count = (dir) => readdirSync(dir, { recursive: true }).filter((file) => statSync(join(dir, file)).isFile()).length;
console.log(
  `build: ${files.length} sources → ${toPosix(relative(root, outDir)) || '.'}/ (${count(outDir)} files) in ${Date.now() - started} ms`,
);
