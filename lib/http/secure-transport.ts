import type { ResolvedConfig } from '../config/resolve';
import type { RequestView } from './request-view';

const warned = new WeakSet<object>();

/**
 * Our cookies are `Secure` when the redirect URI is https. If requests nevertheless look like
 * plain http, either TLS ends at a proxy Express was not told to trust (so `req.secure`,
 * `req.protocol` and redirects built from them are wrong) or the browser really is on http
 * and will drop the cookie. Says so once per `createAuthKit` instance instead of failing silently.
 */
export function warnIfInsecureTransport(
  config: Pick<ResolvedConfig, 'cookie' | 'redirectUri' | 'logger'>,
  request: Pick<RequestView, 'secure'>,
): void {
  if (!config.cookie.secure || warned.has(config) || request.secure) return;
  warned.add(config);
  config.logger.warn(
    `The session cookie is Secure (the redirect URI is ${config.redirectUri.origin}), but this request arrived over plain http. ` +
      'Behind a TLS-terminating proxy or load balancer, tell the framework to trust it: app.set("trust proxy", 1) (or the proxy\'s address) in Express, app.proxy = true in Koa. ' +
      'If browsers really reach this server over http, they drop Secure cookies and nobody can sign in: serve it over https, or use an http redirect URI in development.',
  );
}
