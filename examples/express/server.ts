import { randomBytes } from 'node:crypto';
import { startEmulator } from 'authkit-express/testing';
import { exitOnUnsupportedNode } from '../../lib/config/node-version';
import { createApp } from './app';

/**
 * Starts the example. With WORKOS_CLIENT_ID and WORKOS_API_KEY set it talks to WorkOS as
 * configured by the WORKOS_* variables; without them it starts the local WorkOS emulator and
 * signs in on its page, so it runs with no account and no network.
 */
async function main(): Promise<void> {
  // On Node 20 `npm install` only warns; stop here with what to do rather than half-work.
  exitOnUnsupportedNode('npm run example');
  const port = Number(process.env.PORT ?? 3000);
  const useWorkOS = Boolean(process.env.WORKOS_CLIENT_ID && process.env.WORKOS_API_KEY);
  const emulator = useWorkOS ? undefined : await startEmulator();

  const app = createApp({
    ...emulator?.settings,
    redirectUri: process.env.WORKOS_REDIRECT_URI ?? `http://localhost:${port}/callback`,
    // A throwaway password is fine for a demo: sessions end when the process does.
    cookiePassword: process.env.WORKOS_COOKIE_PASSWORD ?? randomBytes(32).toString('base64url'),
  });

  const server = app.listen(port, '127.0.0.1', () => {
    console.log(`Example app: http://localhost:${port}`);
    console.log(emulator ? `WorkOS emulator: ${emulator.url} (no WorkOS credentials set)` : 'Using WorkOS with the WORKOS_* settings.');
  });
  const stop = () => {
    server.close();
    void emulator?.close();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
