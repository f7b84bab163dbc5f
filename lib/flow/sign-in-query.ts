import type { ResolvedConfig } from '../config/resolve';
import type { SignInOptions } from './sign-in';
import { MAX_CUSTOM_STATE_LENGTH } from './sign-in-state';
import { openLinkChoices, sealLinkChoices, SIGNED_PARAM, type LinkOpenFailure } from './signed-sign-in-link';

/**
 * Options that choose who signs in, where or how. Taken from another site they are login CSRF
 * (`connectionId` of the attacker's IdP signs the victim in as the attacker), so the login route
 * takes them only from a request proven same-origin or from a link the app sealed.
 */
const CHOICE_TEXT_KEYS = ['organizationId', 'loginHint', 'domainHint', 'connectionId', 'invitationToken', 'prompt', 'state'] as const;
const CHOICE_KEYS: readonly string[] = [...CHOICE_TEXT_KEYS, 'maxAge'];
/** Generous for any real id or hint; keeps a crafted link from bloating the authorize URL. */
const MAX_VALUE_LENGTH = 2048;

/**
 * Options of `getSignInUrl` / `getSignUpUrl`: where to come back to and who signs in where.
 *
 * @interface
 */
export type SignInLinkOptions = Omit<SignInOptions, 'screenHint'>;
type SignInChoices = Omit<SignInLinkOptions, 'returnTo'>;

function checkSignInOptions(options: SignInLinkOptions): string | undefined {
  if (options.returnTo !== undefined && typeof options.returnTo !== 'string') return 'returnTo must be text.';
  if (options.state !== undefined && typeof options.state === 'string' && options.state.length > MAX_CUSTOM_STATE_LENGTH) {
    return `state must be at most ${MAX_CUSTOM_STATE_LENGTH} characters.`;
  }
  for (const key of CHOICE_TEXT_KEYS) {
    const value = options[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') return `${key} must be text.`;
    if (value.length > MAX_VALUE_LENGTH) return `${key} must be text of at most ${MAX_VALUE_LENGTH} characters.`;
  }
  if (options.maxAge !== undefined && !(Number.isInteger(options.maxAge) && options.maxAge >= 0))
    return 'maxAge must be a whole number of seconds.';
  return undefined;
}

/** The choices an app passed to `getSignInUrl`, empty values left out. */
function presentChoices(options: SignInLinkOptions): Record<string, string | number> {
  const choices: Record<string, string | number> = {};
  for (const key of CHOICE_TEXT_KEYS) {
    const value = options[key];
    if (value !== undefined && value !== '') choices[key] = value;
  }
  if (options.maxAge !== undefined) choices.maxAge = options.maxAge;
  return choices;
}

/**
 * The query string of a link to the login (or sign-up) route that starts a sign-in with `options`:
 * `returnTo` in the clear (it is checked as a safe path anyway), every other option sealed into
 * `signed`, so the route accepts them whichever site the link is on.
 */
export function signInQuery(config: Pick<ResolvedConfig, 'passwords' | 'clock'>, options: SignInLinkOptions): URLSearchParams {
  const problem = checkSignInOptions(options);
  if (problem) throw new RangeError(problem);
  const query = new URLSearchParams();
  if (options.returnTo !== undefined && options.returnTo !== '') query.set('returnTo', options.returnTo);
  const choices = presentChoices(options);
  if (Object.keys(choices).length > 0) query.set(SIGNED_PARAM, sealLinkChoices(config, choices));
  return query;
}

/** Choices read back from a seal: every field checked again; anything unexpected voids the whole link. */
function choicesFromSeal(sealed: Record<string, unknown>): SignInChoices | undefined {
  if (Object.keys(sealed).some((key) => !CHOICE_KEYS.includes(key))) return undefined;
  const choices = sealed as SignInChoices;
  return checkSignInOptions(choices) === undefined ? choices : undefined;
}

/** Choices written in the clear in the query (only ever trusted from this origin). */
function unsignedChoices(query: URLSearchParams): SignInChoices {
  const choices: SignInChoices = {};
  for (const key of CHOICE_TEXT_KEYS) {
    const value = query.get(key);
    if (value !== null && value !== '') choices[key] = value;
  }
  const maxAge = query.get('maxAge');
  if (maxAge !== null && maxAge !== '') choices.maxAge = /^\d{1,9}$/.test(maxAge) ? Number(maxAge) : NaN;
  return choices;
}

/** Why options of a link were left out: reported by name (never by value) to the debug log. */
export interface IgnoredSignInOptions {
  names: string[];
  why: 'not_same_origin' | 'signed_link_wins' | LinkOpenFailure;
}

export type SignInQueryResult =
  { ok: true; options: SignInLinkOptions; ignored: IgnoredSignInOptions | undefined } | { ok: false; problem: string };

/**
 * Reads the options of a link to the login route. `returnTo` is taken from anyone (it is checked
 * as a safe path). Security invariant: the choices (connection, organization, hints, invitation,
 * prompt, maxAge, custom state) come from a valid `signed` seal when the link has one (and then
 * from nowhere else, so extra clear parameters cannot override it; an expired or forged seal
 * yields none), otherwise from the clear query only when `provenSameOrigin`. Choices from
 * anywhere else are dropped, so the sign-in still starts, as a plain one.
 */
export function signInOptionsFromQuery(
  config: Pick<ResolvedConfig, 'passwords' | 'clock'>,
  query: URLSearchParams,
  provenSameOrigin: boolean,
): SignInQueryResult {
  const returnTo = query.get('returnTo');
  const plain: SignInLinkOptions = returnTo === null || returnTo === '' ? {} : { returnTo };
  const unsigned = unsignedChoices(query);
  const unsignedNames = Object.keys(unsigned);
  const ignoreUnsigned = (why: IgnoredSignInOptions['why']): IgnoredSignInOptions | undefined =>
    unsignedNames.length > 0 ? { names: unsignedNames, why } : undefined;

  const signed = query.get(SIGNED_PARAM);
  if (signed !== null && signed !== '') {
    const opened = openLinkChoices(config, signed);
    const choices = opened.ok ? choicesFromSeal(opened.choices) : undefined;
    if (choices === undefined) {
      return {
        ok: true,
        options: plain,
        ignored: { names: [SIGNED_PARAM, ...unsignedNames], why: opened.ok ? 'not_a_sign_in_link' : opened.reason },
      };
    }
    return { ok: true, options: { ...choices, ...plain }, ignored: ignoreUnsigned('signed_link_wins') };
  }
  if (!provenSameOrigin) return { ok: true, options: plain, ignored: ignoreUnsigned('not_same_origin') };

  const options = { ...unsigned, ...plain };
  const problem = checkSignInOptions(options);
  return problem ? { ok: false, problem } : { ok: true, options, ignored: undefined };
}

/** `getSignInUrl` / `getSignUpUrl` for every adapter: the route's path with the sign-in options as its query. */
export function routeLink(
  config: Pick<ResolvedConfig, 'passwords' | 'clock' | 'routes'>,
  routeName: 'login' | 'signUp',
  options: SignInLinkOptions,
): string {
  const path = config.routes[routeName];
  if (path === false) throw new Error(`This helper links to the ${routeName} route, which is switched off (routes.${routeName}: false).`);
  const query = signInQuery(config, options).toString();
  return query === '' ? path : `${path}?${query}`;
}
