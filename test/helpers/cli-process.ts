import { spawn, type ChildProcess } from 'node:child_process';

export interface CliExit {
  code: number | null;
  /** The signal that ended it, if one did (npm exec re-raises the one its child got). */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  /** The WORKOS_* lines it printed, as a map. */
  env: Record<string, string>;
  port: number;
  stdout(): string;
  /** Sends `signal` to the process group, as Ctrl+C in a terminal does, and waits for the exit. */
  stop(signal: NodeJS.Signals): Promise<CliExit>;
}

/** The environment without npm's script variables and WorkOS settings, for child processes. */
export const childEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm_|WORKOS_)/i.test(name)));

const running = new Set<ChildProcess>();

/** Kills (SIGKILL, its own process group) every CLI a test started and left running. */
export function killStrayClis(): void {
  for (const child of running) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGKILL');
  }
  running.clear();
}

/** Runs a command to its end. */
export function runCli(command: string, args: readonly string[], cwd: string): Promise<CliExit> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/**
 * Starts the emulator CLI in its own process group and resolves once it says it is ready (with
 * the WORKOS_* lines it printed); rejects with its output if it exits first.
 */
export function startCli(command: string, args: readonly string[], cwd: string): Promise<RunningCli> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running.add(child);
    let stdout = '';
    let stderr = '';
    const exited = new Promise<CliExit>((done) => child.on('close', (code, signal) => done({ code, signal, stdout, stderr })));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!stdout.includes('Press Ctrl+C to stop.')) return;
      child.stdout.removeAllListeners('data');
      child.stdout.on('data', (more: Buffer) => (stdout += more.toString()));
      const env = Object.fromEntries([...stdout.matchAll(/^(WORKOS_[A-Z_]+)=(.*)$/gm)].map(([, key, value]) => [key!, value!]));
      resolve({
        env,
        port: Number(env.WORKOS_API_PORT),
        stdout: () => stdout,
        stop: (signal) => {
          process.kill(-child.pid!, signal);
          return exited;
        },
      });
    });
    child.on('error', reject);
    void exited.then(({ code }) => reject(new Error(`the CLI exited (${code}) before it was ready\n${stdout}\n${stderr}`)));
  });
}
