// SPDX-License-Identifier: Apache-2.0
// SQL for indicators, their values, targets, reported values and alerts.
import type { AnalysisPlan, Aggregation, Direction, IndicatorSource, ValueStatus } from '../../../contracts/indicators.ts';
import type { PeriodKind } from '../../../contracts/indicator-periods.ts';
import type { Level } from '../../../contracts/regions.ts';
import type { Executor } from '../../platform/db.ts';
import type { MeasureWindow, Params } from '../../platform/measure.ts';

export type IndicatorRecord = {
  id: string;
  code: string;
  name: string;
  name_en: string | null;
  unit: string;
  description: string;
  owner_organization_id: string;
  owner_organization_name: string;
  owner_region_code: string;
  numerator: IndicatorSource;
  denominator: IndicatorSource | null;
  factor: number;
  period: PeriodKind;
  aggregation: Aggregation;
  direction: Direction;
  warn: number | null;
  alarm: number | null;
  alert_levels: Level[];
  analysis_plan: AnalysisPlan | null;
  is_key: boolean;
  status: 'active' | 'retired';
  version: number;
  created_by_name: string;
  created_at: Date;
  modified_at: Date;
  last_computed_at: Date | null;
};

const like = (s: string) => `${s.replace(/[%_\\]/g, '\\$&')}%`;

const SELECT = `SELECT i.*, o.name AS owner_organization_name, o.region_code AS owner_region_code
  FROM indicator i JOIN organization o ON o.id = i.owner_organization_id`;

export async function findIndicator(db: Executor, codeOrId: string, forUpdate = false): Promise<IndicatorRecord | undefined> {
  const byId = /^[0-9a-f-]{36}$/.test(codeOrId);
  const { rows } = await db.query<IndicatorRecord>(`${SELECT} WHERE ${byId ? 'i.id = $1::uuid' : 'i.code = $1'}${forUpdate ? ' FOR UPDATE OF i' : ''}`, [codeOrId]);
  return rows[0];
}

export type IndicatorFilter = { q?: string | undefined; period?: string | undefined; key?: boolean | undefined; status?: string | undefined; ownerOrganizationId?: string | undefined };

