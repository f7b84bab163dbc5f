// Reads Jest --json result files and prints one plain line, "N passed, N failed", summed over
// all runs. A missing or unreadable file counts as a failed run. Exits non-zero on any failure.
import { readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let broken = false;
for (const file of process.argv.slice(2)) {
  try {
    const result = JSON.parse(readFileSync(file, 'utf8'));
    passed += result.numPassedTests;
    failed += result.numFailedTests;
    // Suites that crash before running tests report no failed tests: count them too.
    failed += result.numRuntimeErrorTestSuites ?? 0;
    if (!result.success) broken = true;
    console.log(`${file}: ${result.numPassedTests} passed, ${result.numFailedTests} failed, ${result.numTotalTestSuites} suites`);
  } catch (error) {
    console.log(`${file}: no results (${error.message})`);
    broken = true;
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(broken || failed > 0 ? 1 : 0);
