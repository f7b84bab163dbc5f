import { request as httpRequest } from 'node:http';
import { unsealCookieValue } from '../../lib/session/iron';
import { IRON_PASSWORD } from '../helpers/session-cookie';
import type { Instances } from './instances';

/** How many app processes the scale tests run. */
export const INSTANCES = 3;

export interface Answer {
  status: number;
  setCookies: string[];
}

export function get(port: number, cookie: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/api/me', headers: { cookie, accept: 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, setCookies: res.headers['set-cookie'] ?? [] }));
    });
    req.on('error', reject);
    req.end();
  });
}

export const clears = (answer: Answer) => answer.setCookies.some((line) => /^wos-session=;/.test(line));
export function refreshTokenSet(answer: Answer): string | undefined {
  const line = answer.setCookies.find((cookie) => cookie.startsWith('wos-session=Fe26'));
  if (line === undefined) return undefined;
  const opened = unsealCookieValue<{ refreshToken: string }>(decodeURIComponent(line.slice('wos-session='.length).split(';')[0]!), [
    IRON_PASSWORD,
  ]);
  return opened.ok ? opened.value.refreshToken : undefined;
}

/** Every session requested on every instance at once (the proxy sends each of a session's requests to the next instance). */
export async function burst(instances: Instances, cookies: string[]): Promise<Answer[][]> {
  return Promise.all(cookies.map((cookie) => Promise.all(Array.from({ length: INSTANCES }, () => get(instances.port, cookie)))));
}

/** A same-origin sign-out form POST, as the app's own page sends it. */
export function signOutRequest(port: number, cookie: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/logout',
        headers: { cookie, origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin', 'content-length': '0' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, setCookies: res.headers['set-cookie'] ?? [] }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