export async function listIndicators(db: Executor, f: IndicatorFilter, limit: number, offset: number): Promise<{ rows: IndicatorRecord[]; total: number }> {
  const values: unknown[] = [];
  const where: string[] = [];
  const add = (sql: (n: string) => string, v: unknown) => where.push(sql(`$${values.push(v)}`));
  if (f.q) add((n) => `(strpos(lower(i.code), lower(${n})) > 0 OR strpos(lower(i.name), lower(${n})) > 0 OR strpos(lower(coalesce(i.name_en, '')), lower(${n})) > 0)`, f.q);
  if (f.period) add((n) => `i.period = ${n}`, f.period);
  if (f.key !== undefined) add((n) => `i.is_key = ${n}`, f.key);
  if (f.status) add((n) => `i.status = ${n}`, f.status);
  if (f.ownerOrganizationId) add((n) => `i.owner_organization_id = ${n}::uuid`, f.ownerOrganizationId);
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM indicator i ${w}`, values);
  const { rows } = await db.query<IndicatorRecord>(`${SELECT} ${w} ORDER BY i.is_key DESC, i.code LIMIT ${limit} OFFSET ${offset}`, values);
  return { rows, total: (total.rows[0] as { n: number }).n };
}

export async function activeIndicators(db: Executor): Promise<IndicatorRecord[]> {
  const { rows } = await db.query<IndicatorRecord>(`${SELECT} WHERE i.status = 'active' ORDER BY i.code`);
  return rows;
}

export type IndicatorRow = Omit<IndicatorRecord, 'owner_organization_name' | 'owner_region_code' | 'created_at' | 'modified_at' | 'last_computed_at' | 'version' | 'status'>;

const COLUMNS = ['id', 'code', 'name', 'name_en', 'unit', 'description', 'owner_organization_id', 'numerator', 'denominator', 'factor', 'period', 'aggregation', 'direction', 'warn', 'alarm', 'alert_levels', 'analysis_plan', 'is_key', 'created_by_name'] as const;
const JSON_COLUMNS = new Set(['numerator', 'denominator', 'analysis_plan']);
const valueOf = (row: IndicatorRow, c: (typeof COLUMNS)[number]) => (JSON_COLUMNS.has(c) ? (row[c] === null ? null : JSON.stringify(row[c])) : row[c]);

export async function insertIndicator(db: Executor, row: IndicatorRow): Promise<void> {
  await db.query(`INSERT INTO indicator (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`, COLUMNS.map((c) => valueOf(row, c)));
}

/** Replaces a definition (not its code or id) and bumps its version; its values are recomputed after. */
export async function replaceIndicator(db: Executor, row: IndicatorRow, status: 'active' | 'retired'): Promise<void> {
  const cols = COLUMNS.filter((c) => c !== 'id' && c !== 'code' && c !== 'created_by_name');
  await db.query(
    `UPDATE indicator SET ${cols.map((c, i) => `${c} = $${i + 2}`).join(', ')}, status = $${cols.length + 2}, version = version + 1, modified_at = now(), last_computed_at = NULL WHERE id = $1`,
    [row.id, ...cols.map((c) => valueOf(row, c)), status],
  );
}

export async function markComputed(db: Executor, id: string, at: Date): Promise<void> {
  await db.query(`UPDATE indicator SET last_computed_at = $2 WHERE id = $1`, [id, at]);
}

// ---------------------------------------------------------------- components and values

/** The local day (YYYY-MM-DD) a period of `kind` starts on, in SQL, for the instant `at`. */
const bucket = (kind: PeriodKind, p: Params) => `to_char(date_trunc(${p.param(kind)}, at AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM-DD')`;

/** A source's rows summed by leaf region (villages; finer rows fold into theirs) and period start day. */
export async function componentRows(db: Executor, kind: PeriodKind, sourceSql: string, p: Params): Promise<{ code: string; day: string | null; v: number }[]> {
  const { rows } = await db.query<{ code: string; day: string | null; v: number }>(
    `SELECT left(region_code, 12) AS code, CASE WHEN at IS NULL THEN NULL ELSE ${bucket(kind, p)} END AS day, sum(v)::float8 AS v
       FROM (${sourceSql}) s GROUP BY 1, 2`,
    p.values,
  );
  return rows;
}

/** Start days of the periods holding rows of a source that changed after `since` (late data). */
export async function changedDays(db: Executor, kind: PeriodKind, sourceSql: string, p: Params, since: Date): Promise<string[]> {
  const { rows } = await db.query<{ day: string }>(
    `SELECT DISTINCT ${bucket(kind, p)} AS day FROM (${sourceSql}) s WHERE at IS NOT NULL AND changed_at > ${p.param(since)} ORDER BY 1`,
    p.values,
  );
  return rows.map((r) => r.day);
}

/** Reported values of one component as a measure source. */
export function reportedSql(indicatorId: string, component: 'numerator' | 'denominator', window: MeasureWindow, p: Params): string {
  return `SELECT region_code, period_start AS at, value AS v, reported_at AS changed_at FROM indicator_report
           WHERE indicator_id = ${p.param(indicatorId)} AND component = ${p.param(component)}
             AND period_start >= ${p.param(window.from)} AND period_start < ${p.param(window.to)}`;
}

export type NewValue = { period: string; region_code: string; level: string; numerator: number; denominator: number | null; value: number | null; missing: number; status: ValueStatus };

/** Chunked: each chunk is one statement of nine arrays, however many rows. */
const VALUE_CHUNK = 20_000;

/** Replaces the values of `periods` with `rows`. */
export async function replaceValues(db: Executor, indicatorId: string, periods: readonly string[], rows: readonly NewValue[], at: Date): Promise<void> {
  await db.query(`DELETE FROM indicator_value WHERE indicator_id = $1 AND period = ANY ($2::text[])`, [indicatorId, periods]);
  for (let i = 0; i < rows.length; i += VALUE_CHUNK) {
    const chunk = rows.slice(i, i + VALUE_CHUNK);
    await db.query(
      `INSERT INTO indicator_value (indicator_id, period, region_code, level, numerator, denominator, value, missing, status, computed_at)
       SELECT $1::uuid, *, $10::timestamptz FROM unnest($2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::float8[], $8::int[], $9::text[])`,
      [
        indicatorId, chunk.map((r) => r.period), chunk.map((r) => r.region_code), chunk.map((r) => r.level), chunk.map((r) => r.numerator),
        chunk.map((r) => r.denominator), chunk.map((r) => r.value), chunk.map((r) => r.missing), chunk.map((r) => r.status), at,
      ],
    );
  }
}

export type ValueRecord = NewValue & { region_name: string | null; computed_at: Date; target: number | null };

export type ValueFilter = {
  region?: string | undefined;
  parent?: { code: string; childLevel: string } | undefined;
  level?: string | undefined;
  period?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  status?: string | undefined;
  scopePrefix: string;
};

const VALUE_SORTS: Record<string, string> = {
  period: 'v.period, v.region_code',
  value: 'v.value ASC NULLS LAST, v.region_code',
  '-value': 'v.value DESC NULLS LAST, v.region_code',
  gap: '(v.value - t.target) ASC NULLS LAST, v.region_code',
  '-gap': '(v.value - t.target) DESC NULLS LAST, v.region_code',
  region: 'v.region_code, v.period',
};

export async function listValues(db: Executor, indicatorId: string, f: ValueFilter, sort: string, limit: number, offset: number): Promise<{ rows: ValueRecord[]; total: number }> {
  const values: unknown[] = [indicatorId];
  const where = ['v.indicator_id = $1'];
  const add = (sql: (n: string) => string, v: unknown) => where.push(sql(`$${values.push(v)}`));
  if (f.scopePrefix) add((n) => `v.region_code LIKE ${n}`, like(f.scopePrefix));
  if (f.region) add((n) => `v.region_code = ${n}`, f.region);
  if (f.parent) {
    add((n) => `v.region_code LIKE ${n}`, like(f.parent.code));
    add((n) => `v.level = ${n}`, f.parent.childLevel);
  }
  if (f.level) add((n) => `v.level = ${n}`, f.level);
  if (f.period) add((n) => `v.period = ${n}`, f.period);
  if (f.from) add((n) => `v.period >= ${n}`, f.from);
  if (f.to) add((n) => `v.period <= ${n}`, f.to);
  if (f.status) add((n) => `v.status = ${n}`, f.status);
  const from = `FROM indicator_value v LEFT JOIN indicator_target t ON t.indicator_id = v.indicator_id AND t.region_code = v.region_code AND t.period = v.period
                WHERE ${where.join(' AND ')}`;
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n ${from}`, values);
  const { rows } = await db.query<ValueRecord>(
    `SELECT v.*, t.target, (SELECT rg.name FROM region rg WHERE rg.code = v.region_code AND rg.valid_to IS NULL LIMIT 1) AS region_name
     ${from} ORDER BY ${VALUE_SORTS[sort] ?? VALUE_SORTS.period} LIMIT ${limit} OFFSET ${offset}`,
    values,
  );
  return { rows, total: (total.rows[0] as { n: number }).n };
}

/** Each indicator's value for `region` in its latest computed period, with its target, in one query. */
export async function latestValues(db: Executor, indicatorIds: readonly string[], region: string): Promise<Map<string, ValueRecord>> {
  if (!indicatorIds.length) return new Map();
  const { rows } = await db.query<ValueRecord & { indicator_id: string }>(
    `SELECT DISTINCT ON (v.indicator_id) v.*, t.target, (SELECT rg.name FROM region rg WHERE rg.code = v.region_code AND rg.valid_to IS NULL LIMIT 1) AS region_name
       FROM indicator_value v
       LEFT JOIN indicator_target t ON t.indicator_id = v.indicator_id AND t.region_code = v.region_code AND t.period = v.period
      WHERE v.indicator_id = ANY ($1::uuid[]) AND v.region_code = $2
      ORDER BY v.indicator_id, v.period DESC`,
    [indicatorIds, region],
  );
  return new Map(rows.map((r) => [r.indicator_id, r]));
}

// ---------------------------------------------------------------- targets and reports

export async function targetsOf(db: Executor, indicatorId: string, periods: readonly string[]): Promise<Map<string, number>> {
  const { rows } = await db.query<{ region_code: string; period: string; target: number }>(
    `SELECT region_code, period, target FROM indicator_target WHERE indicator_id = $1 AND period = ANY ($2::text[])`,
    [indicatorId, periods],
  );
  return new Map(rows.map((r) => [`${r.period}|${r.region_code}`, r.target]));
}

export async function setTargets(db: Executor, indicatorId: string, items: readonly { regionCode: string; period: string; target: number | null }[], by: string): Promise<void> {
  const set = items.filter((i) => i.target !== null);
  const cleared = items.filter((i) => i.target === null);
  if (set.length) {
    await db.query(
      `INSERT INTO indicator_target (indicator_id, region_code, period, target, set_by_name)
       SELECT $1::uuid, *, $5::text FROM unnest($2::text[], $3::text[], $4::float8[])
       ON CONFLICT (indicator_id, region_code, period) DO UPDATE SET target = EXCLUDED.target, set_by_name = EXCLUDED.set_by_name, set_at = now()`,
      [indicatorId, set.map((i) => i.regionCode), set.map((i) => i.period), set.map((i) => i.target), by],
    );
  }
  if (cleared.length) {
    await db.query(
      `DELETE FROM indicator_target t USING unnest($2::text[], $3::text[]) AS c(region_code, period)
        WHERE t.indicator_id = $1 AND t.region_code = c.region_code AND t.period = c.period`,
      [indicatorId, cleared.map((i) => i.regionCode), cleared.map((i) => i.period)],
    );
  }
}

export type NewReport = { component: 'numerator' | 'denominator'; region_code: string; period: string; period_start: Date; value: number };

export async function upsertReports(db: Executor, indicatorId: string, rows: readonly NewReport[], by: { id: string | null; name: string }): Promise<void> {
  await db.query(
    `INSERT INTO indicator_report (indicator_id, component, region_code, period, period_start, value, reported_by, reported_by_name)
     SELECT $1::uuid, *, $7::uuid, $8::text FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::float8[])
     ON CONFLICT (indicator_id, component, region_code, period) DO UPDATE
       SET value = EXCLUDED.value, period_start = EXCLUDED.period_start, reported_by = EXCLUDED.reported_by, reported_by_name = EXCLUDED.reported_by_name, reported_at = now()`,
    [indicatorId, rows.map((r) => r.component), rows.map((r) => r.region_code), rows.map((r) => r.period), rows.map((r) => r.period_start), rows.map((r) => r.value), by.id, by.name],
  );
}

// ---------------------------------------------------------------- alerts

export type AlertRecord = {
  id: string;
  indicator_id: string;
  indicator_code: string;
  indicator_name: string;
  unit: string;
  region_code: string;
  region_name: string | null;
  period: string;
  level: 'warn' | 'alarm';
  value: number | null;
  threshold: number | null;
  status: 'open' | 'acknowledged' | 'closed';
  raised_at: Date;
  updated_at: Date;
  closed_at: Date | null;
  closed_reason: string | null;
  plan_opened: boolean;
  task_ids: string[];
  incident_id: string | null;
  notes: { at: string; by: string; action: string; note: string | null }[];
};

const ALERT_SELECT = `SELECT a.*, i.code AS indicator_code, i.name AS indicator_name, i.unit,
    (SELECT rg.name FROM region rg WHERE rg.code = a.region_code AND rg.valid_to IS NULL LIMIT 1) AS region_name
  FROM indicator_alert a JOIN indicator i ON i.id = a.indicator_id`;

export async function findAlert(db: Executor, id: string, forUpdate = false): Promise<AlertRecord | undefined> {
  const { rows } = await db.query<AlertRecord>(`${ALERT_SELECT} WHERE a.id = $1${forUpdate ? ' FOR UPDATE OF a' : ''}`, [id]);
  return rows[0];
}

/** Alerts not closed of an indicator in the given periods, by `period|region`. */
export async function liveAlerts(db: Executor, indicatorId: string, periods: readonly string[]): Promise<Map<string, AlertRecord>> {
  const { rows } = await db.query<AlertRecord>(`${ALERT_SELECT} WHERE a.indicator_id = $1 AND a.period = ANY ($2::text[]) AND a.status <> 'closed' FOR UPDATE OF a`, [indicatorId, periods]);
  return new Map(rows.map((r) => [`${r.period}|${r.region_code}`, r]));
}

export type AlertFilter = { scopePrefix: string; status?: string | undefined; open?: boolean | undefined; indicatorId?: string | undefined; regionPrefix?: string | undefined; level?: string | undefined };

export async function listAlerts(db: Executor, f: AlertFilter, limit: number, offset: number): Promise<{ rows: AlertRecord[]; total: number }> {
  const values: unknown[] = [];
  const where: string[] = [];
  const add = (sql: (n: string) => string, v: unknown) => where.push(sql(`$${values.push(v)}`));
  if (f.scopePrefix) add((n) => `a.region_code LIKE ${n}`, like(f.scopePrefix));
  if (f.regionPrefix) add((n) => `a.region_code LIKE ${n}`, like(f.regionPrefix));
  if (f.status) add((n) => `a.status = ${n}`, f.status);
  if (f.open !== undefined) where.push(f.open ? `a.status <> 'closed'` : `a.status = 'closed'`);
  if (f.indicatorId) add((n) => `a.indicator_id = ${n}::uuid`, f.indicatorId);
  if (f.level) add((n) => `a.level = ${n}`, f.level);
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM indicator_alert a ${w}`, values);
  const { rows } = await db.query<AlertRecord>(
    `${ALERT_SELECT} ${w} ORDER BY (a.status = 'closed'), (a.level = 'alarm') DESC, a.updated_at DESC, a.id LIMIT ${limit} OFFSET ${offset}`,
    values,
  );
  return { rows, total: (total.rows[0] as { n: number }).n };
}

export async function alertCounts(db: Executor, prefix: string): Promise<{ open: number; alarm: number }> {
  const { rows } = await db.query<{ open: number; alarm: number }>(
    `SELECT count(*)::int AS open, count(*) FILTER (WHERE level = 'alarm')::int AS alarm FROM indicator_alert WHERE status <> 'closed' AND region_code LIKE $1`,
    [like(prefix)],
  );
  return rows[0] as { open: number; alarm: number };
}

/** Open alarms under each of the given region prefixes. */
export async function alarmsUnder(db: Executor, prefixes: readonly string[]): Promise<Map<string, number>> {
  if (!prefixes.length) return new Map();
  const { rows } = await db.query<{ prefix: string; n: number }>(
    `SELECT p AS prefix, count(a.id)::int AS n FROM unnest($1::text[]) AS p
       LEFT JOIN indicator_alert a ON a.status <> 'closed' AND a.level = 'alarm' AND a.region_code LIKE p || '%'
      GROUP BY p`,
    [prefixes],
  );
  return new Map(rows.map((r) => [r.prefix, r.n]));
}

export type NewAlert = { id: string; indicator_id: string; region_code: string; period: string; level: 'warn' | 'alarm'; value: number | null; threshold: number | null };

export async function insertAlert(db: Executor, a: NewAlert): Promise<void> {
  await db.query(
    `INSERT INTO indicator_alert (id, indicator_id, region_code, period, level, value, threshold) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [a.id, a.indicator_id, a.region_code, a.period, a.level, a.value, a.threshold],
  );
}

export async function updateAlert(
  db: Executor,
  id: string,
  patch: Partial<Pick<AlertRecord, 'level' | 'value' | 'threshold' | 'status' | 'closed_reason' | 'plan_opened' | 'task_ids' | 'incident_id'>> & { closed?: boolean },
  note?: { by: string; action: string; note: string | null },
): Promise<void> {
  const sets: string[] = ['updated_at = now()'];
  const values: unknown[] = [id];
  for (const [k, v] of Object.entries(patch)) {
    if (k === 'closed') {
      if (v) sets.push('closed_at = now()');
      continue;
    }
    sets.push(`${k} = $${values.push(v)}`);
  }
  if (note) sets.push(`notes = notes || jsonb_build_array(jsonb_build_object('at', now(), 'by', $${values.push(note.by)}::text, 'action', $${values.push(note.action)}::text, 'note', $${values.push(note.note)}::text))`);
  await db.query(`UPDATE indicator_alert SET ${sets.join(', ')} WHERE id = $1`, values);
}
