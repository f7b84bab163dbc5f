import type { IncomingHttpHeaders } from 'node:http';
import type { EmulatorContext } from './context';
import { REFRESH_FAULTS } from './dashboard-faults';
import { renderDashboard, type DashboardNotice } from './dashboard-page';
import { field, html, type EmulatorRequest, type Reply } from './http';
import { createSigningKey } from './keys';
import { checkTtl } from './options';

export const DASHBOARD_PATH = '/dashboard';

/** Messages shown after an action, by the `done` value of the redirect (never text from the request). */
const NOTICES: Readonly<Record<string, DashboardNotice>> = {
  revoked: { text: 'Session revoked: its next refresh gets invalid_grant.' },
  expired: { text: 'Access token expired: the emulator clock moved to its expiry.' },
  rotated: { text: 'Signing key rotated: the key set serves only the new key.' },
  armed: { text: 'Armed: the next refresh calls fail as chosen.' },
  cleared: { text: 'Faults cleared.' },
  ttl: { text: 'Access-token lifetime changed for tokens issued from now on.' },
  unknown: { text: 'Nothing done: that session is gone or the form was incomplete.', error: true },
};

export function isDashboardPath(path: string): boolean {
  return path === DASHBOARD_PATH || path.startsWith(`${DASHBOARD_PATH}/`);
}

/**
 * `GET /dashboard` shows the emulator's data and live sessions; `POST /dashboard` runs one
 * action and redirects back (post/redirect/get). It is a developer tool on a loopback port, and
 * still refuses a Host that is not loopback (DNS rebinding) and POSTs from any other origin
 * (a page elsewhere must not revoke sessions or arm failures).
 */
export function dashboard(ctx: EmulatorContext, req: EmulatorRequest): Reply {
  if (!loopbackHost(req.headers)) return refuse(421, 'This dashboard only answers on 127.0.0.1 or localhost.');
  if (req.path !== DASHBOARD_PATH) return refuse(404, 'No such dashboard page.');
  if (req.method === 'GET') return page(200, renderDashboard(ctx, NOTICES[req.query.done ?? '']));
  if (req.method !== 'POST') return refuse(405, 'Use GET or POST.');
  if (!sameOrigin(req.headers)) return refuse(403, 'Dashboard actions are only taken from the dashboard page itself.');
  const done = act(ctx, req.body);
  return { status: 303, headers: { Location: `${DASHBOARD_PATH}?done=${done}`, 'Cache-Control': 'no-store' }, body: '' };
}

/** Runs the action named by the form; answers the notice to show. */
function act(ctx: EmulatorContext, body: unknown): string {
  const sessionId = field(body, 'session_id');
  const session = sessionId === undefined ? undefined : ctx.store.sessions.get(sessionId);
  switch (field(body, 'action')) {
    case 'revoke':
      if (!session || session.ended) return 'unknown';
      ctx.store.endSession(session.id);
      return 'revoked';
    case 'expire': {
      if (!session || session.ended || session.accessTokenExpiresAt === undefined) return 'unknown';
      // Access tokens are verified by the app on its own clock: only a shared clock can expire them.
      const wait = session.accessTokenExpiresAt - ctx.clock.now();
      if (wait > 0) ctx.clock.advance(wait / 1000);
      return 'expired';
    }
    case 'rotate-key':
      ctx.signingKey = createSigningKey();
      return 'rotated';
    case 'fail-refresh': {
      const choice = REFRESH_FAULTS[field(body, 'fault') ?? ''];
      const times = Number(field(body, 'times') ?? '1');
      if (!choice || !Number.isInteger(times) || times < 1 || times > 20) return 'unknown';
      ctx.faults.add('authenticate_refresh', choice.fault, times);
      return 'armed';
    }
    case 'clear-faults':
      ctx.faults.clear();
      return 'cleared';
    case 'token-ttl': {
      const seconds = Number(field(body, 'seconds'));
      if (!Number.isInteger(seconds) || seconds <= 0) return 'unknown';
      ctx.knobs.accessTokenTtlSeconds = checkTtl(seconds);
      return 'ttl';
    }
    default:
      return 'unknown';
  }
}

function loopbackHost(headers: IncomingHttpHeaders): boolean {
  try {
    const { hostname } = new URL(`http://${headers.host ?? ''}`);
    return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
  } catch {
    return false;
  }
}

/** `Sec-Fetch-Site: same-origin`; from a client without it, an `Origin` naming this very host. */
function sameOrigin(headers: IncomingHttpHeaders): boolean {
  const site = headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin';
  return headers.origin !== undefined && headers.origin === `http://${headers.host ?? ''}`;
}

function page(status: number, markup: string): Reply {
  const reply = html(status, markup);
  // Its buttons act: no other page may frame it and trick a click.
  const csp = `${reply.headers['Content-Security-Policy']}; form-action 'self'; frame-ancestors 'none'`;
  return { ...reply, headers: { ...reply.headers, 'Content-Security-Policy': csp, 'X-Frame-Options': 'DENY' } };
}

function refuse(status: number, message: string): Reply {
  return page(status, `<!doctype html><title>Emulator dashboard</title><p>${message}</p>`);
}
