#!/usr/bin/env node
// The `authkit-express` bin (package.json "bin"): `npx authkit-express emulator --help`.
import { exitOnUnsupportedNode } from '../../config/node-version';
import { runCli } from './run';

// On Node 20 `npm install` only warns (EBADENGINE): say what to do rather than start anyway.
exitOnUnsupportedNode('authkit-express emulator');

runCli(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`authkit-express: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
