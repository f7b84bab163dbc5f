import type { AuthKitOptions } from '../../lib';
import type { AuthKitPorts } from '../../lib/core/context';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../lib/testing';
import { clearWorkOSEnv, COOKIE_PASSWORD } from './env';

/** Where the test apps say they live; WorkOS sends the browser back to `REDIRECT_URI`. */
export const APP_ORIGIN = 'http://localhost:3000';
export const REDIRECT_URI = `${APP_ORIGIN}/callback`;

/** How a test app is started, on either adapter. */
export interface TestAppOptions {
  emulator?: EmulatorOptions;
  /** Library options over the defaults; a function when they need the emulator (a client for it). */
  authkit?: AuthKitOptions | ((emulator: Emulator) => AuthKitOptions);
  /** Collaborators to use instead of the real ones (counting or failing fakes). */
  ports?: AuthKitPorts;
}

export interface TestAppSetup {
  emulator: Emulator;
  /** The emulator's settings, `COOKIE_PASSWORD`, `REDIRECT_URI` and a logger into `warnings`, then the test's own options. */
  authkitOptions: AuthKitOptions;
  /** What the library logged (tests see warnings instead of the console). */
  warnings: string[];
}

/** What every test app starts from, whatever its framework: WORKOS_* cleared, an auto-approving emulator, the library's options. */
export async function setUpTestApp(options: TestAppOptions = {}): Promise<TestAppSetup> {
  clearWorkOSEnv();
  const emulator = await startEmulator({ autoApprove: true, ...options.emulator });
  const warnings: string[] = [];
  const authkitOptions: AuthKitOptions = {
    ...emulator.settings,
    cookiePassword: COOKIE_PASSWORD,
    redirectUri: REDIRECT_URI,
    logger: { warn: (message) => warnings.push(message) },
    ...(typeof options.authkit === 'function' ? options.authkit(emulator) : options.authkit),
  };
  return { emulator, authkitOptions, warnings };
}
