// SPDX-License-Identifier: Apache-2.0
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { PGlite } from '@electric-sql/pglite';
import type { Executor } from '../../platform/db.ts';
import { compact, CORE_CONTEXT, expand } from './ngsi-context.ts';

/** An attribute instance in normalized form. */
export type Instance = Record<string, unknown> & { type: string };
/** Attributes keyed by expanded IRI: one instance, or several (one per datasetId). */
export type Attrs = Record<string, Instance | Instance[]>;

export type EntityRow = {
  id: string;
  type: string;
  region_code: string;
  region_explicit: boolean;
  attrs: Attrs;
  location: unknown;
  created_at: Date;
  modified_at: Date;
};

/** The entities an entity's Relationships point at. */
export function relTargets(attrs: Attrs): string[] {
  const out = new Set<string>();
  for (const v of Object.values(attrs)) for (const i of Array.isArray(v) ? v : [v]) if (i.type === 'Relationship' && typeof i.object === 'string') out.add(i.object);
  return [...out];
}

export async function findEntity(db: Executor, id: string, lock = false): Promise<EntityRow | undefined> {
  const { rows } = await db.query<EntityRow>(`SELECT * FROM twin_entity WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0];
}

export async function insertEntity(db: Executor, e: Omit<EntityRow, 'created_at' | 'modified_at'> & { bbox: string | null }): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO twin_entity (id, type, region_code, region_explicit, attrs, location, bbox, rel_targets) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT (id) DO NOTHING`,
    [e.id, e.type, e.region_code, e.region_explicit, JSON.stringify(e.attrs), e.location === null ? null : JSON.stringify(e.location), e.bbox, relTargets(e.attrs)],
  );
  return rowCount === 1;
}

export async function updateEntity(db: Executor, e: Pick<EntityRow, 'id' | 'region_code' | 'region_explicit' | 'attrs' | 'location'> & { bbox: string | null }): Promise<void> {
  await db.query(
    `UPDATE twin_entity SET region_code = $2, region_explicit = $3, attrs = $4, location = $5, bbox = $6, rel_targets = $7, modified_at = now() WHERE id = $1`,
    [e.id, e.region_code, e.region_explicit, JSON.stringify(e.attrs), e.location === null ? null : JSON.stringify(e.location), e.bbox, relTargets(e.attrs)],
  );
}

export async function deleteEntityRow(db: Executor, id: string): Promise<void> {
  await db.query('DELETE FROM twin_entity WHERE id = $1', [id]);
}

export type HistoryInsert = { entityId: string; entityType: string; attr: string; datasetId: string | null; instance: Instance | null; observedAt: string | null; regionCode: string };

