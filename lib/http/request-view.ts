/**
 * What the library reads from a request, whatever the framework: each adapter builds one from
 * its own request object (Express/Connect `req`, Koa `ctx`), so nothing below the adapters
 * touches a framework type.
 */
export interface RequestView {
  /** Upper case, as sent (`GET`, `POST`, …). */
  readonly method: string;
  /** Path and query as the browser sent them, before any mount point rewrote them. */
  readonly target: string;
  /** A request header by lower-case name: the first value when a client repeated it. */
  header(name: string): string | undefined;
  /** https, as the framework sees it (X-Forwarded-Proto only when it was told to trust the proxy). */
  readonly secure: boolean;
}
