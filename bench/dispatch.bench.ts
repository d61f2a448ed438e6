// SPDX-License-Identifier: Apache-2.0
// Dispatchable resources at scale, on PostgreSQL server and on the embedded engine in one run, each figure beside
// a baseline measured in the same run on the same engine:
//   (a) the 10 nearest available resources of a type among 1,000,000 (proposeResources), against the raw KNN
//       SELECT of the same filter on the same table;
//   (b) plan activations with 50 in flight (activatePlan), against hand-written SQL doing the same writes per
//       activation in one transaction, on fresh incidents and the same pool of resources.
// Both engines get the same data: the demo province, an emergency-management department and a volunteer team
// per county, and the resources bulk-loaded by COPY (not through the service), deterministic from fixed seeds.
import os from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { from as copyFrom } from 'pg-copy-streams';
import type { PlanLevel } from '../contracts/dispatch-plans.ts';
import { scopePrefixOf } from '../contracts/region-codes.ts';
import { buildDeps } from '../server/main.ts';
import { today } from '../server/platform/clock.ts';
import { loadConfig } from '../server/platform/config.ts';
import { type Actor, type RequestContext, systemContext } from '../server/platform/context.ts';
import { type Database, type Executor, withTransaction } from '../server/platform/db.ts';
import type { Deps } from '../server/platform/deps.ts';
import { newId } from '../server/platform/ids.ts';
import { migrate } from '../server/platform/migrate.ts';
import { progressBar } from '../server/platform/progress.ts';
import { activatePlan, createPlan, proposeResources, putBinding, reportIncident, transitionVersion } from '../server/modules/dispatch/index.ts';
import { DEMO_BOUNDS, insertDemoProvince, locateRegionWith, rng } from '../server/modules/regions/index.ts';
import { embeddedDatabase, printTable, serverDatabase } from './databases.ts';
import { summarize } from './stats.ts';

type Options = { resources: number; villages: number; queries: number; k: number; activations: number; only: string[] };
type Line = { engine: string; workload: string; figure: string; baseline: string; ratio: string };
type County = { code: string; name: string; x0: number; y0: number; x1: number; y1: number; government: string; social: string };

/** What every workload runs against: one engine, loaded with the province, its organizations and the resources. */
type Fixture = { deps: Deps; engine: string; counties: County[]; resources: number };

/** A workload: measures on the fixture and returns its summary lines (figure beside baseline). */
type Workload = { title: string; run: (fx: Fixture, o: Options) => Promise<Line[]> };

/** Activations (b) keeps in flight at once. */
const CONCURRENCY = 50;

// Workloads by the letter `--only` selects them with.
const WORKLOADS: Record<string, Workload> = {
  a: { title: 'k nearest available resources of a type', run: (fx, o) => nearest(fx, o) },
  b: { title: `plan activations, ${CONCURRENCY} in flight`, run: (fx, o) => activations(fx, o) },
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
      activations: { type: 'string', default: '1000' },
      only: { type: 'string', default: Object.keys(WORKLOADS).join(',') },
    },
    strict: true,
  });
  const o: Options = {
    resources: Number(values.resources), villages: Number(values.villages), queries: Number(values.queries), k: Number(values.k), activations: Number(values.activations),
    only: [...new Set(values.only.split(',').map((s) => s.trim()).filter(Boolean))],
  };
  const problems: string[] = [];
  const unknown = o.only.filter((w) => !WORKLOADS[w]);
  if (unknown.length) problems.push(`unknown workload ${unknown.join(', ')}; this bench has: ${Object.entries(WORKLOADS).map(([k, w]) => `${k} (${w.title})`).join(', ')}`);
  for (const [name, n] of [['resources', o.resources], ['villages', o.villages], ['queries', o.queries], ['k', o.k], ['activations', o.activations]] as const) {
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
    // (b) keeps CONCURRENCY transactions open at once, beside the session watching them and a spare
    const poolSize = o.only.includes('b') ? CONCURRENCY + 2 : 4;
    const { db, cleanup } = engine === 'server' ? await serverDatabase(values.server, 'dispatch', poolSize) : await embeddedDatabase();
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
  const head: Line = { engine: 'engine', workload: 'workload', figure: 'service', baseline: 'baseline (same run)', ratio: 'service/baseline' };
  printTable(head, lines);
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
    ratio: `${(s.p50 / r.p50).toFixed(1)} (p50)`,
  }];
}

