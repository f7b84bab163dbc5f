import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Emulator, EmulatorMembership } from '../../lib/testing';
import { sealCookieValue } from '../../lib/session/iron';
import { COOKIE_PASSWORD } from '../helpers/env';

export const USER_ID = 'user_01EMULATOR';

/** What each session's access token grants: the emulator copies these into the token's claims. */
export const MEMBERSHIPS: EmulatorMembership[] = [
  {
    userId: USER_ID,
    organizationId: 'org_editor',
    role: 'editor',
    permissions: ['posts:read', 'posts:write'],
    entitlements: ['audit-logs'],
    featureFlags: ['new-editor'],
  },
  // Only the `roles` claim, no `role`: people who hold several roles.
  { userId: USER_ID, organizationId: 'org_multi', roles: ['admin', 'billing'], permissions: ['posts:read'] },
  // A membership that grants nothing.
  { userId: USER_ID, organizationId: 'org_plain' },
];

export type SessionName = 'editor' | 'multi' | 'plain' | 'noOrg';

const ORGANIZATIONS: Record<SessionName, string | undefined> = {
  editor: 'org_editor',
  multi: 'org_multi',
  plain: 'org_plain',
  noOrg: undefined,
};

/** A session cookie as the browser would hold it after signing in (sealed at emulator time). */
export function sessionCookie(emulator: Emulator, name: SessionName): { cookie: string; accessToken: string } {
  const organizationId = ORGANIZATIONS[name];
  const session = emulator.createSession(organizationId === undefined ? {} : { organizationId });
  const sealed = sealCookieValue(session, { id: '1', secret: COOKIE_PASSWORD }, { now: emulator.clock.now() });
  return { cookie: `wos-session=${sealed}`, accessToken: session.accessToken };
}

/** An API client (fetch/XHR), which must get status codes, never an HTML redirect. */
export const API = { Accept: 'application/json', 'Sec-Fetch-Mode': 'cors' };

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Sends the request target exactly as written: supertest (via `new URL`) would resolve
 * `/public/../private` before sending, hiding the attack these tests are about.
 */
export async function rawRequest(app: Express, target: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  try {
    const { port } = server.address() as AddressInfo;
    return await new Promise<RawResponse>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: target, method, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}