/** A value for COPY's text format. */
function copyField(v: string | null): string {
  return v === null ? '\\N' : v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

const HISTORY_COLUMNS = '(entity_id, entity_type, attr, dataset_id, instance, observed_at, region_code)';

/**
 * Appends history rows. With `copy` (the engine and, embedded, its instance), large batches go in with COPY,
 * in the caller's transaction; otherwise one statement per 20,000 rows reads them from a JSON document.
 */
export async function insertHistory(db: Executor, rows: HistoryInsert[], opts: { copy?: { engine: 'server' } | { engine: 'embedded'; pglite: PGlite } } = {}): Promise<void> {
  if (rows.length === 0) return;
  if (opts.copy && rows.length >= 500) {
    const lines: string[] = [];
    for (const r of rows)
      lines.push(`${copyField(r.entityId)}\t${copyField(r.entityType)}\t${copyField(r.attr)}\t${copyField(r.datasetId)}\t${copyField(r.instance === null ? null : JSON.stringify(r.instance))}\t${copyField(r.observedAt)}\t${copyField(r.regionCode)}\n`);
    const columns = `twin_attribute_history ${HISTORY_COLUMNS}`;
    if (opts.copy.engine === 'server') await pipeline(Readable.from([lines.join('')]), (db as pg.PoolClient).query(copyFrom(`COPY ${columns} FROM STDIN`)));
    // The embedded engine has one session: this COPY runs inside the transaction the caller holds on it.
    else await opts.copy.pglite.query(`COPY ${columns} FROM '/dev/blob'`, [], { blob: new Blob([lines.join('')]) });
    return;
  }
  for (let i = 0; i < rows.length; i += 20_000) {
    const chunk = rows.slice(i, i + 20_000);
    await db.query(
      `INSERT INTO twin_attribute_history ${HISTORY_COLUMNS}
       SELECT r.e, r.t, r.a, r.d, r.i, r.o, r.g FROM jsonb_to_recordset($1::jsonb) AS r(e text, t text, a text, d text, i jsonb, o timestamptz, g text)`,
      [JSON.stringify(chunk.map((r) => ({ e: r.entityId, t: r.entityType, a: r.attr, d: r.datasetId, i: r.instance, o: r.observedAt, g: r.regionCode })))],
    );
  }
}


export type HistoryRow = { attr: string; dataset_id: string | null; instance: Instance | null; observed_at: Date | null; received_at: Date };

/** History of an entity's attributes in time order, optionally bounded. */
export async function readHistory(
  db: Executor,
  entityId: string,
  f: { attrs?: string[]; from?: string; to?: string; lastN?: number },
): Promise<HistoryRow[]> {
  const values: unknown[] = [entityId];
  const clauses = ['entity_id = $1'];
  const t = 'coalesce(observed_at, received_at)';
  if (f.attrs?.length) {
    values.push(f.attrs);
    clauses.push(`attr = ANY ($${values.length})`);
  }
  if (f.from) {
    values.push(f.from);
    clauses.push(`${t} >= $${values.length}`);
  }
  if (f.to) {
    values.push(f.to);
    clauses.push(`${t} < $${values.length}`);
  }
  const where = clauses.join(' AND ');
  if (f.lastN) {
    values.push(f.lastN);
    const { rows } = await db.query<HistoryRow>(
      `SELECT attr, dataset_id, instance, observed_at, received_at FROM (
         SELECT h.*, row_number() OVER (PARTITION BY attr, dataset_id ORDER BY ${t} DESC, id DESC) AS n FROM twin_attribute_history h WHERE ${where}) x
       WHERE n <= $${values.length} ORDER BY attr, ${t}, id`,
      values,
    );
    return rows;
  }
  const { rows } = await db.query<HistoryRow>(`SELECT attr, dataset_id, instance, observed_at, received_at FROM twin_attribute_history WHERE ${where} ORDER BY attr, ${t}, id LIMIT 100000`, values);
  return rows;
}

/** Query filters already compiled to SQL by the service. */
export type EntityQuery = { clauses: string[]; values: unknown[]; limit: number; offset: number; count: boolean };

export async function queryEntities(db: Executor, q: EntityQuery): Promise<{ rows: EntityRow[]; total: number | null }> {
  const where = q.clauses.length ? `WHERE ${q.clauses.join(' AND ')}` : '';
  let total: number | null = null;
  if (q.count) {
    const r = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM twin_entity e ${where}`, q.values);
    total = r.rows[0]?.n ?? 0;
  }
  const { rows } = await db.query<EntityRow>(`SELECT e.* FROM twin_entity e ${where} ORDER BY e.id LIMIT ${q.limit} OFFSET ${q.offset}`, q.values);
  return { rows, total };
}

/** An entity's current numeric attribute values (by short name) with its place, for rules that watch them. */
export type NumericReading = {
  id: string;
  type: string;
  regionCode: string;
  lon: number | null;
  lat: number | null;
  name: string | null;
  values: Record<string, number>;
  /** the terms whose value is a string */
  texts: Record<string, string>;
};

/**
 * The current numeric (and text) values of `terms` (short names in the default vocabulary) of the given entities of
 * `types` (short names, or IRIs; answered as given), with the centre of their location and their `name` property where they have one.
 */
export async function readNumericAttributes(db: Executor, ids: readonly string[], types: readonly string[], terms: readonly string[]): Promise<NumericReading[]> {
  if (ids.length === 0 || types.length === 0) return [];
  const iri = (t: string) => expand(CORE_CONTEXT, t);
  const short = (t: string) => compact(CORE_CONTEXT, t);
  const { rows } = await db.query<{ id: string; type: string; region_code: string; lon: number | null; lat: number | null; attrs: Record<string, unknown> }>(
    `SELECT id, type, region_code, (center(bbox))[0] AS lon, (center(bbox))[1] AS lat,
            (SELECT jsonb_object_agg(k, attrs -> k) FROM unnest($3::text[]) AS k WHERE attrs ? k) AS attrs
       FROM twin_entity WHERE id = ANY ($1::text[]) AND type = ANY ($2::text[])`,
    [ids, types.map(iri), [...terms.map(iri), iri('name')]],
  );
  const first = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v);
  return rows.map((r) => {
    const values: Record<string, number> = {};
    const texts: Record<string, string> = {};
    for (const t of terms) {
      const value = (first(r.attrs?.[iri(t)]) as { value?: unknown } | undefined)?.value;
      if (typeof value === 'number' && Number.isFinite(value)) values[t] = value;
      if (typeof value === 'string') texts[t] = value;
    }
    const name = (first(r.attrs?.[iri('name')]) as { value?: unknown } | undefined)?.value;
    return { id: r.id, type: short(r.type), regionCode: r.region_code, lon: r.lon, lat: r.lat, name: typeof name === 'string' ? name : null, values, texts };
  });
}
