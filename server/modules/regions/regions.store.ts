// SPDX-License-Identifier: Apache-2.0
// SQL for regions. Every read is "as of" a date: a row is current when valid_from <= d < valid_to.
import type { BoundaryGeometry, Level } from '../../../contracts/regions.ts';
import type { Executor } from '../../platform/db.ts';

export type RegionRow = {
  code: string;
  level: Level;
  parent_code: string | null;
  prefix: string;
  name: string;
  name_en: string | null;
  population: number | null;
  area_km2: number | null;
  centroid: { x: number; y: number } | null;
  has_boundary: boolean;
  valid_from: string;
  valid_to: string | null;
  child_count?: number;
};

const COLUMNS = `r.code, r.level, r.parent_code, r.prefix, r.name, r.name_en, r.population, r.area_km2, r.centroid,
  (r.boundary IS NOT NULL) AS has_boundary, r.valid_from, r.valid_to`;
const CURRENT = (d: string) => `r.valid_from <= ${d}::date AND (r.valid_to IS NULL OR r.valid_to > ${d}::date)`;
// Visible to a scope: inside it, or one of its ancestors (so that a county sees the path above it).
const VISIBLE = (s: string) => `(r.code LIKE ${s} || '%' OR ${s} LIKE r.prefix || '%')`;
const CHILD_COUNT = (d: string) =>
  `(SELECT count(*)::int FROM region c WHERE c.parent_code = r.code AND c.valid_from <= ${d}::date AND (c.valid_to IS NULL OR c.valid_to > ${d}::date)) AS child_count`;

export async function findRegion(db: Executor, code: string, asOf: string): Promise<RegionRow | undefined> {
  const { rows } = await db.query<RegionRow>(`SELECT ${COLUMNS}, ${CHILD_COUNT('$2')} FROM region r WHERE r.code = $1 AND ${CURRENT('$2')}`, [code, asOf]);
  return rows[0];
}

export async function findRegions(db: Executor, codes: string[], asOf: string): Promise<RegionRow[]> {
  if (codes.length === 0) return [];
  const { rows } = await db.query<RegionRow>(`SELECT ${COLUMNS} FROM region r WHERE r.code = ANY ($1) AND ${CURRENT('$2')}`, [codes, asOf]);
  return rows;
}

export async function listChildren(db: Executor, code: string, asOf: string, scopePrefix: string): Promise<RegionRow[]> {
  const { rows } = await db.query<RegionRow>(
    `SELECT ${COLUMNS}, ${CHILD_COUNT('$2')} FROM region r WHERE r.parent_code = $1 AND ${CURRENT('$2')} AND ${VISIBLE('$3')} ORDER BY r.code`,
    [code, asOf, scopePrefix],
  );
  return rows;
}

export async function listRoots(db: Executor, asOf: string): Promise<RegionRow[]> {
  const { rows } = await db.query<RegionRow>(`SELECT ${COLUMNS}, ${CHILD_COUNT('$1')} FROM region r WHERE r.parent_code IS NULL AND ${CURRENT('$1')} ORDER BY r.code`, [asOf]);
  return rows;
}

/** The chain from the root down to (and including) `code`, following parent links as of the date. */
export async function listAncestors(db: Executor, code: string, asOf: string): Promise<RegionRow[]> {
  const { rows } = await db.query<RegionRow & { depth: number }>(
    `WITH RECURSIVE chain AS (
       SELECT r.*, 0 AS depth FROM region r WHERE r.code = $1 AND ${CURRENT('$2')}
       UNION ALL
       SELECT r.*, chain.depth + 1 FROM region r JOIN chain ON r.code = chain.parent_code WHERE ${CURRENT('$2')} AND chain.depth < 10)
     SELECT ${COLUMNS}, r.depth FROM chain r ORDER BY r.depth DESC`,
    [code, asOf],
  );
  return rows;
}

export type SubtreeFilter = { prefix: string; level?: Level; q?: string; asOf: string; scopePrefix: string };

