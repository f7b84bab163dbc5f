import type { SignInSuccessEvent } from '../config/options';
import { completeSignIn } from '../flow/callback';
import type { AuthKitContext } from '../flow/context';
import type { AuthenticationResult } from '../model/session';
import { logCallbackFailure } from './callback-log';
import type { AuthExchange } from './exchange';
import { continuePage } from './pages';
import type { Reply } from './reply';

/** What `onSuccess` is told about a completed sign-in. */
function signInSuccessEvent(
  authentication: AuthenticationResult,
  outcome: { customState: string | undefined; location: string },
  exchange: AuthExchange,
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
    req: exchange.req,
    res: exchange.res,
  };
}

/** Sends the signed-in browser on: a redirect, or with Strict cookies a same-site navigation (`continuePage`). */
function landing(ctx: AuthKitContext, location: string, setCookies?: readonly string[]): Reply {
  const cookies = setCookies === undefined ? {} : { setCookies };
  if (ctx.config.cookie.sameSite !== 'strict') return { kind: 'redirect', location, ...cookies };
  return { kind: 'html', status: 200, body: continuePage(location), ...cookies };
}

/**
 * The redirect URI's route: completes the sign-in, lets `onSuccess` see it, then keeps the
 * session and sends the browser on. A failure is logged (one line) and thrown (the adapter hands it to `onError` and
 * the framework) after the flow cookie's deletion was set, so that deletion reaches the browser.
 */
export async function handleCallback(ctx: AuthKitContext, exchange: AuthExchange, query: URLSearchParams): Promise<void> {
  exchange.setHeader('Cache-Control', 'no-store');
  exchange.setHeader('Referrer-Policy', 'no-referrer');
  const outcome = await completeSignIn(ctx, { query, cookies: exchange.cookies, userAgent: exchange.header('user-agent') });
  if (!outcome.ok) {
    logCallbackFailure(ctx, outcome.error);
    exchange.setCookies(outcome.setCookies);
    throw outcome.error;
  }

  const { onSuccess } = ctx.config.hooks;
  const { authentication } = outcome;
  if (onSuccess && authentication) {
    // Set first, so a hook that answers the request itself still signs the browser in.
    exchange.setCookies(outcome.setCookies);
    try {
      await onSuccess(signInSuccessEvent(authentication, outcome, exchange));
    } catch (error) {
      // The app refused the sign-in: no session, only the flow cookie's deletion.
      if (!exchange.answered()) {
        exchange.unsetCookies(outcome.setCookies);
        exchange.setCookies(outcome.flowCookies);
      }
      throw error;
    }
    if (exchange.answered()) return;
    return exchange.send(landing(ctx, outcome.location));
  }
  exchange.send(landing(ctx, outcome.location, outcome.setCookies));
}
