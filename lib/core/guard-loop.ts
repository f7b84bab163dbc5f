import type { AuthKitContext } from '../flow/context';
import { isPageNavigation, pathOf } from '../http/request-info';
import type { AuthExchange } from './exchange';
import { isOwnRoute } from './own-routes';
import { messagePage } from './pages';
import type { Reply } from './reply';

const warned = new WeakSet<object>();

const PAGE_TITLE = 'Sign-in is misconfigured';
const PAGE_MESSAGE =
  'An access guard answered this request before the sign-in routes could, so signing in would go round in circles. The server log says how to fix it.';

/**
 * A guard refusing one of the library's own routes (`app.use(authkit.requireAuth)` before the
 * router), or redirecting a page to itself (`signInPath` guarded too), would send the browser
 * round and round (`/login?returnTo=%2Flogin`, ERR_TOO_MANY_REDIRECTS). Such a refusal is answered
 * with a short 500 instead, and the developer told once per instance how to mount things.
 * Returns `undefined` when the refusal does not loop.
 */
export function loopCutShort(ctx: AuthKitContext, exchange: AuthExchange, refusal: Reply): Reply | undefined {
  const path = pathOf(exchange.target);
  const ownRoute = isOwnRoute(ctx.config.routes, exchange.method, path);
  if (!ownRoute && !(refusal.kind === 'redirect' && pathOf(refusal.location) === path)) return undefined;
  if (!warned.has(ctx.config)) {
    warned.add(ctx.config);
    ctx.config.logger.warn(
      ownRoute
        ? `A guard (authkit.requireAuth) answered ${exchange.method} ${path}, one of authkit-express's own routes, before authkit.router could: ` +
            'signed-out visitors would be sent to sign in again and again. Mount the router before your guards (app.use(authkit.router) first), ' +
            "or guard the whole app with app.use(authkit.protect()), which lets the library's own routes through. Until then such requests get a 500."
        : `A guard (authkit.requireAuth) sends signed-out visitors of ${path} to ${path} itself, which loops: leave the page given as signInPath unguarded ` +
            '(authkit.protect({ signInPath }) does). Until then such requests get a 500.',
    );
  }
  return isPageNavigation(exchange)
    ? { kind: 'html', status: 500, body: messagePage(PAGE_TITLE, PAGE_MESSAGE), private: true }
    : { kind: 'json', status: 500, body: { error: 'guard_loop', message: PAGE_MESSAGE }, private: true };
}
