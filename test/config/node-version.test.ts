import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MINIMUM_NODE_VERSION, unsupportedNodeMessage } from '../../lib/config/node-version';
import { findOldNode } from '../helpers/old-node';

const ROOT = resolve(__dirname, '..', '..');

describe('unsupportedNodeMessage', () => {
  it.each(['22.11.0', '22.23.3', '23.0.0', '24.21.0', 'v22.11.0'])('accepts Node %s', (version) => {
    expect(unsupportedNodeMessage('npm run example', version)).toBeUndefined();
  });

  it.each(['20.20.2', '22.10.9', '18.20.4', 'v21.7.3'])('refuses Node %s, saying what to do', (version) => {
    const message = unsupportedNodeMessage('npm run example', version);
    expect(message).toContain('npm run example needs Node.js 22.11 or newer');
    expect(message).toContain(`this is Node.js ${version.replace(/^v/, '')}`);
    expect(message).toContain('nvm install 22');
  });

  it('agrees with package.json engines', () => {
    const { engines } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    expect(engines.node).toBe(`>=${MINIMUM_NODE_VERSION.replace(/\.0$/, '')}`);
  });
});

const oldNode = findOldNode();

// Skipped only on a machine with no Node older than 22.11; the unit tests above still run.
(oldNode ? describe : describe.skip)(`npm run example on an old Node (${oldNode ?? 'none found'})`, () => {
  it('prints what to do and exits 1 before starting anything', async () => {
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
      const child = execFile(
        oldNode as string,
        [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'examples/express/server.ts'],
        // PORT=0: should the check ever fail to stop it, the app takes a free port, and is killed.
        { cwd: ROOT, env: { ...process.env, PORT: '0', WORKOS_CLIENT_ID: '', WORKOS_API_KEY: '' }, timeout: 30_000 },
        (_error, stdout, stderr) => done({ code: child.exitCode, stdout, stderr }),
      );
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('npm run example needs Node.js 22.11 or newer');
    expect(result.stderr).toContain('nvm install 22');
    expect(result.stdout).not.toContain('Example app:');
  }, 40_000);
});
