// SPDX-License-Identifier: Apache-2.0
// One ratio indicator for every region of a 25,000-village province over 12 monthly periods: the numerator
// and denominator every village reports (a few reports missing), paired per village, rolled up to every
// township, county, city and the province, classified against thresholds and stored — through the service
// (computeIndicator), beside one hand-written SQL statement doing the same computation and writing the same
// rows to a table of the same shape, in the same run on the same engine. The two results are compared row
// for row before any figure is printed.
import { parseArgs } from 'node:util';
import { lastPeriods, periodAt, periodBounds } from '../contracts/indicator-periods.ts';
import { buildDeps } from '../server/main.ts';
import { loadConfig } from '../server/platform/config.ts';
import { systemContext } from '../server/platform/context.ts';
import { type Database, withTransaction } from '../server/platform/db.ts';
import { newId } from '../server/platform/ids.ts';
import { migrate } from '../server/platform/migrate.ts';
import { progressBar } from '../server/platform/progress.ts';
import { computeIndicator, createIndicator } from '../server/modules/indicators/index.ts';
import { insertDemoProvince, rng } from '../server/modules/regions/index.ts';
import { embeddedDatabase, printTable, serverDatabase } from './databases.ts';
import { summarize } from './stats.ts';

type Options = { villages: number; months: number; runs: number };
type Line = { engine: string; workload: string; figure: string; baseline: string; ratio: string };

const CODE = 'bench.coverage';
const MISSING_SHARE = 0.03;

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      server: { type: 'string', default: process.env.YZ_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
      engines: { type: 'string', default: 'server,embedded' },
      villages: { type: 'string', default: '25000' },
      months: { type: 'string', default: '12' },
      runs: { type: 'string', default: '3' },
    },
    strict: true,
  });
  const o: Options = { villages: Number(values.villages), months: Number(values.months), runs: Number(values.runs) };
  const problems: string[] = [];
  for (const [name, n] of Object.entries(o)) if (!Number.isInteger(n) || n < 1) problems.push(`--${name} must be a positive integer`);
  if (o.months > 120) problems.push('--months: at most 120');
  const engines = values.engines.split(',');
  for (const e of engines) if (e !== 'server' && e !== 'embedded') problems.push(`unknown engine ${e}: server or embedded`);
  if (problems.length) {
    process.stderr.write(`${problems.join('\n')}\n`);
    process.exitCode = 2;
    return;
  }

  const lines: Line[] = [];
  for (const engine of engines) {
    const { db, cleanup } = engine === 'server' ? await serverDatabase(values.server, 'indicators') : await embeddedDatabase();
    process.stdout.write(`\n== ${db.describe}\n`);
    try {
      lines.push(...(await measure(db, engine, o)));
    } finally {
      await db.close();
      await cleanup();
    }
  }
  const head: Line = { engine: 'engine', workload: 'workload', figure: 'service', baseline: 'hand SQL (same run)', ratio: 'service/baseline' };
  process.stdout.write('\n');
  printTable(head, lines);
}



/** The same computation as one statement: pair per village, roll up by prefix, one row per region and period. */
const HAND_SQL = `
WITH leaf AS (
  SELECT n.region_code AS code, n.period, n.value AS n, d.value AS d
    FROM indicator_report n
    JOIN indicator_report d ON d.indicator_id = n.indicator_id AND d.component = 'denominator' AND d.region_code = n.region_code AND d.period = n.period
   WHERE n.indicator_id = $1 AND n.component = 'numerator' AND n.period = ANY ($2::text[])
),
lengths(len) AS (VALUES (2), (4), (6), (9), (12)),
agg AS (
  SELECT left(code, len) AS prefix, period, sum(n) AS n, sum(d) AS d, count(*) AS leaves FROM leaf CROSS JOIN lengths GROUP BY 1, 2
),
expected AS (
  SELECT left(code, len) AS prefix, count(*) AS n FROM region CROSS JOIN lengths WHERE level = 'village' AND valid_to IS NULL GROUP BY 1
),
vals AS (
  SELECT r.code, r.level, p.period, coalesce(a.n, 0) AS n, coalesce(a.d, 0) AS d,
         CASE WHEN coalesce(a.leaves, 0) = 0 OR a.d = 0 THEN NULL ELSE 100 * a.n / a.d END AS value,
         greatest(0, coalesce(e.n, 0) - coalesce(a.leaves, 0))::int AS missing
    FROM region r CROSS JOIN unnest($2::text[]) AS p(period)
    LEFT JOIN agg a ON a.prefix = r.prefix AND a.period = p.period
    LEFT JOIN expected e ON e.prefix = r.prefix
   WHERE r.valid_to IS NULL AND r.level IN ('province', 'city', 'county', 'township', 'village')
)
INSERT INTO bench_value (indicator_id, period, region_code, level, numerator, denominator, value, missing, status, computed_at)
SELECT $1, period, code, level, n, d, value, missing,
       CASE WHEN value IS NULL THEN 'none' WHEN value < 60 THEN 'alarm' WHEN value < 70 THEN 'warn' ELSE 'normal' END, now()
  FROM vals`;