// --- (b) activations --------------------------------------------------------------------------

/** The incident type the bench plan answers. */
const PLAN_TYPE = 'rainstorm-waterlogging';
/** Its one level: two steps for the county emergency bureau, a pump truck and a rescue team within an hour. */
const BENCH_LEVEL: PlanLevel = {
  level: 'IV',
  steps: [
    { key: 'assess', title: '现场研判积水点', roleKey: 'county-emergency-bureau', deadlineMinutes: 30, dependsOn: [] },
    { key: 'drain', title: '组织排水抢险', roleKey: 'county-emergency-bureau', deadlineMinutes: 120, dependsOn: ['assess'] },
  ],
  resources: [
    { resourceType: 'pump-truck', capability: null, quantity: 1, maxTravelMinutes: 60 },
    { resourceType: 'rescue-team', capability: null, quantity: 1, maxTravelMinutes: 60 },
  ],
  notifications: [],
};
/** Activations of each kind run one at a time before the measured phases (then undone). */
const WARMUP_ACTIVATIONS = 20;
/** Spacing of incident sites in degrees (≥ 240 m at these latitudes): more than the 200 m of duplicate detection. */
const SITE_SPACING = 0.0025;
/** Statuses of an incident that can still activate a plan. */
const ACTIVATABLE = ['reported', 'verified', 'responding'];
/** Whether a resource is offered on day $4 (a government one, or a social one under an agreement valid that day). */
const OFFERED_C = `(c.owner_kind = 'government' OR (c.agreement_number IS NOT NULL AND c.agreement_valid_from <= $4::date AND c.agreement_valid_to >= $4::date))`;

type Site = { county: County; at: [number, number] };
/** What the hand-written activation takes as given: what the service looks up per activation (plan, level, bindings, speeds). */
type HandPlan = { planId: string; version: number; level: PlanLevel; orgOf: Map<string, string>; speedOf: Map<string, number>; actor: Actor; day: string };
type Phase = { ms: number[]; wallMs: number; failures: Map<string, number> };

/** A dispatcher of the whole province: resource:dispatch, incident:manage, plan:read (and plan:write, plan:publish). */
function dispatcherContext(province: string): RequestContext {
  const actor: Actor = {
    kind: 'user', userId: newId(), username: 'bench-dispatcher', displayName: '基准调度员', organizationId: null, roles: ['dispatcher'],
    scopeCode: province, scopePrefix: scopePrefixOf(province), clearance: 'internal',
  };
  return { actor, requestId: 'bench-dispatch-b', ip: null };
}

/**
 * Counties evenly spread over the province, as many as it takes for one phase to use at most a quarter of the
 * available units of the scarcest required type in them (resources lie by area, so that is their area's share).
 */
async function chooseCounties(fx: Fixture, n: number): Promise<{ chosen: County[]; asked: number }> {
  const types = BENCH_LEVEL.resources.map((r) => r.resourceType);
  const { rows } = await fx.deps.db.pool.query<{ type_code: string; n: number }>(
    `SELECT c.type_code, count(*)::int AS n FROM resource c WHERE c.type_code = ANY ($1::text[]) AND c.status = 'available' AND NOT c.is_stock AND ${OFFERED_C.replaceAll('$4', '$2')} GROUP BY c.type_code`,
    [types, today()],
  );
  const scarcest = Math.min(...BENCH_LEVEL.resources.map((r) => (rows.find((x) => x.type_code === r.resourceType)?.n ?? 0) / r.quantity));
  const area = (c: County) => (c.x1 - c.x0) * (c.y1 - c.y0);
  const total = fx.counties.reduce((s, c) => s + area(c), 0);
  const share = Math.min(1, (4 * n) / Math.max(1, scarcest));
  let chosen: County[] = [];
  let covered = 0;
  for (let k = Math.min(8, fx.counties.length); k <= fx.counties.length; k++) {
    chosen = Array.from({ length: k }, (_, i) => fx.counties[Math.floor((i * fx.counties.length) / k)] as County);
    covered = chosen.reduce((s, c) => s + area(c), 0) / total;
    if (covered >= share) break;
  }
  // the share of the chosen counties' available units of the scarcest type one phase asks for
  return { chosen, asked: n / Math.max(1, scarcest * covered) };
}

