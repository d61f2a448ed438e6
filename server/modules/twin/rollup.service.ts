// SPDX-License-Identifier: Apache-2.0
// Multi-scale roll-up (多尺度汇聚): a numeric attribute of an entity type aggregated by region at the chosen
// levels — current values, values as of a past time, or the history by time bucket — and by H3 hexagon.
// Region codes nest by prefix, so a level is a prefix length: the finest level is aggregated in one scan of
// the data and every coarser level is folded from it (sums, counts, minima and maxima compose; averages are
// recomputed from sum and count, never averaged).
import { cellToBoundary, latLngToCell } from 'h3-js';
import { LEVELS, type Level, PREFIX_LENGTH } from '../../../contracts/regions.ts';
import { inScope, levelIndex } from '../../../contracts/region-codes.ts';
import type { H3Result, RollupGroup, RollupQuery, RollupResult } from '../../../contracts/twin.ts';
import type { RequestContext } from '../../platform/context.ts';
import { type Executor, executor } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { Forbidden, Invalid, NotFound } from '../../platform/errors.ts';
import { authorize } from '../access/index.ts';
import { findCurrentRegion, findCurrentRegions } from '../regions/index.ts';
import { compact, CORE_CONTEXT, expand } from './ngsi-context.ts';
import { compileQuery, mapAttributeNames, parseQuery, QueryParseError } from './ngsi-query.ts';

/** The time zone buckets are cut in: a "day" is a local calendar day. */
const TIME_ZONE = 'Asia/Shanghai';
/** Entities an H3 roll-up reads at most (narrow the parent region beyond this). */
const MAX_H3_ENTITIES = 500_000;
/** Result groups at most (a finer level or bucket over a wide parent: narrow it). */
const MAX_GROUPS = 200_000;

type Parent = { code: string; name: string | null; level: Level; prefix: string };

/** The region the roll-up is under: the one asked for (within the caller's scope), else the caller's scope root. */
async function resolveParent(db: Executor, ctx: RequestContext, code: string | undefined): Promise<Parent> {
  let target = code ?? ctx.actor.scopeCode;
  if (!target) {
    const { rows } = await db.query<{ code: string }>(`SELECT code FROM region WHERE level = 'province' AND valid_to IS NULL ORDER BY code LIMIT 2`);
    if (rows.length !== 1) throw new Invalid('say which region to roll up under (parent)', [{ field: 'parent', message: 'required when several provinces exist' }]);
    target = (rows[0] as { code: string }).code;
  }
  const region = await findCurrentRegion(db, target);
  if (!region) throw new NotFound(`no current region ${target}`);
  const level = region.level as Level;
  const prefix = target.slice(0, PREFIX_LENGTH[level]);
  if (!inScope(ctx.actor.scopePrefix, target)) throw new Forbidden(`region ${target} is outside your region`);
  return { code: target, name: region.name, level, prefix };
}

/** The levels to output, finest first: listed, "all" below the parent, or by default the level just below it. */
function resolveLevels(spec: string | undefined, parent: Parent): Level[] {
  const below = LEVELS.filter((l) => levelIndex(l) > levelIndex(parent.level));
  if (below.length === 0) throw new Invalid(`a ${parent.level} has no levels below it to roll up to`, [{ field: 'parent', message: 'no levels below' }]);
  if (!spec) return [below[0] as Level];
  if (spec === 'all') return below.filter((l) => l !== 'grid').reverse();
  const out: Level[] = [];
  for (const s of spec.split(',').map((x) => x.trim()).filter(Boolean)) {
    if (!(LEVELS as readonly string[]).includes(s)) throw new Invalid(`unknown level ${s}`, [{ field: 'levels', message: `one of ${LEVELS.join(', ')} or all` }]);
    if (!below.includes(s as Level)) throw new Invalid(`${s} is not below the parent ${parent.level}`, [{ field: 'levels', message: 'must be below the parent' }]);
    if (!out.includes(s as Level)) out.push(s as Level);
  }
  if (out.length === 0) throw new Invalid('levels is empty', [{ field: 'levels', message: 'empty' }]);
  return out.sort((a, b) => levelIndex(b) - levelIndex(a));
}

