/**
 * Issue 16: with `errorHandler` mounted, a failed sign-in callback showed a clear page and left
 * nothing in the server's log. Each failure is now one `logger.warn` line with its error code,
 * status and what WorkOS said, never the code or state values. Express (with errorHandler) and
 * Koa (Koa's own error handling).
 */
import express from 'express';
import Koa from 'koa';
import request from 'supertest';
import { createAuthKit } from '../../lib';
import { createAuthKit as createKoaAuthKit } from '../../lib/koa';
import { BROWSER, signIn } from '../helpers/app';
import { setUpTestApp, type TestAppSetup } from '../helpers/app-setup';

type Handler = Parameters<typeof request>[0];

const apps: Array<[string, (setup: TestAppSetup) => Handler]> = [
  [
    'Express with errorHandler',
    (setup) => {
      const authkit = createAuthKit(setup.authkitOptions);
      return express().use(authkit.router).use(authkit.errorHandler);
    },
  ],
  [
    'Koa',
    (setup) => {
      const authkit = createKoaAuthKit(setup.authkitOptions);
      const app = new Koa();
      app.silent = true;
      return app.use(authkit.router as unknown as Koa.Middleware).callback();
    },
  ],
];

/** Starts a sign-in in `agent` and returns the callback URL the emulator sent the browser back to. */
async function pendingCallback(agent: ReturnType<typeof request.agent>): Promise<URL> {
  const login = await agent.get('/login').set(BROWSER).expect(302);
  const authorize = await fetch(login.headers.location as string, { redirect: 'manual' });
  return new URL(authorize.headers.get('location') as string);
}

let setup: TestAppSetup;
beforeEach(async () => {
  setup = await setUpTestApp();
});
afterEach(() => setup.emulator.close());

describe.each(apps)('%s: failed callbacks reach the log', (_name, start) => {
  it('one line per failure, with its code and status, never the code or state values', async () => {
    const app = start(setup);
    await request(app).get('/callback?code=code-VALUE-1&state=state-VALUE-1').set(BROWSER).expect(400);
    await request(app).get('/callback?code=code-VALUE-2').set(BROWSER).expect(400);
    expect(setup.warnings).toEqual([
      'Sign-in callback failed: invalid_state (400). The sign-in state is invalid or has expired. Start signing in again.',
      'Sign-in callback failed: missing_state (400). The sign-in callback has no state parameter. Start signing in again.',
    ]);
    expect(setup.warnings.join('\n')).not.toMatch(/VALUE/);
  });

  it('names the error WorkOS redirected back with, and only when it is a plain identifier', async () => {
    setup.emulator.failAuthorize('access_denied', 'The user cancelled.');
    const agent = request.agent(start(setup));
    const callback = await pendingCallback(agent);
    await agent.get(`${callback.pathname}${callback.search}`).set(BROWSER).expect(400);
    await agent.get('/callback?error=%3Cscript%3Ealert(1)%3C%2Fscript%3E%0Aforged%20line').set(BROWSER).expect(400);
    expect(setup.warnings).toEqual([
      'Sign-in callback failed: authorization_denied (400), WorkOS error access_denied. Sign-in did not complete: WorkOS returned an error. Start signing in again.',
      'Sign-in callback failed: authorization_denied (400), WorkOS sent an error. Sign-in did not complete: WorkOS returned an error. Start signing in again.',
    ]);
  });

  it('says what WorkOS answered when it refused the code', async () => {
    const agent = request.agent(start(setup));
    const callback = await pendingCallback(agent);
    callback.searchParams.set('code', 'code-VALUE-forged');
    await agent.get(`${callback.pathname}${callback.search}`).set(BROWSER).expect(400);
    expect(setup.warnings).toEqual([
      expect.stringMatching(/^Sign-in callback failed: code_exchange_failed \(400\), WorkOS answered 400 invalid_grant\. /),
    ]);
    expect(setup.warnings.join('\n')).not.toMatch(/VALUE/);
  });

  it('says so when WorkOS did not answer', async () => {
    const agent = request.agent(start(setup));
    const callback = await pendingCallback(agent);
    setup.emulator.failNext('authenticate_code', { drop: true }, 10);
    await agent.get(`${callback.pathname}${callback.search}`).set(BROWSER).expect(502);
    expect(setup.warnings).toEqual([
      expect.stringMatching(/^Sign-in callback failed: code_exchange_failed \(502\), no answer from WorkOS: .+\. /),
    ]);
  });

  it('logs nothing for a sign-in that works', async () => {
    const response = await signIn(request.agent(start(setup)));
    expect(response.status).toBe(302);
    expect(setup.warnings).toEqual([]);
  });
});
