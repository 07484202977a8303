#!/usr/bin/env node
// `npm test`: lint, typecheck, unit + conformance + Electron-host suites (Vitest), then the end-to-end
// suite (Playwright in Debian's Chromium against the built web host). Builds first unless
// SKYFOLD_SKIP_BUILD=1 (CI builds in its own step). Prints one line per stage and a final
// "N passed, N failed, N skipped" line summing every suite (lint and typecheck count as one check each).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const results = [];
const run = (command, args, env = {}) =>
  spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

function check(name, command, args) {
  const status = run(command, args);
  results.push({ name, passed: status === 0 ? 1 : 0, failed: status === 0 ? 0 : 1, skipped: 0 });
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

mkdirSync('test-results', { recursive: true });
if (process.env.SKYFOLD_SKIP_BUILD !== '1') check('build', 'npx', ['electron-vite', 'build']);
check('lint', 'npm', ['run', '--silent', 'lint']);
check('typecheck', 'npm', ['run', '--silent', 'typecheck']);

rmSync('test-results/vitest.json', { force: true });
const vitestStatus = run('npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  '--outputFile.json=test-results/vitest.json',
]);
const vitest = readJson('test-results/vitest.json');
results.push(
  vitest
    ? {
        name: 'vitest',
        passed: vitest.numPassedTests,
        failed: vitest.numFailedTests + (vitestStatus !== 0 && vitest.numFailedTests === 0 ? 1 : 0),
        skipped: vitest.numPendingTests + vitest.numTodoTests,
      }
    : { name: 'vitest', passed: 0, failed: 1, skipped: 0 },
);

rmSync('test-results/playwright.json', { force: true });
if (!existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) {
  console.error('e2e: Chromium is missing (apt-get install chromium, or set CHROMIUM_PATH)');
  results.push({ name: 'e2e', passed: 0, failed: 1, skipped: 0 });
} else {
  const e2eStatus = run('npx', ['playwright', 'test', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: 'test-results/playwright.json',
  });
  const stats = readJson('test-results/playwright.json')?.stats;
  results.push(
    stats
      ? {
          name: 'e2e',
          passed: stats.expected + stats.flaky,
          failed: stats.unexpected + (e2eStatus !== 0 && stats.unexpected === 0 ? 1 : 0),
          skipped: stats.skipped,
        }
      : { name: 'e2e', passed: 0, failed: 1, skipped: 0 },
  );
}

const total = { passed: 0, failed: 0, skipped: 0 };
console.log('\nSummary');
for (const result of results) {
  console.log(
    `  ${result.name.padEnd(10)} ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped`,
  );
  total.passed += result.passed;
  total.failed += result.failed;
  total.skipped += result.skipped;
}
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed === 0 ? 0 : 1);
