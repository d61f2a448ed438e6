// SPDX-License-Identifier: Apache-2.0
// The `yunzheng` command: start, migrate, seed demo, import regions/boundaries, users create, audit verify, dataset publish.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PublishQuery } from '../contracts/datasets.ts';
import { ROLES, type Role, UserInput } from '../contracts/identity.ts';
import { type Config, ConfigError, loadConfig } from './platform/config.ts';
import { systemContext } from './platform/context.ts';
import { DataDirLockedError, type Database } from './platform/db.ts';
import { AppError } from './platform/errors.ts';
import { progressBar, type Progress } from './platform/progress.ts';

// Modules load on demand, so that usage errors and --help answer at once.
const main = () => import('./main.ts');
const migrations = () => import('./platform/migrate.ts');
const audit = () => import('./modules/audit/index.ts');
const backflow = () => import('./modules/backflow/index.ts');
const demo = () => import('./modules/demo/index.ts');
const identity = () => import('./modules/identity/index.ts');
const regions = () => import('./modules/regions/index.ts');

const USAGE = `Usage: yunzheng <command> [options]

Commands:
  start                          serve the console and API (migrates; seeds the demo province on first start)
  migrate                        apply pending database migrations
  seed demo [--villages N] [--seed S]
                                 add the demo province (code 99) with organizations and demo accounts
  import regions FILE.csv [--valid-from YYYY-MM-DD]
                                 import an NBS-style division list (code,name,level,parent[,name_en][,population])
  import boundaries FILE.geojson import region boundaries (FeatureCollection, properties.code)
  users create --username U --name NAME --org ORG_ID --roles r1,r2 [--scope CODE] [--clearance L] [--password P]
                                 create an account (a password is generated and printed when not given)
  audit verify                   walk the audit hash chain and report the first broken link
  dataset publish CODE FILE.csv|FILE.json --source TEXT [--note TEXT]
                                 publish a new version of a back-flow data set (all rows; all or nothing)

Configuration comes from the environment (PORT, YZ_DATA_DIR, DATABASE_URL, …): see docs/operations.md.`;

class UsageError extends Error {}

function usage(message?: string): never {
  throw new UsageError(message ?? '');
}

async function withDatabase<T>(config: Config, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await (await main()).openConfiguredDatabase(config);
  try {
    await (await migrations()).migrate(db);
    return await fn(db);
  } finally {
    await db.close();
  }
}

function progressReporter(label: string) {
  let bar: Progress | undefined;
  let stage = '';
  return (s: string, done: number, total: number) => {
    if (s !== stage) {
      bar?.done();
      stage = s;
      bar = progressBar(`${label} ${s}`, total);
    }
    bar?.update(done, total);
  };
}

