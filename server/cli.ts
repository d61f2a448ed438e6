// SPDX-License-Identifier: Apache-2.0
// The `yunzheng` command: start, migrate, seed demo, import regions/boundaries, users create, audit verify, dataset publish,
// plan export/import, simulate, indicator list/compute/report.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { PublishQuery } from '../contracts/datasets.ts';
import { ImportQuery, type ImportResult, type Plan, PLAN_PACKAGE_MAX_BYTES, PlanCode } from '../contracts/dispatch-plans.ts';
import { ROLES, type Role, UserInput } from '../contracts/identity.ts';
import { RegionCode } from '../contracts/regions.ts';
import { type Simulation, SimulationInput, type SimulationVariant } from '../contracts/dispatch-simulation.ts';
import { type Config, ConfigError, loadConfig } from './platform/config.ts';
import { type RequestContext, systemContext } from './platform/context.ts';
import { DataDirLockedError, type Database } from './platform/db.ts';
import type { Deps } from './platform/deps.ts';
import { AppError, Forbidden, Invalid, NotFound } from './platform/errors.ts';
import { progressBar, type Progress } from './platform/progress.ts';

// Modules load on demand, so that usage errors and --help answer at once.
const main = () => import('./main.ts');
const migrations = () => import('./platform/migrate.ts');
const audit = () => import('./modules/audit/index.ts');
const backflow = () => import('./modules/backflow/index.ts');
const demo = () => import('./modules/demo/index.ts');
const dispatch = () => import('./modules/dispatch/index.ts');
const identity = () => import('./modules/identity/index.ts');
const indicators = () => import('./modules/indicators/index.ts');
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
  plan export CODE|ID [--region CODE] [--version N] [--format yaml|json] [--out FILE] [--as USERNAME]
                                 write a plan version as a self-contained package (default: the published
                                 version, else the latest; YAML; to standard output)
  plan import FILE --region CODE [--code CODE] [--owner ORG_ID] [--dry-run] [--as USERNAME]
                                 import a package (YAML or JSON) into a region as a new draft and print the
                                 bind report; --dry-run prints the report and writes nothing
  simulate --region CODE [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--seed N] [--plan CODE|ID] [--plan-version N]
           [--variant 'NAME=TYPE@REGION+N[,TYPE@REGION-N…]']… [--json] [--as USERNAME]
                                 replay the region's incidents of a period (default: the last year) against
                                 the resources and plans, and each variant beside the configuration as it is
  indicator list [--json]        the indicators with their period and when they were last computed
  indicator compute CODE|all [--from PERIOD] [--to PERIOD] [--alerts] [--as USERNAME]
                                 compute for every region (default: the current and previous period); --alerts
                                 also raises and closes alerts for the periods computed
  indicator report CODE FILE.csv [--as USERNAME]
                                 report values (CSV: regionCode,period,component,value; component numerator or
                                 denominator, numerator when blank) — all or nothing

--as USERNAME acts as that account (its roles and scope apply; the audit log names it); without it the command
acts as the platform itself.

