/**
 * Shortest cookie password accepted, in characters: the option check reports it, and the seal
 * format refuses to seal or unseal with a shorter one. Its own file so the seal format can read
 * it without depending on the rest of the configuration.
 */
export const MIN_PASSWORD_LENGTH = 32;