async function measure(db: Database, engine: string, o: Options): Promise<Line[]> {
  await migrate(db);
  const bar = progressBar(`province of ${o.villages.toLocaleString('en')} villages`, 1);
  await withTransaction(db, (tx) => insertDemoProvince(tx, { villages: o.villages, seed: 1, gridsInFirstTownship: 0 }, (d, t) => bar.update(d, t)));
  bar.done();
  const orgId = newId();
  await db.pool.query(`INSERT INTO organization (id, kind, name, region_code, department_type) VALUES ($1, 'government', '省卫生健康委员会', '990000000000', 'health')`, [orgId]);
  const deps = buildDeps(loadConfig({ YZ_LOG_LEVEL: 'silent' }), db);
  const ctx = systemContext('bench');
  const ind = await createIndicator(deps, ctx, {
    code: CODE, name: '老年人健康体检覆盖率', nameEn: null, unit: '%', description: '', ownerOrganizationId: orgId,
    numerator: { kind: 'reported', level: 'village' }, denominator: { kind: 'reported', level: 'village' }, factor: 100, period: 'month',
    aggregation: 'recompute', direction: 'higher_better', warn: 70, alarm: 60, alertLevels: ['county'], analysisPlan: null, key: false,
  });

  // every village reports its elderly and how many were checked, each month; a few numerators are missing
  const months = lastPeriods('month', periodAt('month', new Date()), o.months);
  const { rows: villages } = await db.pool.query<{ code: string }>(`SELECT code FROM region WHERE level = 'village' AND valid_to IS NULL ORDER BY code`);
  const rand = rng(7);
  const load = progressBar('reports', villages.length * months.length);
  const chunk: unknown[][] = [[], [], [], [], []];
  let done = 0;
  let rows = 0;
  const flush = async () => {
    if (!chunk[0]?.length) return;
    await db.pool.query(
      `INSERT INTO indicator_report (indicator_id, component, region_code, period, period_start, value, reported_by_name)
       SELECT $1::uuid, *, 'bench' FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::float8[])`,
      [ind.id, ...chunk],
    );
    rows += chunk[0].length;
    for (const c of chunk) c.length = 0;
  };
  for (const v of villages) {
    for (const m of months) {
      const elderly = 50 + Math.floor(rand() * 350);
      const start = periodBounds('month', m).start;
      const add = (component: string, value: number) => {
        chunk[0]?.push(component);
        chunk[1]?.push(v.code);
        chunk[2]?.push(m);
        chunk[3]?.push(start);
        chunk[4]?.push(value);
      };
      add('denominator', elderly);
      if (rand() >= MISSING_SHARE) add('numerator', Math.round(elderly * (0.4 + rand() * 0.55)));
      done += 1;
    }
    if ((chunk[0]?.length ?? 0) >= 50_000) {
      await flush();
      load.update(done, villages.length * months.length);
    }
  }
  await flush();
  load.done();
  await db.pool.query('ANALYZE');
  await db.pool.query('CREATE TABLE bench_value (LIKE indicator_value INCLUDING ALL)');
  process.stdout.write(`${rows.toLocaleString('en')} reported values; ${o.runs} run(s) of each, alternating\n`);

  const service: number[] = [];
  const hand: number[] = [];
  for (let i = 0; i < o.runs; i++) {
    let t = performance.now();
    const r = await computeIndicator(deps, ctx, CODE, { from: months[0], to: months[months.length - 1], alerts: false });
    service.push(performance.now() - t);
    process.stdout.write(`  service run ${i + 1}: ${r.values.toLocaleString('en')} values in ${(service.at(-1) ?? 0).toFixed(0)} ms\n`);
    t = performance.now();
    await withTransaction(db, async (tx) => {
      await tx.query(`DELETE FROM bench_value WHERE indicator_id = $1 AND period = ANY ($2::text[])`, [ind.id, months]);
      await tx.query(HAND_SQL, [ind.id, months]);
    });
    hand.push(performance.now() - t);
    process.stdout.write(`  hand SQL run ${i + 1}: ${(hand.at(-1) ?? 0).toFixed(0)} ms\n`);
  }

  // the two must agree on every row before the figures mean anything
  const { rows: diff } = await db.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM indicator_value v FULL JOIN bench_value b USING (indicator_id, period, region_code)
      WHERE v.region_code IS NULL OR b.region_code IS NULL OR v.level <> b.level OR v.missing <> b.missing OR v.status <> b.status
         OR abs(v.numerator - b.numerator) > 1e-6 OR abs(coalesce(v.denominator, 0) - coalesce(b.denominator, 0)) > 1e-6
         OR (v.value IS NULL) <> (b.value IS NULL) OR abs(v.value - b.value) > 1e-9`,
  );
  const { rows: total } = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM indicator_value`);
  if ((diff[0]?.n ?? 1) !== 0) throw new Error(`the service and the hand SQL disagree on ${diff[0]?.n} of ${total[0]?.n} rows`);
  process.stdout.write(`  the service and the hand SQL agree on all ${(total[0]?.n ?? 0).toLocaleString('en')} rows\n`);
  const s = summarize(service);
  const h = summarize(hand);
  return [{
    engine,
    workload: `ratio, ${o.villages.toLocaleString('en')} villages × ${o.months} months → ${(total[0]?.n ?? 0).toLocaleString('en')} values`,
    figure: `median ${s.p50.toFixed(0)} ms`,
    baseline: `median ${h.p50.toFixed(0)} ms`,
    ratio: `${(s.p50 / h.p50).toFixed(2)}×`,
  }];
}
