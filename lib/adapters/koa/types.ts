import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthState } from '../../authorization/auth-state';

/**
 * The part of Koa's `ctx` the adapter uses, written out so that the public types need neither
 * `@types/koa` nor its `any`s. Every Koa 2 and 3 context fits it.
 */
export interface KoaContext {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  /** The URL as the browser sent it (mounting rewrites `ctx.url` and `req.url`, never this). */
  originalUrl: string;
  /** https, as Koa sees it (`app.proxy` decides whether X-Forwarded-Proto counts). */
  readonly secure: boolean;
  state: object;
  status: number;
  body: unknown;
  type: string;
  respond?: boolean | undefined;
  readonly headerSent: boolean;
  readonly writable: boolean;
  set(field: string, value: string | string[]): void;
  append(field: string, value: string | string[]): void;
  vary(field: string): void;
  redirect(url: string): void;
  onerror(error: unknown): void;
}

export type KoaNext = () => Promise<unknown>;

/** Koa middleware: `app.use(authkit.router)`, `router.get('/x', authkit.requireAuth, handler)`. */
export type KoaMiddleware = (ctx: KoaContext, next: KoaNext) => Promise<void>;

/** What the guards put on `ctx.state`; type your app with it (`new Koa<AuthKitState>()`), or read it with `getAuth(ctx)`. */
export interface AuthKitState {
  auth: AuthState;
}
