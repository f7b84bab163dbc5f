import type { IronPassword } from '../model/password';
import { MIN_PASSWORD_LENGTH } from './password-length';

const NUMERIC_ID = /^[1-9]\d{0,8}$/;

/**
 * `cookiePassword` as users write it: one password, a list (newest first, as express-session's
 * `secret`), or an id → password map (highest id newest, as iron-session's).
 */
export type CookiePasswordInput = string | readonly string[] | Readonly<Record<string, string>>;

/**
 * Turns the option into iron passwords, newest first: the first seals, all unseal.
 * A single password gets id `1`, the id `@workos-inc/node` reads, so both stay interchangeable.
 * List entries are numbered from the oldest (`1`) up, so adding a newer password in front
 * keeps every older one's id; ids are only a hint anyway, unsealing tries every password.
 * Reports problems through `report` and returns what it could read.
 */
export function parseCookiePasswords(input: unknown, source: string, report: (problem: string) => void): IronPassword[] {
  const hint = 'generate one with `openssl rand -base64 32`';
  const checkLength = (secret: unknown, label: string): secret is string => {
    if (typeof secret !== 'string') {
      report(`${label} must be a string`);
      return false;
    }
    if (secret.length < MIN_PASSWORD_LENGTH) {
      report(`${label} must be at least ${MIN_PASSWORD_LENGTH} characters long (it has ${secret.length}); ${hint}.`);
      return false;
    }
    return true;
  };

  if (typeof input === 'string') return checkLength(input, source) ? [{ id: '1', secret: input }] : [];

  const entries: IronPassword[] = [];
  if (Array.isArray(input)) {
    const list: readonly unknown[] = input;
    if (list.length === 0) report(`${source} is an empty list: give at least one password (newest first).`);
    list.forEach((secret, index) => {
      if (checkLength(secret, `${source}[${index}]`)) entries.push({ id: String(list.length - index), secret });
    });
  } else if (typeof input === 'object' && input !== null) {
    const map = Object.entries(input as Record<string, unknown>);
    if (map.length === 0) report(`${source} is an empty map: give at least one { id: password }.`);
    for (const [id, secret] of map) {
      if (!NUMERIC_ID.test(id)) {
        report(`${source} ids must be positive whole numbers such as "1" and "2" (the highest seals); got ${JSON.stringify(id)}`);
        continue;
      }
      if (checkLength(secret, `${source}["${id}"]`)) entries.push({ id, secret });
    }
    entries.sort((a, b) => Number(b.id) - Number(a.id));
  } else {
    report(`${source} must be a string, a list of strings (newest first) or an { id: password } map`);
  }

  const secrets = new Set(entries.map((entry) => entry.secret));
  if (secrets.size !== entries.length) report(`${source} lists the same password twice`);
  return entries;
}