Configuration comes from the environment (PORT, YZ_DATA_DIR, DATABASE_URL, …): see docs/operations.md.`;

class UsageError extends Error {}

/** The JSON in a file's text; a usage error naming the file when it is not JSON. */
function parseJsonFile(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    usage(`${file} is not valid JSON: ${(err as Error).message}`);
  }
}

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

/**
 * The context a command acts in: the platform itself, or `--as` an account, whose roles, scope and clearance
 * then apply as they would to that person in the console, and whom the audit log names.
 */
async function actingContext(db: Database, username: string | undefined): Promise<RequestContext> {
  if (username === undefined) return systemContext();
  const found = await (await identity()).actorForUsername(db.pool, username);
  if (!found) throw new NotFound(`no account ${username} (--as)`);
  if (found.disabled) throw new Forbidden(`the account ${found.actor.username} is disabled (--as)`);
  return { actor: found.actor, requestId: 'cli', ip: null };
}

const PLAN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The plan a command names by id, or by code (within `regionCode` when given) among the plans the actor sees. */
async function findPlanByRef(deps: Deps, ctx: RequestContext, ref: string, regionCode: string | undefined): Promise<Plan> {
  const { getPlan, listPlans } = await dispatch();
  if (PLAN_ID.test(ref)) {
    const plan = await getPlan(deps, ctx, ref.toLowerCase());
    if (regionCode && plan.regionCode !== regionCode) throw new NotFound(`plan ${ref} is held by ${plan.regionCode}, not ${regionCode}`);
    return plan;
  }
  const { items } = await listPlans(deps, ctx, { q: ref, regionCode, limit: 1000, offset: 0 });
  const found = items.filter((p) => p.code === ref && (!regionCode || p.regionCode === regionCode));
  const [plan, ...others] = found;
  if (!plan) throw new NotFound(`no plan ${ref}${regionCode ? ` held by ${regionCode}` : ''}${ctx.actor.kind === 'user' ? ` visible to ${ctx.actor.username}` : ''}`);
  if (others.length) {
    throw new Invalid(
      `${found.length} regions hold a plan ${ref}: name one with --region, or give the plan's id`,
      found.map((p) => ({ field: p.regionCode, message: `${p.regionName ?? 'region'}, id ${p.id}` })),
      'ambiguous-plan',
    );
  }
  return plan;
}

/** Service field names as the options and file of the command. */
function cliField(field: string, file: string): string {
  if (field === 'body') return file;
  return { 'querystring.regionCode': '--region', 'querystring.code': '--code', 'querystring.ownerOrganizationId': '--owner' }[field] ?? field;
}

/** The bind report of an import, for people. */
async function bindReportText(result: ImportResult): Promise<string> {
  const { findPlanRole } = await dispatch();
  const r = result.report;
  const role = (key: string) => {
    const name = findPlanRole(key)?.name;
    return name ? `${key} (${name})` : key;
  };
  const width = Math.max(0, ...r.bound.map((b) => b.roleKey.length));
  const lines = [`bind report for region ${r.regionCode}:`];
  lines.push(r.bound.length ? `  bound (${r.bound.length}):` : '  bound: none');
  for (const b of r.bound) lines.push(`    ${b.roleKey.padEnd(width)}  → ${b.organizationName}`);
  lines.push(`  unbound: ${r.unbound.length ? `${r.unbound.map(role).join(', ')} — no organization in or above the region fits them: bind them before the plan is activated` : 'none'}`);
  lines.push(`  unknown roles: ${r.unknownRoles.length ? r.unknownRoles.join(', ') : 'none'}`);
  lines.push(`  unknown resource types: ${r.unknownResourceTypes.length ? r.unknownResourceTypes.join(', ') : 'none'}`);
  lines.push(`  unknown incident type: ${r.unknownIncidentType ?? 'none'}`);
  return lines.join('\n');
}

async function writeStdout(text: string): Promise<void> {
  await new Promise<void>((resolve, reject) => process.stdout.write(text, (err) => (err ? reject(err) : resolve())));
}

