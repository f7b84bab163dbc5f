import type { AuthState } from '../../authorization/auth-state';
import type { AuthExchange } from '../../core/exchange';
import type { Reply } from '../../core/reply';
import { parseCookies, type RequestCookies } from '../../http/cookies';
import { mountPrefixOf, pathOf } from '../../http/request-info';
import { answeredDirectly, forgetCookies, keepHeader, markPrivate, sendReply, setCookies } from './respond';
import { setAuth } from './state';
import type { KoaContext } from './types';

/** One Koa request (`ctx`) as the core sees it; what it sets survives Koa's error responses. */
export class KoaExchange implements AuthExchange {
  private parsedCookies: RequestCookies | undefined;

  constructor(private readonly ctx: KoaContext) {}

  get req(): KoaContext['req'] {
    return this.ctx.req;
  }

  get res(): KoaContext['res'] {
    return this.ctx.res;
  }

  get method(): string {
    return this.ctx.method;
  }

  /** The URL as the browser sent it (mounting rewrites `ctx.url`, never this). */
  get target(): string {
    return this.ctx.originalUrl;
  }

  /** What a mount (koa-mount) cut from the path (setting `ctx.path` rewrites `req.url`), else koa-mount's `ctx.mountPath`. */
  get mountPrefix(): string {
    const cut = mountPrefixOf(pathOf(this.ctx.originalUrl), pathOf(this.ctx.req.url ?? '/'));
    if (cut !== '') return cut;
    const mountPath = (this.ctx as KoaContext & { mountPath?: unknown }).mountPath;
    return typeof mountPath === 'string' && mountPath !== '/' ? mountPath : '';
  }

  header(name: string): string | undefined {
    const value = this.ctx.req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  }

  /** https as Koa sees it (`app.proxy` decides whether X-Forwarded-Proto counts). */
  get secure(): boolean {
    return this.ctx.secure;
  }

  get cookies(): RequestCookies {
    return (this.parsedCookies ??= parseCookies(this.ctx.req.headers.cookie));
  }

  setCookies(lines: readonly string[]): void {
    setCookies(this.ctx, lines);
  }

  unsetCookies(lines: readonly string[]): void {
    forgetCookies(this.ctx, lines);
  }

  setHeader(name: string, value: string): void {
    keepHeader(this.ctx, name, value);
  }

  markPrivate(): void {
    markPrivate(this.ctx);
  }

  send(reply: Reply): void {
    sendReply(this.ctx, reply);
  }

  answered(): boolean {
    return answeredDirectly(this.ctx);
  }

  setAuth(auth: AuthState): void {
    setAuth(this.ctx, auth);
  }
}
