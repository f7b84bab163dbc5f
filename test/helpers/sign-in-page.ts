import type { Emulator } from '../../lib/testing';

/** Submits the emulator's sign-in form the way a browser would: its hidden fields plus an email; returns the callback URL. */
export async function submitSignInPage(emulator: Pick<Emulator, 'url'>, authorizeUrl: string, email: string): Promise<URL> {
  const page = await fetch(authorizeUrl);
  const html = await page.text();
  if (!html.includes('<h1>Sign in</h1>')) throw new Error('not the emulator sign-in page');
  const form = new URLSearchParams();
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.set(
      name!,
      value!.replaceAll('&amp;', '&').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>'),
    );
  }
  form.set('email', email);
  const action = /<form method="post" action="([^"]+)"/.exec(html)![1]!;
  const approved = await fetch(new URL(action, emulator.url), { method: 'POST', body: form, redirect: 'manual' });
  if (approved.status !== 302) throw new Error(`emulator sign-in answered ${approved.status}`);
  return new URL(approved.headers.get('location')!);
}
