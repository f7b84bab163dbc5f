/**
 * The oldest Node.js the package runs on: `@workos-inc/node` 10.6 and 11 declare `>=22.11.0`.
 * `npm install` on an older Node only warns (EBADENGINE), so commands that start something (the
 * example app, the emulator's command line) check here first and say what to do instead.
 */
export const MINIMUM_NODE_VERSION = '22.11.0';

function parts(version: string): [number, number, number] {
  const [major = 0, minor = 0, patch = 0] = version
    .replace(/^v/, '')
    .split('.')
    .map((part) => Number.parseInt(part, 10) || 0);
  return [major, minor, patch];
}

function isOlder(version: string, than: string): boolean {
  const [a, b] = [parts(version), parts(than)];
  for (let i = 0; i < 3; i += 1) if (a[i] !== b[i]) return (a[i] ?? 0) < (b[i] ?? 0);
  return false;
}

/** Why `command` cannot run on this Node, and what to do; `undefined` on a supported Node. */
export function unsupportedNodeMessage(command: string, version: string = process.versions.node): string | undefined {
  if (!isOlder(version, MINIMUM_NODE_VERSION)) return undefined;
  return [
    `${command} needs Node.js 22.11 or newer (the WorkOS SDK, @workos-inc/node, requires it); this is Node.js ${version.replace(/^v/, '')}.`,
    'Install Node 22 (LTS) or 24 and run it again, for example:',
    '  nvm install 22 && nvm use 22     (nvm)',
    '  fnm install 22 && fnm use 22     (fnm)',
    '  volta install node@22            (Volta)',
    'or get it from https://nodejs.org/.',
  ].join('\n');
}

/** For command-line entry points: prints the message and ends the process on an unsupported Node. */
export function exitOnUnsupportedNode(command: string): void {
  const message = unsupportedNodeMessage(command);
  if (message === undefined) return;
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
