import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SignInSuccessEvent } from '../../config/options';
import { completeSignIn } from '../../flow/callback';
import type { AuthKitContext } from '../../core/context';
import { requestCookies } from '../../http/cookies';
import { userAgent } from '../../http/request-info';
import type { AuthenticationResult } from '../../model/session';
import { forwardError } from './errors';
import { applyCookies, redirect } from './respond';
import type { NextFunction } from './types';

/** What `onSuccess` is told about a completed sign-in. */
export function signInSuccessEvent(
  authentication: AuthenticationResult,
  outcome: { customState: string | undefined; location: string },
  req: IncomingMessage,
  res: ServerResponse,
): SignInSuccessEvent {
  return {
    user: authentication.user,
    accessToken: authentication.accessToken,
    refreshToken: authentication.refreshToken,
    impersonator: authentication.impersonator,
    oauthTokens: authentication.oauthTokens,
    authenticationMethod: authentication.authenticationMethod,
    organizationId: authentication.organizationId,
    state: outcome.customState,
    returnTo: outcome.location,
    req,
    res,
  };
}

/**
 * The redirect URI's route: completes the sign-in, lets `onSuccess` see it, then keeps the
 * session and sends the browser on. Failures go through `onError` / `next(err)` with the flow
 * cookie deleted either way.
 */
export async function handleCallback(ctx: AuthKitContext, req: IncomingMessage, res: ServerResponse, query: URLSearchParams, next: NextFunction): Promise<void> {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  const outcome = await completeSignIn(ctx, { query, cookies: requestCookies(req), userAgent: userAgent(req) });
  if (!outcome.ok) {
    applyCookies(res, outcome.setCookies);
    return forwardError(ctx, req, res, next)(outcome.error);
  }

  const { onSuccess } = ctx.config.hooks;
  const { authentication } = outcome;
  if (onSuccess && authentication) {
    const before = res.getHeader('set-cookie');
    // Set first, so a hook that answers the request itself still signs the browser in.
    applyCookies(res, outcome.setCookies);
    try {
      await onSuccess(signInSuccessEvent(authentication, outcome, req, res));
    } catch (error) {
      // The app refused the sign-in: no session, only the flow cookie's deletion.
      if (!res.headersSent) {
        res.removeHeader('set-cookie');
        if (before !== undefined) res.setHeader('set-cookie', before);
        applyCookies(res, outcome.flowCookies);
      }
      return forwardError(ctx, req, res, next)(error);
    }
    if (res.headersSent || res.writableEnded) return;
    return redirect(res, outcome.location);
  }
  redirect(res, outcome.location, outcome.setCookies);
}
