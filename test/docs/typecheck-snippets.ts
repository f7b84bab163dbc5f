import { join } from 'node:path';
import ts from 'typescript';
import { ROOT } from './markdown';

/** A TypeScript block of a page, to compile as its own ES module. */
export interface Snippet {
  /** `docs/page.md:12`: where the block starts, for messages. */
  where: string;
  code: string;
}

/**
 * Type-checks every snippet as if it were a file of a user's app: the repository's compiler
 * options (strict, NodeNext), `authkit-express` and its subpaths mapped to lib/ (tsconfig.json's
 * `paths`), the installed Express, Koa, supertest and Node types. Each snippet is an in-memory
 * `.mts` file beside docs/, so top-level `await` and ESM imports work as in an app. Returns the
 * errors of each snippet, by `where`.
 */
export function typecheckSnippets(snippets: readonly Snippet[]): Map<string, string[]> {
  const configFile = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  if (!configFile) throw new Error('tsconfig.json could not be read');
  // Node's types and the browser's (pages show browser code too), never the test runner's globals.
  const options: ts.CompilerOptions = { ...configFile.options, noEmit: true, types: ['node'], lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'] };

  const files = new Map<string, Snippet>();
  snippets.forEach((snippet, index) => files.set(join(ROOT, 'docs', `__snippet_${index}.mts`), snippet));

  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (fileName, language, ...rest) => {
    const snippet = files.get(fileName);
    return snippet ? ts.createSourceFile(fileName, snippet.code, language) : getSourceFile.call(host, fileName, language, ...rest);
  };
  host.fileExists = (fileName) => files.has(fileName) || fileExists.call(host, fileName);
  host.readFile = (fileName) => files.get(fileName)?.code ?? readFile.call(host, fileName);

  const program = ts.createProgram([...files.keys()], options, host);
  const errors = new Map<string, string[]>(snippets.map((snippet) => [snippet.where, []]));
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const snippet = diagnostic.file ? files.get(diagnostic.file.fileName) : undefined;
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (!snippet || !diagnostic.file || diagnostic.start === undefined) {
      // An error outside the snippets (lib/ itself, a global): report it against every page.
      for (const list of errors.values()) list.push(`(outside the snippets) ${message}`);
      continue;
    }
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    errors.get(snippet.where)?.push(`snippet line ${line + 1}:${character + 1}: TS${diagnostic.code} ${message}`);
  }
  return errors;
}
