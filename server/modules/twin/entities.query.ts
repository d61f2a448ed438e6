// SPDX-License-Identifier: Apache-2.0
// Query Entities (GET /entities, POST /entityOperations/query) and the temporal API over the history.
import type { RequestContext } from '../../platform/context.ts';
import { executor } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { Invalid } from '../../platform/errors.ts';
import { authorize } from '../access/index.ts';
import * as store from './entities.store.ts';
import { distanceToGeometry, geoMatches, type GeoQuery, GeoQueryError, geoPrefilter, parseGeoQuery } from './geo-query.ts';
import { expand, type LdContext } from './ngsi-context.ts';
import { compileQuery, mapAttributeNames, parseQuery, QueryParseError } from './ngsi-query.ts';

/** The parameters of a query, as strings from a query string or values from a POST body. */
export type EntityQueryParams = {
  type?: string;
  id?: string;
  idPattern?: string;
  q?: string;
  georel?: string;
  geometry?: string;
  coordinates?: string | unknown;
  geoproperty?: string;
  limit: number;
  offset: number;
  count: boolean;
};

// Candidates the exact geo test may examine for one query: beyond this, ask for a narrower area.
const MAX_GEO_CANDIDATES = 50_000;
// Entities a near query reads from the spatial index in distance order before it turns to the box pre-filter.
const WALK_LIMIT = 5_000;

function listParam(v: string | undefined): string[] {
  return v ? v.split(',').map((s) => s.trim()).filter(Boolean) : [];
}

/** Runs a query in the actor's scope; returns the page and, when asked, the total. */
export async function queryEntities(deps: Deps, ctx: RequestContext, p: EntityQueryParams, ld: LdContext): Promise<{ rows: store.EntityRow[]; total: number | null }> {
  await authorize(deps, ctx, 'twin:read');
  const clauses: string[] = [];
  const values: unknown[] = [];
  const bind = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  clauses.push(`e.region_code LIKE ${bind(ctx.actor.scopePrefix)} || '%'`);
  const types = listParam(p.type);
  if (types.length) clauses.push(`e.type = ANY (${bind(types.map((t) => expand(ld, t)))})`);
  const ids = listParam(p.id);
  if (ids.length) clauses.push(`e.id = ANY (${bind(ids)})`);
  if (p.idPattern) {
    try {
      new RegExp(p.idPattern);
    } catch {
      throw new Invalid('idPattern is not a valid regular expression', [{ field: 'idPattern', message: 'invalid regular expression' }]);
    }
    clauses.push(`e.id ~ ${bind(p.idPattern)}`);
  }
  if (p.q) {
    let compiled;
    try {
      compiled = compileQuery(mapAttributeNames(parseQuery(p.q), (name) => expand(ld, name)), values.length + 1);
    } catch (err) {
      if (err instanceof QueryParseError) throw new Invalid(`q: ${err.message}`, [{ field: 'q', message: `${err.message} (at ${err.position})` }]);
      throw err;
    }
    values.push(...compiled.values);
    clauses.push(`(${compiled.sql})`);
  }
  let geo;
  try {
    geo = parseGeoQuery({ georel: p.georel, geometry: p.geometry, coordinates: p.coordinates, geoproperty: p.geoproperty });
  } catch (err) {
    if (err instanceof GeoQueryError) throw new Invalid(err.message, [{ field: err.parameter, message: err.message }]);
    throw err;
  }
  const db = executor(deps.db);
  if (!geo) return run(() => store.queryEntities(db, { clauses, values, limit: p.limit, offset: p.offset, count: p.count }));

  const geoprop = expand(ld, geo.geoproperty);
  const geometryOf = (row: store.EntityRow) => {
    const attr = row.attrs[geoprop];
    const inst = Array.isArray(attr) ? attr[0] : attr;
    return inst?.type === 'GeoProperty' ? (inst.value as Parameters<typeof geoMatches>[1]) : undefined;
  };
  // near with a maximum distance and no count: the nearest first, read from the spatial index in distance
  // order (no box pre-filter: it would turn the index's ordered scan into a bitmap scan and a sort).
  if (geo.georel === 'near' && geo.maxDistance !== undefined && !p.count && geoprop === 'https://uri.etsi.org/ngsi-ld/location' && geo.geometry.type === 'Point') {
    const near = await nearest(db, clauses, values, geo, geometryOf, p.offset + p.limit);
    if (near) return { rows: near.slice(p.offset), total: null };
  }
  if (geoprop === 'https://uri.etsi.org/ngsi-ld/location') {
    const pre = geoPrefilter(geo, 'e.bbox', values.length + 1);
    if (pre) {
      values.push(...pre.values);
      clauses.push(`(${pre.sql})`);
    }
  }
  const candidates = await run(() => store.queryEntities(db, { clauses, values, limit: MAX_GEO_CANDIDATES + 1, offset: 0, count: false }));
  if (candidates.rows.length > MAX_GEO_CANDIDATES) throw new Invalid(`the geo-query matches more than ${MAX_GEO_CANDIDATES} candidates: narrow it`, [{ field: 'georel', message: 'too many candidates' }], 'too-many-results');
  let matches = candidates.rows.filter((row) => {
    const g = geometryOf(row);
    return g !== undefined && geoMatches(geo, g);
  });
  if (geo.georel === 'near' && geo.geometry.type === 'Point') {
    // near answers nearest first (ties by id)
    const at = geo.geometry.coordinates;
    const d = new Map(matches.map((r) => [r.id, distanceToGeometry(at, geometryOf(r) as Parameters<typeof distanceToGeometry>[1])]));
    matches = matches.sort((a, b) => (d.get(a.id) as number) - (d.get(b.id) as number) || (a.id < b.id ? -1 : 1));
  }
  return { rows: matches.slice(p.offset, p.offset + p.limit), total: p.count ? matches.length : null };
}

