import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { AuthState } from '../../authorization/auth-state';
import type { AuthExchange } from '../../core/exchange';
import type { Reply } from '../../core/reply';
import { parseCookies, type RequestCookies } from '../../http/cookies';
import { mountPrefixOf, pathOf } from '../../http/request-info';
import { applyCookies, markPrivate, removeCookies, writeReply } from './respond';

type ExpressRequest = IncomingMessage & { originalUrl?: unknown; baseUrl?: unknown; secure?: unknown; auth?: AuthState };

/** Express rewrites `req.url` under a mount point; `originalUrl` keeps what the browser asked for. */
export function requestTarget(req: IncomingMessage): string {
  const original = (req as ExpressRequest).originalUrl;
  return typeof original === 'string' ? original : (req.url ?? '/');
}

/** One Connect/Express/`node:http` request and response, as the core sees them. */
export class ConnectExchange implements AuthExchange {
  private parsedCookies: RequestCookies | undefined;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
  ) {}

  get method(): string {
    return this.req.method ?? '';
  }

  get target(): string {
    return requestTarget(this.req);
  }

  /** Express's `req.baseUrl`; under Connect's `app.use(path, …)`, what it cut from `req.url`. */
  get mountPrefix(): string {
    const baseUrl = (this.req as ExpressRequest).baseUrl;
    if (typeof baseUrl === 'string') return baseUrl;
    return mountPrefixOf(pathOf(this.target), pathOf(this.req.url ?? '/'));
  }

  header(name: string): string | undefined {
    const value = this.req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  }

  /** Express's `req.secure` (which honours `trust proxy` and X-Forwarded-Proto), else whether this socket itself is TLS. */
  get secure(): boolean {
    const secure = (this.req as ExpressRequest).secure;
    if (typeof secure === 'boolean') return secure;
    return (this.req.socket as Partial<TLSSocket> | undefined)?.encrypted === true;
  }

  get cookies(): RequestCookies {
    return (this.parsedCookies ??= parseCookies(this.req.headers.cookie));
  }

  setCookies(lines: readonly string[]): void {
    applyCookies(this.res, lines);
  }

  unsetCookies(lines: readonly string[]): void {
    removeCookies(this.res, lines);
  }

  setHeader(name: string, value: string): void {
    this.res.setHeader(name, value);
  }

  markPrivate(): void {
    markPrivate(this.res);
  }

  send(reply: Reply): void {
    writeReply(this.res, reply);
  }

  answered(): boolean {
    return this.res.headersSent || this.res.writableEnded;
  }

  setAuth(auth: AuthState): void {
    (this.req as ExpressRequest).auth = auth;
  }
}
