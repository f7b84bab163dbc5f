/** The SDK and our config read WORKOS_* from the environment: tests must not inherit them. */
export function clearWorkOSEnv(): void {
  for (const name of Object.keys(process.env)) {
    if (name.startsWith('WORKOS_')) delete process.env[name];
  }
}

export const COOKIE_PASSWORD = 'test-cookie-password-at-least-32-characters-long';
