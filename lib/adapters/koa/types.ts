import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthState } from '../../authorization/auth-state';

/**
 * The part of Koa's `ctx` the adapter uses, written out so that the public types need neither
 * `@types/koa` nor its `any`s. Every Koa 2 and 3 context fits it.
 */
export interface KoaContext {
  /** Node's request. */
  req: IncomingMessage;
  /** Node's response. */
  res: ServerResponse;
  /** The request method. */
  method: string;
  /** The URL as the browser sent it (mounting rewrites `ctx.url` and `req.url`, never this). */
  originalUrl: string;
  /** https, as Koa sees it (`app.proxy` decides whether X-Forwarded-Proto counts). */
  readonly secure: boolean;
  /** Where the guards put `auth`. */
  state: object;
  /** The response status. */
  status: number;
  /** The response body. */
  body: unknown;
  /** The response content type. */
  type: string;
  /** `false` when the response was written without Koa. */
  respond?: boolean | undefined;
  /** Whether the headers have been sent. */
  readonly headerSent: boolean;
  /** Whether the response can still be written. */
  readonly writable: boolean;
  /** Sets a response header. */
  set(field: string, value: string | string[]): void;
  /** Adds to a response header. */
  append(field: string, value: string | string[]): void;
  /** Adds a field to `Vary`. */
  vary(field: string): void;
  /** Answers with a redirect. */
  redirect(url: string): void;
  /** Koa's default error handling. */
  onerror(error: unknown): void;
}

/** Koa's `next`: runs the middleware after this one. */
export type KoaNext = () => Promise<unknown>;

/** Koa middleware: `app.use(authkit.router)`, `router.get('/x', authkit.requireAuth, handler)`. */
export type KoaMiddleware = (ctx: KoaContext, next: KoaNext) => Promise<void>;

/** What the guards put on `ctx.state`; type your app with it (`new Koa<AuthKitState>()`), or read it with `getAuth(ctx)`. */
export interface AuthKitState {
  /** The request's auth state: narrow on `user`. */
  auth: AuthState;
}
