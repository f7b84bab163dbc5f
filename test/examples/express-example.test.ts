import request from 'supertest';
import { startEmulator, type Emulator } from 'authkit-express/testing';
import { createApp } from '../../examples/express/app';
import { BROWSER, setCookies } from '../helpers/app';
import { clearWorkOSEnv, COOKIE_PASSWORD } from '../helpers/env';
import { submitSignInPage } from '../helpers/sign-in-page';

let emulator: Emulator;
beforeEach(async () => {
  clearWorkOSEnv();
  // The interactive sign-in page, as a person running `npm run example` sees it.
  emulator = await startEmulator();
});
afterEach(() => emulator.close());

describe('examples/express', () => {
  it('signs a person in on the emulator page, shows the dashboard, survives token expiry, signs out', async () => {
    const app = createApp({ ...emulator.settings, cookiePassword: COOKIE_PASSWORD, redirectUri: 'http://localhost:3000/callback' });
    const browser = request.agent(app);

    const home = await browser.get('/').set(BROWSER).expect(200);
    expect(home.text).toContain('<a href="/login">Sign in</a>');

    const refused = await browser.get('/dashboard').set(BROWSER).expect(302);
    const login = await browser
      .get(refused.headers.location as string)
      .set(BROWSER)
      .expect(302);
    const callback = await submitSignInPage(emulator, login.headers.location as string, 'grace@example.com');
    const landed = await browser.get(`${callback.pathname}${callback.search}`).set(BROWSER).expect(302);
    expect(landed.headers.location).toBe('/dashboard');

    const dashboard = await browser.get('/dashboard').set(BROWSER).expect(200);
    expect(dashboard.text).toContain('grace@example.com');

    emulator.clock.advance(60 * 60);
    const later = await browser.get('/dashboard').set(BROWSER).expect(200);
    expect(setCookies(later).some((cookie) => cookie.startsWith('wos-session=Fe26.2'))).toBe(true);

    const logout = await browser.get('/logout').set(BROWSER).expect(302);
    const signedOut = await fetch(logout.headers.location as string, { redirect: 'manual' });
    expect(signedOut.status).toBe(302);
    await browser
      .get('/')
      .set(BROWSER)
      .expect(200)
      .expect(/You are signed out/);
    await browser.get('/api/me').expect(401);
  });
});
