import { createServer } from 'node:net';
import { startEmulator } from '../../lib/testing';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('startEmulator', () => {
  it('gives the dashboard’s address', async () => {
    const emulator = await startEmulator();
    try {
      expect(emulator.dashboardUrl).toBe(`${emulator.url}/dashboard`);
    } finally {
      await emulator.close();
    }
  });

  it('checks organizations and roles', async () => {
    await expect(startEmulator({ organizations: [{ id: 'org_1' } as never] })).rejects.toThrow('an organization needs an id and a name');
    await expect(startEmulator({ roles: [{ slug: '' }] })).rejects.toThrow('a role needs a slug');
    await expect(startEmulator({ roles: [{ slug: 'admin' }, { slug: 'admin' }] })).rejects.toThrow('role slugs must be unique');
  });

  it('does not leave its port open when its seeds are refused', async () => {
    const port = await freePort();
    await expect(startEmulator({ port, users: [{ id: 'user_1', email: '' }] })).rejects.toThrow('needs an id and an email');
    const again = await startEmulator({ port });
    await again.close();
  });
});
