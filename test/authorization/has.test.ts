import type { IncomingMessage } from 'node:http';
import request from 'supertest';
import { getAuth, type HasConditions } from '../../lib';
import { startTestApp, type TestApp } from '../helpers/app';
import { API, MEMBERSHIPS, sessionCookie, type SessionName } from './fixtures';

// `req.auth.has()` inside handlers, over the real claims of emulator-signed tokens.

const ROWS: { conditions: HasConditions; editor: boolean; multi: boolean }[] = [
  { conditions: { role: 'editor' }, editor: true, multi: false },
  { conditions: { role: 'admin' }, editor: false, multi: true },
  { conditions: { role: 'billing' }, editor: false, multi: true },
  { conditions: { permission: 'posts:write' }, editor: true, multi: false },
  { conditions: { permission: 'posts:read' }, editor: true, multi: true },
  { conditions: { entitlement: 'audit-logs' }, editor: true, multi: false },
  { conditions: { featureFlag: 'new-editor' }, editor: true, multi: false },
  { conditions: { featureFlag: 'dark-mode' }, editor: false, multi: false },
  // Every condition given must hold.
  { conditions: { role: 'editor', permission: 'posts:write' }, editor: true, multi: false },
  { conditions: { role: 'editor', permission: 'posts:delete' }, editor: false, multi: false },
  { conditions: { role: 'admin', permission: 'posts:read' }, editor: false, multi: true },
  // An absent key is "not given", not "must be absent".
  { conditions: { role: 'editor', permission: undefined }, editor: true, multi: false },
];

// Passed by index, not as JSON: JSON would drop the `undefined` values these rows are about.
const INVALID: [string, unknown][] = [
  ['nothing at all', {}],
  ['only undefined values', { role: undefined }],
  ['a misspelt key', { permision: 'posts:write' }],
  ['a list instead of a string', { permission: ['posts:write'] }],
  ['an empty string', { role: '' }],
];
const CONDITIONS: Record<string, unknown[]> = {
  valid: ROWS.map((row) => row.conditions),
  invalid: INVALID.map(([, conditions]) => conditions),
};

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({
    emulator: { memberships: MEMBERSHIPS },
    configure: (app, authkit) => {
      app.get('/has/:list/:index', authkit.optionalAuth, (req, res) => {
        const conditions = CONDITIONS[String(req.params.list)]?.[Number(req.params.index)] as HasConditions;
        try {
          res.json({ result: getAuth(req).has(conditions) });
        } catch (error) {
          res.status(400).json({ threw: (error as Error).name, message: (error as Error).message });
        }
      });
      app.get('/keys', authkit.optionalAuth, (req, res) => res.json(Object.keys(getAuth(req))));
      // Another library (express-jwt, Clerk) may set `req.auth` with a `has` of its own.
      app.get(
        '/foreign',
        (req, _res, next) => {
          (req as IncomingMessage & { auth?: unknown }).auth = { user: { id: 'user_forged' }, has: () => true };
          next();
        },
        (req, res) => res.json({ user: getAuth(req).user, has: getAuth(req).has({ role: 'admin' }) }),
      );
    },
  });
});
afterAll(() => t.close());

async function has(session: SessionName | 'signedOut', list: 'valid' | 'invalid', index: number) {
  const test = request(t.app).get(`/has/${list}/${index}`).set(API);
  return session === 'signedOut' ? test : test.set('Cookie', sessionCookie(t.emulator, session).cookie);
}

describe('req.auth.has()', () => {
  describe.each(['editor', 'multi'] as const)('signed in (%s)', (session) => {
    it.each(ROWS.map((row, index) => ({ ...row, index })))('$conditions', async (row) => {
      const response = await has(session, 'valid', row.index);
      expect(response.body).toEqual({ result: row[session] });
    });
  });

  it.each(ROWS.map((row, index) => ({ ...row, index })))('is false when signed out: $conditions', async (row) => {
    expect((await has('signedOut', 'valid', row.index)).body).toEqual({ result: false });
  });

  it.each(INVALID.map(([name], index) => ({ name, index })))(
    'throws a TypeError (never a vacuous true) for $name, signed in or out',
    async ({ index }) => {
      for (const session of ['editor', 'signedOut'] as const) {
        const response = await has(session, 'invalid', index);
        expect(response.status).toBe(400);
        expect(response.body.threw).toBe('TypeError');
      }
    },
  );

  it('is not serialised with the auth state, signed in or out', async () => {
    const signedIn = await request(t.app).get('/keys').set('Cookie', sessionCookie(t.emulator, 'editor').cookie);
    expect(signedIn.body).toContain('permissions');
    expect(signedIn.body).not.toContain('has');
    expect((await request(t.app).get('/keys')).body).toEqual(['user']);
    // The core test app answers `res.json(getAuth(req))`: data only.
    const me = await request(t.app).get('/api/me').set(API).set('Cookie', sessionCookie(t.emulator, 'editor').cookie).expect(200);
    expect(me.body).not.toHaveProperty('has');
    expect(me.body.roles).toEqual(['editor']);
  });

  it('never trusts a `req.auth` (and its `has`) that another library set', async () => {
    expect((await request(t.app).get('/foreign')).body).toEqual({ user: null, has: false });
  });
});
