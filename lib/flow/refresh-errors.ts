/** WorkOS refused the refresh token for good (revoked, already used, …): the session is over. */
export class RefreshRejectedError extends Error {
  override readonly name: string = 'RefreshRejectedError';
  readonly workosCode: string | undefined;
  constructor(workosCode: string | undefined, options?: { cause?: unknown }) {
    super(`WorkOS refused the refresh token${workosCode ? ` (${workosCode})` : ''}.`, options);
    this.workosCode = workosCode;
  }
}

/**
 * The session was signed out in this process (see `EndedSessions`): none of its rotations is
 * handed out again, whatever cookie asks. Terminal, like a refusal, but WorkOS was not asked.
 */
export class SessionEndedError extends RefreshRejectedError {
  override readonly name = 'SessionEndedError';
  constructor() {
    super(undefined);
    this.message = 'This session was signed out.';
  }
}
