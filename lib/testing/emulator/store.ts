import type { StoredUser } from './stored-user';
import type { EmulatorClock, EmulatorImpersonator, EmulatorMembership, EmulatorOrganization, EmulatorRole, EmulatorUser } from './types';
import type { WireAuthResponse } from './wire';

/** An issued authorization code and everything the exchange must match. */
export interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  userId: string;
  organizationId?: string;
  /** The role picked on the sign-in page, if any. */
  role?: string;
  codeChallenge?: string;
  expiresAt: number;
}

export interface Session {
  id: string;
  userId: string;
  /** The most recently used organization; refreshes without `organization_id` keep it. */
  organizationId?: string;
  impersonator?: EmulatorImpersonator;
  /** The role picked at sign-in, for `organizationId` only: switching organization drops it. */
  role?: string;
  authenticationMethod: string;
  ended: boolean;
  /** `exp` (ms) of the last access token issued, shown and moved to by the dashboard. */
  accessTokenExpiresAt?: number;
}

export interface RefreshRecord {
  sessionId: string;
  /** Set once exchanged; the token is then only good for a grace-window replay. */
  exchangedAt?: number;
  /** The pair the first exchange returned, replayed as is within the grace window. */
  successor?: WireAuthResponse;
}

export const DEFAULT_USER: EmulatorUser = {
  id: 'user_01EMULATOR',
  email: 'ada@example.com',
  firstName: 'Ada',
  lastName: 'Lovelace',
};

/** The seeds `reset()` returns to. */
export interface Seeds {
  users: readonly EmulatorUser[];
  memberships: readonly EmulatorMembership[];
  organizations: readonly EmulatorOrganization[];
  roles: readonly EmulatorRole[];
}

/** All mutable emulator data; `reset()` returns it to the seeds given at start. */
export class Store {
  readonly codes = new Map<string, AuthorizationCode>();
  readonly sessions = new Map<string, Session>();
  readonly refreshTokens = new Map<string, RefreshRecord>();
  private readonly users = new Map<string, StoredUser>();
  private memberships: EmulatorMembership[] = [];
  private readonly organizationNames = new Map<string, string>();
  private readonly roles = new Map<string, EmulatorRole>();
  // Counts exchanges per refresh token that have arrived but not been answered yet.
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly seeds: Seeds,
    private readonly clock: EmulatorClock,
  ) {
    this.reset();
  }

  reset(): void {
    this.codes.clear();
    this.sessions.clear();
    this.refreshTokens.clear();
    this.users.clear();
    this.memberships = [];
    this.organizationNames.clear();
    this.roles.clear();
    this.seeds.users.forEach((user) => this.addUser(user));
    this.seeds.memberships.forEach((membership) => this.addMembership(membership));
    this.seeds.organizations.forEach(({ id, name }) => this.organizationNames.set(id, name));
    this.seeds.roles.forEach((role) => this.roles.set(role.slug, structuredClone(role)));
  }

  addUser(user: EmulatorUser): StoredUser {
    if (!user.id || !user.email) throw new TypeError('emulator user needs an id and an email');
    const now = new Date(this.clock.now()).toISOString();
    const previous = this.users.get(user.id);
    const stored: StoredUser = {
      id: user.id,
      email: user.email,
      firstName: user.firstName ?? null,
      lastName: user.lastName ?? null,
      emailVerified: user.emailVerified ?? true,
      metadata: { ...user.metadata },
      createdAt: previous?.createdAt ?? now,
      updatedAt: now,
      lastSignInAt: previous?.lastSignInAt ?? null,
    };
    this.users.set(user.id, stored);
    return stored;
  }

  user(id: string): StoredUser | undefined {
    return this.users.get(id);
  }

  userByEmail(email: string): StoredUser | undefined {
    const wanted = email.toLowerCase();
    return this.allUsers().find((user) => user.email.toLowerCase() === wanted);
  }

  allUsers(): StoredUser[] {
    return [...this.users.values()];
  }

  addMembership(membership: EmulatorMembership): void {
    if (!membership.userId || !membership.organizationId) {
      throw new TypeError('emulator membership needs a userId and an organizationId');
    }
    const copy = structuredClone(membership);
    this.memberships = this.memberships.filter((m) => m.userId !== copy.userId || m.organizationId !== copy.organizationId).concat(copy);
  }

  membership(userId: string, organizationId: string): EmulatorMembership | undefined {
    return this.memberships.find((m) => m.userId === userId && m.organizationId === organizationId);
  }

  /** The user's memberships, in the order they were added. */
  membershipsOf(userId: string): EmulatorMembership[] {
    return this.memberships.filter((m) => m.userId === userId);
  }

  allMemberships(): readonly EmulatorMembership[] {
    return this.memberships;
  }

  /** Organizations named in the seeds, then those only memberships mention. */
  organizationIds(): string[] {
    return [...new Set([...this.organizationNames.keys(), ...this.memberships.map((m) => m.organizationId)])];
  }

  /** The organization's name, or its id when none was given. */
  organizationName(id: string): string {
    return this.organizationNames.get(id) ?? id;
  }

  role(slug: string): EmulatorRole | undefined {
    return this.roles.get(slug);
  }

  allRoles(): EmulatorRole[] {
    return [...this.roles.values()];
  }

  endSession(sessionId: string): void {
    const session = this.sessions.get(sessionId);
    if (session) session.ended = true;
  }

  beginExchange(refreshToken: string): void {
    this.inFlight.set(refreshToken, this.exchangesInFlight(refreshToken) + 1);
  }

  endExchange(refreshToken: string): void {
    const left = this.exchangesInFlight(refreshToken) - 1;
    if (left > 0) this.inFlight.set(refreshToken, left);
    else this.inFlight.delete(refreshToken);
  }

  exchangesInFlight(refreshToken: string): number {
    return this.inFlight.get(refreshToken) ?? 0;
  }
}
