import { serializeCookie, type CookieAttributes, type RequestCookies } from '../http/cookies';

/**
 * Browsers silently drop a cookie whose name and value exceed 4096 bytes. We keep each whole
 * Set-Cookie line (attributes included) within that, which is stricter than any browser.
 */
export const MAX_SET_COOKIE_BYTES = 4096;

/**
 * A cookie too big for one line is written as `<name>.0`, `<name>.1`, … and at most this many.
 * Browsers send every cookie back in one Cookie header, and Node answers 431 when a request's
 * headers pass 16 KB (its default `--max-http-header-size`): four full chunks alone would hit
 * that, three (~12 KB) leave room for the request line, other headers and sign-in flow cookies.
 */
export const MAX_COOKIE_CHUNKS = 3;

export interface ChunkLimits {
  maxLineBytes: number;
  maxChunks: number;
}

const DEFAULT_LIMITS: ChunkLimits = { maxLineBytes: MAX_SET_COOKIE_BYTES, maxChunks: MAX_COOKIE_CHUNKS };

export function chunkCookieName(name: string, index: number): string {
  return `${name}.${index}`;
}

/**
 * Indexes below the cap whose `<name>.N` the request carried, ascending. These are the only
 * chunk names we could have written, so the only ones ever deleted: a request listing
 * `<name>.1` … `<name>.800` (or names of any other shape) cannot make a response echo them
 * back as hundreds of `Set-Cookie` lines.
 */
export function chunkIndexesIn(cookies: ReadonlyMap<string, string>, name: string, maxChunks = MAX_COOKIE_CHUNKS): number[] {
  const indexes: number[] = [];
  for (let index = 0; index < maxChunks; index += 1) {
    if (cookies.has(chunkCookieName(name, index))) indexes.push(index);
  }
  return indexes;
}

/** Whether the request repeated any name the reader consults: `<name>` or `<name>.0` … `<name>.<maxChunks>`. */
function repeatsAnyConsultedName(duplicates: ReadonlySet<string>, name: string, maxChunks: number): boolean {
  if (duplicates.has(name)) return true;
  for (let index = 0; index <= maxChunks; index += 1) {
    if (duplicates.has(chunkCookieName(name, index))) return true;
  }
  return false;
}

export type ChunkedCookieRead =
  | { status: 'absent' }
  /** A name it would read came more than once (planted from a sibling subdomain or another path): refused, never first-wins. */
  | { status: 'duplicate' }
  | { status: 'present'; value: string; chunks: number }
  /** More contiguous chunks than the cap: never written by us, so refused rather than guessed at. */
  | { status: 'too_many_chunks' };

/**
 * The plain `<name>` wins when present and non-empty; otherwise `<name>.0`, `<name>.1`, … are
 * joined up to the first missing one. A name among those that the request repeated is refused
 * outright. Nothing else is checked here: a missing, reordered or altered chunk produces a
 * joined value whose seal does not open, which the caller treats as signed out.
 */
export function readChunkedCookie(cookies: RequestCookies, name: string, maxChunks = MAX_COOKIE_CHUNKS): ChunkedCookieRead {
  // Nearly every request has no repeated name at all: one property read.
  if (cookies.duplicates !== undefined && repeatsAnyConsultedName(cookies.duplicates, name, maxChunks)) return { status: 'duplicate' };
  const plain = cookies.get(name);
  if (plain !== undefined && plain !== '') return { status: 'present', value: plain, chunks: 0 };
  const parts: string[] = [];
  for (let index = 0; ; index += 1) {
    const part = cookies.get(chunkCookieName(name, index));
    if (part === undefined || part === '') break;
    if (index >= maxChunks) return { status: 'too_many_chunks' };
    parts.push(part);
  }
  return parts.length === 0 ? { status: 'absent' } : { status: 'present', value: parts.join(''), chunks: parts.length };
}

export type ChunkedCookieWrite =
  /** `chunks` is 0 when the plain `<name>` cookie was written. */
  { ok: true; setCookies: string[]; chunks: number } | { ok: false; valueBytes: number; chunksNeeded: number; maxChunks: number };

