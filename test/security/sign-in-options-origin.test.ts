/**
 * Issue 12, finding 8: login CSRF through sign-in parameters. The options that choose who signs
 * in or where (connectionId, organizationId, loginHint, domainHint, invitationToken, prompt,
 * maxAge, state) count only from a request proven same-origin or from a link the app sealed with
 * getSignInUrl / getSignUpUrl. `returnTo` counts from anywhere. Express (Connect adapter) and Koa.
 */
import request from 'supertest';
import type { SignInLinkOptions } from '../../lib/flow/sign-in-query';
import { seal, unseal } from '../../lib/session/iron';
import type { Emulator } from '../../lib/testing';
import { startKoaApp } from '../helpers/koa-app';
import { BROWSER, setCookies, signIn, startTestApp } from '../helpers/app';
import { APP_ORIGIN } from '../helpers/app-setup';
import { COOKIE_PASSWORD } from '../helpers/env';

type Handler = Parameters<typeof request>[0];
type Headers = Record<string, string>;

const PASSWORD = { id: '1', secret: COOKIE_PASSWORD };

interface Started {
  server: Handler;
  emulator: Emulator;
  links: { getSignInUrl(options?: SignInLinkOptions): string; getSignUpUrl(options?: SignInLinkOptions): string };
  warnings: string[];
  debugLines: string[];
  close(): Promise<void>;
}

const adapters: Array<[string, () => Promise<Started>]> = [
  [
    'Express',
    async () => {
      const debugLines: string[] = [];
      const warnings: string[] = [];
      const t = await startTestApp({
        authkit: { debug: true, logger: { warn: (m) => warnings.push(m), debug: (m) => debugLines.push(m) } },
      });
      return { server: t.app, emulator: t.emulator, links: t.authkit, warnings, debugLines, close: t.close };
    },
  ],
  [
    'Koa',
    async () => {
      const debugLines: string[] = [];
      const warnings: string[] = [];
      const t = await startKoaApp({
        authkit: { debug: true, logger: { warn: (m) => warnings.push(m), debug: (m) => debugLines.push(m) } },
      });
      return { server: t.app.callback(), emulator: t.emulator, links: t.authkit, warnings, debugLines, close: t.close };
    },
  ],
];

/** Every option a link may choose, with values an attacker would pick. */
const ATTACKER_CHOICES = {
  connectionId: 'conn_attacker',
  organizationId: 'org_attacker',
  loginHint: 'attacker@evil.example',
  domainHint: 'evil.example',
  invitationToken: 'inv_attacker',
  prompt: 'login',
  maxAge: '0',
  state: 'attacker-state',
};
const CHOSEN_PARAMS = ['connection_id', 'organization_id', 'login_hint', 'domain_hint', 'invitation_token', 'prompt', 'max_age'];

