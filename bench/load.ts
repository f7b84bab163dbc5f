/** One autocannon run against one of the server's apps, with the Cookie header chosen per request. */
import autocannon from 'autocannon';

/**
 * Where each request's cookie comes from:
 * - `{ kind: 'fixed' }`: one cookie on every request (a static request, built once);
 * - `{ kind: 'cycle' }`: round-robin over a list (many users seen again and again);
 * - `{ kind: 'once' }`: each cookie of the list used at most once, continuing from `cursor` (shared by
 *   the runs of one app, so later runs go on where earlier ones stopped); when the list runs out the
 *   run stops early (so a first-sight run never repeats a cookie), unless `wrap` is set (for the bare
 *   app, which ignores cookies but should get the very same request stream);
 * - `{ kind: 'generate' }`: a new cookie made on demand for every request.
 */
export type CookieSource =
  | { kind: 'none' }
  | { kind: 'fixed'; cookie: string }
  | { kind: 'cycle'; cookies: readonly string[] }
  | { kind: 'once'; cookies: readonly string[]; wrap: boolean; cursor: { next: number } }
  | { kind: 'generate'; next: () => string };

export interface LoadOptions {
  port: number;
  connections: number;
  cookies: CookieSource;
  /** Seconds; ignored when `amount` is given. */
  duration?: number;
  amount?: number;
}

export interface LoadResult {
  /** Responses per second over the run's measured duration. */
  rps: number;
  p50: number;
  p99: number;
  responses: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  /** Cookies handed out by this run (built requests; the last few may not have been sent). */
  cookiesUsed: number;
  /** A `once` list ran out and the run was cut short. */
  exhausted: boolean;
  statusCodes: Record<string, number>;
}

const COOKIE = 'cookie';

export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { cookies } = options;
  let used = 0;
  let exhausted = false;
  let instance: autocannon.Instance | undefined;

  let nextCookie: (() => string) | undefined;
  if (cookies.kind === 'cycle') {
    if (cookies.cookies.length === 0) throw new Error('empty cookie list');
    nextCookie = () => cookies.cookies[used++ % cookies.cookies.length] as string;
  } else if (cookies.kind === 'once') {
    if (cookies.cookies.length === 0) throw new Error('empty cookie list');
    const { cursor, cookies: list } = cookies;
    nextCookie = () => {
      used += 1;
      if (cursor.next >= list.length) {
        if (!cookies.wrap && !exhausted) {
          exhausted = true;
          instance?.stop();
        }
        return list[cursor.next++ % list.length] as string;
      }
      return list[cursor.next++] as string;
    };
  } else if (cookies.kind === 'generate') {
    nextCookie = () => {
      used += 1;
      return cookies.next();
    };
  }

  const headers: Record<string, string> = cookies.kind === 'fixed' ? { [COOKIE]: cookies.cookie } : {};
  const dynamic = nextCookie;
  const requests: autocannon.Request[] | undefined = dynamic
    ? [{ method: 'GET', path: '/', setupRequest: (request) => ({ ...request, headers: { ...request.headers, [COOKIE]: dynamic() } }) }]
    : undefined;

  return new Promise((resolve, reject) => {
    instance = autocannon(
      {
        url: `http://127.0.0.1:${options.port}/`,
        connections: options.connections,
        pipelining: 1,
        timeout: 30,
        headers,
        ...(requests ? { requests } : {}),
        ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.duration ?? 5 }),
      },
      (error, result) => {
        if (error) return reject(error);
        const statusCodes: Record<string, number> = {};
        for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stats.count;
        const seconds = result.duration;
        resolve({
          rps: seconds > 0 ? result.requests.total / seconds : 0,
          p50: result.latency.p50,
          p99: result.latency.p99,
          responses: result.requests.total,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          seconds,
          cookiesUsed: cookies.kind === 'fixed' ? 1 : used,
          exhausted,
          statusCodes,
        });
      },
    );
  });
}
