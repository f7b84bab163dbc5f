import type { AuthenticationResult, SessionData } from '../model/session';

/** The session a WorkOS authentication (sign-in or refresh) response makes. */
export function sessionFromAuthentication(response: AuthenticationResult, previous?: SessionData): SessionData {
  return {
    accessToken: response.accessToken,
    refreshToken: response.refreshToken,
    user: response.user,
    impersonator: response.impersonator,
    // A refresh response does not repeat how the user first authenticated: keep it.
    authenticationMethod: response.authenticationMethod ?? previous?.authenticationMethod,
    organizationId: response.organizationId,
  };
}