/** Builds the console when its sources are newer than the build (or it was never built). */
async function ensureConsoleBuilt(config: Config): Promise<void> {
  if (!config.buildConsole) return;
  const { CONSOLE_DIR } = await import('./api/app.ts');
  const index = path.join(CONSOLE_DIR, 'index.html');
  const webRoot = path.resolve(CONSOLE_DIR, '..');
  if (!fs.existsSync(path.join(webRoot, 'vite.config.ts'))) return;
  if (fs.existsSync(index)) {
    const built = fs.statSync(index).mtimeMs;
    const newest = newestMtime(path.join(webRoot, 'src'));
    if (newest <= built) return;
  }
  process.stderr.write('building the console (vite)…\n');
  execFileSync(process.execPath, [path.join(webRoot, '..', 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', path.join(webRoot, 'vite.config.ts'), '--logLevel', 'warn'], {
    stdio: 'inherit',
    cwd: path.join(webRoot, '..'),
  });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

async function start(config: Config): Promise<void> {
  await ensureConsoleBuilt(config);
  const { openConfiguredDatabase, buildPlatform } = await main();
  const { hasDemoProvince, seedDemo, writeDemoAccounts } = await demo();
  const db = await openConfiguredDatabase(config);
  process.stderr.write(`database: ${db.describe}\n`);
  if (db.engine === 'embedded') process.stderr.write('  (embedded PGlite: for a single machine and demos; set DATABASE_URL to use PostgreSQL server in production)\n');
  const platform = await buildPlatform(config, db);
  if (config.ngsiTrusted) {
    const bar = '!'.repeat(78);
    process.stderr.write(
      `${bar}\n!! TRUSTED-NETWORK MODE: /ngsi-ld/v1 answers WITHOUT authentication as role ${config.ngsiTrusted.role}\n` +
        `!! in scope ${config.ngsiTrusted.scopeCode ?? 'the whole platform'}. Only run it behind a gateway that authenticates.\n${bar}\n`,
    );
  }
  let accounts: Awaited<ReturnType<typeof seedDemo>> | undefined;
  if (config.seedDemo && !(await hasDemoProvince(platform.deps))) {
    const report = progressReporter('seeding demo province:');
    accounts = await seedDemo(platform.deps, { villages: config.demoVillages, seed: config.demoSeed, onProgress: report });
    process.stderr.write('\n');
  }
  const shutdown = async (signal: string) => {
    process.stderr.write(`\n${signal}: stopping\n`);
    await platform.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await platform.app.listen({ port: config.port, host: config.host });
  const url = `http://localhost:${config.port}`;
  const lines = [``, `Yunzheng (云政) is serving the console and API on ${url}`, `  API reference: ${url}/api/docs`];
  if (accounts) {
    const file = writeDemoAccounts(config.dataDir, accounts);
    lines.push(``, `Demo accounts (also written to ${file}):`);
    for (const a of accounts) lines.push(`  ${a.username.padEnd(16)} ${a.password}  ${a.roles.join(',')}${a.scope ? ` @ ${a.scope}` : ''}`);
  } else if (fs.existsSync(path.join(config.dataDir, 'demo-accounts.json'))) {
    lines.push(`  Log in with a demo account from ${path.join(config.dataDir, 'demo-accounts.json')} (e.g. sysadmin).`);
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

async function run(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  if (!command) usage('no command given');
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const config = loadConfig();
  switch (command) {
    case 'start':
      if (sub) usage(`start takes no arguments (got ${sub})`);
      await start(config);
      return -1; // keep serving
    case 'migrate': {
      if (sub) usage(`migrate takes no arguments (got ${sub})`);
      const db = await (await main()).openConfiguredDatabase(config);
      try {
        const applied = await (await migrations()).migrate(db, (m) => process.stderr.write(`applied ${String(m.version).padStart(4, '0')}_${m.name}\n`));
        process.stdout.write(applied.length ? `${applied.length} migration(s) applied\n` : 'the database is up to date\n');
      } finally {
        await db.close();
      }
      return 0;
    }
    case 'seed': {
      if (sub !== 'demo') usage('seed takes one subject: demo');
      const { values } = parseArgs({ args: rest, options: { villages: { type: 'string' }, seed: { type: 'string' } }, strict: true });
      const villages = values.villages === undefined ? config.demoVillages : Number(values.villages);
      const seed = values.seed === undefined ? config.demoSeed : Number(values.seed);
      if (!Number.isInteger(villages) || villages < 10 || villages > 100_000) usage('--villages must be a whole number from 10 to 100000');
      if (!Number.isInteger(seed)) usage('--seed must be a whole number');
      const { hasDemoProvince, seedDemo, writeDemoAccounts } = await demo();
      const { buildDeps } = await main();
      return withDatabase(config, async (db) => {
        const deps = buildDeps(config, db);
        if (await hasDemoProvince(deps)) {
          process.stderr.write('the demo province (code 99) already exists; nothing was changed\n');
          return 1;
        }
        const accounts = await seedDemo(deps, { villages, seed, onProgress: progressReporter('seeding') });
        const file = writeDemoAccounts(config.dataDir, accounts);
        process.stdout.write(`demo province seeded with ${villages} villages; demo accounts written to ${file}\n`);
        return 0;
      });
    }
    case 'import': {
      if (sub !== 'regions' && sub !== 'boundaries') usage('import takes regions FILE.csv or boundaries FILE.geojson');
      const { values, positionals } = parseArgs({ args: rest, options: { 'valid-from': { type: 'string' } }, allowPositionals: true, strict: true });
      const file = positionals[0];
      if (!file || positionals.length > 1) usage(`import ${sub} takes exactly one file`);
      if (!fs.existsSync(file)) usage(`no such file: ${file}`);
      const text = fs.readFileSync(file, 'utf8');
      const { importBoundaries, importRegionsCsv } = await regions();
      const { buildDeps } = await main();
      return withDatabase(config, async (db) => {
        const deps = buildDeps(config, db);
        const bar = progressBar(`importing ${sub}`, 1);
        const onProgress = (done: number, total: number) => bar.update(done, total);
        let result;
        if (sub === 'regions') {
          result = await importRegionsCsv(deps, systemContext(), text, { validFrom: values['valid-from'], onProgress });
        } else {
          let doc: unknown;
          try {
            doc = JSON.parse(text);
          } catch (err) {
            usage(`${file} is not valid JSON: ${(err as Error).message}`);
          }
          result = await importBoundaries(deps, systemContext(), doc, { onProgress });
        }
        bar.done(`${result.inserted} added, ${result.updated} updated`);
        return 0;
      });
    }
    case 'users': {
      if (sub !== 'create') usage('users takes one action: create');
      const { values } = parseArgs({
        args: rest,
        options: { username: { type: 'string' }, name: { type: 'string' }, org: { type: 'string' }, roles: { type: 'string' }, scope: { type: 'string' }, clearance: { type: 'string' }, password: { type: 'string' } },
        strict: true,
      });
      const roles = (values.roles ?? '').split(',').filter(Boolean);
      const bad = roles.filter((r) => !ROLES.includes(r as Role));
      if (bad.length) usage(`unknown role(s): ${bad.join(', ')}; roles are ${ROLES.join(', ')}`);
      const { generatePassword } = await import('./platform/crypto.ts');
      const password = values.password ?? generatePassword(16);
      const input = UserInput.safeParse({
        username: values.username, displayName: values.name ?? values.username, organizationId: values.org, roles,
        scopeCode: values.scope ?? null, clearance: values.clearance ?? 'internal', password,
      });
      if (!input.success) usage(input.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('\n'));
      const { createUserAsSystem } = await identity();
      const { buildDeps } = await main();
      return withDatabase(config, async (db) => {
        const user = await createUserAsSystem(buildDeps(config, db), systemContext(), input.data);
        process.stdout.write(`created ${user.username} (${user.id})${values.password ? '' : `\npassword: ${password}`}\n`);
        return 0;
      });
    }
    case 'audit': {
      if (sub !== 'verify') usage('audit takes one action: verify');
      const { countAudit, verifyAuditChain } = await audit();
      return withDatabase(config, async (db) => {
        const total = await countAudit(db);
        const bar = progressBar('verifying audit chain', total);
        const result = await verifyAuditChain(db, (n) => bar.update(n));
        if (result.ok) {
          bar.done(`${result.checked} records, chain intact`);
          return 0;
        }
        bar.done('broken');
        process.stdout.write(`BROKEN at record ${result.firstBroken?.seq}: ${result.firstBroken?.reason} (${result.checked} records verified before it)\n`);
        return 3;
      });
    }
    case 'dataset': {
      if (sub !== 'publish') usage('dataset takes one action: publish');
      const { values, positionals } = parseArgs({ args: rest, options: { source: { type: 'string' }, note: { type: 'string' } }, allowPositionals: true, strict: true });
      const [code, file] = positionals;
      if (!code || !file || positionals.length > 2) usage('dataset publish takes a data set code and one file');
      const query = PublishQuery.safeParse({ source: values.source, note: values.note });
      if (!query.success) usage(query.error.issues.map((i) => `--${String(i.path[0])}: ${values[i.path[0] as 'source' | 'note'] === undefined ? 'required' : i.message}`).join('\n'));
      if (!fs.existsSync(file)) usage(`no such file: ${file}`);
      const text = fs.readFileSync(file, 'utf8');
      let body: unknown = text;
      if (file.toLowerCase().endsWith('.json')) {
        try {
          body = JSON.parse(text);
        } catch (err) {
          usage(`${file} is not valid JSON: ${(err as Error).message}`);
        }
      } else if (!file.toLowerCase().endsWith('.csv')) usage('the file must be .csv or .json');
      const { publishVersion } = await backflow();
      const { buildDeps } = await main();
      return withDatabase(config, async (db) => {
        const v = await publishVersion(buildDeps(config, db), systemContext(), code, query.data, body);
        process.stdout.write(`${code} version ${v.version}: ${v.added} added, ${v.changed} changed, ${v.removed} removed, ${v.total} rows\n`);
        return 0;
      });
    }
    default:
      usage(`unknown command: ${command}`);
  }
}

try {
  const code = await run(process.argv.slice(2));
  if (code >= 0) process.exit(code);
} catch (err) {
  if (err instanceof UsageError) {
    process.stderr.write(`${err.message ? `error: ${err.message}\n\n` : ''}${USAGE}\n`);
    process.exit(2);
  }
  if (err instanceof ConfigError || err instanceof DataDirLockedError) {
    process.stderr.write(`error: ${err.message}\n`);
    process.exit(1);
  }
  if (err instanceof AppError) {
    process.stderr.write(`error: ${err.message}\n${(err.fields ?? []).map((f) => `  ${f.field}: ${f.message}`).join('\n')}\n`);
    process.exit(1);
  }
  if ((err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' || (err as { code?: string }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    process.stderr.write(`error: ${(err as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  process.stderr.write(`error: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
}