function isoOrThrow(v: string | undefined, field: string): string | undefined {
  if (v === undefined) return undefined;
  const t = Date.parse(/T/.test(v) ? v : `${v}T00:00:00+08:00`);
  if (Number.isNaN(t)) throw new Invalid(`${field} is not a date-time`, [{ field, message: 'ISO 8601' }]);
  return new Date(t).toISOString();
}

/** The NGSI-LD q filter compiled against twin_entity `e`, its values appended to `values`. */
function entityFilter(q: string | undefined, values: unknown[]): string | null {
  if (!q) return null;
  try {
    const compiled = compileQuery(mapAttributeNames(parseQuery(q), (name) => expand(CORE_CONTEXT, name)), values.length + 1);
    values.push(...compiled.values);
    return `(${compiled.sql})`;
  } catch (err) {
    if (err instanceof QueryParseError) throw new Invalid(`q: ${err.message}`, [{ field: 'q', message: `${err.message} (at ${err.position})` }]);
    throw err;
  }
}

type BaseRow = { p: string; b: string | null; n: number; nv: number; s: number | null; mn: number | null; mx: number | null };

/**
 * The SQL of a roll-up: the rows of the finest level (`base`, grouped by prefix and bucket), then every
 * requested level folded from it. Exposed so that the benchmark can compare it with a plain GROUP BY.
 */
export function rollupSql(source: string, levels: Level[], bucketed: boolean): string {
  const finest = levels[0] as Level;
  const parts = levels.map((level) => {
    const len = PREFIX_LENGTH[level];
    const parentLen = PREFIX_LENGTH[LEVELS[levelIndex(level) - 1] as Level];
    // Rows held directly by a coarser region (e.g. an entity placed in a township, not a village) belong to
    // that region's total, not to any region of this level.
    const own = `substr(p, ${parentLen + 1}, ${len - parentLen}) !~ '^0+$'`;
    if (level === finest) return `SELECT '${level}' AS level, p, b, n, nv, s, mn, mx FROM base WHERE length(p) >= ${len} AND ${own}`;
    return `SELECT '${level}', left(p, ${len}), b, sum(n), sum(nv), sum(s), min(mn), max(mx) FROM base WHERE ${own.replace(/\bp\b/g, `left(p, ${len})`)} GROUP BY 2, 3`;
  });
  return `WITH base AS (SELECT left(region_code, ${PREFIX_LENGTH[finest]}) AS p, ${bucketed ? 'bk' : 'NULL::timestamp'} AS b,
            count(*)::int AS n, count(v)::int AS nv, sum(v) AS s, min(v) AS mn, max(v) AS mx FROM (${source}) src GROUP BY 1, 2)
          ${parts.join('\n          UNION ALL ')}`;
}