async function planCommand(config: Config, action: string | undefined, rest: string[]): Promise<number> {
  if (action === 'export') {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { region: { type: 'string' }, version: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, as: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    const [ref] = positionals;
    if (!ref || positionals.length > 1) usage('plan export takes one plan code or id');
    if (!PLAN_ID.test(ref) && !PlanCode.safeParse(ref).success) usage(`${ref} is neither a plan code nor a plan id`);
    const format = values.format ?? 'yaml';
    if (format !== 'yaml' && format !== 'json') usage('--format must be yaml or json');
    const version = values.version === undefined ? undefined : Number(values.version);
    if (version !== undefined && (!Number.isInteger(version) || version < 1)) usage('--version must be a whole number from 1');
    if (values.region !== undefined && !RegionCode.safeParse(values.region).success) usage(`--region: ${values.region} is not a region code (12 digits)`);
    if (values.as === '') usage('--as needs a username');
    const out = values.out;
    if (out !== undefined) {
      if (!out) usage('--out needs a file name');
      const dir = path.dirname(path.resolve(out));
      if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) usage(`no such folder: ${dir}`);
      if (fs.existsSync(out) && fs.statSync(out).isDirectory()) usage(`${out} is a folder; --out names a file`);
    }
    const { exportPlanVersion } = await dispatch();
    const { buildDeps } = await main();
    return withDatabase(config, async (db) => {
      const deps = buildDeps(config, db);
      const ctx = await actingContext(db, values.as);
      const p = await findPlanByRef(deps, ctx, ref, values.region);
      const v = version ?? p.publishedVersion ?? p.latestVersion;
      const pkg = await exportPlanVersion(deps, ctx, p.id, v, format);
      if (out === undefined) {
        await writeStdout(pkg.text);
      } else {
        try {
          fs.writeFileSync(out, pkg.text);
        } catch (err) {
          throw new Invalid(`cannot write ${out}: ${(err as Error).message}`);
        }
        process.stdout.write(`${p.code} version ${v} of ${p.regionCode} written to ${out} (${format}, ${Buffer.byteLength(pkg.text)} bytes)\n`);
      }
      return 0;
    });
  }
  if (action === 'import') {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { region: { type: 'string' }, code: { type: 'string' }, owner: { type: 'string' }, 'dry-run': { type: 'boolean' }, as: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    const [file] = positionals;
    if (!file || positionals.length > 1) usage('plan import takes one package file');
    if (values.region === undefined) usage('plan import needs --region CODE: the region to import the plan into');
    const query = ImportQuery.safeParse({ regionCode: values.region, code: values.code, ownerOrganizationId: values.owner, dryRun: values['dry-run'] ? 'true' : 'false' });
    if (!query.success) usage(query.error.issues.map((i) => `${cliField(`querystring.${String(i.path[0])}`, file)}: ${i.message}`).join('\n'));
    if (values.as === '') usage('--as needs a username');
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) usage(`no such file: ${file}`);
    const size = fs.statSync(file).size;
    if (size > PLAN_PACKAGE_MAX_BYTES) throw new Invalid(`${file} is too large for a plan package`, [{ field: file, message: `${size} bytes; at most ${PLAN_PACKAGE_MAX_BYTES}` }], 'package-too-large');
    const text = fs.readFileSync(file, 'utf8');
    // by extension: .json is JSON; anything else is read as YAML, which reads JSON too
    let body: unknown = text;
    if (file.toLowerCase().endsWith('.json')) {
      body = parseJsonFile(file, text);
    } else {
      try {
        parseYaml(text, { maxAliasCount: 50, uniqueKeys: true });
      } catch (err) {
        usage(`${file} is neither valid YAML nor JSON: ${(err as Error).message.split('\n')[0]}`);
      }
    }
    const q = query.data;
    const { importPlanPackage } = await dispatch();
    const { findCurrentRegion } = await regions();
    const { buildDeps } = await main();
    return withDatabase(config, async (db) => {
      const deps = buildDeps(config, db);
      const ctx = await actingContext(db, values.as);
      let result: ImportResult;
      try {
        result = await importPlanPackage(deps, ctx, q, body);
      } catch (err) {
        if (err instanceof Invalid && err.fields) throw new Invalid(err.message, err.fields.map((f) => ({ field: cliField(f.field, file), message: f.message })), err.code);
        throw err;
      }
      const region = await findCurrentRegion(db.pool, q.regionCode);
      const into = `${q.regionCode}${region ? ` ${region.name}` : ''}`;
      process.stdout.write(`${await bindReportText(result)}\n`);
      if (q.dryRun) {
        if (result.importable) {
          process.stdout.write(`dry run: the package can be imported into ${into}; nothing was written\n`);
          return 0;
        }
        const r = result.report;
        const reasons = [
          ...(r.unknownIncidentType ? [`incident type ${r.unknownIncidentType} is unknown here`] : []),
          ...(r.unknownRoles.length ? [`roles ${r.unknownRoles.join(', ')} are not in the role catalog`] : []),
          ...(r.unknownResourceTypes.length ? [`resource types ${r.unknownResourceTypes.join(', ')} are unknown here`] : []),
        ];
        process.stderr.write(
          `error: dry run: the package cannot be imported into ${into} as it is${reasons.length ? `: ${reasons.join('; ')}` : ''}; nothing was written. Import without --dry-run to have every problem listed (a refused import writes nothing)\n`,
        );
        return 1;
      }
      const p = result.plan;
      if (p) process.stdout.write(`imported into ${into} as plan ${p.code} (id ${p.id}), version 1, a draft owned by ${p.ownerOrganizationName ?? p.ownerOrganizationId}: review and publish it to put it in force\n`);
      return 0;
    });
  }
  usage('plan takes one action: export or import');
}

