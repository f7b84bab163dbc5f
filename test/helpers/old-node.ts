import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { unsupportedNodeMessage } from '../../lib/config/node-version';

/** A real Node binary older than 22.11 on this machine (Debian's Node 20 in CI), if there is one. */
export function findOldNode(): string | undefined {
  const candidates = [...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'node')), '/usr/bin/node', '/usr/local/bin/node'];
  for (const binary of new Set(candidates)) {
    if (!existsSync(binary)) continue;
    try {
      const version = execFileSync(binary, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
      if (unsupportedNodeMessage('x', version) !== undefined) return binary;
    } catch {
      // Not a runnable Node: try the next one.
    }
  }
  return undefined;
}
