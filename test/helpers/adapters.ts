/** The two adapters a test can run the same app on. */
export type Adapter = 'express' | 'koa';
export const ADAPTERS: readonly Adapter[] = ['express', 'koa'];