/**
 * `pairs` pairs of incident sites in the chosen counties, each county picked by area (fixed seed), on one
 * province-wide grid of SITE_SPACING, inside the middle of the county's box and never the same cell twice
 * (neighbouring boxes overlap): the first of each pair for the service, the second for the baseline, so that
 * both phases have the same spread.
 */
function incidentSites(chosen: County[], pairs: number): [Site[], Site[]] {
  const rand = rng(7);
  const [ox, oy] = DEMO_BOUNDS;
  const cells = chosen.map((c) => {
    const mx = (c.x1 - c.x0) * 0.05;
    const my = (c.y1 - c.y0) * 0.05;
    const out: [number, number][] = [];
    for (let i = Math.ceil((c.x0 + mx - ox) / SITE_SPACING); ox + i * SITE_SPACING <= c.x1 - mx; i++) {
      for (let j = Math.ceil((c.y0 + my - oy) / SITE_SPACING); oy + j * SITE_SPACING <= c.y1 - my; j++) out.push([i, j]);
    }
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [out[i], out[j]] = [out[j] as [number, number], out[i] as [number, number]];
    }
    return out;
  });
  const used = new Set<string>();
  const pick = picker(chosen.map((c) => (c.x1 - c.x0) * (c.y1 - c.y0)));
  const a: Site[] = [];
  const b: Site[] = [];
  for (let n = 0; n < pairs; n++) {
    const k = pick(rand());
    const county = chosen[k] as County;
    const room = cells[k] as [number, number][];
    const take = (): [number, number] => {
      for (let cell = room.pop(); cell; cell = room.pop()) {
        const key = cell.join(',');
        if (used.has(key)) continue;
        used.add(key);
        return [Math.round((ox + cell[0] * SITE_SPACING) * 1e6) / 1e6, Math.round((oy + cell[1] * SITE_SPACING) * 1e6) / 1e6];
      }
      throw new Error(`county ${county.code} has no room left for incident sites ${SITE_SPACING}° apart: ask for fewer activations`);
    };
    a.push({ county, at: take() });
    b.push({ county, at: take() });
  }
  return [a, b];
}