/** Rolls a numeric attribute of an entity type up to regions of the chosen levels under a parent region. */
export async function rollup(deps: Deps, ctx: RequestContext, q: RollupQuery): Promise<RollupResult> {
  await authorize(deps, ctx, 'twin:read');
  const db = executor(deps.db);
  const parent = await resolveParent(db, ctx, q.parent);
  const levels = resolveLevels(q.levels, parent);
  const type = expand(CORE_CONTEXT, q.type);
  const attr = q.attr ? expand(CORE_CONTEXT, q.attr) : null;
  const from = isoOrThrow(q.from, 'from');
  const to = isoOrThrow(q.to, 'to');
  const asOf = isoOrThrow(q.asOf, 'asOf');
  if (q.bucket && (!attr || !from || !to)) throw new Invalid('a roll-up by time bucket needs attr, from and to', [{ field: q.bucket && !attr ? 'attr' : !from ? 'from' : 'to', message: 'required with bucket' }]);
  if (q.bucket && asOf) throw new Invalid('use either bucket (history) or asOf (a moment), not both', [{ field: 'asOf', message: 'not with bucket' }]);
  if (from && to && Date.parse(to) <= Date.parse(from)) throw new Invalid('to must be after from', [{ field: 'to', message: 'must be after from' }]);
  if (asOf && (from || to)) throw new Invalid('use either from/to (the history) or asOf (a moment), not both', [{ field: 'asOf', message: 'not with from and to' }]);
  // Entities of the parent's subtree that the caller may see (the parent is within scope, so its prefix is the narrower).
  const prefix = parent.prefix.length >= ctx.actor.scopePrefix.length ? parent.prefix : ctx.actor.scopePrefix;
  const values: unknown[] = [type, prefix];
  let source: string;
  if (q.bucket || ((from || to) && !asOf)) {
    // The history: by time bucket, or over the whole period from–to.
    if (!attr) throw new Invalid('a roll-up of the history (from, to) needs attr', [{ field: 'attr', message: 'required with from and to' }]);
    values.push(attr, from ?? '-infinity', to ?? 'infinity');
    const t = 'coalesce(observed_at, received_at)';
    const bk = q.bucket ? `, date_trunc($${values.push(q.bucket)}, ${t} AT TIME ZONE $${values.push(TIME_ZONE)}) AS bk` : '';
    const only = entityFilter(q.q, values);
    source = `SELECT region_code, num_value AS v${bk} FROM twin_attribute_history
               WHERE entity_type = $1 AND region_code LIKE $2 || '%' AND attr = $3 AND ${t} >= $4 AND ${t} < $5 AND instance IS NOT NULL
               ${only ? `AND entity_id IN (SELECT e.id FROM twin_entity e WHERE e.type = $1 AND ${only})` : ''}`;
  } else if (asOf) {
    source = latestAsOf(values, attr, asOf, entityFilter(q.q, values));
  } else if (attr) {
    values.push(attr);
    // the default instance (or the first when several datasetIds exist)
    const inst = `(CASE jsonb_typeof(e.attrs->$3) WHEN 'array' THEN e.attrs->$3->0 ELSE e.attrs->$3 END)`;
    const only = entityFilter(q.q, values);
    source = `SELECT e.region_code, CASE WHEN jsonb_typeof(${inst}->'value') = 'number' THEN (${inst}->>'value')::double precision END AS v
                FROM twin_entity e WHERE e.type = $1 AND e.region_code LIKE $2 || '%' AND e.attrs ? $3 ${only ? `AND ${only}` : ''}`;
  } else {
    const only = entityFilter(q.q, values);
    source = `SELECT e.region_code, NULL::double precision AS v FROM twin_entity e WHERE e.type = $1 AND e.region_code LIKE $2 || '%' ${only ? `AND ${only}` : ''}`;
  }
  const sql = `SELECT level, p, to_char(b, 'YYYY-MM-DD"T"HH24:MI:SS') AS b, n, nv, s, mn, mx FROM (${rollupSql(source, levels, !!q.bucket)}) r
               ORDER BY b NULLS FIRST, level, p LIMIT ${MAX_GROUPS + 1}`;
  const { rows } = await db.query<BaseRow & { level: Level }>(sql, values);
  if (rows.length > MAX_GROUPS) throw new Invalid(`the roll-up has more than ${MAX_GROUPS} groups: choose a coarser level, a larger bucket or a narrower parent`, [{ field: 'levels', message: 'too many groups' }], 'too-many-results');
  const codes = [...new Set(rows.map((r) => codeOf(r.p)))];
  const names = new Map((await findCurrentRegions(db, codes)).map((r) => [r.code, r.name]));
  const groups: RollupGroup[] = rows.map((r) => ({
    level: r.level,
    regionCode: codeOf(r.p),
    name: names.get(codeOf(r.p)) ?? null,
    bucket: r.b ? `${r.b}+08:00` : null,
    count: r.n,
    valueCount: r.nv,
    sum: r.nv ? r.s : null,
    avg: r.nv && r.s !== null ? r.s / r.nv : null,
    min: r.nv ? r.mn : null,
    max: r.nv ? r.mx : null,
  }));
  return {
    type: compact(CORE_CONTEXT, type), attr: attr ? compact(CORE_CONTEXT, attr) : null,
    parent: { code: parent.code, name: parent.name, level: parent.level }, levels: [...levels].reverse(),
    bucket: q.bucket ?? null, from: from ?? null, to: to ?? null, asOf: asOf ?? null, groups,
  };
}

