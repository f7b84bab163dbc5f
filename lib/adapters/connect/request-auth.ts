import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerFromCache, authenticate, type Authentication } from '../../flow/authenticate';
import type { AuthKitContext } from '../../core/context';
import { requestCookies } from '../../http/cookies';
import { parseRequestTarget } from '../../http/request-info';
import { warnIfInsecureTransport } from '../../http/secure-transport';
import { applyCookies } from './respond';

/** A ready answer when the session cache (or a missing cookie) decides at once, a promise otherwise. */
export type RequestAuthenticator = (req: IncomingMessage, res: ServerResponse) => Authentication | Promise<Authentication>;

/**
 * Per request, the instance that authenticated it first and its answer: one weak entry per
 * request on the common path (a single instance). Kept off the request object itself.
 */
const firstAnswers = new WeakMap<IncomingMessage, { instance: object; outcome: Authentication | Promise<Authentication> }>();

function reportRejection(ctx: AuthKitContext, req: IncomingMessage, result: Authentication): void {
  const { onSessionRejected } = ctx.config.hooks;
  if (!onSessionRejected || result.status !== 'signed-out' || result.reason === 'no_session') return;
  try {
    onSessionRejected({ reason: result.reason, req });
  } catch (error) {
    // Monitoring must never break a request.
    ctx.config.logger.warn(`onSessionRejected threw: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** One line per authenticated request with `debug: true`: ids and reasons, never tokens or cookies. */
function logDecision(ctx: AuthKitContext, req: IncomingMessage, result: Authentication): void {
  const where = `${req.method ?? 'GET'} ${parseRequestTarget(req).pathname}`;
  const what =
    result.status === 'signed-in'
      ? `signed in as ${result.auth.user.id}${result.auth.organizationId ? ` in ${result.auth.organizationId}` : ''}${result.setCookies.length > 0 ? ' (session refreshed)' : ''}`
      : `signed out (${result.reason})`;
  ctx.config.logger.debug?.(`${where}: ${what}`);
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

  const settle = (req: IncomingMessage, res: ServerResponse, result: Authentication): Authentication => {
    applyCookies(res, result.setCookies);
    reportRejection(ctx, req, result);
    if (ctx.config.debug) logDecision(ctx, req, result);
    return result;
  };

  const run = (req: IncomingMessage, res: ServerResponse): Authentication | Promise<Authentication> => {
    warnIfInsecureTransport(ctx.config, req);
    const cookies = requestCookies(req);
    const cached = answerFromCache(ctx, cookies);
    // Cached sessions and cookie-less requests are answered synchronously: no promise, no microtask.
    return cached.result !== undefined ? settle(req, res, cached.result) : authenticate(ctx, cookies, cached).then((result) => settle(req, res, result));
  };

  return (req, res) => {
    const first = firstAnswers.get(req);
    if (first === undefined) {
      const outcome = run(req, res);
      firstAnswers.set(req, { instance: identity, outcome });
      return outcome;
    }
    if (first.instance === identity) return first.outcome;
    const known = answersAfterAnother.get(req);
    if (known !== undefined) return known;
    if (!warnedAboutTwoInstances) {
      warnedAboutTwoInstances = true;
      ctx.config.logger.warn(
        `Two createAuthKit instances authenticated the same request (${req.method ?? 'GET'} ${parseRequestTarget(req).pathname}). ` +
          'Each refreshes sessions on its own, so they can race and sign people out: create one instance and share its guards.',
      );
    }
    const outcome = run(req, res);
    answersAfterAnother.set(req, outcome);
    return outcome;
  };
}
