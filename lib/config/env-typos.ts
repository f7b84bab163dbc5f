import { closestName } from './closest-name';
import { ENV_NAMES, type Env, type EnvBacked } from './env';

/**
 * `WORKOS_*` variables that other WorkOS tools and guides use and this library does not read
 * (`@workos-inc/node` reads only names we read too; authkit-nextjs adds `WORKOS_CLAIM_TOKEN`;
 * webhook handlers and quick-starts use the others): set legitimately, never reported.
 */
const OTHER_TOOLS_NAMES: ReadonlySet<string> = new Set([
  'WORKOS_CLAIM_TOKEN',
  'WORKOS_WEBHOOK_SECRET',
  'WORKOS_ORGANIZATION_ID',
  'WORKOS_ORG_ID',
  'WORKOS_CONNECTION_ID',
]);

/** Other names people give the variables we read. */
const ALIASES: Readonly<Record<string, EnvBacked>> = {
  WORKOS_API_HOST: 'apiHostname',
  WORKOS_HOSTNAME: 'apiHostname',
  WORKOS_CALLBACK_URL: 'redirectUri',
  WORKOS_LOGOUT_REDIRECT_URI: 'signOutRedirectUri',
  WORKOS_COOKIE_SECRET: 'cookiePassword',
};

const readNames = new Map(Object.entries(ENV_NAMES).map(([option, name]) => [name, option as EnvBacked]));
const candidates = new Map<string, EnvBacked>([...readNames, ...Object.entries(ALIASES)]);
const candidateNames = [...candidates.keys()];

/** A set variable that looks like one we read but is not (`WORKOS_COOKIE_PASWORD`), with the one it most likely meant. */
export interface MisspeltVariable {
  name: string;
  /** The variable we read, such as `WORKOS_COOKIE_PASSWORD`. */
  meant: string;
  option: EnvBacked;
}

/**
 * The variables of `env` that look like a `WORKOS_*` name we read without being one: a different
 * case or underscores (`workos_client_id`, `WORKOS_CLIENTID`), up to two slips of the keyboard
 * (`WORKOS_REDIRECT_URL`), or a common other name (`WORKOS_API_HOST`). A name that does not start
 * with `WORKOS` must be one slip away, so an unrelated `WORKER_CLIENT_ID` is left alone.
 */
export function misspeltVariables(env: Env): MisspeltVariable[] {
  const found: MisspeltVariable[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value === '' || readNames.has(name) || OTHER_TOOLS_NAMES.has(name.toUpperCase())) continue;
    const looksLikeOurs = name
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '')
      .startsWith('WORKOS');
    const close = closestName(name, candidateNames, looksLikeOurs ? 2 : 1);
    const option = close === undefined ? undefined : candidates.get(close);
    if (option !== undefined) found.push({ name, meant: ENV_NAMES[option], option });
  }
  return found;
}