/**
 * Each entity's latest value of `attr` at `asOf` (without attr: the entities that had any attribute by then),
 * from the history; $1 is the type and $2 the region prefix. Returns rows (entity_id, region_code, v).
 */
function latestAsOf(values: unknown[], attr: string | null, asOf: string, only: string | null): string {
  const t = 'coalesce(observed_at, received_at)';
  const a = attr ? `AND attr = $${values.push(attr)}` : '';
  const at = `$${values.push(asOf)}`;
  return `SELECT entity_id, region_code, ${attr ? 'num_value' : 'NULL::double precision'} AS v FROM (
            SELECT DISTINCT ON (entity_id) entity_id, region_code, num_value FROM twin_attribute_history
             WHERE entity_type = $1 AND region_code LIKE $2 || '%' ${a} AND ${t} <= ${at}
               ${only ? `AND entity_id IN (SELECT e.id FROM twin_entity e WHERE e.type = $1 AND ${only})` : ''}
             ORDER BY entity_id, ${t} DESC, id DESC) latest`;
}

/** A prefix back to a full region code. */
function codeOf(prefix: string): string {
  return prefix.length >= 12 ? prefix : prefix.padEnd(12, '0');
}

/** Rolls a numeric attribute (or just the count) up to H3 hexagons at a resolution, within a parent region. */
export async function rollupH3(deps: Deps, ctx: RequestContext, q: { type: string; attr?: string; parent?: string; resolution: number; asOf?: string; q?: string }): Promise<H3Result> {
  await authorize(deps, ctx, 'twin:read');
  const db = executor(deps.db);
  const parent = await resolveParent(db, ctx, q.parent);
  const type = expand(CORE_CONTEXT, q.type);
  const attr = q.attr ? expand(CORE_CONTEXT, q.attr) : null;
  const asOf = isoOrThrow(q.asOf, 'asOf');
  const prefix = parent.prefix.length >= ctx.actor.scopePrefix.length ? parent.prefix : ctx.actor.scopePrefix;
  const values: unknown[] = [type, prefix];
  let sql: string;
  if (asOf) {
    const latest = latestAsOf(values, attr, asOf, entityFilter(q.q, values));
    sql = `SELECT (center(e.bbox))[0] AS x, (center(e.bbox))[1] AS y, l.v FROM (${latest}) l JOIN twin_entity e ON e.id = l.entity_id
            WHERE e.bbox IS NOT NULL LIMIT ${MAX_H3_ENTITIES + 1}`;
  } else {
    const inst = attr ? `(CASE jsonb_typeof(e.attrs->$${values.push(attr)}) WHEN 'array' THEN e.attrs->$${values.length}->0 ELSE e.attrs->$${values.length} END)` : null;
    const has = attr ? `AND e.attrs ? $${values.length}` : '';
    const only = entityFilter(q.q, values);
    sql = `SELECT (center(e.bbox))[0] AS x, (center(e.bbox))[1] AS y,
                  ${inst ? `CASE WHEN jsonb_typeof(${inst}->'value') = 'number' THEN (${inst}->>'value')::double precision END` : 'NULL::double precision'} AS v
             FROM twin_entity e WHERE e.type = $1 AND e.region_code LIKE $2 || '%' AND e.bbox IS NOT NULL ${has} ${only ? `AND ${only}` : ''}
            LIMIT ${MAX_H3_ENTITIES + 1}`;
  }
  const { rows } = await db.query<{ x: number; y: number; v: number | null }>(sql, values);
  if (rows.length > MAX_H3_ENTITIES) throw new Invalid(`more than ${MAX_H3_ENTITIES} entities: choose a narrower parent region`, [{ field: 'parent', message: 'too many entities' }], 'too-many-results');
  const cells = new Map<string, { n: number; nv: number; s: number; mn: number; mx: number }>();
  for (const r of rows) {
    const cell = latLngToCell(r.y, r.x, q.resolution);
    let c = cells.get(cell);
    if (!c) cells.set(cell, (c = { n: 0, nv: 0, s: 0, mn: Infinity, mx: -Infinity }));
    c.n++;
    if (r.v !== null && Number.isFinite(r.v)) {
      c.nv++;
      c.s += r.v;
      c.mn = Math.min(c.mn, r.v);
      c.mx = Math.max(c.mx, r.v);
    }
  }
  const features = [...cells].sort(([a], [b]) => (a < b ? -1 : 1)).map(([cell, c]) => ({
    type: 'Feature' as const,
    id: cell,
    geometry: { type: 'Polygon' as const, coordinates: [cellToBoundary(cell, true) as [number, number][]] },
    properties: { cell, count: c.n, valueCount: c.nv, sum: c.nv ? c.s : null, avg: c.nv ? c.s / c.nv : null, min: c.nv ? c.mn : null, max: c.nv ? c.mx : null },
  }));
  return { type: 'FeatureCollection', resolution: q.resolution, entities: rows.length, features };
}