const NAVIGATE = { Accept: 'text/html,application/xhtml+xml', 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Dest': 'document' };

/** Sign-in links that prove nothing about their origin. */
const unproven: Array<[string, Headers]> = [
  ['a link on another site', { ...NAVIGATE, 'Sec-Fetch-Site': 'cross-site' }],
  ['a link on a sibling subdomain (same-site)', { ...NAVIGATE, 'Sec-Fetch-Site': 'same-site' }],
  ['a link opened from an email, typed or bookmarked (none)', { ...NAVIGATE, 'Sec-Fetch-Site': 'none' }],
  ['a link without Fetch Metadata, Origin or Referer', { Accept: 'text/html' }],
  ['no headers at all', {}],
  ['an opaque origin', { Accept: 'text/html', Origin: 'null' }],
  ['an https Origin for this http app', { Accept: 'text/html', Origin: 'https://localhost:3000' }],
  ['a Referer on another port', { Accept: 'text/html', Referer: 'http://localhost:3001/pricing' }],
  ['an https Referer for this http app', { Accept: 'text/html', Referer: 'https://localhost:3000/pricing' }],
  ['a Referer on a sibling subdomain', { Accept: 'text/html', Referer: 'http://www.localhost:3000/pricing' }],
];

const proven: Array<[string, Headers]> = [
  ['a link on our page (Sec-Fetch-Site: same-origin)', BROWSER],
  ['an older browser link with our Referer', { Accept: 'text/html', Referer: `${APP_ORIGIN}/pricing` }],
  ['an older browser with our Origin', { Accept: 'text/html', Origin: APP_ORIGIN }],
];

function authorizeParams(response: request.Response): URLSearchParams {
  return new URL(response.headers.location as string).searchParams;
}

/** What the app sealed into WorkOS's `state`: the return path and the custom state. */
function sealedState(params: URLSearchParams): { r: string; s?: string } {
  const opened = unseal<{ r: string; s?: string }>(params.get('state') ?? '', [PASSWORD]);
  if (!opened.ok) throw new Error(`state did not unseal: ${opened.reason}`);
  return opened.value;
}

function expectPlainSignIn(params: URLSearchParams, screenHint = 'sign-in'): void {
  expect(params.get('provider')).toBe('authkit');
  expect(params.get('screen_hint')).toBe(screenHint);
  for (const name of CHOSEN_PARAMS) expect(params.has(name)).toBe(false);
  expect(sealedState(params).s).toBeUndefined();
}

/** Follows a started sign-in through the emulator (auto-approved) and back to the callback; returns the session's organization. */
async function finishSignIn(agent: ReturnType<typeof request.agent>, login: request.Response): Promise<unknown> {
  const authorize = await fetch(login.headers.location as string, { redirect: 'manual' });
  const callback = new URL(authorize.headers.get('location') as string);
  await agent.get(`${callback.pathname}${callback.search}`).set(BROWSER).expect(302);
  return (await agent.get('/api/me').expect(200)).body.organizationId ?? null;
}

describe.each(adapters)('%s: sign-in options only from this origin or a signed link', (_adapter, start) => {
  let t: Started;
  beforeEach(async () => {
    t = await start();
  });
  afterEach(() => t.close());

  it.each(unproven)('%s: the chosen options are dropped, returnTo kept, a plain sign-in starts', async (_name, headers) => {
    const login = await request(t.server)
      .get(`/login?${new URLSearchParams({ ...ATTACKER_CHOICES, returnTo: '/reports' })}`)
      .set(headers)
      .expect(302);
    const params = authorizeParams(login);
    expectPlainSignIn(params);
    expect(sealedState(params).r).toBe('/reports');
    expect(setCookies(login)).toContainEqual(expect.stringMatching(/^wos-auth-verifier-/));
  });

  it.each(unproven)('%s: /sign-up drops an invitation token it did not sign', async (_name, headers) => {
    const signUp = await request(t.server).get('/sign-up?invitationToken=inv_attacker&connectionId=conn_attacker').set(headers).expect(302);
    expectPlainSignIn(authorizeParams(signUp), 'sign-up');
  });

  it.each(proven)('%s: the options in the clear are used', async (_name, headers) => {
    const login = await request(t.server)
      .get(`/login?${new URLSearchParams({ ...ATTACKER_CHOICES, connectionId: '', returnTo: '/reports' })}`)
      .set(headers)
      .expect(302);
    const params = authorizeParams(login);
    expect(params.get('organization_id')).toBe('org_attacker');
    expect(params.get('login_hint')).toBe('attacker@evil.example');
    expect(params.get('invitation_token')).toBe('inv_attacker');
    expect(params.get('max_age')).toBe('0');
    expect(sealedState(params)).toMatchObject({ r: '/reports', s: 'attacker-state' });
  });

  it('end to end: a cross-site link cannot sign the visitor into the organization it names; a same-origin one can', async () => {
    const victim = request.agent(t.server);
    const crossSite = await victim
      .get('/login?organizationId=org_attacker')
      .set({ ...NAVIGATE, 'Sec-Fetch-Site': 'cross-site' })
      .expect(302);
    expect(await finishSignIn(victim, crossSite)).toBeNull();
    const sameOrigin = await victim.get('/login?organizationId=org_attacker').set(BROWSER).expect(302);
    expect(await finishSignIn(victim, sameOrigin)).toBe('org_attacker');
  });

  it('end to end: a signed link works from another site', async () => {
    const visitor = request.agent(t.server);
    const link = t.links.getSignInUrl({ organizationId: 'org_acme', returnTo: '/reports' });
    const login = await visitor
      .get(link)
      .set({ ...NAVIGATE, 'Sec-Fetch-Site': 'cross-site' })
      .expect(302);
    expect(await finishSignIn(visitor, login)).toBe('org_acme');
  });

  it.each(unproven)('%s: a signed link keeps every option', async (_name, headers) => {
    const link = t.links.getSignInUrl({
      ...ATTACKER_CHOICES,
      connectionId: 'conn_1',
      organizationId: 'org_1',
      maxAge: 300,
      state: 'pricing',
      returnTo: '/reports',
    });
    expect(link).toMatch(/^\/login\?returnTo=%2Freports&signed=Fe26\.2\*[^&]+$/);
    expect(link).not.toContain('conn_1');
    const params = authorizeParams(await request(t.server).get(link).set(headers).expect(302));
    expect(params.get('connection_id')).toBe('conn_1');
    expect(params.get('organization_id')).toBe('org_1');
    expect(params.get('max_age')).toBe('300');
    expect(sealedState(params)).toEqual(expect.objectContaining({ r: '/reports', s: 'pricing' }));
    const signUp = await request(t.server)
      .get(t.links.getSignUpUrl({ invitationToken: 'inv_1' }))
      .set(headers)
      .expect(302);
    expect(authorizeParams(signUp).get('invitation_token')).toBe('inv_1');
    expect(authorizeParams(signUp).get('screen_hint')).toBe('sign-up');
  });

  it.each<[string, Headers]>([
    ['from another site', { ...NAVIGATE, 'Sec-Fetch-Site': 'cross-site' }],
    ['from this origin', BROWSER],
  ])('extra parameters in the clear cannot override or add to a signed link (%s)', async (_name, headers) => {
    const link = t.links.getSignInUrl({ organizationId: 'org_1' });
    const extra = new URLSearchParams({ ...ATTACKER_CHOICES });
    for (const tampered of [`${link}&${extra}`, `/login?${extra}&${link.split('?')[1]}`]) {
      const params = authorizeParams(await request(t.server).get(tampered).set(headers).expect(302));
      expect(params.get('organization_id')).toBe('org_1');
      for (const name of CHOSEN_PARAMS.filter((n) => n !== 'organization_id')) expect(params.has(name)).toBe(false);
      expect(sealedState(params).s).toBeUndefined();
    }
  });

  it('a signed link lasts an hour (plus the seal skew), then signs in without its options', async () => {
    const link = t.links.getSignInUrl({ connectionId: 'conn_1' });
    const crossSite = { ...NAVIGATE, 'Sec-Fetch-Site': 'cross-site' };
    t.emulator.clock.advance(59 * 60);
    expect(authorizeParams(await request(t.server).get(link).set(crossSite).expect(302)).get('connection_id')).toBe('conn_1');
    t.emulator.clock.advance(3 * 60);
    expectPlainSignIn(authorizeParams(await request(t.server).get(link).set(crossSite).expect(302)));
    // Nor does this origin's trust bring an expired link's options, or clear ones beside it, back.
    expectPlainSignIn(authorizeParams(await request(t.server).get(`${link}&connectionId=conn_2`).set(BROWSER).expect(302)));
    expect(t.debugLines).toContainEqual(expect.stringContaining('signed link has expired'));
  });

  it('ignores tampered, foreign and hostile `signed` values (never a 400 or 500)', async () => {
    const link = t.links.getSignInUrl({ connectionId: 'conn_1' });
    const sealed = new URLSearchParams(link.split('?')[1]).get('signed')!;
    const parts = sealed.split('*');
    const flip = (part: string) => part.slice(0, -2) + (part.at(-2) === 'A' ? 'B' : 'A') + part.slice(-1);
    // A state the app itself sealed for a sign-in (anyone can get one by starting a sign-in).
    const appState = authorizeParams(await request(t.server).get('/login').set(BROWSER).expect(302)).get('state')!;
    const values = [
      [...parts.slice(0, 4), flip(parts[4]!), ...parts.slice(5)].join('*'), // ciphertext changed
      [...parts.slice(0, 7), flip(parts[7]!)].join('*'), // MAC changed
      seal({ p: 'sign-in-link', o: { connectionId: 'conn_attacker' } }, { id: '1', secret: 'another-password-of-at-least-32-characters' }),
      appState,
      seal({ p: 'sign-in-link', o: { connectionId: { toString: 'x' } } }, PASSWORD),
      seal({ p: 'sign-in-link', o: { connectionId: 'conn_attacker', isAdmin: true } }, PASSWORD),
      seal({ p: 'sign-in-link', o: { maxAge: -1 } }, PASSWORD),
      seal({ p: 'sign-in-link', o: ['conn_attacker'] }, PASSWORD),
      seal({ p: 'other', o: { connectionId: 'conn_attacker' } }, PASSWORD),
      seal('conn_attacker', PASSWORD),
      'x'.repeat(8000),
      '\u00ff\u00fe<script>\t',
      'Fe26.2*1*' + '*'.repeat(6),
    ];
    for (const value of values) {
      for (const headers of [{ ...NAVIGATE, 'Sec-Fetch-Site': 'cross-site' }, BROWSER]) {
        const response = await request(t.server)
          .get(`/login?${new URLSearchParams({ signed: value, connectionId: 'conn_attacker' })}`)
          .set(headers)
          .expect(302);
        expectPlainSignIn(authorizeParams(response));
      }
    }
    // Duplicated: the first counts.
    const twice = await request(t.server)
      .get(`/login?signed=${encodeURIComponent(values[0]!)}&signed=${encodeURIComponent(sealed)}`)
      .set(BROWSER)
      .expect(302);
    expectPlainSignIn(authorizeParams(twice));
  });

  it('an unproven request with unusable values in the clear still signs in (they are dropped, not judged); this origin gets the 400', async () => {
    const query = new URLSearchParams({ maxAge: '-1', loginHint: 'x'.repeat(5000), state: 'y'.repeat(2000) });
    expectPlainSignIn(
      authorizeParams(
        await request(t.server)
          .get(`/login?${query}`)
          .set({ ...NAVIGATE, 'Sec-Fetch-Site': 'cross-site' })
          .expect(302),
      ),
    );
    const refused = await request(t.server).get(`/login?${query}`).set(BROWSER).expect(400);
    expect(refused.body.error).toBe('invalid_request');
  });

  it('logs what it dropped by name, never by value: every time in the debug log, once as a warning', async () => {
    const crossSite = { ...NAVIGATE, 'Sec-Fetch-Site': 'cross-site' };
    await request(t.server)
      .get(`/login?${new URLSearchParams(ATTACKER_CHOICES)}`)
      .set(crossSite)
      .expect(302);
    await request(t.server).get('/login?organizationId=org_attacker').set(crossSite).expect(302);
    const link = t.links.getSignInUrl({ organizationId: 'org_1' });
    await request(t.server).get(`${link}&loginHint=attacker%40evil.example`).set(crossSite).expect(302);
    await request(t.server).get('/login?returnTo=%2Freports').set(crossSite).expect(302);
    expect(t.debugLines.filter((line) => line.startsWith('sign-in: ignored'))).toEqual([
      'sign-in: ignored organizationId, loginHint, domainHint, connectionId, invitationToken, prompt, state, maxAge: the request did not prove it came from this origin',
      'sign-in: ignored organizationId: the request did not prove it came from this origin',
      'sign-in: ignored loginHint: the link is signed and its sealed options win',
    ]);
    expect(t.warnings).toHaveLength(1);
    expect(t.warnings[0]).toContain('getSignInUrl');
    for (const line of [...t.warnings, ...t.debugLines])
      expect(line).not.toMatch(/conn_attacker|org_attacker|inv_attacker|attacker-state|attacker@|org_1/);
  });

  it('still lets a person who followed a plain sign-in link finish signing in', async () => {
    const agent = request.agent(t.server);
    const done = await signIn(agent, '/login?returnTo=%2Fdashboard');
    expect(done.headers.location).toBe('/dashboard');
  });
});
