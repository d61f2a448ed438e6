// SPDX-License-Identifier: Apache-2.0
// Regions on a 25,000-village province: subtree queries and point-in-region lookups through the platform's
// service layer, beside the same queries written directly in SQL, measured in the same run.
import { parseArgs } from 'node:util';
import { buildDeps } from '../server/main.ts';
import { loadConfig } from '../server/platform/config.ts';
import { systemContext } from '../server/platform/context.ts';
import { type Database, openMemoryDatabase, openServerDatabase, withTransaction } from '../server/platform/db.ts';
import { migrate } from '../server/platform/migrate.ts';
import { progressBar } from '../server/platform/progress.ts';
import { DEMO_BOUNDS, insertDemoProvince, locateRegion, rng, searchRegions } from '../server/modules/regions/index.ts';
import { measure, table } from './stats.ts';

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { villages: { type: 'string', default: '25000' }, server: { type: 'string' }, queries: { type: 'string', default: '300' } }, strict: true });
  const villages = Number(values.villages);
  const n = Number(values.queries);
  const db: Database = values.server ? openServerDatabase(values.server) : await openMemoryDatabase();
  process.stdout.write(`engine: ${db.describe}; province of ${villages} villages; ${n} queries per workload\n`);
  try {
    await migrate(db);
    await db.pool.query("DELETE FROM region WHERE code LIKE '99%'");
    const bar = progressBar('generating province', 1);
    await withTransaction(db, (tx) => insertDemoProvince(tx, { villages, seed: 1, gridsInFirstTownship: 0 }, (d, t) => bar.update(d, t)));
    bar.done();
    await db.pool.query('ANALYZE region');
    const deps = buildDeps(loadConfig({ YZ_LOG_LEVEL: 'silent' }), db);
    const ctx = systemContext('bench');
    const today = new Date().toISOString().slice(0, 10);
    const rand = rng(99);
    const { rows: counties } = await db.pool.query<{ code: string }>("SELECT code FROM region WHERE level = 'county' AND code LIKE '99%'");
    const { rows: townships } = await db.pool.query<{ code: string }>("SELECT code FROM region WHERE level = 'township' AND code LIKE '99%'");
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)] as T;
    const countyInputs = Array.from({ length: n }, () => pick(counties).code);
    const townshipInputs = Array.from({ length: n }, () => pick(townships).code);
    const [x0, y0, x1, y1] = DEMO_BOUNDS;
    const points = Array.from({ length: n }, () => [x0 + rand() * (x1 - x0), y0 + rand() * (y1 - y0)] as [number, number]);

    const SQL_SUBTREE = `SELECT code, level, parent_code, name, population FROM region
      WHERE code LIKE $1 || '%' AND level = 'village' AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2) ORDER BY code LIMIT 1000`;
    const SQL_LOCATE = `SELECT code, name FROM region WHERE bbox @> box(point($1, $2), point($1, $2)) AND valid_from <= $3 AND (valid_to IS NULL OR valid_to > $3)
      ORDER BY length(prefix) DESC LIMIT 1`;
    // warm-up
    await searchRegions(deps, ctx, { within: countyInputs[0], level: 'village', limit: 1000, offset: 0 });
    await db.pool.query(SQL_SUBTREE, [(countyInputs[0] as string).slice(0, 6), today]);

    const rows = [
      { name: 'subtree: villages of a county (service)', ms: await measure(countyInputs, (c) => searchRegions(deps, ctx, { within: c, level: 'village', limit: 1000, offset: 0 })) },
      { name: 'subtree: villages of a county (direct SQL)', ms: await measure(countyInputs, (c) => db.pool.query(SQL_SUBTREE, [c.slice(0, 6), today])) },
      { name: 'subtree: villages of a township (service)', ms: await measure(townshipInputs, (c) => searchRegions(deps, ctx, { within: c, level: 'village', limit: 1000, offset: 0 })) },
      { name: 'subtree: villages of a township (direct SQL)', ms: await measure(townshipInputs, (c) => db.pool.query(SQL_SUBTREE, [c.slice(0, 9), today])) },
      { name: 'point in region (service, exact polygon)', ms: await measure(points, ([x, y]) => locateRegion(deps, ctx, x, y)) },
      { name: 'point in region (direct SQL, bbox only)', ms: await measure(points, ([x, y]) => db.pool.query(SQL_LOCATE, [x, y, today])) },
    ];
    process.stdout.write('\n');
    table(rows);
    process.stdout.write(
      '\nThe service adds scope checks, a count for pagination and (for points) the exact polygon test on the candidates;\nthe direct SQL is the same index path without them.\n',
    );
  } finally {
    if (values.server) await db.pool.query("DELETE FROM region WHERE code LIKE '99%'").catch(() => undefined);
    await db.close();
  }
}
