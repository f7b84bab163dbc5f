import type { IncomingMessage, ServerResponse } from 'node:http';

export type NextFunction = (error?: unknown) => void;

/** Connect-style middleware: also accepted by Express 4 and 5 and by `node:http` chains. */
export type Middleware = (req: IncomingMessage, res: ServerResponse, next: NextFunction) => void;
