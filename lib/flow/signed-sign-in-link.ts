import type { ResolvedConfig } from '../config/resolve';
import { seal, unseal, type UnsealFailure } from '../session/iron';

/** The query parameter of a link to the login route that carries the sealed sign-in options. */
export const SIGNED_PARAM = 'signed';
/**
 * How long a link from `getSignInUrl` keeps its options: long enough for a page left open a
 * while, short enough that a link once issued for one person does not work for anyone forever.
 * An expired link still signs in, without its options.
 */
export const SIGNED_LINK_TTL_SECONDS = 60 * 60;
/** Tells these seals apart from every other seal made with the cookie password (state, flow cookie, session). */
const PURPOSE = 'sign-in-link';

type SealConfig = Pick<ResolvedConfig, 'passwords' | 'clock'>;

/** Seals the options an app chose for a sign-in link, so the login route can trust them from any origin. */
export function sealLinkChoices(config: SealConfig, choices: Readonly<Record<string, string | number>>): string {
  const [password] = config.passwords;
  if (password === undefined) throw new Error('No cookie password configured');
  return seal({ p: PURPOSE, o: choices }, password, { ttlSeconds: SIGNED_LINK_TTL_SECONDS, now: config.clock.now() });
}

export type LinkOpenFailure = UnsealFailure | 'not_a_sign_in_link';

/** Opens a `signed` parameter: the sealed options as an unchecked record (the caller checks every field), or why not. */
export function openLinkChoices(
  config: SealConfig,
  value: string,
): { ok: true; choices: Record<string, unknown> } | { ok: false; reason: LinkOpenFailure } {
  const opened = unseal(value, config.passwords, { now: config.clock.now() });
  if (!opened.ok) return { ok: false, reason: opened.reason };
  const payload = opened.value as { p?: unknown; o?: unknown } | null;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload) || payload.p !== PURPOSE)
    return { ok: false, reason: 'not_a_sign_in_link' };
  const choices = payload.o;
  if (typeof choices !== 'object' || choices === null || Array.isArray(choices)) return { ok: false, reason: 'not_a_sign_in_link' };
  return { ok: true, choices: choices as Record<string, unknown> };
}
