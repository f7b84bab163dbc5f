import type { ResolvedConfig } from '../config/resolve';
import type { IgnoredSignInOptions } from './sign-in-query';

const warned = new WeakSet<object>();

const WHY: Record<IgnoredSignInOptions['why'], string> = {
  not_same_origin: 'the request did not prove it came from this origin',
  signed_link_wins: 'the link is signed and its sealed options win',
  expired: 'the signed link has expired',
  tampered: 'the signed link was altered',
  malformed: 'the signed link is malformed',
  unknown_password: 'the signed link was sealed with a password this app does not have',
  not_a_sign_in_link: 'the signed value is not a sign-in link',
};

/**
 * Tells the developer which sign-in options a login link lost and why: each time in the debug
 * log, and once per instance as a warning when options in the clear came from elsewhere (the
 * usual cause is an unsigned link on a marketing site or in an email). Only the parameter names
 * (from a fixed list) are logged, never their values.
 */
export function reportIgnoredSignInOptions(
  config: Pick<ResolvedConfig, 'logger' | 'debug'>,
  ignored: IgnoredSignInOptions | undefined,
): void {
  if (ignored === undefined) return;
  if (config.debug) config.logger.debug?.(`sign-in: ignored ${ignored.names.join(', ')}: ${WHY[ignored.why]}`);
  if (ignored.why !== 'not_same_origin' || warned.has(config)) return;
  warned.add(config);
  config.logger.warn(
    `The login route ignored ${ignored.names.join(', ')} from a request that did not prove it came from this origin ` +
      "(a link on another site, in an email or typed), and started a plain sign-in. Such options could sign a visitor in through an attacker's connection. " +
      'Links from anywhere else must be built with getSignInUrl / getSignUpUrl, which seal these options.',
  );
}
