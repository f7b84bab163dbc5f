import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { anchors, codeBlocks, documentationFiles, links, read, ROOT, slug } from './markdown';
import { typecheckSnippets, type Snippet } from './typecheck-snippets';

/** The first line of a `ts` block that is only part of a program (not type-checked). Keep these few. */
const FRAGMENT = '// fragment:';

/** What is wrong with one relative link of `file`, or undefined when it resolves. */
function brokenLink(file: string, target: string): string | undefined {
  const hash = target.indexOf('#');
  const path = hash === -1 ? target : target.slice(0, hash);
  const anchor = hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1));
  const resolved = path === '' ? join(ROOT, file) : join(ROOT, dirname(file), decodeURI(path));
  if (relative(ROOT, resolved).startsWith('..') || !existsSync(resolved)) return 'no such file';
  if (anchor === undefined) return undefined;
  if (!resolved.endsWith('.md')) return `#${anchor} on a file that is not Markdown`;
  return anchors(readFileSync(resolved, 'utf8')).has(anchor) ? undefined : `no heading #${anchor}`;
}

describe('links in README.md and docs/', () => {
  it.each(documentationFiles())('every relative link of %s resolves to a file and heading', (file) => {
    const broken = links(read(file))
      .filter(({ target }) => !/^[a-z][a-z0-9+.-]*:/i.test(target)) // https:, mailto:
      .map(({ target, line }) => ({ where: `${file}:${line} ${target}`, problem: brokenLink(file, target) }))
      .filter(({ problem }) => problem !== undefined);
    expect(broken).toEqual([]);
  });

  it('finds what a broken link looks like', () => {
    expect(brokenLink('docs/README.md', 'nowhere.md')).toBe('no such file');
    expect(brokenLink('docs/README.md', '../README.md#no-such-heading')).toBe('no heading #no-such-heading');
    expect(brokenLink('docs/README.md', '../README.md#quick-start')).toBeUndefined();
    expect(links('[a](b.md) `[c](d.md)`\n```\n[e](f.md)\n```\n[g](h.md#i "title")')).toEqual([
      { target: 'b.md', line: 1 },
      { target: 'h.md#i', line: 5 },
    ]);
  });

  it('writes heading anchors the way GitHub does', () => {
    expect(slug('Testing your app: `authkit-express/testing`')).toBe('testing-your-app-authkit-expresstesting');
    expect(slug('431 or 400: request header too large')).toBe('431-or-400-request-header-too-large');
    expect(slug('After a sign-in: `onSuccess`')).toBe('after-a-sign-in-onsuccess');
    expect([...anchors('# Same\n## Same\n```\n# not a heading\n```\n')]).toEqual(['same', 'same-1']);
  });
});

describe('TypeScript blocks in docs/', () => {
  const pages = documentationFiles().filter((file) => file.startsWith('docs/'));
  const blocks = pages.flatMap((page) =>
    codeBlocks(read(page))
      .filter((block) => block.lang === 'ts')
      .map((block) => ({ where: `${page}:${block.line}`, code: block.code })),
  );
  const snippets: Snippet[] = blocks.filter((block) => !block.code.startsWith(FRAGMENT));
  let errors: Map<string, string[]>;

  beforeAll(() => {
    errors = typecheckSnippets(snippets);
  }, 120_000);

  it.each(snippets.map((snippet) => snippet.where))('%s type-checks against the library', (where) => {
    expect(errors.get(where)).toEqual([]);
  });

  it('reports a block that does not compile, with its line', () => {
    const wrong = typecheckSnippets([
      { where: 'wrong', code: "import { createAuthKit } from 'authkit-express';\n\ncreateAuthKit({ cookiePasword: 'x' });\n" },
    ]);
    expect(wrong.get('wrong')).toEqual([expect.stringMatching(/^snippet line 3:\d+: TS2561 .*cookiePasword/)]);
  }, 60_000);

  it('checks nearly every block (fragments are the exception)', () => {
    expect(snippets.length).toBeGreaterThan(20);
    expect(blocks.length - snippets.length).toBeLessThanOrEqual(3);
  });
});
