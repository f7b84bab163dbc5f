/** The CSP policy that forbids framing; sent as its own policy so the app's policy is never rewritten. */
export const NO_FRAMING_POLICY = "frame-ancestors 'none'";

/**
 * Headers for every HTML page the library writes (sign-out confirmation, access denied, error
 * pages), on both adapters. Security invariant: no library page can be framed, so another site
 * cannot overlay the sign-out button (clickjacking). A Content-Security-Policy the app already set
 * is kept and `frame-ancestors 'none'` is added as a further policy (browsers enforce every policy
 * they get, so the stricter framing rule wins without parsing the app's). `Referrer-Policy:
 * same-origin` keeps the `Origin` of the pages' same-origin sign-out form intact even where the
 * app sends `no-referrer` (which makes older browsers send `Origin: null`), and tells other sites nothing.
 */
export function libraryPageHeaders(existingPolicy: unknown): Record<string, string | string[]> {
  const policies = (Array.isArray(existingPolicy) ? existingPolicy : [existingPolicy]).filter(
    (policy): policy is string => typeof policy === 'string' && policy.trim() !== '',
  );
  const framingForbidden = policies.some((policy) => /(^|;)\s*frame-ancestors\s+'none'\s*(;|$)/i.test(policy));
  const csp = framingForbidden ? policies : [...policies, NO_FRAMING_POLICY];
  return {
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy': csp.length === 1 ? csp[0]! : csp,
    'Referrer-Policy': 'same-origin',
  };
}
