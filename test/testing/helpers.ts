import { WorkOS } from '@workos-inc/node';
import type { Emulator } from '../../lib/testing';

export const REDIRECT_URI = 'http://localhost:3000/callback';
export const COOKIE_PASSWORD = 'a-cookie-password-of-at-least-32-chars!';

/** The SDK falls back to these; a developer's shell must not leak into the tests. */
export function clearWorkosEnv(): void {
  delete process.env.WORKOS_API_KEY;
  delete process.env.WORKOS_CLIENT_ID;
}

export interface SdkOptions {
  /** `null` makes a public (PKCE-only) client. Default: the emulator's key. */
  apiKey?: string | null;
  /** The SDK retries 408/429/5xx three times by default; fault tests turn that off. */
  maxRetries?: number;
}

/** The real SDK, pointed at the emulator. */
export function sdkFor(emulator: Emulator, options: SdkOptions = {}): WorkOS {
  const apiKey = options.apiKey === undefined ? emulator.apiKey : options.apiKey;
  return new WorkOS({
    ...(apiKey === null ? {} : { apiKey }),
    clientId: emulator.clientId,
    apiHostname: emulator.settings.apiHostname,
    https: emulator.settings.apiHttps,
    port: emulator.settings.apiPort,
    maxRetries: options.maxRetries ?? 0,
  });
}

type AuthorizationUrlOptions = Parameters<WorkOS['userManagement']['getAuthorizationUrl']>[0];
/** The SDK's options minus `redirectUri`, kept a union (plain `Omit` would merge its members). */
export type AuthorizeParams = AuthorizationUrlOptions extends infer T
  ? T extends unknown
    ? Omit<T, 'redirectUri'>
    : never
  : never;

/** Follows the SDK's authorization URL one hop and returns where the emulator redirects. */
export async function authorizeRedirect(workos: WorkOS, params: AuthorizeParams = { provider: 'authkit' }): Promise<URL> {
  const url = workos.userManagement.getAuthorizationUrl({ redirectUri: REDIRECT_URI, ...params });
  const response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location');
  if (response.status !== 302 || location === null) {
    throw new Error(`expected a redirect from authorize, got ${response.status}`);
  }
  return new URL(location);
}

/** An authorization code from an auto-approved authorize request. */
export async function codeFor(workos: WorkOS, params?: AuthorizeParams): Promise<string> {
  const code = (await authorizeRedirect(workos, params)).searchParams.get('code');
  if (code === null) throw new Error('authorize redirect carried no code');
  return code;
}

/** Decodes a JWT segment without verifying it (assertions on claims and headers). */
export function decodeSegment(token: string, index: 0 | 1): Record<string, unknown> {
  const segment = token.split('.')[index];
  if (segment === undefined) throw new Error('not a JWT');
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The error a promise rejects with, so tests can assert on its fields. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected the promise to reject');
}
