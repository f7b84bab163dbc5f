import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * `npm run docs:api` (CI runs it) must fail on a public export without a doc comment. This runs
 * TypeDoc with the repository's typedoc.json on two small entry points, one fully documented and
 * one with an undocumented export, so a config that stopped enforcing it fails here.
 */
const ROOT = resolve(__dirname, '..', '..');
const TYPEDOC = join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc');

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'authkit-express-typedoc-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function typedoc(name: string, source: string): Promise<{ code: number; output: string }> {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'entry.ts'), source);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, module: 'NodeNext', target: 'ES2022', types: [], skipLibCheck: true },
      files: ['entry.ts'],
    }),
  );
  // The repository's options, on this entry point instead of lib/ (and without lib/'s exceptions).
  writeFileSync(
    join(dir, 'typedoc.json'),
    JSON.stringify({
      extends: [join(ROOT, 'typedoc.json')],
      entryPoints: ['entry.ts'],
      tsconfig: 'tsconfig.json',
      intentionallyNotExported: [],
    }),
  );
  return new Promise((done) => {
    execFile(
      process.execPath,
      [TYPEDOC, '--options', join(dir, 'typedoc.json'), '--emit', 'none'],
      { cwd: dir },
      (error, stdout, stderr) => {
        done({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr });
      },
    );
  });
}

describe('typedoc.json', () => {
  it('passes when every public export and member has a doc comment', async () => {
    const result = await typedoc(
      'documented',
      `/** A documented function. */
export function documented(): Shape {
  return { size: 1 };
}
/** A documented interface. */
export interface Shape {
  /** A documented property. */
  size: number;
}
`,
    );
    expect(result).toEqual({ code: 0, output: '' });
  }, 30_000);

  it('fails on a public export without a doc comment, naming it', async () => {
    const result = await typedoc(
      'undocumented',
      `/** A documented function. */
export function documented(): Shape {
  return { size: 1 };
}
export interface Shape {
  /** A documented property. */
  size: number;
}
`,
    );
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/Shape \(Interface\), defined in .*entry\.ts, does not have any documentation/);
  }, 30_000);
});