/**
 * The `k` nearest matches of a near query, or null when they are not near the point. The spatial index is
 * walked in order of planar distance in degrees to each entity's box — every entity, whatever the filters,
 * so that the walk costs what it reads — and the filters are applied to what it returns. A candidate d
 * degrees away is at least d·111 km·cos(φmax) metres away, so the walk stops once that bound passes the k-th
 * nearest exact distance found or the maximum distance. When the matches are rare nearby (after WALK_LIMIT
 * entities), null tells the caller to use the box pre-filter instead, which an index on the filters serves.
 */
async function nearest(
  db: ReturnType<typeof executor>,
  clauses: string[],
  values: unknown[],
  geo: GeoQuery,
  geometryOf: (row: store.EntityRow) => Parameters<typeof distanceToGeometry>[1] | undefined,
  k: number,
): Promise<store.EntityRow[] | null> {
  if (geo.geometry.type !== 'Point') return null;
  const at = geo.geometry.coordinates;
  const [x, y] = at as [number, number];
  const maxDistance = geo.maxDistance ?? Infinity;
  const latMax = Math.min(89.9, Math.abs(y) + maxDistance / 111_000);
  const metresPerDegree = 111_000 * Math.cos((latMax * Math.PI) / 180) * 0.99;
  const knn = `bbox <-> point(${Number(x)}, ${Number(y)})`;
  const filter = clauses.length ? clauses.join(' AND ') : 'true';
  const found: { row: store.EntityRow; d: number }[] = [];
  const done = () => found.slice(0, k).map((f) => f.row);
  for (let offset = 0, batch = Math.max(64, k * 2); offset < WALK_LIMIT; offset += batch, batch *= 2) {
    const { rows } = await run(() =>
      db.query<store.EntityRow & { deg: number | null; ok: boolean }>(
        `SELECT e.id, e.type, e.region_code, e.region_explicit, e.created_at, e.modified_at, e.deg, e.ok,
                CASE WHEN e.ok THEN e.attrs END AS attrs, CASE WHEN e.ok THEN e.location END AS location
           FROM (SELECT e.*, e.${knn} AS deg, (${filter}) AS ok
                   FROM (SELECT * FROM twin_entity ORDER BY ${knn} LIMIT ${batch} OFFSET ${offset}) e) e`,
        values,
      ),
    );
    for (const { deg: _deg, ok, ...row } of rows) {
      const g = ok ? geometryOf(row) : undefined;
      if (g && geoMatches(geo, g)) found.push({ row, d: distanceToGeometry(at, g) });
    }
    found.sort((a, b) => a.d - b.d || (a.row.id < b.row.id ? -1 : 1));
    const last = rows.at(-1);
    if (rows.length < batch || !last || last.deg === null) return done();
    const bound = last.deg * metresPerDegree;
    if (bound > maxDistance || (found.length >= k && bound > (found[k - 1] as { d: number }).d)) return done();
  }
  return null;
}

/** Runs a query, turning a regular expression PostgreSQL refuses (2201B) into a 400. */
async function run<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if ((err as { code?: string }).code === '2201B') throw new Invalid(`a regular expression in the query is not valid: ${(err as Error).message}`, [{ field: 'q', message: 'invalid regular expression' }]);
    throw err;
  }
}

/** Temporal query parameters. */
export type TemporalParams = { timerel?: 'before' | 'after' | 'between'; timeAt?: string; endTimeAt?: string; lastN?: number; attrs?: Set<string> };

/** Turns timerel/timeAt/endTimeAt into a [from, to) range. */
export function timeRange(p: TemporalParams): { from?: string; to?: string } {
  if (!p.timerel) {
    if (p.timeAt || p.endTimeAt) throw new Invalid('timeAt needs timerel', [{ field: 'timerel', message: 'required with timeAt' }]);
    return {};
  }
  if (!p.timeAt) throw new Invalid('timerel needs timeAt', [{ field: 'timeAt', message: 'required with timerel' }]);
  if (p.timerel === 'before') return { to: p.timeAt };
  if (p.timerel === 'after') return { from: p.timeAt };
  if (!p.endTimeAt) throw new Invalid('timerel=between needs endTimeAt', [{ field: 'endTimeAt', message: 'required with timerel=between' }]);
  if (Date.parse(p.endTimeAt) <= Date.parse(p.timeAt)) throw new Invalid('endTimeAt must be after timeAt', [{ field: 'endTimeAt', message: 'must be after timeAt' }]);
  return { from: p.timeAt, to: p.endTimeAt };
}

/** The history of one entity's attributes in a time range (last N per attribute when asked). */
export async function entityHistory(deps: Deps, ctx: RequestContext, row: Pick<store.EntityRow, 'id'>, p: TemporalParams): Promise<store.HistoryRow[]> {
  await authorize(deps, ctx, 'twin:read');
  const range = timeRange(p);
  return store.readHistory(executor(deps.db), row.id, { attrs: p.attrs ? [...p.attrs] : undefined, ...range, lastN: p.lastN });
}
