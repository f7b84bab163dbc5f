import type { StoredUser } from './stored-user';
import type { AuthenticationResult, EmulatorImpersonator, EmulatorSdkUser } from './types';

/** The user object as the WorkOS API sends it (snake_case). */
export interface WireUser {
  object: 'user';
  id: string;
  email: string;
  email_verified: boolean;
  first_name: string | null;
  last_name: string | null;
  name: string | null;
  profile_picture_url: string | null;
  last_sign_in_at: string | null;
  locale: string | null;
  created_at: string;
  updated_at: string;
  external_id: string | null;
  metadata: Record<string, string>;
}

/** `POST /user_management/authenticate` success body. */
export interface WireAuthResponse {
  user: WireUser;
  organization_id?: string;
  access_token: string;
  refresh_token: string;
  authentication_method: string;
  impersonator?: EmulatorImpersonator;
}

export function toWireUser(user: StoredUser): WireUser {
  return {
    object: 'user',
    id: user.id,
    email: user.email,
    email_verified: user.emailVerified,
    first_name: user.firstName,
    last_name: user.lastName,
    name: null,
    profile_picture_url: null,
    last_sign_in_at: user.lastSignInAt,
    locale: null,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
    external_id: null,
    metadata: { ...user.metadata },
  };
}

/** The camelCase shape `@workos-inc/node` turns a wire response into. */
export function toAuthenticationResult(wire: WireAuthResponse): AuthenticationResult {
  const result: AuthenticationResult = {
    user: toSdkUser(wire.user),
    accessToken: wire.access_token,
    refreshToken: wire.refresh_token,
    authenticationMethod: wire.authentication_method,
  };
  if (wire.organization_id !== undefined) result.organizationId = wire.organization_id;
  if (wire.impersonator !== undefined) result.impersonator = { ...wire.impersonator };
  return result;
}

function toSdkUser(user: WireUser): EmulatorSdkUser {
  return {
    object: 'user',
    id: user.id,
    email: user.email,
    emailVerified: user.email_verified,
    name: user.name,
    firstName: user.first_name,
    lastName: user.last_name,
    profilePictureUrl: user.profile_picture_url,
    lastSignInAt: user.last_sign_in_at,
    locale: user.locale,
    createdAt: user.created_at,
    updatedAt: user.updated_at,
    externalId: user.external_id,
    metadata: { ...user.metadata },
  };
}
