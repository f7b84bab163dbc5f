import { createServer, type RequestListener, type Server } from 'node:http';

/** A server for `handler` listening on a free port of 127.0.0.1 (one server for a whole burst of requests). */
export async function listen(handler: RequestListener): Promise<Server> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** Closes a server from `listen`, its kept-alive connections included. */
export async function stopServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}
