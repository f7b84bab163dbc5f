import type { Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import request from 'supertest';
import { createAuthKit, getAuth, type AuthKitOptions } from '../../lib';
import type { SessionRefreshErrorEvent } from '../../lib/config/options';
import type { KoaContext } from '../../lib/koa';
import { unsealCookieValue } from '../../lib/session/iron';
import type { SessionData } from '../../lib/model/session';
import type { Emulator, EmulatorOptions } from '../../lib/testing';
import type { Adapter } from '../helpers/adapters';
import { setCookies } from '../helpers/app';
import { APP_ORIGIN, setUpTestApp } from '../helpers/app-setup';
import { route, startKoaApp } from '../helpers/koa-app';
import { listen, stopServer } from '../helpers/server';
import { IRON_PASSWORD } from '../helpers/session-cookie';

/**
 * One real app per adapter on a listening server (a burst shares it), with the guards of the test
 * apps (`/api/me`, `/dashboard`: requireAuth) and each framework's own error handling (Express:
 * `authkit.errorHandler`), plus the helpers on routes: `POST /refresh` (refreshSession) and
 * `POST /bye` (signOut). Counts refresh hooks, so tests can tell whether WorkOS has answered yet.
 */
export interface RefreshApp {
  emulator: Emulator;
  server: Server;
  successes: number;
  failures: SessionRefreshErrorEvent[];
  close(): Promise<void>;
}

export async function startRefreshApp(
  adapter: Adapter,
  emulator: EmulatorOptions,
  authkit: (emulator: Emulator) => AuthKitOptions,
): Promise<RefreshApp> {
  const counters = { successes: 0, failures: [] as SessionRefreshErrorEvent[] };
  const options = (e: Emulator): AuthKitOptions => ({
    onSessionRefreshSuccess: () => (counters.successes += 1),
    onSessionRefreshError: (event) => counters.failures.push(event),
    ...authkit(e),
  });
  let listener: Parameters<typeof listen>[0];
  let started: { emulator: Emulator; close(): Promise<void> };
  if (adapter === 'express') {
    // Built here rather than with startTestApp: the library's own error handler goes last, so a 503 carries its Retry-After.
    const setup = await setUpTestApp({ emulator, authkit: options });
    const kit = createAuthKit(setup.authkitOptions);
    const web = express();
    web.use(kit.router);
    web.get('/api/me', kit.requireAuth, (req: Request, res: Response) => res.json(getAuth(req)));
    web.get('/dashboard', kit.requireAuth, (req: Request, res: Response) => res.send(`Dashboard of ${getAuth(req).user?.email}`));
    web.post('/refresh', (req: Request, res: Response, next: NextFunction) => {
      kit.refreshSession(req, res).then((auth) => res.json({ email: auth.user.email }), next);
    });
    web.post('/bye', (req: Request, res: Response) => kit.signOut(req, res));
    web.use(kit.errorHandler);
    listener = web;
    started = { emulator: setup.emulator, close: () => setup.emulator.close() };
  } else {
    const app = await startKoaApp({
      emulator,
      authkit: options,
      configure: (koa, kit) => {
        koa.use(
          route('/refresh', async (ctx: KoaContext) => {
            ctx.body = { email: (await kit.refreshSession(ctx)).user.email };
          }),
        );
        koa.use(route('/bye', async (ctx: KoaContext) => kit.signOut(ctx)));
      },
    });
    listener = app.app.callback();
    started = app;
  }
  const server = await listen(listener);
  return {
    emulator: started.emulator,
    server,
    get successes() {
      return counters.successes;
    },
    failures: counters.failures,
    async close() {
      await stopServer(server);
      await started.close();
    },
  };
}

/** The session the response's new session cookie holds, if it sets one. */
export function sessionSet(response: request.Response): SessionData | undefined {
  const line = setCookies(response).find((cookie) => cookie.startsWith('wos-session=Fe26'));
  if (line === undefined) return undefined;
  const opened = unsealCookieValue<SessionData>(decodeURIComponent(line.slice('wos-session='.length).split(';')[0]!), [IRON_PASSWORD]);
  return opened.ok ? opened.value : undefined;
}

/** The `Cookie` header that carries the session cookie a response set. */
export function cookieSet(response: request.Response): string {
  const line = setCookies(response).find((cookie) => cookie.startsWith('wos-session=Fe26'));
  if (line === undefined) throw new Error('the response set no session cookie');
  return line.split(';')[0]!;
}

export const clearsSession = (response: request.Response) => setCookies(response).some((line) => /^wos-session=;.*Max-Age=0/.test(line));

/** A same-origin form POST, the one sign-out every CSRF rule lets through. */
export const SAME_ORIGIN_POST = { 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'navigate', Origin: APP_ORIGIN };

/** Waits (real time) until `condition` holds; a condition, not a timing assertion. */
export async function eventually(condition: () => boolean, what: string, limitMs = 15_000): Promise<void> {
  const until = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