function lineBytes(name: string, value: string, attributes: CookieAttributes): number {
  return Buffer.byteLength(serializeCookie(name, value, attributes));
}

function deletion(name: string, attributes: CookieAttributes): string {
  return serializeCookie(name, '', { ...attributes, maxAge: 0 });
}

/**
 * Splits `value` so that each `<name>.N=<chunk>; <attributes>` line fits `maxLineBytes`. Splits
 * between code points and measures the URL-encoded form, so each chunk decodes on its own.
 */
export function splitCookieValue(name: string, value: string, attributes: CookieAttributes, maxLineBytes = MAX_SET_COOKIE_BYTES): string[] {
  const chunks: string[] = [];
  let rest = value;
  while (rest !== '') {
    const budget = maxLineBytes - lineBytes(chunkCookieName(name, chunks.length), '', attributes);
    if (budget < 1) throw new RangeError(`The attributes of cookie ${name} leave no room for a value`);
    let chunk: string;
    if (encodeURIComponent(rest) === rest) {
      chunk = rest.slice(0, budget); // the seal's alphabet: one byte per character
    } else {
      let used = 0;
      let end = 0;
      for (const char of rest) {
        const size = encodeURIComponent(char).length;
        if (used + size > budget) break;
        used += size;
        end += char.length;
      }
      if (end === 0) throw new RangeError(`The attributes of cookie ${name} leave no room for a value`);
      chunk = rest.slice(0, end);
    }
    chunks.push(chunk);
    rest = rest.slice(chunk.length);
  }
  return chunks;
}

/**
 * The Set-Cookie lines that store `value` under `name`, as one cookie when it fits and as
 * numbered chunks otherwise, plus deletions of the other shape the request still carried:
 * a plain write deletes every `<name>.N`; a chunked write deletes the plain `<name>` and any
 * chunk past the new count. Browsers would otherwise keep sending stale halves.
 */
export function writeChunkedCookie(
  name: string,
  value: string,
  attributes: CookieAttributes,
  requestCookies: ReadonlyMap<string, string>,
  limits: ChunkLimits = DEFAULT_LIMITS,
): ChunkedCookieWrite {
  const stale = chunkIndexesIn(requestCookies, name, limits.maxChunks);
  const single = serializeCookie(name, value, attributes);
  if (Buffer.byteLength(single) <= limits.maxLineBytes) {
    return { ok: true, setCookies: [single, ...stale.map((index) => deletion(chunkCookieName(name, index), attributes))], chunks: 0 };
  }
  const chunks = splitCookieValue(name, value, attributes, limits.maxLineBytes);
  if (chunks.length > limits.maxChunks) {
    return {
      ok: false,
      valueBytes: Buffer.byteLength(encodeURIComponent(value)),
      chunksNeeded: chunks.length,
      maxChunks: limits.maxChunks,
    };
  }
  const setCookies = chunks.map((chunk, index) => serializeCookie(chunkCookieName(name, index), chunk, attributes));
  if (requestCookies.has(name)) setCookies.push(deletion(name, attributes));
  for (const index of stale) {
    if (index >= chunks.length) setCookies.push(deletion(chunkCookieName(name, index), attributes));
  }
  return { ok: true, setCookies, chunks: chunks.length };
}

/** Deletes the plain `<name>` (always) and every `<name>.N` below the cap the request carried. */
export function clearChunkedCookie(name: string, attributes: CookieAttributes, requestCookies: ReadonlyMap<string, string>): string[] {
  return [name, ...chunkIndexesIn(requestCookies, name).map((index) => chunkCookieName(name, index))].map((cookieName) =>
    deletion(cookieName, attributes),
  );
}

/** Deletes `<name>` and its chunks below the cap, only those the request carried (nothing when it carried none). */
export function clearCarriedChunkedCookie(
  name: string,
  attributes: CookieAttributes,
  requestCookies: ReadonlyMap<string, string>,
): string[] {
  const lines = requestCookies.has(name) ? [deletion(name, attributes)] : [];
  for (const index of chunkIndexesIn(requestCookies, name)) lines.push(deletion(chunkCookieName(name, index), attributes));
  return lines;
}