const CHANGE = /^([a-z][a-z0-9-]{1,63})@(\d{12}(?:\d{3})?)([+-]\d{1,4})$/;

/** `NAME=TYPE@REGION+N,TYPE@REGION-N`: a variant of the resource configuration. */
function parseVariant(text: string): SimulationVariant {
  const eq = text.indexOf('=');
  if (eq < 1) usage(`--variant ${text}: write NAME=TYPE@REGION+N (e.g. '两台泵车=pump-truck@990101000000+2')`);
  const changes = text.slice(eq + 1).split(',').map((part) => {
    const m = CHANGE.exec(part.trim());
    if (!m) usage(`--variant ${text}: ${part} is not TYPE@REGION+N or TYPE@REGION-N`);
    return { type: m[1] as string, regionCode: m[2] as string, delta: Number(m[3]) };
  });
  return { name: text.slice(0, eq).trim(), changes };
}

/** The simulation's result as a table, one column per variant. */
function simulationText(s: Simulation): string {
  // CJK characters take two columns in a terminal
  const width = (v: string) => [...v].reduce((w, ch) => w + ((ch.codePointAt(0) ?? 0) > 0x2e7f ? 2 : 1), 0);
  const pad = (v: string, n: number) => v + ' '.repeat(Math.max(0, n - width(v)));
  const num = (n: number | null) => (n === null ? '—' : String(n));
  const types = [...new Set(s.variants.flatMap((v) => v.unmet.byType.map((t) => t.type)))].sort();
  const rows: [string, ...string[]][] = [
    ['', ...s.variants.map((v) => v.name)],
    ['incidents asking for resources', ...s.variants.map((v) => String(v.incidentsWithRequests))],
    ['response mean (minutes)', ...s.variants.map((v) => num(v.responseMinutes.mean))],
    ['response p50', ...s.variants.map((v) => num(v.responseMinutes.p50))],
    ['response p95', ...s.variants.map((v) => num(v.responseMinutes.p95))],
    ['response max', ...s.variants.map((v) => num(v.responseMinutes.max))],
    ['incidents not fully served', ...s.variants.map((v) => String(v.unmet.incidents))],
    ...types.map((t): [string, ...string[]] => [`  units short: ${t}`, ...s.variants.map((v) => String(v.unmet.byType.find((x) => x.type === t)?.units ?? 0))]),
    ['incidents that borrowed', ...s.variants.map((v) => String(v.borrowed.incidents))],
    ['units borrowed', ...s.variants.map((v) => String(v.borrowed.units))],
  ];
  const widths = s.variants.map((_, i) => Math.max(...rows.map((r) => width(r[i + 1] ?? '') + 4), 12));
  const head = `${s.regionName ?? s.regionCode} (${s.regionCode}), ${s.from} – ${s.to}, seed ${s.seed}${s.planId ? `, plan ${s.planId} v${s.version}` : ''}: ` +
    `${s.incidents} incidents (${s.withoutPlan} without a plan), ${s.resources} resources; run ${s.id} in ${s.elapsedMs} ms`;
  return [head, '', ...rows.map((r) => `${pad(r[0], 34)}${r.slice(1).map((c, i) => pad(c, widths[i] ?? 12)).join('')}`.trimEnd())].join('\n');
}

