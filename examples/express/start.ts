import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator, type Emulator } from 'authkit-express/testing';
import { createApp } from './app';
import { EXAMPLE_DATA } from './emulator-data';

export interface RunningExample {
  /** `http://localhost:PORT`: the origin of the redirect URI, where the cookies live. */
  url: string;
  /** Set when the example runs on the local emulator (no WorkOS credentials). */
  emulator: Emulator | undefined;
  close(): Promise<void>;
}

/**
 * Starts the example on `port` (0 picks a free one). With WORKOS_CLIENT_ID and WORKOS_API_KEY in
 * `env` it talks to WorkOS as the WORKOS_* variables say; without them it starts the local WorkOS
 * emulator with the example's users, organizations and roles, so it runs with no account and no network.
 */
export async function startExample(port: number, env: NodeJS.ProcessEnv = process.env): Promise<RunningExample> {
  const useWorkOS = Boolean(env.WORKOS_CLIENT_ID && env.WORKOS_API_KEY);
  const emulator = useWorkOS ? undefined : await startEmulator(EXAMPLE_DATA);
  // The redirect URI needs the port: listen first, then build the app with it.
  const holder: { app?: ReturnType<typeof createApp> } = {};
  const server = createServer((req, res) => holder.app!(req, res));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  holder.app = createApp(
    {
      ...emulator?.settings,
      redirectUri: env.WORKOS_REDIRECT_URI ?? `${url}/callback`,
      // A throwaway password is fine for a demo: sessions end when the process does.
      cookiePassword: env.WORKOS_COOKIE_PASSWORD ?? randomBytes(32).toString('base64url'),
    },
    { emulatorDashboardUrl: emulator?.dashboardUrl },
  );
  return {
    url,
    emulator,
    close: async () => {
      const closed = new Promise((resolve) => server.close(resolve));
      // Browsers keep connections open; they would hold the port and the process.
      server.closeAllConnections();
      await closed;
      await emulator?.close();
    },
  };
}
