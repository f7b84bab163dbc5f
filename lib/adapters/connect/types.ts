import type { IncomingMessage, ServerResponse } from 'node:http';

/** Connect's and Express's `next`: call it to continue, or with an error to hand it to the error middleware. */
export type NextFunction = (error?: unknown) => void;

/** Connect-style middleware: also accepted by Express 4 and 5 and by `node:http` chains. */
export type Middleware = (req: IncomingMessage, res: ServerResponse, next: NextFunction) => void;