async function simulateCommand(config: Config, rest: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      region: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, seed: { type: 'string' }, plan: { type: 'string' }, 'plan-version': { type: 'string' },
      variant: { type: 'string', multiple: true }, json: { type: 'boolean' }, as: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length) usage(`simulate takes options only (got ${positionals.join(' ')})`);
  if (values.region === undefined) usage('simulate needs --region CODE: the region whose incidents are replayed');
  if (values.as === '') usage('--as needs a username');
  if (values['plan-version'] !== undefined && values.plan === undefined) usage('--plan-version needs --plan');
  const input = SimulationInput.safeParse({
    regionCode: values.region, from: values.from, to: values.to, seed: values.seed === undefined ? undefined : Number(values.seed),
    version: values['plan-version'] === undefined ? undefined : Number(values['plan-version']), variants: (values.variant ?? []).map(parseVariant),
  });
  const flag: Record<string, string> = { regionCode: '--region', from: '--from', to: '--to', seed: '--seed', version: '--plan-version', variants: '--variant' };
  if (!input.success) usage(input.error.issues.map((i) => `${flag[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`).join('\n'));
  const { runSimulation } = await dispatch();
  const { buildDeps } = await main();
  return withDatabase(config, async (db) => {
    const deps = buildDeps(config, db);
    const ctx = await actingContext(db, values.as);
    const planId = values.plan === undefined ? undefined : (await findPlanByRef(deps, ctx, values.plan, undefined)).id;
    process.stderr.write(`replaying the incidents of ${input.data.regionCode}…\n`);
    let result: Simulation;
    try {
      result = await runSimulation(deps, ctx, { ...input.data, planId });
    } catch (err) {
      if (err instanceof Invalid && err.fields) throw new Invalid(err.message, err.fields.map((f) => ({ field: f.field.replace(/^body\.(\w+)/, (_m, k: string) => flag[k] ?? k), message: f.message })), err.code);
      throw err;
    }
    await writeStdout(values.json ? `${JSON.stringify(result, null, 2)}\n` : `${simulationText(result)}\n`);
    return 0;
  });
}

/** Periods computed per step of `indicator compute` (one line of progress each). */
const COMPUTE_STEP = 12;

