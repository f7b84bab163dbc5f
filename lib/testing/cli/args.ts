import { parseArgs } from 'node:util';

/** The port the CLI listens on unless told otherwise: fixed, so an app's WORKOS_API_PORT keeps working across runs. */
export const DEFAULT_PORT = 4100;
export const DEFAULT_REDIRECT_URI = 'http://localhost:3000/callback';

export interface EmulatorCommand {
  kind: 'emulator';
  /** `0` picks a free port. */
  port: number;
  clientId?: string;
  apiKey?: string;
  /** Only suggested to the app (WORKOS_REDIRECT_URI); the emulator accepts any. */
  redirectUri: string;
  accessTokenTtlSeconds?: number;
  dataFile?: string;
  envFile?: string;
  force: boolean;
}

export type CliCommand = EmulatorCommand | { kind: 'help' } | { kind: 'error'; message: string };

/** Reads `authkit-express emulator [options]`; never throws, never exits (the caller decides). */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        port: { type: 'string', short: 'p' },
        'client-id': { type: 'string' },
        'api-key': { type: 'string' },
        'redirect-uri': { type: 'string' },
        'access-token-ttl': { type: 'string' },
        data: { type: 'string' },
        'env-file': { type: 'string' },
        force: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  const [command, ...extra] = positionals;
  if (command === undefined) return { kind: 'error', message: 'Missing command: authkit-express emulator [options]' };
  if (command !== 'emulator') return { kind: 'error', message: `Unknown command '${command}': the only command is 'emulator'` };
  if (extra.length > 0) return { kind: 'error', message: `Unexpected argument '${extra[0]}'` };

  const port = integer(values.port, '--port', 0, 65535) ?? DEFAULT_PORT;
  if (typeof port === 'string') return { kind: 'error', message: port };
  const ttl = integer(values['access-token-ttl'], '--access-token-ttl', 1, 24 * 60 * 60);
  if (typeof ttl === 'string') return { kind: 'error', message: ttl };
  const redirectUri = values['redirect-uri'] ?? DEFAULT_REDIRECT_URI;
  if (!isHttpUrl(redirectUri)) return { kind: 'error', message: '--redirect-uri must be an absolute http(s) URL' };
  for (const [flag, value] of [
    ['--client-id', values['client-id']],
    ['--api-key', values['api-key']],
    ['--data', values.data],
    ['--env-file', values['env-file']],
  ] as const) {
    if (value === '') return { kind: 'error', message: `${flag} needs a value` };
  }
  if (values.force && values['env-file'] === undefined) return { kind: 'error', message: '--force only applies with --env-file' };

  const result: EmulatorCommand = { kind: 'emulator', port, redirectUri, force: values.force ?? false };
  if (values['client-id'] !== undefined) result.clientId = values['client-id'];
  if (values['api-key'] !== undefined) result.apiKey = values['api-key'];
  if (ttl !== undefined) result.accessTokenTtlSeconds = ttl;
  if (values.data !== undefined) result.dataFile = values.data;
  if (values['env-file'] !== undefined) result.envFile = values['env-file'];
  return result;
}

/** The number, `undefined` when absent, or the message saying what is wrong. */
function integer(value: string | undefined, flag: string, min: number, max: number): number | string | undefined {
  if (value === undefined) return undefined;
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max)
    return `${flag} must be a whole number from ${min} to ${max}, not '${value}'`;
  return number;
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
