import { exitOnUnsupportedNode } from '../../lib/config/node-version';
import { startExample } from './start';

/** `npm run example`: the example app on http://localhost:3000 (PORT overrides). */
async function main(): Promise<void> {
  // On Node 20 `npm install` only warns; stop here with what to do rather than half-work.
  exitOnUnsupportedNode('npm run example');
  const example = await startExample(Number(process.env.PORT ?? 3000));
  console.log(`Example app: ${example.url}`);
  if (example.emulator) {
    console.log(`WorkOS emulator: ${example.emulator.url} (no WorkOS credentials set)`);
    console.log(`Its dashboard: ${example.emulator.dashboardUrl}`);
    console.log('Sign in as ada@example.com (two organizations, admin or member in Acme), grace@example.com, or any email.');
  } else {
    console.log('Using WorkOS with the WORKOS_* settings.');
  }
  const stop = () => void example.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
