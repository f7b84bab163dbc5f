import { authenticate } from './authenticate';
import { approve, authorize } from './authorize';
import type { EmulatorContext } from './context';
import { field, json, type EmulatorRequest, type Reply } from './http';
import { listMemberships, MEMBERSHIPS_PATH } from './memberships-api';
import { APPROVE_PATH, SIGNED_OUT_PATH } from './sign-in-page';
import { logout, revoke, signedOutPage } from './sign-out';
import type { EmulatorEndpoint } from './types';

const JWKS_PREFIX = '/sso/jwks/';

/** Which counter a request belongs to; the body decides between the two grants. */
export function classify(req: EmulatorRequest): EmulatorEndpoint {
  const { method, path } = req;
  if (method === 'GET' && path === '/user_management/authorize') return 'authorize';
  if (method === 'POST' && path === '/user_management/authenticate') {
    const grant = field(req.body, 'grant_type');
    if (grant === 'authorization_code') return 'authenticate_code';
    if (grant === 'refresh_token') return 'authenticate_refresh';
    return 'other';
  }
  if (method === 'GET' && path.startsWith(JWKS_PREFIX)) return 'jwks';
  if (method === 'GET' && path === '/user_management/sessions/logout') return 'logout';
  if (method === 'POST' && path === '/user_management/sessions/revoke') return 'revoke';
  return 'other';
}

export function route(ctx: EmulatorContext, req: EmulatorRequest, endpoint: EmulatorEndpoint): Reply {
  switch (endpoint) {
    case 'authorize':
      return authorize(ctx, req);
    case 'authenticate_code':
    case 'authenticate_refresh':
      return authenticate(ctx, req);
    case 'jwks':
      return jwks(ctx, req.path.slice(JWKS_PREFIX.length));
    case 'logout':
      return logout(ctx, req);
    case 'revoke':
      return revoke(ctx, req);
    case 'other':
      return other(ctx, req);
  }
}

function other(ctx: EmulatorContext, req: EmulatorRequest): Reply {
  if (req.method === 'POST' && req.path === APPROVE_PATH) return approve(ctx, req);
  if (req.method === 'GET' && req.path === SIGNED_OUT_PATH) return signedOutPage();
  if (req.method === 'GET' && req.path === MEMBERSHIPS_PATH) return listMemberships(ctx, req);
  // Unsupported grants still get the OAuth-shaped answer the SDK expects.
  if (req.method === 'POST' && req.path === '/user_management/authenticate') return authenticate(ctx, req);
  return json(404, { code: 'not_found', message: `The emulator has no route for ${req.method} ${req.path}.` });
}

function jwks(ctx: EmulatorContext, rawClientId: string): Reply {
  let clientId: string;
  try {
    clientId = decodeURIComponent(rawClientId);
  } catch {
    clientId = rawClientId;
  }
  if (clientId !== ctx.clientId) return json(404, { code: 'not_found', message: `Unknown client '${clientId}'.` });
  return json(200, { keys: [ctx.signingKey.jwk] });
}
