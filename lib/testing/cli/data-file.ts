import { readFileSync } from 'node:fs';
import type { EmulatorOptions } from '../emulator/types';

export type EmulatorData = Pick<EmulatorOptions, 'users' | 'organizations' | 'roles' | 'memberships'>;

const KEYS = ['users', 'organizations', 'roles', 'memberships'] as const;

/** The `--data` file: a JSON object with any of `users`, `organizations`, `roles`, `memberships` (arrays). */
export function readEmulatorData(path: string): EmulatorData {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`--data ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`--data ${path}: expected a JSON object`);
  const data: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (!(KEYS as readonly string[]).includes(key)) throw new Error(`--data ${path}: unknown key '${key}' (expected ${KEYS.join(', ')})`);
    if (!Array.isArray(entry)) throw new Error(`--data ${path}: '${key}' must be an array`);
    data[key] = entry;
  }
  // Shapes beyond this are checked by the emulator as it starts, with its own messages.
  return data as EmulatorData;
}
