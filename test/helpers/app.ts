import express, { type Express } from 'express';
import request from 'supertest';
import { getAuth, type AuthKit } from '../../lib';
import { connectAuthKit } from '../../lib/adapters/connect/create';
import { createAuthKitContext } from '../../lib/core/context';
import type { Emulator } from '../../lib/testing';
import { setUpTestApp, type TestAppOptions } from './app-setup';

export interface TestApp {
  emulator: Emulator;
  authkit: AuthKit;
  app: Express;
  /** What the library logged (tests see warnings instead of the console). */
  warnings: string[];
  close(): Promise<void>;
}

/**
 * A real Express app using the library against a running emulator: `/` is public
 * (optionalAuth), `/dashboard` and `/api/me` are protected (requireAuth).
 */
export async function startTestApp(
  options: TestAppOptions & {
    configure?: (app: Express, authkit: AuthKit) => void;
    /** Sees every error that reaches the app's error handler. */
    onError?: (error: unknown) => void;
  } = {},
): Promise<TestApp> {
  const { emulator, authkitOptions, warnings } = await setUpTestApp(options);
  const authkit = connectAuthKit(createAuthKitContext(authkitOptions, options.ports));
  const app = express();
  // Runs first, so tests can put middleware (cookie-parser, …) in front of the routes.
  options.configure?.(app, authkit);
  app.use(authkit.router);
  app.get('/', authkit.optionalAuth, (req, res) => {
    const auth = getAuth(req);
    res.json({ signedIn: auth.user !== null, email: auth.user?.email ?? null });
  });
  app.get('/dashboard', authkit.requireAuth, (req, res) => {
    const auth = getAuth(req);
    res.type('html').send(`<h1>Dashboard of ${auth.user?.email}</h1>`);
  });
  app.get('/api/me', authkit.requireAuth(), (req, res) => res.json(getAuth(req)));
  // Shows the library's error codes to the tests, the way an app's own error handler would.
  app.use((error: { status?: number; code?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    options.onError?.(error);
    res.status(error.status ?? 500).json({ code: error.code ?? 'unknown' });
  });
  return { emulator, authkit, app, warnings, close: () => emulator.close() };
}

export const BROWSER = { Accept: 'text/html,application/xhtml+xml', 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Site': 'same-origin' };

/**
 * Walks a browser through sign-in: the app's /login, the emulator's authorize endpoint (over
 * real HTTP, auto-approved), then the callback with the flow cookie the agent kept.
 */
export async function signIn(agent: ReturnType<typeof request.agent>, path = '/login'): Promise<request.Response> {
  const login = await agent.get(path).set(BROWSER).expect(302);
  const authorize = await fetch(login.headers.location as string, { redirect: 'manual' });
  if (authorize.status !== 302) throw new Error(`emulator authorize answered ${authorize.status}`);
  const callback = new URL(authorize.headers.get('location') as string);
  return agent.get(`${callback.pathname}${callback.search}`).set(BROWSER);
}

/** The Set-Cookie header lines of a response, as an array. */
export function setCookies(response: request.Response): string[] {
  const header = response.headers['set-cookie'] as string[] | string | undefined;
  return header === undefined ? [] : Array.isArray(header) ? header : [header];
}

export function cookieValue(response: request.Response, name: string): string | undefined {
  const line = setCookies(response).find((cookie) => cookie.startsWith(`${name}=`));
  return line === undefined ? undefined : line.slice(name.length + 1).split(';')[0];
}