/** The entity types in the caller's scope, with their attributes (which are numeric, their units). */
export async function listTypes(deps: Deps, ctx: RequestContext): Promise<{ type: string; iri: string; entities: number; attributes: { name: string; kind: 'Property' | 'GeoProperty' | 'Relationship' | 'LanguageProperty'; numeric: boolean; unitCode: string | null; entities: number }[] }[]> {
  await authorize(deps, ctx, 'twin:read');
  const db = executor(deps.db);
  const { rows: types } = await db.query<{ type: string; n: number }>(
    `SELECT type, count(*)::int AS n FROM twin_entity WHERE region_code LIKE $1 || '%' GROUP BY type ORDER BY type`,
    [ctx.actor.scopePrefix],
  );
  const { rows: attrs } = await db.query<{ type: string; attr: string; kind: string | null; numeric: boolean; unit: string | null; n: number }>(
    `SELECT e.type, a.key AS attr, max(i->>'type') AS kind, coalesce(bool_or(jsonb_typeof(i->'value') = 'number'), false) AS numeric, max(i->>'unitCode') AS unit, count(*)::int AS n
       FROM twin_entity e, jsonb_each(e.attrs) a,
            LATERAL (SELECT CASE jsonb_typeof(a.value) WHEN 'array' THEN a.value->0 ELSE a.value END AS i) x
      WHERE e.region_code LIKE $1 || '%' GROUP BY 1, 2 ORDER BY 1, 2`,
    [ctx.actor.scopePrefix],
  );
  return types.map((t) => ({
    type: compact(CORE_CONTEXT, t.type),
    iri: t.type,
    entities: t.n,
    attributes: attrs.filter((a) => a.type === t.type).map((a) => ({
      name: compact(CORE_CONTEXT, a.attr),
      kind: (['Property', 'GeoProperty', 'Relationship', 'LanguageProperty'].includes(a.kind ?? '') ? a.kind : 'Property') as 'Property',
      numeric: a.numeric,
      unitCode: a.unit,
      entities: a.n,
    })),
  }));
}
