import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClock } from './clock';
import { createContext, type EmulatorContext } from './context';
import { createControls } from './controls';
import { dashboard, DASHBOARD_PATH, isDashboardPath } from './dashboard';
import { faultReply } from './faults';
import { BodyTooLargeError, field, json, readRequest, writeReply, type EmulatorRequest } from './http';
import { resolveOptions } from './options';
import { classify, route } from './router';
import type { Emulator, EmulatorOptions } from './types';

const HOST = '127.0.0.1';

/** Starts a WorkOS emulator on a loopback port; `close()` it when done. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const resolved = resolveOptions(options);
  const server = createServer();
  await listen(server, resolved.port);
  const { port } = server.address() as AddressInfo;
  const url = `http://${HOST}:${port}`;
  const clock = createClock();
  let ctx: EmulatorContext;
  try {
    ctx = createContext({
      url,
      clientId: resolved.clientId,
      apiKey: resolved.apiKey,
      issuer: resolved.issuer ?? `${url}/user_management/${resolved.clientId}`,
      clock,
      seeds: resolved.seeds,
      knobs: resolved.knobs,
    });
  } catch (error) {
    // Bad seeds (a user without an email, …): do not leave the port open behind the error.
    server.close();
    throw error;
  }
  const pending = new PendingDelays();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(ctx, pending, req, res).catch((error: unknown) => {
      writeReply(res, json(500, { message: `Emulator error: ${String(error)}` }));
    });
  });

  return {
    url,
    dashboardUrl: `${url}${DASHBOARD_PATH}`,
    clientId: ctx.clientId,
    apiKey: ctx.apiKey,
    issuer: ctx.issuer,
    settings: { clientId: ctx.clientId, apiKey: ctx.apiKey, apiHostname: HOST, apiHttps: false, apiPort: port, clock },
    ...createControls(ctx),
    close: () => close(server, pending),
  };
}

/** Count and log, then apply an armed fault, then answer normally. */
async function handle(ctx: EmulatorContext, pending: PendingDelays, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let request: EmulatorRequest;
  try {
    request = await readRequest(req);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return writeReply(res, json(413, { message: error.message }));
    throw error;
  }
  // The dashboard is the emulator's own control surface, not WorkOS: not counted, logged or faulted.
  if (isDashboardPath(request.path)) return writeReply(res, dashboard(ctx, request));
  const endpoint = classify(request);
  ctx.calls[endpoint] += 1;
  const { method, path, query, body } = request;
  ctx.requests.push({ method, path, query, body, endpoint, at: ctx.clock.now() });

  // Marked before any injected delay, so a second exchange of the same token sees this one in flight.
  const refreshToken = endpoint === 'authenticate_refresh' ? field(body, 'refresh_token') : undefined;
  if (refreshToken !== undefined) ctx.store.beginExchange(refreshToken);
  try {
    const fault = ctx.faults.take(endpoint);
    if (fault?.delayMs) await pending.wait(fault.delayMs);
    if (fault?.drop) {
      req.socket.destroy();
      return;
    }
    const injected = fault && faultReply(fault);
    writeReply(res, injected ?? route(ctx, request, endpoint));
  } finally {
    if (refreshToken !== undefined) ctx.store.endExchange(refreshToken);
  }
}

/** Delay timers, tracked so `close()` can cancel them and not keep the process alive. */
class PendingDelays {
  private readonly timers = new Set<NodeJS.Timeout>();

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  cancelAll(): void {
    this.timers.forEach((timer) => clearTimeout(timer));
    this.timers.clear();
  }
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function close(server: Server, pending: PendingDelays): Promise<void> {
  pending.cancelAll();
  return new Promise((resolve, reject) => {
    if (!server.listening) return resolve();
    server.close((error) => (error ? reject(error) : resolve()));
    // Keep-alive sockets from the SDK's fetch would otherwise hold the port and the process.
    server.closeAllConnections();
  });
}
