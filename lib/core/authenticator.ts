import type { IncomingMessage } from 'node:http';
import { answerFromCache, authenticate, type Authentication } from '../flow/authenticate';
import type { AuthKitContext } from '../flow/context';
import { runMonitoringHook } from '../flow/monitoring-hook';
import { pathOf } from '../http/request-info';
import { warnIfInsecureTransport } from '../http/secure-transport';
import type { AuthExchange } from './exchange';

/** A ready answer when the session cache (or a missing cookie) decides at once, a promise otherwise. */
export type RequestAuthenticator = (exchange: AuthExchange) => Authentication | Promise<Authentication>;

/**
 * Per request, the instance that authenticated it first and its answer: one weak entry per
 * request on the common path (a single instance). Kept off the request object itself.
 */
const firstAnswers = new WeakMap<IncomingMessage, { instance: object; outcome: Authentication | Promise<Authentication> }>();

function reportRejection(ctx: AuthKitContext, req: IncomingMessage, result: Authentication): void {
  const { onSessionRejected } = ctx.config.hooks;
  if (!onSessionRejected || result.status !== 'signed-out' || result.reason === 'no_session') return;
  const { reason } = result;
  runMonitoringHook(ctx.config.logger, 'onSessionRejected', () => onSessionRejected({ reason, req }));
}

/** One line per authenticated request with `debug: true`: ids and reasons, never tokens or cookies. */
function logDecision(ctx: AuthKitContext, exchange: AuthExchange, result: Authentication): void {
  const where = `${exchange.method} ${pathOf(exchange.target)}`;
  if (result.status === 'signed-out') return ctx.config.logger.debug?.(`${where}: signed out (${result.reason})`);
  const organization = result.auth.organizationId ? ` in ${result.auth.organizationId}` : '';
  const refreshed = result.setCookies.length > 0 ? ' (session refreshed)' : '';
  ctx.config.logger.debug?.(`${where}: signed in as ${result.auth.user.id}${organization}${refreshed}`);
}

/**
 * Authenticates each request once per instance, however many guards run on it: mounting the
 * middleware twice (or `optionalAuth` before `requireAuth`) neither refreshes twice nor sets
 * cookies twice. Two instances on one request would each refresh the same single-use refresh
 * token, so that is reported once.
 */
export function createRequestAuthenticator(ctx: AuthKitContext): RequestAuthenticator {
  const identity = {};
  // This instance's answers to requests another instance authenticated first (the rare case).
  const answersAfterAnother = new WeakMap<IncomingMessage, Authentication | Promise<Authentication>>();
  let warnedAboutTwoInstances = false;

  const settle = (exchange: AuthExchange, result: Authentication): Authentication => {
    exchange.setCookies(result.setCookies);
    reportRejection(ctx, exchange.req, result);
    if (ctx.config.debug) logDecision(ctx, exchange, result);
    return result;
  };

  const run = (exchange: AuthExchange): Authentication | Promise<Authentication> => {
    warnIfInsecureTransport(ctx.config, exchange);
    const cookies = exchange.cookies;
    const cached = answerFromCache(ctx, cookies);
    // Cached sessions and cookie-less requests are answered synchronously: no promise, no microtask.
    return cached.result !== undefined
      ? settle(exchange, cached.result)
      : authenticate(ctx, cookies, cached).then((result) => settle(exchange, result));
  };

  return (exchange) => {
    const { req } = exchange;
    const first = firstAnswers.get(req);
    if (first === undefined) {
      const outcome = run(exchange);
      firstAnswers.set(req, { instance: identity, outcome });
      return outcome;
    }
    if (first.instance === identity) return first.outcome;
    const known = answersAfterAnother.get(req);
    if (known !== undefined) return known;
    if (!warnedAboutTwoInstances) {
      warnedAboutTwoInstances = true;
      ctx.config.logger.warn(
        `Two createAuthKit instances authenticated the same request (${exchange.method} ${pathOf(exchange.target)}). ` +
          'Each refreshes sessions on its own, so they can race and sign people out: create one instance and share its guards.',
      );
    }
    const outcome = run(exchange);
    answersAfterAnother.set(req, outcome);
    return outcome;
  };
}
