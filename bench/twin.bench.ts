// SPDX-License-Identifier: Apache-2.0
// The twin at scale, on PostgreSQL server and on the embedded engine in one run, each figure beside a baseline
// measured in the same run on the same engine:
//   (a) batch upsert of observations through the service layer, against COPY of the same history rows;
//   (b) the 10 nearest entities of a type among 1,000,000 (NGSI-LD near query), against a raw KNN SELECT;
//   (c) the roll-up of one attribute over a year of daily values of every village to every level, against a
//       hand-written GROUP BY GROUPING SETS of the same data.
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { from as copyFrom } from 'pg-copy-streams';
import { buildDeps } from '../server/main.ts';
import { loadConfig } from '../server/platform/config.ts';
import { systemContext } from '../server/platform/context.ts';
import { type Database, withTransaction } from '../server/platform/db.ts';
import type { Deps } from '../server/platform/deps.ts';
import { migrate } from '../server/platform/migrate.ts';
import { progressBar } from '../server/platform/progress.ts';
import { DEMO_BOUNDS, insertDemoProvince, rng } from '../server/modules/regions/index.ts';
import { CORE_CONTEXT, queryEntities, rollup, upsertBatch } from '../server/modules/twin/index.ts';
import { embeddedDatabase, printTable, serverDatabase } from './databases.ts';
import { summarize } from './stats.ts';

const VOCAB = 'https://uri.etsi.org/ngsi-ld/default-context/';
const LOCATION = 'https://uri.etsi.org/ngsi-ld/location';
type Options = { observations: number; sensors: number; batch: number; writers: number; entities: number; villages: number; days: number; queries: number; only: Set<string> };
type Line = { engine: string; workload: string; figure: string; baseline: string; ratio: string };

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      server: { type: 'string', default: process.env.YZ_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
      engines: { type: 'string', default: 'server,embedded' },
      observations: { type: 'string', default: '1000000' },
      sensors: { type: 'string', default: '1000' },
      batch: { type: 'string', default: '10000' },
      writers: { type: 'string', default: '2' },
      entities: { type: 'string', default: '1000000' },
      villages: { type: 'string', default: '25000' },
      days: { type: 'string', default: '365' },
      queries: { type: 'string', default: '200' },
      only: { type: 'string', default: 'a,b,c' },
    },
    strict: true,
  });
  const o: Options = {
    observations: Number(values.observations), sensors: Number(values.sensors), batch: Number(values.batch), writers: Number(values.writers),
    entities: Number(values.entities), villages: Number(values.villages), days: Number(values.days), queries: Number(values.queries),
    only: new Set(values.only.split(',')),
  };
  const lines: Line[] = [];
  for (const engine of values.engines.split(',')) {
    const { db, cleanup } = engine === 'server' ? await serverDatabase(values.server, 'twin') : await embeddedDatabase();
    process.stdout.write(`\n== ${db.describe}\n`);
    try {
      lines.push(...(await runOn(db, o)));
    } finally {
      await db.close();
      await cleanup();
    }
  }
  process.stdout.write('\n');
  const head: Line = { engine: 'engine', workload: 'workload', figure: 'service', baseline: 'baseline (same run)', ratio: 'service/baseline' };
  printTable(head, lines);
}



async function runOn(db: Database, o: Options): Promise<Line[]> {
  const engine = db.engine;
  await migrate(db);
  const bar = progressBar(`province of ${o.villages} villages`, 1);
  await withTransaction(db, (tx) => insertDemoProvince(tx, { villages: o.villages, seed: 1, gridsInFirstTownship: 0 }, (d, t) => bar.update(d, t)));
  bar.done();
  await db.pool.query('ANALYZE region');
  const deps = buildDeps(loadConfig({ YZ_LOG_LEVEL: 'silent' }), db);
  const out: Line[] = [];
  const report = (lines: Line[]) => {
    for (const l of lines) process.stdout.write(`→ ${l.workload}: ${l.figure}; ${l.baseline}; ratio ${l.ratio}\n`);
    out.push(...lines);
  };
  if (o.only.has('a')) report(await ingest(deps, o, engine));
  if (o.only.has('b')) report(await near(deps, o, engine));
  if (o.only.has('c')) report(await rollUp(deps, o, engine));
  return out;
}

const fmtRate = (n: number) => `${Math.round(n).toLocaleString('en')} obs/s`;
const fmtMs = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;

