import express from 'express';
import { createAuthKit, getAuth } from '../lib';
import { startEmulator } from '../lib/testing';
import { sealCookieValue } from '../lib/session/iron';
import autocannon from 'autocannon';
const SECRET = 'bench-cookie-password-at-least-32-characters';
async function main() {
  const emulator = await startEmulator({ autoApprove: true, accessTokenTtlSeconds: 86400 });
  const authkit = createAuthKit({ ...emulator.settings, cookiePassword: SECRET, redirectUri: 'http://localhost/callback', logger: { warn() {} } });
  const app = express();
  app.get('/', authkit.requireAuth, (req, res) => res.json({ ok: getAuth(req).user !== null }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as { port: number }).port;
  const sessions = Array.from({ length: 200 }, () => emulator.createSession());
  const cookies = Array.from({ length: 30000 }, (_, i) => `wos-session=${sealCookieValue(sessions[i % 200]!, { id: '1', secret: SECRET })}`);
  let i = 0;
  const mode = process.argv[2] ?? 'first';
  const result = await autocannon({ url: `http://127.0.0.1:${port}/`, connections: 10, duration: 6,
    requests: [{ setupRequest: (req: { headers: Record<string, string> }) => ({ ...req, headers: { ...req.headers, cookie: mode === 'first' ? cookies[i++ % cookies.length]! : cookies[0]! } }) }] });
  console.log(mode, Math.round(result.requests.total / 6), 'req/s', result.non2xx, 'non2xx');
  server.close(); await emulator.close(); process.exit(0);
}
main();
