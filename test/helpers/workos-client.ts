import { WorkOS } from '@workos-inc/node';
import type { Emulator } from '../../lib/testing';
import { REDIRECT_URI } from './app-setup';

export interface WorkOSClientOptions {
  /** `null` makes a public (PKCE-only) client. Default: the emulator's key. */
  apiKey?: string | null;
  /** Default 0: the SDK retries 408/429/5xx by default, which would hide the failures tests inject. */
  maxRetries?: number;
}

/** The real `@workos-inc/node` client, pointed at the emulator, without automatic retries unless asked. */
export function workosClientFor(emulator: Emulator, options: WorkOSClientOptions = {}): WorkOS {
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
export type AuthorizeParams = AuthorizationUrlOptions extends infer T ? (T extends unknown ? Omit<T, 'redirectUri'> : never) : never;

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
