import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { startEmulator } from 'authkit-express/testing';
import { createApp } from './app';
import { createHandler } from './http';

/**
 * Starts the Connect example (`--bare`: the plain `node:http` one). Real WorkOS with
 * WORKOS_CLIENT_ID and WORKOS_API_KEY set, else the local emulator.
 */
async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  const useWorkOS = Boolean(process.env.WORKOS_CLIENT_ID && process.env.WORKOS_API_KEY);
  const emulator = useWorkOS ? undefined : await startEmulator();
  const options = {
    ...emulator?.settings,
    redirectUri: process.env.WORKOS_REDIRECT_URI ?? `http://localhost:${port}/callback`,
    // A throwaway password is fine for a demo: sessions end when the process does.
    cookiePassword: process.env.WORKOS_COOKIE_PASSWORD ?? randomBytes(32).toString('base64url'),
  };
  const server = createServer(process.argv.includes('--bare') ? createHandler(options) : createApp(options));
  server.listen(port, '127.0.0.1', () => {
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
