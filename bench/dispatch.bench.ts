// SPDX-License-Identifier: Apache-2.0
// Dispatchable resources at scale, on PostgreSQL server and on the embedded engine in one run, each figure beside
// a baseline measured in the same run on the same engine:
//   (a) the 10 nearest available resources of a type among 1,000,000 (proposeResources), against the raw KNN
//       SELECT of the same filter on the same table.
// Both engines get the same data: the demo province, an emergency-management department and a volunteer team
// per county, and the resources bulk-loaded by COPY (not through the service), deterministic from fixed seeds.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { buildDeps } from '../server/main.ts';
import { today } from '../server/platform/clock.ts';
import { loadConfig } from '../server/platform/config.ts';
import { systemContext } from '../server/platform/context.ts';
import { type Database, openEmbeddedDatabase, openServerDatabase, withTransaction } from '../server/platform/db.ts';
import type { Deps } from '../server/platform/deps.ts';
import { migrate } from '../server/platform/migrate.ts';
import { progressBar } from '../server/platform/progress.ts';
import { proposeResources } from '../server/modules/dispatch/index.ts';
import { DEMO_BOUNDS, insertDemoProvince, locateRegionWith, rng } from '../server/modules/regions/index.ts';
import { summarize } from './stats.ts';

type Options = { resources: number; villages: number; queries: number; k: number; only: string[] };
type Line = { engine: string; workload: string; figure: string; baseline: string; ratio: string };
type County = { code: string; name: string; x0: number; y0: number; x1: number; y1: number; government: string; social: string };

/** What every workload runs against: one engine, loaded with the province, its organizations and the resources. */
type Fixture = { deps: Deps; engine: string; counties: County[]; resources: number };

/** A workload: measures on the fixture and returns its summary lines (figure beside baseline). */
type Workload = { title: string; run: (fx: Fixture, o: Options) => Promise<Line[]> };

// Workloads by the letter `--only` selects them with. (b) "activation throughput under 50 concurrent requests"
// is not measured yet: it is one more function taking the same fixture, registered here as `b`.
const WORKLOADS: Record<string, Workload> = {
  a: { title: 'k nearest available resources of a type', run: (fx, o) => nearest(fx, o) },
};

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      server: { type: 'string', default: process.env.YZ_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
      engines: { type: 'string', default: 'server,embedded' },
      resources: { type: 'string', default: '1000000' },
      villages: { type: 'string', default: '25000' },
      queries: { type: 'string', default: '200' },
      k: { type: 'string', default: '10' },
      only: { type: 'string', default: Object.keys(WORKLOADS).join(',') },
    },
    strict: true,
  });
  const o: Options = {
    resources: Number(values.resources), villages: Number(values.villages), queries: Number(values.queries), k: Number(values.k),
    only: values.only.split(',').map((s) => s.trim()).filter(Boolean),
  };
  const problems: string[] = [];
  const unknown = o.only.filter((w) => !WORKLOADS[w]);
  if (unknown.length) problems.push(`unknown workload ${unknown.join(', ')}; this bench has: ${Object.entries(WORKLOADS).map(([k, w]) => `${k} (${w.title})`).join(', ')}`);
  for (const [name, n] of [['resources', o.resources], ['villages', o.villages], ['queries', o.queries], ['k', o.k]] as const) {
    if (!Number.isInteger(n) || n < 1) problems.push(`--${name} must be a positive integer`);
  }
  const engines = values.engines.split(',');
  for (const e of engines) if (e !== 'server' && e !== 'embedded') problems.push(`unknown engine ${e}: server or embedded`);
  if (problems.length) {
    process.stderr.write(`${problems.join('\n')}\n`);
    process.exitCode = 2;
    return;
  }

  const lines: Line[] = [];
  const setups: string[] = [];
  for (const engine of engines) {
    const { db, cleanup } = engine === 'server' ? await serverDatabase(values.server) : await embeddedDatabase();
    process.stdout.write(`\n== ${db.describe}\n`);
    try {
      const fx = await prepare(db, o);
      setups.push(fx.setup);
      for (const w of o.only) {
        const got = await (WORKLOADS[w] as Workload).run(fx.fixture, o);
        for (const l of got) process.stdout.write(`→ ${l.workload}: ${l.figure}; ${l.baseline}; ratio ${l.ratio}\n`);
        lines.push(...got);
      }
    } finally {
      await db.close();
      await cleanup();
    }
  }
  process.stdout.write(`\n${setups.join('\n')}\n\n`);
  const head: Line = { engine: 'engine', workload: 'workload', figure: 'service', baseline: 'baseline (same run)', ratio: 'service/baseline (p50)' };
  const keys = Object.keys(head) as (keyof Line)[];
  const widths = keys.map((k) => Math.max(...[head, ...lines].map((l) => l[k].length)));
  const fmt = (l: Line) => keys.map((k, i) => l[k].padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  process.stdout.write(`${fmt(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${lines.map(fmt).join('\n')}\n`);
}

