import { randomBytes } from 'node:crypto';
import type { Emulator } from '../emulator/types';
import type { EnvEntry } from './env-file';

/** The WORKOS_* settings that point an app at the emulator; the last two are only suggestions. */
export function emulatorEnv(emulator: Emulator, redirectUri: string): EnvEntry[] {
  const { settings } = emulator;
  return [
    ['WORKOS_CLIENT_ID', settings.clientId],
    ['WORKOS_API_KEY', settings.apiKey],
    ['WORKOS_API_HOSTNAME', settings.apiHostname],
    ['WORKOS_API_HTTPS', 'false'],
    ['WORKOS_API_PORT', String(settings.apiPort)],
    ['WORKOS_REDIRECT_URI', redirectUri],
    // 43 characters: the library needs at least 32.
    ['WORKOS_COOKIE_PASSWORD', randomBytes(32).toString('base64url')],
  ];
}

/** Keys whose value must match this emulator for the app to reach it. */
export const CONNECTION_KEYS: ReadonlySet<string> = new Set([
  'WORKOS_CLIENT_ID',
  'WORKOS_API_KEY',
  'WORKOS_API_HOSTNAME',
  'WORKOS_API_HTTPS',
  'WORKOS_API_PORT',
]);
