import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthState } from '../authorization/auth-state';
import type { RequestCookies } from '../http/cookies';
import type { RequestView } from '../http/request-view';
import type { Reply } from './reply';

/**
 * One request and its response as an adapter hands them to the core: what the core reads, and
 * the few things it may do to the response. The adapters implement it over their own objects
 * (Express/Connect `req`/`res`, Koa `ctx`); the core never sees a framework type.
 */
export interface AuthExchange extends RequestView {
  /** The Cookie header, parsed. */
  readonly cookies: RequestCookies;
  /** The Node request: hooks and `check` receive it, and per-request answers are kept under it. */
  readonly req: IncomingMessage;
  /**
   * The path prefix the framework mounted the middleware under (`/auth` for Express's
   * `app.use('/auth', …)` or koa-mount's `mount('/auth', …)`), `''` at the root. `target` is
   * always the full URL; this only tells developers where they mounted the router.
   */
  readonly mountPrefix: string;
  /** The Node response, handed to hooks (`onError`, `onSuccess`). */
  readonly res: ServerResponse;
  /** Adds Set-Cookie lines (keeping those already set); the response becomes private. */
  setCookies(lines: readonly string[]): void;
  /** Takes back Set-Cookie lines added earlier (a sign-in the app refused in `onSuccess`). */
  unsetCookies(lines: readonly string[]): void;
  setHeader(name: string, value: string): void;
  /** Marks the response private (`Cache-Control: private, no-store`, `Vary: Cookie`). */
  markPrivate(): void;
  /** Answers the request. */
  send(reply: Reply): void;
  /** True once something answered the request itself (an app hook writing to the response). */
  answered(): boolean;
  /** Puts the auth where the framework's handlers find it (`req.auth`, `ctx.state.auth`). */
  setAuth(auth: AuthState): void;
}