/** A fresh database on the server (dropped afterwards), so the bench never touches real data. */
async function serverDatabase(url: string): Promise<{ db: Database; cleanup: () => Promise<void> }> {
  const name = `yunzheng_bench_dispatch_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    db: openServerDatabase(u.toString(), 4),
    cleanup: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
      await c.end();
    },
  };
}

/** The embedded engine in a temporary folder on disk (a million resources with their indexes do not fit in memory well). */
async function embeddedDatabase(): Promise<{ db: Database; cleanup: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yunzheng-bench-'));
  return { db: await openEmbeddedDatabase(dir), cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

// --- the data ---------------------------------------------------------------------------------

/** The resource mix: share of all resources, stock or whole unit, and the capabilities a unit may have. */
const MIX: { type: string; share: number; stock?: boolean; caps: string[] }[] = [
  { type: 'rescue-team', share: 8, caps: ['water-rescue', 'search-rescue', 'medical', 'mountain-rescue'] },
  { type: 'fire-engine', share: 10, caps: ['fire', 'rescue', 'hazmat'] },
  { type: 'pump-truck', share: 10, caps: ['drainage'] },
  { type: 'ambulance', share: 12, caps: ['medical', 'icu'] },
  { type: 'excavator', share: 6, caps: ['earthwork'] },
  { type: 'pump', share: 8, caps: ['drainage'] },
  { type: 'generator', share: 8, caps: ['power'] },
  { type: 'sandbags', share: 8, stock: true, caps: ['flood-control'] },
  { type: 'drinking-water', share: 6, stock: true, caps: [] },
  { type: 'tents', share: 6, stock: true, caps: ['shelter'] },
  { type: 'quilts', share: 5, stock: true, caps: [] },
  { type: 'shelter', share: 8, caps: [] },
  { type: 'expert', share: 5, caps: ['flood-control', 'medical', 'geology', 'drainage'] },
];
/** The types asked for by k: those reserved as whole units (k of a stock would be a quantity, not k resources). */
const WHOLE_TYPES = MIX.filter((m) => !m.stock).map((m) => m.type);
const SOCIAL_SHARE = 0.15;
const LAPSED_SHARE = 0.1; // of the social resources: agreement expired, never offered
const COPY_COLUMNS = `(id, name, type_code, is_stock, capabilities, owner_organization_id, owner_kind, region_code, location, status,
  quantity_total, quantity_available, capacity, agreement_number, agreement_valid_from, agreement_valid_to, agreement_response_minutes)`;

/** A UUID from the seeded generator, so that both engines hold the same ids. */
function uuidFrom(rand: () => number): string {
  const h = Array.from({ length: 4 }, () => Math.floor(rand() * 2 ** 32).toString(16).padStart(8, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((Number.parseInt(h.slice(16, 17), 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Picks an index by cumulative weights. */
function picker(weights: number[]): (r: number) => number {
  const cum: number[] = [];
  let sum = 0;
  for (const w of weights) cum.push((sum += w));
  return (r) => {
    const target = r * sum;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cum[mid] as number) > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

const dayFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/**
 * The resources as COPY text, in chunks of `chunk` rows: each in a county chosen by area and uniformly inside
 * its box; 70% of whole units available, the rest reserved, dispatched or out of service; stocks available or
 * not, with what is left of them; 15% owned by a social organization under an agreement (a tenth of them lapsed).
 */
function* resourceRows(counties: County[], total: number, typeNames: Map<string, string>, chunk: number): Generator<{ text: string; rows: number }> {
  const rand = rng(20250);
  const county = picker(counties.map((c) => (c.x1 - c.x0) * (c.y1 - c.y0)));
  const type = picker(MIX.map((m) => m.share));
  const validFrom = dayFromNow(-180);
  const validTo = dayFromNow(365);
  const lapsedFrom = dayFromNow(-730);
  const lapsedTo = dayFromNow(-365);
  let lines: string[] = [];
  for (let i = 0; i < total; i++) {
    const c = counties[county(rand())] as County;
    const m = MIX[type(rand())] as (typeof MIX)[number];
    const x = Math.round((c.x0 + rand() * (c.x1 - c.x0)) * 1e6) / 1e6;
    const y = Math.round((c.y0 + rand() * (c.y1 - c.y0)) * 1e6) / 1e6;
    const caps = m.caps.filter(() => rand() < 0.6);
    const s = rand();
    let status: string;
    let qtyTotal = '\\N';
    let qtyAvail = '\\N';
    if (m.stock) {
      status = s < 0.85 ? 'available' : 'unavailable';
      const t = 100 * (1 + Math.floor(rand() * 50));
      qtyTotal = String(t);
      qtyAvail = String(rand() < 0.1 ? 0 : Math.floor(t * (0.2 + 0.8 * rand())));
    } else {
      status = s < 0.7 ? 'available' : s < 0.82 ? 'reserved' : s < 0.9 ? 'dispatched' : 'unavailable';
    }
    const capacity = m.type === 'shelter' ? String(200 + 50 * Math.floor(rand() * 17)) : '\\N';
    const social = rand() < SOCIAL_SHARE;
    const lapsed = social && rand() < LAPSED_SHARE;
    const agreement = social
      ? `XY-${c.code.slice(0, 6)}-${String(i).padStart(7, '0')}\t${lapsed ? lapsedFrom : validFrom}\t${lapsed ? lapsedTo : validTo}\t${30 + 15 * Math.floor(rand() * 4)}`
      : '\\N\t\\N\t\\N\t\\N';
    lines.push(
      `${uuidFrom(rand)}\t${c.name}${typeNames.get(m.type) ?? m.type}${i + 1}号\t${m.type}\t${m.stock ? 't' : 'f'}\t{${caps.join(',')}}\t${social ? c.social : c.government}\t${social ? 'social' : 'government'}\t${c.code}\t(${x},${y})\t${status}\t${qtyTotal}\t${qtyAvail}\t${capacity}\t${agreement}\n`,
    );
    if (lines.length === chunk) {
      yield { text: lines.join(''), rows: lines.length };
      lines = [];
    }
  }
  if (lines.length) yield { text: lines.join(''), rows: lines.length };
}

/** Migrates, writes the province and one department and one volunteer team per county, then COPYs the resources. */
async function prepare(db: Database, o: Options): Promise<{ fixture: Fixture; setup: string }> {
  await migrate(db);
  const bar = progressBar(`province of ${o.villages} villages`, 1);
  await withTransaction(db, (tx) => insertDemoProvince(tx, { villages: o.villages, seed: 1, gridsInFirstTownship: 0 }, (d, t) => bar.update(d, t)));
  bar.done();
  await db.pool.query('ANALYZE region');

  const { rows: boxes } = await db.pool.query<Omit<County, 'government' | 'social'>>(
    `SELECT code, name, (bbox[1])[0] AS x0, (bbox[1])[1] AS y0, (bbox[0])[0] AS x1, (bbox[0])[1] AS y1
       FROM region WHERE code LIKE '99%' AND level = 'county' AND valid_to IS NULL AND bbox IS NOT NULL ORDER BY code`,
  );
  const orgRand = rng(404);
  const counties: County[] = boxes.map((b) => ({ ...b, government: uuidFrom(orgRand), social: uuidFrom(orgRand) }));
  await db.pool.query(
    `INSERT INTO organization (id, kind, name, region_code, department_type, social_type)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])`,
    [
      counties.flatMap((c) => [c.government, c.social]),
      counties.flatMap(() => ['government', 'social']),
      counties.flatMap((c) => [`${c.name}应急管理局`, `${c.name}蓝天救援队`]),
      counties.flatMap((c) => [c.code, c.code]),
      counties.flatMap(() => ['emergency-management', null]),
      counties.flatMap(() => [null, 'volunteer-team']),
    ],
  );
  const { rows: types } = await db.pool.query<{ code: string; name_zh: string }>('SELECT code, name_zh FROM resource_type');
  const typeNames = new Map(types.map((t) => [t.code, t.name_zh]));
  const missing = MIX.filter((m) => !typeNames.has(m.type));
  if (missing.length) throw new Error(`resource types missing from the catalog: ${missing.map((m) => m.type).join(', ')}`);

  process.stdout.write(`resources: ${o.resources.toLocaleString('en')} over ${counties.length} counties, bulk-loaded with COPY (not through the service)\n`);
  const load = progressBar('resources (COPY)', o.resources);
  let done = 0;
  const t0 = performance.now();
  if (db.engine === 'server') {
    const rows = resourceRows(counties, o.resources, typeNames, 10_000);
    const text = Readable.from((function* () {
      for (const c of rows) {
        yield c.text;
        done += c.rows;
        load.update(done, o.resources);
      }
    })());
    const client = await db.pool.connect();
    try {
      await pipeline(text, client.query(copyFrom(`COPY resource ${COPY_COLUMNS} FROM STDIN`)));
    } finally {
      client.release();
    }
  } else {
    const lite = db.pglite;
    if (!lite) throw new Error('no embedded engine');
    // one COPY per 100,000 rows (the blob is held in memory)
    for (const c of resourceRows(counties, o.resources, typeNames, 100_000)) {
      await lite.query(`COPY resource ${COPY_COLUMNS} FROM '/dev/blob'`, [], { blob: new Blob([c.text]) });
      done += c.rows;
      load.update(done, o.resources);
    }
  }
  const loadSecs = (performance.now() - t0) / 1000;
  load.done();
  const a = progressBar('ANALYZE', 1);
  await db.pool.query('ANALYZE resource');
  await db.pool.query('ANALYZE organization');
  a.done();
  const { rows: counted } = await db.pool.query<{ n: number; available: number }>(
    "SELECT count(*)::int AS n, (count(*) FILTER (WHERE status = 'available' AND NOT is_stock))::int AS available FROM resource",
  );
  const n = counted[0]?.n ?? 0;
  if (n !== o.resources) throw new Error(`loaded ${n} resources, expected ${o.resources}`);
  const available = counted[0]?.available ?? 0;
  const deps = buildDeps(loadConfig({ YZ_LOG_LEVEL: 'silent' }), db);
  const setup = `${db.engine}: ${n.toLocaleString('en')} resources (${available.toLocaleString('en')} whole units available) over ${counties.length} counties of a ${o.villages.toLocaleString('en')}-village province, loaded with COPY (not the service) in ${loadSecs.toFixed(1)} s`;
  return { fixture: { deps, engine: db.engine, counties, resources: n }, setup };
}

// --- workloads --------------------------------------------------------------------------------

const fmtMs = (n: number) => `${n.toFixed(n < 10 ? 2 : 1)} ms`;

// The same filter as the service's candidates (type, available, stock left, offered today), one KNN scan,
// without the county-first search, the borrowing from neighbours, the travel-time ranking or the joins.
const RAW_KNN = `SELECT r.id, r.name, r.type_code, r.capabilities, r.owner_organization_id, r.region_code, r.location[0] AS lon, r.location[1] AS lat, r.status
  FROM resource r
 WHERE r.type_code = $1 AND r.status = 'available' AND (NOT r.is_stock OR r.quantity_available > 0)
   AND (r.owner_kind = 'government' OR (r.agreement_number IS NOT NULL AND r.agreement_valid_from <= $4::date AND r.agreement_valid_to >= $4::date))
 ORDER BY r.location <-> point($2::float8, $3::float8)
 LIMIT $5`;

/**
 * (a) the k nearest available resources of a type, from random points inside the province (fixed seed), through
 * proposeResources (quantity k of a whole-unit type) and as the raw KNN SELECT; the two alternate per point, so
 * that both see the same cache.
 */
async function nearest(fx: Fixture, o: Options): Promise<Line[]> {
  const { deps } = fx;
  const ctx = systemContext('bench');
  const [x0, y0, x1, y1] = DEMO_BOUNDS;
  const rand = rng(11);
  const day = today();
  process.stdout.write(`(a) nearest: ${o.queries} queries for the ${o.k} nearest available resources of a type among ${fx.resources.toLocaleString('en')}\n`);
  // points inside a region of the province (the service asks the point's county first)
  const warmups = Math.min(20, o.queries);
  const points: { type: string; at: [number, number] }[] = [];
  while (points.length < o.queries + warmups) {
    const at: [number, number] = [x0 + rand() * (x1 - x0), y0 + rand() * (y1 - y0)];
    const type = WHOLE_TYPES[Math.floor(rand() * WHOLE_TYPES.length)] as string;
    if (await locateRegionWith(deps.db.pool, at[0], at[1])) points.push({ type, at });
  }
  const service = (q: { type: string; at: [number, number] }) => proposeResources(deps, ctx, { type: q.type, quantity: o.k, near: q.at });
  const raw = (q: { type: string; at: [number, number] }) => deps.db.pool.query<{ id: string }>(RAW_KNN, [q.type, q.at[0], q.at[1], day, o.k]);

  // warm-up, and the answers: k proposals of the type, each available; how many the raw KNN also returns
  let overlap = 0;
  let borrowed = 0;
  for (const q of points.slice(0, warmups)) {
    const s = await service(q);
    const r = await raw(q);
    const bad = s.proposals.find((p) => p.resource.type !== q.type || p.resource.status !== 'available' || !p.resource.offered);
    if (!s.satisfied || s.proposals.length !== o.k || bad) throw new Error(`proposeResources(${q.type} near ${q.at.join(',')}) gave ${s.proposals.length} proposals${bad ? `, one of them ${bad.resource.type}/${bad.resource.status}` : ''}`);
    if (r.rows.length !== o.k) throw new Error(`raw KNN gave ${r.rows.length} rows`);
    const ids = new Set(r.rows.map((x) => x.id));
    overlap += s.proposals.filter((p) => ids.has(p.resource.id)).length;
    if (s.borrowed) borrowed++;
  }
  process.stdout.write(
    `answers on ${warmups} warm-up points: ${o.k} proposals each; on average ${(overlap / warmups).toFixed(1)} of ${o.k} also in the raw KNN ` +
      `(the service looks in the point's county first and ranks by great-circle travel time); ${borrowed} borrowed from neighbours\n`,
  );

  const svcMs: number[] = [];
  const rawMs: number[] = [];
  const timed = async (fn: () => Promise<unknown>, into: number[]) => {
    const t = performance.now();
    await fn();
    into.push(performance.now() - t);
  };
  const bar = progressBar('(a) queries', o.queries);
  const measured = points.slice(warmups);
  for (const [i, q] of measured.entries()) {
    if (i % 2 === 0) {
      await timed(() => service(q), svcMs);
      await timed(() => raw(q), rawMs);
    } else {
      await timed(() => raw(q), rawMs);
      await timed(() => service(q), svcMs);
    }
    bar.update(i + 1, o.queries);
  }
  bar.done();
  const s = summarize(svcMs);
  const r = summarize(rawMs);
  return [{
    engine: fx.engine,
    workload: `(a) ${o.k} nearest available of a type among ${fx.resources.toLocaleString('en')}, ${o.queries} queries, p50 / p95`,
    figure: `proposeResources ${fmtMs(s.p50)} / ${fmtMs(s.p95)}`,
    baseline: `raw KNN ${fmtMs(r.p50)} / ${fmtMs(r.p95)}`,
    ratio: (s.p50 / r.p50).toFixed(1),
  }];
}
