import { startEmulator } from '../emulator/server';
import type { Emulator } from '../emulator/types';
import { DEFAULT_USER } from '../emulator/store';
import { parseCliArgs } from './args';
import { readEmulatorData, type EmulatorData } from './data-file';
import { writeEnvFile, type EnvEntry } from './env-file';
import { HELP } from './help';
import { CONNECTION_KEYS, emulatorEnv } from './settings';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

/** `authkit-express …`: answers the exit code, or `undefined` while the emulator runs (until SIGINT/SIGTERM). */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number | undefined> {
  const command = parseCliArgs(argv);
  if (command.kind === 'help') {
    io.out(HELP);
    return 0;
  }
  if (command.kind === 'error') {
    io.err(`authkit-express: ${command.message}\nRun 'npx authkit-express emulator --help' for the options.\n`);
    return 2;
  }
  let emulator: Emulator;
  let data: EmulatorData;
  try {
    data = command.dataFile === undefined ? {} : readEmulatorData(command.dataFile);
    emulator = await startEmulator({
      port: command.port,
      clientId: command.clientId,
      apiKey: command.apiKey,
      accessTokenTtlSeconds: command.accessTokenTtlSeconds,
      ...data,
    });
  } catch (error) {
    io.err(`authkit-express: ${startFailure(error, command.port)}\n`);
    return 1;
  }
  // Before anything is printed: whoever reads the output may signal at once.
  stopOnSignals(emulator, io);
  const entries = emulatorEnv(emulator, command.redirectUri);
  const emails = (data.users ?? [DEFAULT_USER]).map((user) => user.email);
  io.out(banner(emulator, entries, emails, command.envFile !== undefined));
  if (command.envFile !== undefined) {
    try {
      io.out(envFileReport(command.envFile, entries, command.force));
    } catch (error) {
      io.err(`authkit-express: could not write ${command.envFile}: ${error instanceof Error ? error.message : String(error)}\n`);
      await emulator.close();
      return 1;
    }
  }
  io.out('Press Ctrl+C to stop.\n');
  return undefined;
}

function startFailure(error: unknown, port: number): string {
  if ((error as { code?: unknown } | null)?.code === 'EADDRINUSE') {
    return `port ${port} on 127.0.0.1 is in use (another emulator?). Pass --port <n>, or --port 0 for a free one.`;
  }
  return error instanceof Error ? error.message : String(error);
}

function banner(emulator: Emulator, entries: readonly EnvEntry[], emails: readonly string[], toFile: boolean): string {
  const listed = emails.length === 0 ? '' : `, or as ${emails.slice(0, 5).join(', ')}${emails.length > 5 ? ', …' : ''}`;
  return [
    `WorkOS emulator on ${emulator.url}`,
    `Dashboard: ${emulator.dashboardUrl}`,
    '',
    toFile ? "Your app's WORKOS_* settings:" : "Put these in your app's environment (.env), or rerun with --env-file .env:",
    '',
    ...entries.map(([key, value]) => `${key}=${value}`),
    '',
    `Sign in with any email${listed}.`,
    '',
  ].join('\n');
}

function envFileReport(path: string, entries: readonly EnvEntry[], force: boolean): string {
  const { written, kept } = writeEnvFile(path, entries, force);
  const ours = new Map(entries);
  const lines: string[] = [];
  if (written.length > 0) lines.push(`Wrote ${written.join(', ')} to ${path}.`);
  if (kept.length > 0) lines.push(`Kept ${kept.map(({ key }) => key).join(', ')} already in ${path} (--force replaces them).`);
  for (const { key, value } of kept) {
    if (CONNECTION_KEYS.has(key) && value !== ours.get(key)) {
      lines.push(
        `Warning: ${key} in ${path} is '${value}', not '${ours.get(key)}': your app will not reach this emulator. Rerun with --force.`,
      );
    }
  }
  return `${lines.join('\n')}\n\n`;
}

function stopOnSignals(emulator: Emulator, io: CliIo): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    emulator.close().then(
      () => io.out(`WorkOS emulator stopped (${signal}).\n`),
      (error: unknown) => {
        io.err(`authkit-express: ${String(error)}\n`);
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
