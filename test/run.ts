// SPDX-License-Identifier: Apache-2.0
// `npm test`: makes sure what the suites need is there (Chromium and a CJK font for the browser tests,
// the built console), then runs the whole suite on the embedded engine and, when YZ_TEST_DATABASE_URL
// is set, again on PostgreSQL server. Closes with one "N passed, N failed" line.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { testEnvironment } from '../server/platform/config.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, '.yz-test');
const CHROMIUM = '/usr/bin/chromium';

function has(cmd: string, args: string[]): string | null {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}

function ensureBrowser(): void {
  const fonts = has('fc-list', [':lang=zh', 'family']) ?? '';
  const missing: string[] = [];
  if (!fs.existsSync(CHROMIUM)) missing.push('chromium');
  if (fonts.trim() === '') missing.push('fonts-noto-cjk');
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && has('apt-get', ['--version'])) {
    process.stderr.write(`installing ${missing.join(' ')} for the browser tests (apt-get)…\n`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    const r = spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
    if (r.status === 0) return;
  }
  process.stderr.write(
    `The browser tests need Debian's ${missing.join(' and ')}. Install them with:\n  sudo apt-get install -y ${missing.join(' ')}\nthen run npm test again.\n`,
  );
  process.exit(1);
}

/** The CAP tests validate every emitted alert with xmllint (Debian's libxml2-utils) against the CAP 1.2 schema. */
function ensureXmllint(): void {
  if (has('xmllint', ['--version']) !== null) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && has('apt-get', ['--version'])) {
    process.stderr.write('installing libxml2-utils (xmllint) for the CAP schema tests (apt-get)…\n');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    const r = spawnSync('apt-get', ['install', '-y', '-qq', 'libxml2-utils'], { stdio: 'inherit', env });
    if (r.status === 0 && has('xmllint', ['--version']) !== null) return;
  }
  process.stderr.write("The CAP tests need xmllint from Debian's libxml2-utils. Install it with:\n  sudo apt-get install -y libxml2-utils\nthen run npm test again.\n");
  process.exit(1);
}

function buildConsole(): void {
  process.stderr.write('building the console…\n');
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    process.stderr.write('the console does not build\n');
    process.exit(1);
  }
}

type Totals = { passed: number; failed: number; skipped: number };

function runSuite(engine: 'embedded' | 'server', extraArgs: string[]): Totals & { ok: boolean } {
  const json = path.join(OUT, `results-${engine}.json`);
  fs.rmSync(json, { force: true });
  process.stderr.write(`\n=== test suite on the ${engine === 'embedded' ? 'embedded engine (PGlite)' : 'PostgreSQL server'} ===\n`);
  const r = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${json}`, ...extraArgs],
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, YZ_TEST_ENGINE: engine } },
  );
  let totals: Totals = { passed: 0, failed: 0, skipped: 0 };
  if (fs.existsSync(json)) {
    const data = JSON.parse(fs.readFileSync(json, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
    totals = { passed: data.numPassedTests, failed: data.numFailedTests, skipped: data.numPendingTests + data.numTodoTests };
  }
  const ok = r.status === 0 && totals.failed === 0 && totals.passed > 0;
  if (!ok && totals.failed === 0) totals.failed = 1; // the run itself failed (setup error, no tests)
  return { ...totals, ok };
}

fs.mkdirSync(OUT, { recursive: true });
const args = process.argv.slice(2);
ensureBrowser();
ensureXmllint();
buildConsole();
const env = testEnvironment();
const results = [runSuite('embedded', args)];
if (env.serverUrl) results.push(runSuite('server', args));
else process.stderr.write('\n(YZ_TEST_DATABASE_URL is not set: the suite ran on the embedded engine only)\n');
const sum = results.reduce((a, r) => ({ passed: a.passed + r.passed, failed: a.failed + r.failed, skipped: a.skipped + r.skipped }), { passed: 0, failed: 0, skipped: 0 });
process.stdout.write(`\n${sum.passed} passed, ${sum.failed} failed${sum.skipped ? `, ${sum.skipped} skipped` : ''}\n`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
