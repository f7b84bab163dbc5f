// The public surface, checked against test/package/public-exports.json so it cannot change by
// accident: a change there is a reviewed change of the API. pack.test.ts checks the same list
// against the built package, through both `require` and `import`.
import { describeExports, entryPoints, expectedSurfaces, readPackageJson } from './entry-points';

const pkg = readPackageJson();
const entries = entryPoints(pkg);
const built = entries.filter((entry) => entry.source !== undefined);
const expected = expectedSurfaces();

describe('package.json', () => {
  it.each(entries.map((entry) => [entry.subpath, entry] as const))(
    'exports[%j] gives ESM and CommonJS their own files and types',
    (_subpath, { subpath, stem }) => {
      expect(pkg.exports[subpath]).toEqual({
        import: { types: `./dist/esm/${stem}.d.mts`, default: `./dist/esm/${stem}.mjs` },
        require: { types: `./dist/cjs/${stem}.d.cts`, default: `./dist/cjs/${stem}.cjs` },
      });
      // `types` must come first in each condition, or TypeScript never sees it.
      for (const condition of ['import', 'require']) {
        expect(Object.keys((pkg.exports[subpath] as Record<string, object>)[condition]!)).toEqual(['types', 'default']);
      }
    },
  );

  it('points the legacy fields and node10 resolution (typesVersions) at the CommonJS build', () => {
    expect(pkg).toMatchObject({ main: './dist/cjs/index.cjs', module: './dist/esm/index.mjs', types: './dist/cjs/index.d.cts' });
    const subpaths = entries.filter((entry) => entry.subpath !== '.');
    expect(pkg.typesVersions).toEqual({
      '*': Object.fromEntries(subpaths.map(({ subpath, stem }) => [subpath.slice(2), [`./dist/cjs/${stem}.d.cts`]])),
    });
    expect(pkg.exports['./package.json']).toBe('./package.json');
  });

  it('requires the Node versions and @workos-inc/node majors the SDK and the tests cover', () => {
    expect(pkg.engines).toEqual({ node: '>=22.11' });
    expect(pkg.peerDependencies).toEqual({ '@workos-inc/node': expect.stringMatching(/\^11\.0\.0/), ioredis: '>=5', redis: '>=4' });
    // Only apps that share state on Redis bring a client, whichever they already use.
    expect(pkg.peerDependenciesMeta).toEqual({ ioredis: { optional: true }, redis: { optional: true } });
  });
});

describe('public runtime exports (test/package/public-exports.json)', () => {
  it('lists every entry point that has a source', () => {
    expect(Object.keys(expected).sort()).toEqual(built.map((entry) => entry.subpath).sort());
  });

  it.each(built.map((entry) => [entry.subpath, entry] as const))('%s exports exactly the listed names', (subpath, { source }) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the sources, as jest compiles them
    const surface = describeExports(require(source!) as Record<string, unknown>);
    expect({ [subpath]: surface }).toEqual({ [subpath]: expected[subpath] });
  });
});