/** Runs `fn` over `items` with `width` calls in flight, timing each; failures are counted by message. */
async function inFlight<T>(items: readonly T[], width: number, fn: (item: T) => Promise<unknown>, onDone: (done: number) => void): Promise<Phase> {
  const ms: number[] = [];
  const failures = new Map<string, number>();
  let next = 0;
  let done = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      const t = performance.now();
      try {
        await fn(item);
        ms.push(performance.now() - t);
      } catch (err) {
        const key = (err instanceof Error ? err.message : String(err)).slice(0, 120);
        failures.set(key, (failures.get(key) ?? 0) + 1);
      }
      onDone(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return { ms, wallMs: performance.now() - t0, failures };
}

/**
 * While a phase runs on the server: what its sessions are doing, sampled every 50 ms from pg_stat_activity
 * (running, waiting on a lock and which, idle in a transaction while the client works).
 */
function watchSessions(db: Database): { stop(): Promise<string> } {
  if (db.engine !== 'server') return { stop: async () => '' };
  const seen = new Map<string, number>();
  let samples = 0;
  let busy = 0;
  let stopping = false;
  const loop = (async () => {
    const client = await db.pool.connect();
    try {
      while (!stopping) {
        const { rows } = await client.query<{ what: string }>(
          `SELECT CASE WHEN state = 'idle in transaction' THEN 'idle in transaction (client at work)'
                       WHEN wait_event_type IS NULL THEN 'running'
                       ELSE wait_event_type || ':' || wait_event END AS what
             FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND state <> 'idle'`,
        );
        samples++;
        busy += rows.length;
        for (const r of rows) seen.set(r.what, (seen.get(r.what) ?? 0) + 1);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      client.release();
    }
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
      if (!samples || !busy) return '';
      const top = [...seen.entries()].sort((x, y) => y[1] - x[1]).slice(0, 5).map(([k, v]) => `${k} ${Math.round((100 * v) / busy)}%`);
      return `server sessions in a transaction, sampled every 50 ms: ${(busy / samples).toFixed(1)} on average; ${top.join(', ')}`;
    },
  };
}

/** After a phase: what its incidents got, and whether any resource is held twice. */
async function checkPhase(db: Database, label: string, incidentIds: string[]): Promise<{ orders: number }> {
  const { rows } = await db.pool.query<{
    activations: number; orders: number; tasks: number; responding: number; shortfall: number; borrowed: number; minutes: number | null;
    double_reserved: number; double_ordered: number; not_dispatched: number;
  }>(
    `SELECT (SELECT count(*) FROM activation WHERE incident_id = ANY ($1::uuid[]))::int AS activations,
            (SELECT count(*) FROM dispatch_order WHERE incident_id = ANY ($1::uuid[]))::int AS orders,
            (SELECT count(*) FROM dispatch_order WHERE incident_id = ANY ($1::uuid[]) AND borrowed)::int AS borrowed,
            (SELECT avg(travel_minutes) FROM dispatch_order WHERE incident_id = ANY ($1::uuid[]))::float8 AS minutes,
            (SELECT count(*) FROM task WHERE incident_id = ANY ($1::uuid[]))::int AS tasks,
            (SELECT count(*) FROM incident WHERE id = ANY ($1::uuid[]) AND status = 'responding')::int AS responding,
            (SELECT coalesce(sum(q.quantity - q.reserved), 0) FROM resource_request q JOIN activation a ON a.id = q.activation_id WHERE a.incident_id = ANY ($1::uuid[]))::int AS shortfall,
            (SELECT count(*) FROM (SELECT resource_id FROM resource_reservation WHERE status <> 'released' AND NOT is_stock GROUP BY resource_id HAVING count(*) > 1) d)::int AS double_reserved,
            (SELECT count(*) FROM (SELECT resource_id FROM dispatch_order WHERE status <> 'released' GROUP BY resource_id HAVING count(*) > 1) d)::int AS double_ordered,
            (SELECT count(*) FROM resource_reservation v JOIN resource r ON r.id = v.resource_id WHERE v.status = 'dispatched' AND NOT v.is_stock AND r.status <> 'dispatched')::int AS not_dispatched`,
    [incidentIds],
  );
  const c = rows[0];
  if (!c) throw new Error('no answer to the check');
  process.stdout.write(
    `${label}: ${c.activations} activations, ${c.orders} dispatch orders (${c.borrowed} borrowed, ${(c.minutes ?? 0).toFixed(1)} min average travel), ${c.tasks} tasks, ` +
      `shortfall ${c.shortfall}, ${c.responding} incidents responding; resources with two active reservations: ${c.double_reserved}, ` +
      `with two open orders: ${c.double_ordered}, dispatched orders whose resource is not dispatched: ${c.not_dispatched}\n`,
  );
  if (c.double_reserved || c.double_ordered || c.not_dispatched) throw new Error(`${label}: a resource is held twice`);
  return { orders: c.orders };
}

/** Releases every reservation and order still out: the resources they hold are available again (then VACUUM). */
async function resetResources(db: Database): Promise<number> {
  const { rowCount } = await db.pool.query(
    `WITH released AS (
       UPDATE resource_reservation SET status = 'released', released_at = now() WHERE status <> 'released' AND NOT is_stock RETURNING resource_id)
     UPDATE resource r SET status = 'available', modified_at = now() FROM released WHERE r.id = released.resource_id AND r.status IN ('reserved', 'dispatched')`,
  );
  await db.pool.query(`UPDATE dispatch_order SET status = 'released', released_at = now() WHERE status <> 'released'`);
  await db.pool.query('VACUUM resource');
  return rowCount ?? 0;
}

// The nearest available resources of a type within a planar radius (never further than the travel time allows),
// taken by one conditional UPDATE: a row another transaction took meanwhile fails `status = 'available'` on
// the recheck after its lock is released, and is not returned.
const TAKE_NEAREST = `UPDATE resource r SET status = 'dispatched', modified_at = now()
  WHERE r.id IN (SELECT c.id FROM resource c
                  WHERE c.type_code = $1 AND c.status = 'available' AND NOT c.is_stock AND ${OFFERED_C}
                    AND c.location <-> point($2::float8, $3::float8) <= $5::float8
                  ORDER BY c.location <-> point($2::float8, $3::float8)
                  LIMIT $6)
    AND r.status = 'available'
  RETURNING r.id, r.region_code, r.location[0] AS lon, r.location[1] AS lat`;

/** Great-circle kilometres between two [lon, lat] points. */
function greatCircleKm(a: [number, number], b: [number, number]): number {
  const rad = Math.PI / 180;
  const h = Math.sin(((b[1] - a[1]) * rad) / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(((b[0] - a[0]) * rad) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The baseline: one activation in hand-written SQL, in one transaction — lock the incident, record the plan
 * version use and the activation, insert the step tasks, and per requirement take the nearest available
 * resources (TAKE_NEAREST, again up to three rounds when some were taken meanwhile), insert the request, the
 * reservations and the dispatch orders; then the incident is responding. No audit, outbox, timeline or task
 * history is written, and the plan, level and bindings are given.
 */
async function handActivationIn(tx: Executor, h: HandPlan, incidentId: string): Promise<void> {
  const { rows } = await tx.query<{ status: string; region_code: string; lon: number | null; lat: number | null; exercise: boolean }>(
    'SELECT status, region_code, lon, lat, exercise FROM incident WHERE id = $1 FOR UPDATE', [incidentId],
  );
  const inc = rows[0];
  if (!inc || !ACTIVATABLE.includes(inc.status) || inc.lon === null || inc.lat === null) throw new Error(`incident ${incidentId} cannot activate a plan`);
  const org = h.orgOf.get(inc.region_code);
  if (!org) throw new Error(`no binding in ${inc.region_code}`);
  const near: [number, number] = [inc.lon, inc.lat];
  const id = newId();
  const useId = newId();
  const who = [h.actor.userId, h.actor.username];
  await tx.query('INSERT INTO plan_activation_use (id, plan_id, version, region_code, incident_id, level, used_by, used_by_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
    [useId, h.planId, h.version, inc.region_code, incidentId, h.level.level, ...who]);
  await tx.query(
    `INSERT INTO activation (id, incident_id, plan_id, version, level, region_code, binding_region_code, exercise, plan_use_id, activated_by, activated_by_name)
     VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9, $10)`,
    [id, incidentId, h.planId, h.version, h.level.level, inc.region_code, inc.exercise, useId, ...who],
  );
  const taskIds = new Map(h.level.steps.map((s) => [s.key, newId()]));
  const now = Date.now();
  await tx.query(
    `INSERT INTO task (id, title, region_code, organization_id, priority, deadline, depends_on, source_kind, source_ref, source_key, incident_id, exercise, lon, lat, created_by, created_by_name)
     SELECT t.id, t.title, $2, $3, 'high', t.deadline, t.depends_on, 'activation', $4, t.key, $5, $6, $7, $8, $9, $10
       FROM jsonb_to_recordset($1::jsonb) AS t(id uuid, title text, key text, deadline timestamptz, depends_on uuid[])`,
    [
      JSON.stringify(h.level.steps.map((s) => ({
        id: taskIds.get(s.key), title: s.title, key: s.key, deadline: new Date(now + s.deadlineMinutes * 60_000).toISOString(), depends_on: s.dependsOn.map((k) => taskIds.get(k)),
      }))),
      inc.region_code, org, id, incidentId, inc.exercise, near[0], near[1], ...who,
    ],
  );
  const home = scopePrefixOf(inc.region_code);
  for (const [position, r] of h.level.resources.entries()) {
    const speed = h.speedOf.get(r.resourceType) ?? 1;
    const maxKm = (r.maxTravelMinutes / 60) * speed;
    const taken: { id: string; region_code: string; lon: number; lat: number }[] = [];
    for (let round = 0; round < 3 && taken.length < r.quantity; round++) {
      const got = await tx.query<{ id: string; region_code: string; lon: number; lat: number }>(TAKE_NEAREST, [r.resourceType, near[0], near[1], h.day, maxKm / 111.32, r.quantity - taken.length]);
      taken.push(...got.rows);
    }
    const requestId = newId();
    const items = taken.map((t) => {
      const km = greatCircleKm(near, [t.lon, t.lat]);
      return {
        reservation_id: newId(), order_id: newId(), resource_id: t.id, region_code: t.region_code, borrowed: !t.region_code.startsWith(home),
        distance_km: Math.round(km * 1000) / 1000, travel_minutes: Math.round((km / speed) * 600) / 10,
      };
    });
    await tx.query(
      `INSERT INTO resource_request (id, activation_id, position, resource_type, capability, quantity, max_travel_minutes, reserved, borrowed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [requestId, id, position, r.resourceType, r.capability, r.quantity, r.maxTravelMinutes, items.length, items.filter((i) => i.borrowed).length],
    );
    if (!items.length) continue;
    await tx.query(
      `WITH t AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(reservation_id uuid, order_id uuid, resource_id uuid, region_code text, borrowed boolean, distance_km float8, travel_minutes float8)),
            v AS (INSERT INTO resource_reservation (id, request_ref, resource_id, region_code, is_stock, quantity, status, reserved_by, dispatched_at)
                  SELECT t.reservation_id, $2, t.resource_id, t.region_code, false, 1, 'dispatched', $3, now() FROM t)
       INSERT INTO dispatch_order (id, activation_id, request_id, incident_id, reservation_id, resource_id, region_code, incident_region_code, quantity, borrowed, distance_km, travel_minutes, exercise)
       SELECT t.order_id, $4, $5, $6, t.reservation_id, t.resource_id, t.region_code, $7, 1, t.borrowed, t.distance_km, t.travel_minutes, $8 FROM t`,
      [JSON.stringify(items), `activation:${id}:${position}`, h.actor.userId, id, requestId, incidentId, inc.region_code, inc.exercise],
    );
  }
  await tx.query(
    `UPDATE incident SET status = 'responding', responded_at = coalesce(responded_at, now()), verified_at = coalesce(verified_at, now()), updated_at = now() WHERE id = $1`,
    [incidentId],
  );
}

/** The baseline activation, again (up to three times) when the database broke a deadlock or a serialization conflict. */
async function handActivation(db: Database, h: HandPlan, incidentId: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await withTransaction(db, (tx) => handActivationIn(tx, h, incidentId));
      return;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (attempt >= 3 || (code !== '40P01' && code !== '40001')) throw err;
    }
  }
}

/**
 * (b) activation throughput with CONCURRENCY requests in flight. A published plan (one level: two steps for
 * the bound county emergency bureau, a pump truck and a rescue team within 60 minutes) is bound in the chosen
 * counties; two sets of `activations` incidents (plus warm-up ones) are reported there through the service.
 * The first set activates through activatePlan as a province dispatcher, the second through the hand-written
 * SQL, each with CONCURRENCY in flight and after every resource taken before it is available again.
 */
async function activations(fx: Fixture, o: Options): Promise<Line[]> {
  const { deps } = fx;
  const db = deps.db;
  const n = o.activations;
  const { rows: prov } = await db.pool.query<{ code: string }>(`SELECT code FROM region WHERE level = 'province' AND code LIKE '99%' AND valid_to IS NULL`);
  const province = prov[0]?.code;
  if (!province) throw new Error('no demo province');
  const ctx = dispatcherContext(province);
  const { chosen, asked } = await chooseCounties(fx, n);
  const warm = Math.min(WARMUP_ACTIVATIONS, n);
  process.stdout.write(
    `(b) activations: ${n} through activatePlan and ${n} through hand-written SQL, ${CONCURRENCY} in flight, on the fixture above; ` +
      `incidents over ${chosen.length} of ${fx.counties.length} counties (one phase asks for ${Math.round(asked * 100)}% of their available units of the scarcest type)\n`,
  );
  if (asked > 1) process.stdout.write('warning: fewer available units than the activations ask for: expect shortfalls\n');

  // the plan, published and bound in every chosen county
  const plan = await createPlan(deps, ctx, {
    code: 'bench-waterlogging', name: '暴雨内涝排水调度预案（基准）', scenarioType: PLAN_TYPE, regionCode: province, ownerOrganizationId: (chosen[0] as County).government,
    applicableRegions: [province], triggers: [], levels: [BENCH_LEVEL],
  });
  for (const action of ['review', 'publish'] as const) await transitionVersion(deps, ctx, plan.id, 1, { action });
  const binding = progressBar('(b) bindings', chosen.length);
  const orgOf = new Map<string, string>();
  for (const [i, c] of chosen.entries()) {
    const b = await putBinding(deps, ctx, plan.id, 1, { regionCode: c.code, auto: true, bindings: [] });
    const org = b.roles[0]?.organizationId;
    if (!b.complete || !org) throw new Error(`the plan's roles are not all bound in ${c.code}: ${b.unbound.join(', ')}`);
    orgOf.set(c.code, org);
    binding.update(i + 1, chosen.length);
  }
  binding.done();

  // the incidents: n + warm-up for each kind, never duplicates of each other
  const [serviceSites, handSites] = incidentSites(chosen, n + warm);
  const reporting = progressBar('(b) incidents (reportIncident)', 2 * (n + warm));
  const report = async (s: Site, k: number) => {
    const out = await reportIncident(deps, ctx, {
      typeCode: PLAN_TYPE, grade: 'IV', title: `${s.county.name}积水点${k}`, description: '', lon: s.at[0], lat: s.at[1], regionCode: s.county.code, exercise: false, source: 'console',
    });
    if (out.duplicate) throw new Error(`incident ${k} was taken for a duplicate of ${out.incident.id}`);
    reporting.tick();
    return out.incident.id;
  };
  const serviceIds: string[] = [];
  const handIds: string[] = [];
  for (let k = 0; k < n + warm; k++) {
    serviceIds.push(await report(serviceSites[k] as Site, 2 * k));
    handIds.push(await report(handSites[k] as Site, 2 * k + 1));
  }
  reporting.done();
  await db.pool.query('ANALYZE incident');

  const { rows: speeds } = await db.pool.query<{ code: string; speed_kmh: number }>('SELECT code, speed_kmh FROM resource_type');
  const hand: HandPlan = { planId: plan.id, version: 1, level: BENCH_LEVEL, orgOf, speedOf: new Map(speeds.map((s) => [s.code, s.speed_kmh])), actor: ctx.actor, day: today() };
  const input = { requests: [], issueWarnings: false };
  const viaService = (id: string) => activatePlan(deps, ctx, id, input);
  const viaSql = (id: string) => handActivation(db, hand, id);

  // warm-up, one at a time, and a check that both give every incident its two orders and two tasks
  const alone = { service: [] as number[], hand: [] as number[] };
  for (const id of serviceIds.slice(0, warm)) {
    const t = performance.now();
    const d = await viaService(id);
    alone.service.push(performance.now() - t);
    if (d.orders.length !== 2 || d.tasks.length !== 2) throw new Error(`activatePlan gave ${d.orders.length} orders and ${d.tasks.length} tasks`);
  }
  for (const id of handIds.slice(0, warm)) {
    const t = performance.now();
    await viaSql(id);
    alone.hand.push(performance.now() - t);
  }
  // the last half of the warm-up, one at a time: what one activation costs when nothing else runs
  const aloneP50 = (ms: number[]) => fmtMs(summarize(ms.slice(Math.floor(ms.length / 2))).p50);
  process.stdout.write(`one at a time (warm-up): activatePlan ${aloneP50(alone.service)}, hand-written SQL ${aloneP50(alone.hand)} per activation (p50)\n`);
  await checkPhase(db, `warm-up (${warm} of each, one at a time), service`, serviceIds.slice(0, warm));
  await checkPhase(db, `warm-up (${warm} of each, one at a time), baseline`, handIds.slice(0, warm));
  let reset = await resetResources(db);
  process.stdout.write(`reset: ${reset} resources available again\n`);

  const engineNote = db.engine === 'embedded'
    ? `on the embedded engine's one connection: the ${CONCURRENCY} queue for it and run one transaction at a time, their latency includes the wait`
    : `on ${CONCURRENCY} server connections`;
  const phase = async (label: string, ids: string[], fn: (id: string) => Promise<unknown>): Promise<Phase> => {
    process.stdout.write(`${label}: ${ids.length} activations, ${CONCURRENCY} in flight (${engineNote}); load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores\n`);
    const bar = progressBar(`(b) ${label}`, ids.length);
    const watch = watchSessions(db);
    const got = await inFlight(ids, CONCURRENCY, fn, (done) => bar.update(done, ids.length));
    const sessions = await watch.stop();
    bar.done();
    if (sessions) process.stdout.write(`${sessions}\n`);
    for (const [message, count] of got.failures) process.stdout.write(`  failed ${count}×: ${message}\n`);
    return got;
  };

  const svc = await phase('activatePlan', serviceIds.slice(warm), viaService);
  const svcDone = await checkPhase(db, 'after activatePlan', serviceIds.slice(warm));
  reset = await resetResources(db);
  process.stdout.write(`reset: ${reset} resources available again\n`);
  const raw = await phase('hand-written SQL', handIds.slice(warm), viaSql);
  const rawDone = await checkPhase(db, 'after hand-written SQL', handIds.slice(warm));

  const s = summarize(svc.ms);
  const r = summarize(raw.ms);
  const rate = (p: Phase) => p.ms.length / (p.wallMs / 1000);
  const failed = (p: Phase) => {
    const f = [...p.failures.values()].reduce((a, b) => a + b, 0);
    return f ? `, ${f} failed` : '';
  };
  process.stdout.write(
    `activatePlan: ${rate(svc).toFixed(1)}/s over ${(svc.wallMs / 1000).toFixed(1)} s, ${svcDone.orders} orders; ` +
      `hand-written SQL: ${rate(raw).toFixed(1)}/s over ${(raw.wallMs / 1000).toFixed(1)} s, ${rawDone.orders} orders\n`,
  );
  return [{
    engine: fx.engine,
    workload: `(b) ${n.toLocaleString('en')} plan activations (2 tasks, pump truck + rescue team), ${CONCURRENCY} in flight${db.engine === 'embedded' ? ' on 1 connection' : ''}, /s and p50 / p95`,
    figure: `activatePlan ${rate(svc).toFixed(1)}/s, ${fmtMs(s.p50)} / ${fmtMs(s.p95)}${failed(svc)}`,
    baseline: `hand SQL ${rate(raw).toFixed(1)}/s, ${fmtMs(r.p50)} / ${fmtMs(r.p95)}${failed(raw)}`,
    ratio: `${(s.p50 / r.p50).toFixed(1)} (p50), ${(rate(svc) / rate(raw)).toFixed(2)} (/s)`,
  }];
}
