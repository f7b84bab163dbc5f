import type { Authentication } from '../../flow/authenticate';
import type { RequestAuthenticator } from '../connect/request-auth';
import { rememberCookies } from './respond';
import type { KoaContext } from './types';

export type KoaAuthenticator = (ctx: KoaContext) => Promise<Authentication>;

/**
 * The Connect adapter's per-request authenticator (one refresh and one Set-Cookie however many
 * guards run): it writes cookies to `ctx.res`, which is the response Koa sends; they are also
 * kept for an error response.
 */
export function koaAuthenticator(authenticateRequest: RequestAuthenticator): KoaAuthenticator {
  return async (ctx) => {
    const result = await authenticateRequest(ctx.req, ctx.res);
    rememberCookies(ctx, result.setCookies);
    return result;
  };
}
