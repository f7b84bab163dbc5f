import { completeSignIn } from '../../flow/callback';
import type { AuthKitContext } from '../../core/context';
import { requestCookies } from '../../http/cookies';
import { userAgent } from '../../http/request-info';
import { signInSuccessEvent } from '../connect/callback-route';
import { answeredDirectly, forgetCookies, keepHeader, sendReply, setCookies } from './respond';
import type { KoaContext } from './types';

/**
 * The redirect URI's route, as the Connect one: completes the sign-in, lets `onSuccess` see it,
 * then keeps the session and redirects. A failure is thrown (the router hands it to `fail`)
 * after the flow cookie's deletion was set, which survives Koa's error response.
 */
export async function handleKoaCallback(core: AuthKitContext, ctx: KoaContext, query: URLSearchParams): Promise<void> {
  keepHeader(ctx, 'Cache-Control', 'no-store');
  keepHeader(ctx, 'Referrer-Policy', 'no-referrer');
  const outcome = await completeSignIn(core, { query, cookies: requestCookies(ctx.req), userAgent: userAgent(ctx.req) });
  if (!outcome.ok) {
    setCookies(ctx, outcome.setCookies);
    throw outcome.error;
  }

  const { onSuccess } = core.config.hooks;
  const { authentication } = outcome;
  if (onSuccess && authentication) {
    // Set first, so a hook that answers the request itself still signs the browser in.
    setCookies(ctx, outcome.setCookies);
    try {
      await onSuccess(signInSuccessEvent(authentication, outcome, ctx.req, ctx.res));
    } catch (error) {
      // The app refused the sign-in: no session, only the flow cookie's deletion.
      if (!ctx.res.headersSent) {
        forgetCookies(ctx, outcome.setCookies);
        setCookies(ctx, outcome.flowCookies);
      }
      throw error;
    }
    if (answeredDirectly(ctx)) return;
    return ctx.redirect(outcome.location);
  }
  sendReply(ctx, { kind: 'redirect', location: outcome.location, setCookies: outcome.setCookies });
}
