import { cookieValueExpiry, seal, sealCookieValue, sealExpiry, sealMacPart, type IronPassword } from '../../lib/session/iron';

const PASSWORD: IronPassword = { id: '1', secret: 'a-cookie-password-of-at-least-32-characters' };
const NOW = 1_700_000_000_000;

describe('seal accessors', () => {
  it('read the expiration a seal was written with', () => {
    expect(sealExpiry(seal({ a: 1 }, PASSWORD, { now: NOW, ttlSeconds: 60 }))).toEqual({ kind: 'expires', atMs: NOW + 60_000 });
    expect(sealExpiry(seal({ a: 1 }, PASSWORD, { now: NOW }))).toEqual({ kind: 'never' });
    const cookie = sealCookieValue({ a: 1 }, PASSWORD, { now: NOW, ttlSeconds: 1 });
    expect(cookieValueExpiry(cookie)).toEqual({ kind: 'expires', atMs: NOW + 1_000 });
    expect(cookieValueExpiry(sealCookieValue({ a: 1 }, PASSWORD, { now: NOW }))).toEqual({ kind: 'never' });
  });

  it.each([
    ['junk'],
    [''],
    ['Fe26.2*1*s*iv*ct*junk*hs*mac'],
    ['Fe26.2*1*s*iv*ct*-5*hs*mac'],
    ['Fe26.2*1*s*iv*ct*0*hs*mac'],
    ['Fe26.2*1*s*iv*ct*1e3*hs*mac'],
    ['Fe26.2*1*s*iv*ct*1700000000000'],
    ['Fe26.1*1*s*iv*ct*1700000000000*hs*mac'],
    ['Fe26.2*1*s*iv*ct*1700000000000*hs*mac*extra'],
  ])('calls %j not a seal', (value) => {
    expect(sealExpiry(value)).toEqual({ kind: 'not_a_seal' });
  });

  it('reads a cookie value up to its version suffix', () => {
    expect(cookieValueExpiry('Fe26.2*1*s*iv*ct*1700000000000*hs*mac~2')).toEqual({ kind: 'expires', atMs: 1_700_000_000_000 });
    expect(cookieValueExpiry('Fe26.2*1*s*iv*ct**hs*mac')).toEqual({ kind: 'never' });
    expect(cookieValueExpiry('~2')).toEqual({ kind: 'not_a_seal' });
  });

  it('give the MAC part, or nothing for a value without any `*`', () => {
    const cookie = sealCookieValue({ a: 1 }, PASSWORD);
    expect(sealMacPart(cookie)).toMatch(/^[A-Za-z0-9_-]{43}~2$/);
    expect(cookie.endsWith(`*${sealMacPart(cookie) ?? ''}`)).toBe(true);
    expect(sealMacPart('a*')).toBe('');
    expect(sealMacPart('no separator')).toBeUndefined();
  });
});