/** (a) 1,000,000 observations of `sensors` water-level sensors through batch upsert, against COPY. */
async function ingest(deps: Deps, o: Options, engine: string): Promise<Line[]> {
  const ctx = systemContext('bench');
  const { rows: villages } = await deps.db.pool.query<{ code: string; x: number; y: number }>(
    "SELECT code, centroid[0] AS x, centroid[1] AS y FROM region WHERE level = 'village' AND code LIKE '99%' ORDER BY code",
  );
  const rand = rng(7);
  const sensors = Array.from({ length: o.sensors }, (_, i) => {
    const v = villages[Math.floor(rand() * villages.length)] as { x: number; y: number };
    return { id: `urn:ngsi-ld:WaterLevelSensor:bench-${i}`, at: [v.x, v.y] as [number, number] };
  });
  const created = await upsertBatch(deps, ctx, sensors.map((s) => ({ id: s.id, type: 'WaterLevelSensor', location: { type: 'GeoProperty', value: { type: 'Point', coordinates: s.at } } })), CORE_CONTEXT, 'update');
  if (created.errors.length) throw new Error(`sensors not created: ${JSON.stringify(created.errors[0])}`);
  const readings = Math.ceil(o.observations / o.sensors);
  const perBatch = Math.max(1, Math.floor(o.batch / o.sensors)); // readings of every sensor per batch
  const start = Date.UTC(2025, 0, 1);
  const value = (s: number, r: number) => Math.round((3 + Math.sin(r / 50 + s) * 1.5 + ((s * 7919 + r * 104729) % 100) / 400) * 100) / 100;
  const at = (r: number) => new Date(start + r * 600_000).toISOString();
  const total = readings * o.sensors;
  process.stdout.write(`(a) ingest: ${total.toLocaleString('en')} observations of ${o.sensors} sensors, batches of ${perBatch * o.sensors} through the service layer, ${engine === 'server' ? o.writers : 1} writer(s)\n`);
  const progress = progressBar('ingest (service)', total);
  let done = 0;
  const t0 = performance.now();
  // Each writer feeds its own share of the sensors, as separate IoT agents would (the embedded engine has
  // one connection, so one writer there).
  const writers = engine === 'server' ? o.writers : 1;
  const writer = async (w: number) => {
    const mine = sensors.map((_, s) => s).filter((s) => s % writers === w);
    for (let r0 = 0; r0 < readings; r0 += perBatch * writers) {
      const r1 = Math.min(readings, r0 + perBatch * writers);
      const items: unknown[] = [];
      for (let r = r0; r < r1; r++)
        for (const s of mine) items.push({ id: (sensors[s] as { id: string }).id, type: 'WaterLevelSensor', waterLevel: { type: 'Property', value: value(s, r), unitCode: 'MTR', observedAt: at(r) } });
      const res = await upsertBatch(deps, ctx, items, CORE_CONTEXT, 'update');
      if (res.errors.length) throw new Error(`ingest errors: ${JSON.stringify(res.errors[0])}`);
      done += items.length;
      progress.update(done, total);
    }
  };
  await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
  const serviceMs = performance.now() - t0;
  progress.done();

  // Baseline: COPY of the same rows into a table shaped like the history (same columns, indexes, generated column).
  const { rows: regions } = await deps.db.pool.query<{ id: string; region_code: string }>("SELECT id, region_code FROM twin_entity WHERE id LIKE 'urn:ngsi-ld:WaterLevelSensor:bench-%'");
  const regionOf = new Map(regions.map((r) => [r.id, r.region_code]));
  await deps.db.pool.query('CREATE TABLE bench_copy (LIKE twin_attribute_history INCLUDING ALL)');
  const type = `${VOCAB}WaterLevelSensor`;
  const attr = `${VOCAB}waterLevel`;
  function* tsv(): Generator<string> {
    let chunk: string[] = [];
    for (let r = 0; r < readings; r++) {
      for (let s = 0; s < o.sensors; s++) {
        const id = (sensors[s] as { id: string }).id;
        const inst = JSON.stringify({ type: 'Property', value: value(s, r), unitCode: 'MTR', observedAt: at(r) });
        chunk.push(`${id}\t${type}\t${attr}\t\\N\t${inst.replace(/\\/g, '\\\\')}\t${at(r)}\t${regionOf.get(id)}\n`);
      }
      if (chunk.length >= 20_000) {
        yield chunk.join('');
        chunk = [];
      }
    }
    if (chunk.length) yield chunk.join('');
  }
  const cols = '(entity_id, entity_type, attr, dataset_id, instance, observed_at, region_code)';
  const t1 = performance.now();
  if (deps.db.engine === 'server') {
    const client = await deps.db.pool.connect();
    try {
      await pipeline(Readable.from(tsv()), client.query(copyFrom(`COPY bench_copy ${cols} FROM STDIN`)));
    } finally {
      client.release();
    }
  } else {
    const lite = deps.db.pglite;
    if (!lite) throw new Error('no embedded engine');
    // one COPY per 100,000 rows (the blob is held in memory)
    let buf: string[] = [];
    let n = 0;
    const flush = async () => {
      await lite.query(`COPY bench_copy ${cols} FROM '/dev/blob'`, [], { blob: new Blob(buf) });
      buf = [];
    };
    for (const c of tsv()) {
      buf.push(c);
      n += 20_000;
      if (n % 100_000 === 0) await flush();
    }
    if (buf.length) await flush();
  }
  const copyMs = performance.now() - t1;
  const check = await deps.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM bench_copy');
  const hist = await deps.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM twin_attribute_history WHERE entity_id LIKE 'urn:ngsi-ld:WaterLevelSensor:bench-%' AND observed_at IS NOT NULL`);
  if (check.rows[0]?.n !== total || hist.rows[0]?.n !== total) throw new Error(`row counts differ: copy ${check.rows[0]?.n}, service ${hist.rows[0]?.n}, expected ${total}`);
  await deps.db.pool.query('DROP TABLE bench_copy');
  const svc = total / (serviceMs / 1000);
  const copy = total / (copyMs / 1000);
  return [{ engine, workload: `(a) ingest ${total.toLocaleString('en')} observations`, figure: fmtRate(svc), baseline: `COPY ${fmtRate(copy)}`, ratio: (svc / copy).toFixed(2) }];
}

/** (b) the 10 nearest entities of a type among `entities`, through the NGSI-LD query service and as raw KNN SQL. */
async function near(deps: Deps, o: Options, engine: string): Promise<Line[]> {
  const type = `${VOCAB}BenchHydrant`;
  const [x0, y0, x1, y1] = DEMO_BOUNDS;
  process.stdout.write(`(b) near: ${o.entities.toLocaleString('en')} entities of one type, ${o.queries} queries for the 10 nearest\n`);
  const bar = progressBar('entities (direct SQL)', o.entities);
  for (let i = 0; i < o.entities; i += 100_000) {
    const n = Math.min(100_000, o.entities - i);
    await deps.db.pool.query(
      `INSERT INTO twin_entity (id, type, region_code, attrs, location, bbox)
       SELECT 'urn:ngsi-ld:BenchHydrant:' || i, $1, '990000000000', jsonb_build_object($2::text, jsonb_build_object('type', 'GeoProperty', 'value', g)), g, box(point(x, y), point(x, y))
         FROM (SELECT i, x, y, jsonb_build_object('type', 'Point', 'coordinates', jsonb_build_array(x, y)) AS g
                 FROM (SELECT i, $3 + ((i::bigint * 7919) % 100003) / 100003.0 * $4 AS x, $5 + ((i::bigint * 104729) % 100019) / 100019.0 * $6 AS y
                         FROM generate_series($7::int, $8::int) i) s) t`,
      [type, LOCATION, x0, x1 - x0, y0, y1 - y0, i + 1, i + n],
    );
    bar.update(i + n, o.entities);
  }
  bar.done();
  await deps.db.pool.query('ANALYZE twin_entity');
  const rand = rng(11);
  const points = Array.from({ length: o.queries }, () => [x0 + rand() * (x1 - x0), y0 + rand() * (y1 - y0)] as [number, number]);
  const ctx = systemContext('bench');
  const service = (p: [number, number]) => queryEntities(deps, ctx, { type: 'BenchHydrant', georel: 'near;maxDistance==5000', geometry: 'Point', coordinates: JSON.stringify(p), limit: 10, offset: 0, count: false }, CORE_CONTEXT);
  const raw = (p: [number, number]) => deps.db.pool.query(`SELECT * FROM twin_entity WHERE type = $1 ORDER BY bbox <-> point($2, $3) LIMIT 10`, [type, p[0], p[1]]);
  // same answers (the raw query orders by planar degrees, so compare as sets on a few points)
  for (const p of points.slice(0, 5)) {
    const a = (await service(p)).rows.map((r) => r.id).sort();
    const b = (await raw(p)).rows.map((r: { id: string }) => r.id).sort();
    const common = a.filter((x) => b.includes(x)).length;
    if (a.length !== 10 || common < 8) throw new Error(`near answers differ too much: ${a.join(',')} vs ${b.join(',')}`);
  }
  const time = async (fn: (p: [number, number]) => Promise<unknown>) => {
    const ms: number[] = [];
    for (const p of points) {
      const t = performance.now();
      await fn(p);
      ms.push(performance.now() - t);
    }
    return summarize(ms);
  };
  const s = await time(service);
  const r = await time(raw);
  await deps.db.pool.query(`DELETE FROM twin_entity WHERE type = $1`, [type]);
  return [{ engine, workload: `(b) near: 10 nearest among ${o.entities.toLocaleString('en')}, p50 / p95`, figure: `${fmtMs(s.p50)} / ${fmtMs(s.p95)}`, baseline: `raw KNN ${fmtMs(r.p50)} / ${fmtMs(r.p95)}`, ratio: (s.p50 / r.p50).toFixed(2) }];
}

/** (c) a year of daily values of every village, rolled up to every level, against a hand-written GROUP BY. */
async function rollUp(deps: Deps, o: Options, engine: string): Promise<Line[]> {
  const type = `${VOCAB}BenchStation`;
  const attr = `${VOCAB}rainfall`;
  const from = '2025-01-01T00:00:00+08:00';
  const to = new Date(Date.parse(from) + o.days * 86_400_000).toISOString();
  process.stdout.write(`(c) roll-up: ${o.villages.toLocaleString('en')} villages × ${o.days} days of one attribute\n`);
  const { rows: villages } = await deps.db.pool.query<{ code: string }>("SELECT code FROM region WHERE level = 'village' AND code LIKE '99%' ORDER BY code");
  const bar = progressBar('history rows (direct SQL)', villages.length * o.days);
  for (let i = 0; i < villages.length; i += 1000) {
    const codes = villages.slice(i, i + 1000).map((v) => v.code);
    await deps.db.pool.query(
      `INSERT INTO twin_attribute_history (entity_id, entity_type, attr, instance, observed_at, region_code)
       SELECT 'urn:ngsi-ld:BenchStation:' || c, $1, $2, jsonb_build_object('type', 'Property', 'value', ((hashtext(c || d) & 1023) / 10.0)), $3::timestamptz + d * interval '1 day', c
         FROM unnest($4::text[]) c CROSS JOIN generate_series(0, $5::int - 1) d`,
      [type, attr, from, codes, o.days],
    );
    bar.update(Math.min(i + 1000, villages.length) * o.days, villages.length * o.days);
  }
  bar.done();
  await deps.db.pool.query('ANALYZE twin_attribute_history');
  const ctx = systemContext('bench');
  const service = () => rollup(deps, ctx, { type: 'BenchStation', attr: 'rainfall', parent: '990000000000', levels: 'all', from, to });
  const handSql = `SELECT left(region_code, 4) AS city, left(region_code, 6) AS county, left(region_code, 9) AS township, left(region_code, 12) AS village,
                          count(*), sum(num_value), avg(num_value), min(num_value), max(num_value)
                     FROM twin_attribute_history WHERE entity_type = $1 AND attr = $2 AND observed_at >= $3 AND observed_at < $4
                    GROUP BY GROUPING SETS ((1), (2), (3), (4))`;
  const baseline = () => deps.db.pool.query(handSql, [type, attr, from, to]);
  // warm-up, and the same totals
  const a = await service();
  const b = await baseline();
  const groups = a.groups.length;
  if (groups !== b.rows.length) throw new Error(`group counts differ: service ${groups}, SQL ${b.rows.length}`);
  const runs = 3;
  const ms = async (fn: () => Promise<unknown>) => {
    const t: number[] = [];
    for (let i = 0; i < runs; i++) {
      const s = performance.now();
      await fn();
      t.push(performance.now() - s);
    }
    return Math.min(...t);
  };
  const s = await ms(service);
  const r = await ms(baseline);
  return [{ engine, workload: `(c) roll-up ${(villages.length * o.days / 1e6).toFixed(1)}M values to ${groups.toLocaleString('en')} regions (best of ${runs})`, figure: fmtMs(s), baseline: `GROUP BY ${fmtMs(r)}`, ratio: (s / r).toFixed(2) }];
}
