import type { AuthKitContext } from '../flow/context';
import { reportIgnoredSignInOptions } from '../flow/ignored-sign-in-options';
import { startSignIn } from '../flow/sign-in';
import { signInOptionsFromQuery } from '../flow/sign-in-query';
import { signOut } from '../flow/sign-out';
import { isBackgroundRequest, isProvenSameOrigin } from '../http/cross-site';
import { isPageNavigation } from '../http/request-info';
import type { RequestView } from '../http/request-view';
import { safeReturnPath } from '../http/return-to';
import type { RequestCookies } from '../http/cookies';
import type { ScreenHint } from './guard-options';
import { signOutConfirmationPage } from './pages';
import type { Reply } from './reply';

type SignRequest = RequestView & { readonly cookies: RequestCookies };

/**
 * `GET /login` and `/sign-up`: the redirect to the hosted sign-in with a fresh flow cookie. The
 * options that choose the connection, organization or account count only from this origin or
 * from a link sealed by `getSignInUrl` (see `signInOptionsFromQuery`).
 */
export function signInReply(ctx: AuthKitContext, request: SignRequest, query: URLSearchParams, screenHint: ScreenHint): Reply {
  if (isBackgroundRequest(request)) {
    // No flow cookie for prefetches and fetch(): only a page the person opens signs in.
    return { kind: 'json', status: 400, body: { error: 'navigation_required', message: 'Open this address in the browser to sign in.' } };
  }
  const parsed = signInOptionsFromQuery(ctx.config, query, isProvenSameOrigin(request, ctx.config.redirectUri.origin));
  if (!parsed.ok) return { kind: 'json', status: 400, body: { error: 'invalid_request', message: parsed.problem } };
  reportIgnoredSignInOptions(ctx.config, parsed.ignored);
  const options = { ...parsed.options, screenHint };
  const target = startSignIn(ctx, options, request.cookies);
  return { kind: 'redirect', location: target.location, setCookies: target.setCookies };
}

/**
 * `GET|POST /logout`. Only a request that proves it comes from a page of this origin signs out
 * directly; any other POST or background request gets 403, any other page navigation a
 * confirmation page whose form posts back same-origin (both private). So no link, image or form
 * elsewhere, even on a sibling subdomain or with the referrer suppressed, can sign anyone out.
 */
export function logoutReply(ctx: AuthKitContext, request: SignRequest, query: URLSearchParams, logoutPath: string): Reply {
  const returnTo = query.get('returnTo') ?? undefined;
  if (!isProvenSameOrigin(request, ctx.config.redirectUri.origin)) {
    if (request.method === 'POST' || !isPageNavigation(request)) {
      return {
        kind: 'json',
        status: 403,
        body: { error: 'cross_site_sign_out', message: 'Sign-out must be started from this site.' },
        private: true,
      };
    }
    return { kind: 'html', status: 200, body: signOutConfirmationPage(logoutPath, safeReturnPath(returnTo)), private: true };
  }
  const target = signOut(ctx, request.cookies, returnTo);
  return { kind: 'redirect', location: target.location, setCookies: target.setCookies };
}
