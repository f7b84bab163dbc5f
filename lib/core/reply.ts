/**
 * An answer described as data, so every adapter gives the same one: the Connect adapter writes it
 * to a `ServerResponse`, the Koa adapter through `ctx`.
 * - `headers` and `setCookies` go out with it; cookies make it private.
 * - `private`: it depends on the session (a refusal, session data, an error): `Cache-Control:
 *   private, no-store` and `Vary: Cookie`.
 * - `html` is always one of the library's own pages: adapters send it unframeable.
 */
export type Reply = (
  { kind: 'redirect'; location: string } | { kind: 'json'; status: number; body: unknown } | { kind: 'html'; status: number; body: string }
) & {
  headers?: Readonly<Record<string, string>>;
  setCookies?: readonly string[];
  private?: boolean;
};