async function indicatorCommand(config: Config, sub: string | undefined, rest: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: rest,
    options: { from: { type: 'string' }, to: { type: 'string' }, alerts: { type: 'boolean' }, json: { type: 'boolean' }, as: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (values.as === '') usage('--as needs a username');
  const mod = await indicators();
  const { buildDeps } = await main();
  const { periodRange } = await import('../contracts/indicator-periods.ts');
  if (sub === 'list') {
    if (positionals.length) usage('indicator list takes no arguments');
    return withDatabase(config, async (db) => {
      const page = await mod.listIndicators(buildDeps(config, db), await actingContext(db, values.as), { limit: 1000, offset: 0 });
      if (values.json) await writeStdout(`${JSON.stringify(page.items, null, 2)}\n`);
      else await writeStdout(`${page.items.map((i) => `${i.code.padEnd(32)} ${i.period.padEnd(8)} ${i.status.padEnd(8)} ${i.lastComputedAt ?? 'never computed'}  ${i.name}`).join('\n')}\n`);
      return 0;
    });
  }
  if (sub === 'compute') {
    const [code, ...extra] = positionals;
    if (!code || extra.length) usage('indicator compute needs one CODE (or all)');
    return withDatabase(config, async (db) => {
      const deps = buildDeps(config, db);
      const ctx = await actingContext(db, values.as);
      const all = code === 'all' ? (await mod.listIndicators(deps, ctx, { limit: 1000, offset: 0, status: 'active' })).items : [await mod.getIndicator(deps, ctx, code)];
      for (const ind of all) {
        // a long range is computed COMPUTE_STEP periods at a time, with progress
        let steps: { from?: string; to?: string }[] = [{}];
        if (values.from !== undefined || values.to !== undefined) {
          let periods: string[];
          try {
            periods = periodRange(ind.period, values.from ?? values.to ?? '', values.to ?? values.from ?? '', 10_000);
          } catch (err) {
            usage(`--from/--to: ${(err as Error).message}`);
          }
          if (!periods.length) usage('--from is after --to');
          steps = [];
          for (let i = 0; i < periods.length; i += COMPUTE_STEP) steps.push({ from: periods[i], to: periods[Math.min(periods.length, i + COMPUTE_STEP) - 1] });
        }
        const bar = progressBar(`${ind.code}`, steps.length);
        let values_ = 0;
        let raised = 0;
        for (const [i, step] of steps.entries()) {
          const r = await mod.computeIndicator(deps, ctx, ind.code, { ...step, ...(values.alerts ? { alerts: true } : {}) });
          values_ += r.values;
          raised += r.alertsRaised;
          bar.update(i + 1, steps.length);
        }
        bar.done(`${values_} values, ${raised} alert(s) raised`);
      }
      return 0;
    });
  }
  if (sub === 'report') {
    const [code, file, ...extra] = positionals;
    if (!code || !file || extra.length) usage('indicator report needs CODE and FILE.csv');
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      usage(`cannot read ${file}: ${(err as Error).message}`);
    }
    const { parseCsv } = await regions();
    const rows = parseCsv(text).filter((r) => r.some((c) => c.trim() !== ''));
    const header = rows[0]?.map((c) => c.trim());
    const at = (name: string) => header?.indexOf(name) ?? -1;
    if (!header || at('regionCode') < 0 || at('period') < 0 || at('value') < 0) usage(`${file}: the first line names the columns regionCode,period,component,value`);
    const items = rows.slice(1).map((r, i) => {
      const value = Number(r[at('value')]);
      if (!Number.isFinite(value) || (r[at('value')] ?? '').trim() === '') usage(`${file} line ${i + 2}: value is not a number`);
      const component = at('component') >= 0 ? (r[at('component')] ?? '').trim() || 'numerator' : 'numerator';
      if (component !== 'numerator' && component !== 'denominator') usage(`${file} line ${i + 2}: component is numerator or denominator`);
      return { regionCode: (r[at('regionCode')] ?? '').trim(), period: (r[at('period')] ?? '').trim(), component: component as 'numerator' | 'denominator', value };
    });
    if (!items.length) usage(`${file} holds no values`);
    return withDatabase(config, async (db) => {
      const deps = buildDeps(config, db);
      const ctx = await actingContext(db, values.as);
      // all or nothing: the file is checked before anything is written
      if (items.length > 5000) usage(`${file}: at most 5,000 values per report (split the file)`);
      const { ReportInput } = await import('../contracts/indicators.ts');
      const parsed = ReportInput.safeParse({ items });
      if (!parsed.success) usage(parsed.error.issues.map((x) => `${file} line ${Number(x.path[1] ?? 0) + 2}: ${x.path.slice(2).join('.')} ${x.message}`).join('\n'));
      const r = await mod.reportValues(deps, ctx, code, parsed.data);
      process.stdout.write(`${code}: ${r.accepted} value(s) reported for ${r.periods.join(', ')}; the next scheduled run recomputes those periods\n`);
      return 0;
    });
  }
  usage(sub ? `unknown indicator command: ${sub}` : 'indicator needs list, compute or report');
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
          result = await importBoundaries(deps, systemContext(), parseJsonFile(file, text), { onProgress });
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
        body = parseJsonFile(file, text);
      } else if (!file.toLowerCase().endsWith('.csv')) usage('the file must be .csv or .json');
      const { publishVersion } = await backflow();
      const { buildDeps } = await main();
      return withDatabase(config, async (db) => {
        const v = await publishVersion(buildDeps(config, db), systemContext(), code, query.data, body);
        process.stdout.write(`${code} version ${v.version}: ${v.added} added, ${v.changed} changed, ${v.removed} removed, ${v.total} rows\n`);
        return 0;
      });
    }
    case 'simulate':
      return simulateCommand(config, sub === undefined ? rest : [sub, ...rest]);
    case 'plan':
      return planCommand(config, sub, rest);
    case 'indicator':
      return indicatorCommand(config, sub, rest);
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