function subtreeWhere(f: SubtreeFilter): { sql: string; values: unknown[] } {
  const values: unknown[] = [f.asOf, f.scopePrefix];
  const clauses = [CURRENT('$1'), `r.code LIKE $2 || '%'`];
  if (f.prefix) {
    values.push(f.prefix);
    clauses.push(`r.code LIKE $${values.length} || '%'`);
  }
  if (f.level) {
    values.push(f.level);
    clauses.push(`r.level = $${values.length}`);
  }
  if (f.q) {
    values.push(`%${f.q.replace(/[%_\\]/g, '\\$&')}%`);
    clauses.push(`(r.name LIKE $${values.length} OR r.name_en ILIKE $${values.length})`);
  }
  return { sql: clauses.join(' AND '), values };
}

export async function listSubtree(db: Executor, f: SubtreeFilter, limit: number, offset: number): Promise<{ rows: RegionRow[]; total: number }> {
  const w = subtreeWhere(f);
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM region r WHERE ${w.sql}`, w.values);
  const { rows } = await db.query<RegionRow>(`SELECT ${COLUMNS} FROM region r WHERE ${w.sql} ORDER BY r.code LIMIT $${w.values.length + 1} OFFSET $${w.values.length + 2}`, [
    ...w.values,
    limit,
    offset,
  ]);
  return { rows, total: total.rows[0]?.n ?? 0 };
}

export type BoundaryRow = RegionRow & { boundary: BoundaryGeometry };

/** Regions of `level` below `prefix` with their boundaries (for a map). */
export async function listBoundaries(db: Executor, f: SubtreeFilter & { level: Level }, max: number): Promise<BoundaryRow[]> {
  const w = subtreeWhere(f);
  const { rows } = await db.query<BoundaryRow>(`SELECT ${COLUMNS}, r.boundary FROM region r WHERE ${w.sql} AND r.boundary IS NOT NULL ORDER BY r.code LIMIT ${max}`, w.values);
  return rows;
}

/** Regions whose bounding box holds the point (candidates for the exact test), deepest first, without boundaries. */
export async function regionsWithBoxContaining(db: Executor, lon: number, lat: number, asOf: string, scopePrefix: string): Promise<RegionRow[]> {
  const { rows } = await db.query<RegionRow>(
    `SELECT ${COLUMNS} FROM region r
     WHERE r.bbox @> box(point($1, $2), point($1, $2)) AND ${CURRENT('$3')} AND r.code LIKE $4 || '%'
     ORDER BY length(r.prefix) DESC, r.code`,
    [lon, lat, asOf, scopePrefix],
  );
  return rows;
}

/** The boundary of a current region row. */
export async function findBoundary(db: Executor, code: string, asOf: string): Promise<BoundaryGeometry | undefined> {
  const { rows } = await db.query<{ boundary: BoundaryGeometry }>(`SELECT r.boundary FROM region r WHERE r.code = $1 AND ${CURRENT('$2')} AND r.boundary IS NOT NULL`, [code, asOf]);
  return rows[0]?.boundary;
}

/**
 * The deepest candidate whose polygon holds the point. Boundaries are read one at a time, deepest first:
 * the first usually holds the point, and the large polygons of the upper levels are never parsed.
 */
export async function deepestContaining(db: Executor, lon: number, lat: number, asOf: string, scopePrefix: string, contains: (g: BoundaryGeometry) => boolean): Promise<RegionRow | undefined> {
  for (const candidate of await regionsWithBoxContaining(db, lon, lat, asOf, scopePrefix)) {
    const boundary = await findBoundary(db, candidate.code, asOf);
    if (boundary && contains(boundary)) return candidate;
  }
  return undefined;
}

export type RegionInsert = {
  code: string;
  level: Level;
  parent_code: string | null;
  name: string;
  name_en: string | null;
  population: number | null;
  boundary: BoundaryGeometry | null;
  area_km2: number | null;
  centroid: [number, number] | null;
  bbox: string | null;
  valid_from: string;
  change_id: number | null;
};

// One bind message holds at most 65,535 parameters: 12 columns × 1,000 rows stays well below.
const CHUNK = 1000;

export async function insertRegions(db: Executor, rows: RegionInsert[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const values: unknown[] = [];
    const tuples = chunk.map((r) => {
      const base = values.length;
      values.push(r.code, r.level, r.parent_code, r.name, r.name_en, r.population, r.boundary === null ? null : JSON.stringify(r.boundary), r.area_km2,
        r.centroid === null ? null : `(${r.centroid[0]},${r.centroid[1]})`, r.bbox, r.valid_from, r.change_id);
      return `(${Array.from({ length: 12 }, (_, k) => `$${base + k + 1}`).join(',')})`;
    });
    await db.query(
      `INSERT INTO region (code, level, parent_code, name, name_en, population, boundary, area_km2, centroid, bbox, valid_from, change_id) VALUES ${tuples.join(',')}`,
      values,
    );
  }
}

export async function updateCurrentRegion(db: Executor, code: string, patch: Partial<Pick<RegionInsert, 'name' | 'name_en' | 'population' | 'parent_code' | 'level' | 'boundary' | 'area_km2' | 'centroid' | 'bbox'>>): Promise<void> {
  const sets: string[] = [];
  const values: unknown[] = [code];
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    let value: unknown = v;
    if (k === 'boundary' && v !== null) value = JSON.stringify(v);
    if (k === 'centroid' && Array.isArray(v)) value = `(${v[0]},${v[1]})`;
    values.push(value);
    sets.push(`${k} = $${values.length}`);
  }
  if (sets.length === 0) return;
  await db.query(`UPDATE region SET ${sets.join(', ')}, updated_at = now() WHERE code = $1 AND valid_to IS NULL`, values);
}

/** Closes the current rows of `codes` and of their whole subtrees at `date`; returns the codes closed. */
export async function closeSubtrees(db: Executor, prefixes: string[], date: string): Promise<string[]> {
  if (prefixes.length === 0) return [];
  const { rows } = await db.query<{ code: string }>(
    `UPDATE region SET valid_to = $2, updated_at = now()
     WHERE valid_to IS NULL AND valid_from < $2 AND EXISTS (SELECT 1 FROM unnest($1::text[]) p WHERE region.code LIKE p || '%')
     RETURNING code`,
    [prefixes, date],
  );
  return rows.map((r) => r.code);
}

/** Closes the current rows of exactly `codes` at `date`. */
export async function closeRows(db: Executor, codes: string[], date: string): Promise<string[]> {
  const { rows } = await db.query<{ code: string }>(
    'UPDATE region SET valid_to = $2, updated_at = now() WHERE valid_to IS NULL AND valid_from < $2 AND code = ANY ($1) RETURNING code',
    [codes, date],
  );
  return rows.map((r) => r.code);
}

export async function insertChange(db: Executor, c: { kind: string; effectiveDate: string; closed: string[]; opened: string[]; note: string | null; createdBy: string | null }): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    'INSERT INTO region_change (kind, effective_date, closed_codes, opened_codes, note, created_by) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id',
    [c.kind, c.effectiveDate, c.closed, c.opened, c.note, c.createdBy],
  );
  return (rows[0] as { id: number }).id;
}

export type ChangeRow = { id: number; kind: string; effective_date: string; closed_codes: string[]; opened_codes: string[]; note: string | null; created_at: Date };

export async function listChanges(db: Executor, scopePrefix: string, limit: number, offset: number): Promise<{ rows: ChangeRow[]; total: number }> {
  const where = `WHERE EXISTS (SELECT 1 FROM unnest(closed_codes || opened_codes) c WHERE c LIKE $1 || '%')`;
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM region_change ${where}`, [scopePrefix]);
  const { rows } = await db.query<ChangeRow>(`SELECT * FROM region_change ${where} ORDER BY id DESC LIMIT $2 OFFSET $3`, [scopePrefix, limit, offset]);
  return { rows, total: total.rows[0]?.n ?? 0 };
}

/** Existing current codes among `codes` with their level. */
export async function currentLevels(db: Executor, codes: string[], asOf: string): Promise<Map<string, Level>> {
  if (codes.length === 0) return new Map();
  const { rows } = await db.query<{ code: string; level: Level }>(`SELECT r.code, r.level FROM region r WHERE r.code = ANY ($1) AND ${CURRENT('$2')}`, [codes, asOf]);
  return new Map(rows.map((r) => [r.code, r.level]));
}
