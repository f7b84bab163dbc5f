import type { StoredUser } from './stored-user';
import type { EmulatorClock, EmulatorImpersonator, EmulatorMembership, EmulatorUser } from './types';
import type { WireAuthResponse } from './wire';

/** An issued authorization code and everything the exchange must match. */
export interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  userId: string;
  organizationId?: string;
  codeChallenge?: string;
  expiresAt: number;
}

export interface Session {
  id: string;
  userId: string;
  /** The most recently used organization; refreshes without `organization_id` keep it. */
  organizationId?: string;
  impersonator?: EmulatorImpersonator;
  authenticationMethod: string;
  ended: boolean;
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

/** All mutable emulator data; `reset()` returns it to the seeds given at start. */
export class Store {
  readonly codes = new Map<string, AuthorizationCode>();
  readonly sessions = new Map<string, Session>();
  readonly refreshTokens = new Map<string, RefreshRecord>();
  private readonly users = new Map<string, StoredUser>();
  private memberships: EmulatorMembership[] = [];
  // Counts exchanges per refresh token that have arrived but not been answered yet.
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly seedUsers: readonly EmulatorUser[],
    private readonly seedMemberships: readonly EmulatorMembership[],
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
    this.seedUsers.forEach((user) => this.addUser(user));
    this.seedMemberships.forEach((membership) => this.addMembership(membership));
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

  organizationIds(): string[] {
    return [...new Set(this.memberships.map((m) => m.organizationId))];
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
