import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export type EnvEntry = readonly [key: string, value: string];

export interface EnvMerge {
  text: string;
  /** Keys added or (with `force`) replaced. */
  written: string[];
  /** Keys already in the file and left as they were, with the value found. */
  kept: { key: string; value: string }[];
}

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;

/**
 * Puts `entries` into the text of a `.env` file: absent keys are appended, present ones kept
 * unless `force` (then every line of that key is replaced in place). Comments, other keys and
 * their order are left alone.
 */
export function mergeEnv(existing: string, entries: readonly EnvEntry[], force: boolean): EnvMerge {
  const lines = existing === '' ? [] : existing.replace(/\r?\n$/, '').split(/\r?\n/);
  const found = new Map<string, string>();
  for (const line of lines) {
    const match = LINE.exec(line);
    if (match && !found.has(match[1]!)) found.set(match[1]!, unquote(match[2]!));
  }
  const ours = new Map(entries);
  const written: string[] = [];
  const kept: EnvMerge['kept'] = [];
  const output = lines.map((line) => {
    const key = LINE.exec(line)?.[1];
    return key !== undefined && force && ours.has(key) ? `${key}=${ours.get(key)}` : line;
  });
  const appended: string[] = [];
  for (const [key, value] of entries) {
    const current = found.get(key);
    if (current === undefined) {
      appended.push(`${key}=${value}`);
      written.push(key);
    } else if (force) written.push(key);
    else kept.push({ key, value: current });
  }
  if (appended.length > 0) {
    if (output.length > 0 && output[output.length - 1] !== '') output.push('');
    output.push('# The local WorkOS emulator (npx authkit-express emulator)', ...appended);
  }
  return { text: output.length === 0 ? '' : `${output.join('\n')}\n`, written, kept };
}

/** Reads the file (missing is empty), merges and writes it back only when something changed. */
export function writeEnvFile(path: string, entries: readonly EnvEntry[], force: boolean): EnvMerge {
  const existing = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const merged = mergeEnv(existing, entries, force);
  if (merged.text !== existing) writeFileSync(path, merged.text);
  return merged;
}

function unquote(raw: string): string {
  const value = raw.trim();
  const quoted = /^(['"])(.*)\1$/.exec(value);
  if (quoted) return quoted[2]!;
  return value.replace(/\s+#.*$/, '');
}
