import { escapeHtml } from '../../http/html';

/**
 * Shown when a navigation to the sign-out route cannot prove it came from this origin (another
 * site, a sibling subdomain, a link without referrer, a typed URL): signing out takes one click
 * on this page, whose same-origin form POST passes the origin check (the body is not read:
 * `returnTo` rides in the action's query). Served unframeable, so it cannot be overlaid either.
 */
export function signOutConfirmationPage(logoutPath: string, returnTo: string | undefined): string {
  const action = returnTo === undefined ? logoutPath : `${logoutPath}?${new URLSearchParams({ returnTo })}`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign out</title></head>
<body>
  <h1>Sign out?</h1>
  <form method="post" action="${escapeHtml(action)}"><button type="submit">Sign out</button></form>
</body>
</html>
`;
}
