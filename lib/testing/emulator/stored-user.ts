/** A user as the emulator keeps it: the store holds these, the wire format is written from them. */
export interface StoredUser {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  emailVerified: boolean;
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  lastSignInAt: string | null;
}
