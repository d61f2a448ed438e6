// SPDX-License-Identifier: Apache-2.0
// SQL for incidents and their timelines.
import type { IncidentSource, IncidentStatus } from '../../../contracts/dispatch-incidents.ts';
import type { Executor } from '../../platform/db.ts';

/** A row of `incident` with region names looked up and whether its current stage is overdue. */
export type IncidentRecord = {
  id: string;
  type_code: string;
  grade: number;
  status: IncidentStatus;
  title: string;
  description: string;
  region_code: string;
  region_name: string | null;
  command_region_code: string;
  command_region_name: string | null;
  escalations: number;
  lon: number | null;
  lat: number | null;
  address: string | null;
  source: IncidentSource;
  exercise: boolean;
  reporter_user_id: string | null;
  reporter_name: string | null;
  reporter_phone: string | null;
  reporter_email: string | null;
  reported_by_name: string;
  attributes: Record<string, string>;
  media_url: string | null;
  duplicate_count: number;
  reported_at: Date;
  due_verify_at: Date;
  due_respond_at: Date;
  due_resolve_at: Date;
  verified_at: Date | null;
  responded_at: Date | null;
  resolved_at: Date | null;
  evaluated_at: Date | null;
  closed_at: Date | null;
  rating: number | null;
  supervised_stage: IncidentStatus | null;
  supervised_at: Date | null;
  updated_at: Date;
  overdue: boolean;
};

const like = (s: string) => `${s.replace(/[%_\\]/g, '\\$&')}%`;
const REGION_NAME = (code: string) => `(SELECT rg.name FROM region rg WHERE rg.code = ${code} AND rg.valid_to IS NULL LIMIT 1)`;
/** The deadline of the stage an incident is in (NULL once no work is owed). */
const CURRENT_DUE = `CASE i.status WHEN 'reported' THEN i.due_verify_at WHEN 'verified' THEN i.due_respond_at WHEN 'responding' THEN i.due_resolve_at END`;
/** Overdue at time `$n`. */
const overdueAt = (param: string) => `COALESCE(${CURRENT_DUE} < ${param}, false)`;

const SELECT = `SELECT i.*, ${REGION_NAME('i.region_code')} AS region_name, ${REGION_NAME('i.command_region_code')} AS command_region_name,
    ${overdueAt('now()')} AS overdue
  FROM incident i`;

export async function findIncident(db: Executor, id: string, forUpdate = false): Promise<IncidentRecord | undefined> {
  const { rows } = await db.query<IncidentRecord>(`${SELECT} WHERE i.id = $1${forUpdate ? ' FOR UPDATE OF i' : ''}`, [id]);
  return rows[0];
}

export type IncidentFilter = {
  scopePrefix: string;
  statuses?: string[];
  typeCodes?: string[];
  grade?: number;
  regionPrefix?: string;
  overdue?: boolean;
  exercise?: boolean;
  source?: string;
  q?: string;
  from?: string;
  to?: string;
  ids?: string[];
};

const ORDER: Record<string, string> = {
  reportedAt: 'i.reported_at ASC, i.id',
  '-reportedAt': 'i.reported_at DESC, i.id',
  due: `${CURRENT_DUE} ASC NULLS LAST, i.reported_at DESC, i.id`,
  '-due': `${CURRENT_DUE} DESC NULLS LAST, i.reported_at DESC, i.id`,
  urgency: `i.grade ASC, ${CURRENT_DUE} ASC NULLS LAST, i.reported_at DESC, i.id`,
};

/** Incidents in a scope matching the filter, paged. */
export async function listIncidents(db: Executor, f: IncidentFilter, sort: string, limit: number, offset: number): Promise<{ rows: IncidentRecord[]; total: number }> {
  const values: unknown[] = [like(f.scopePrefix)];
  const clauses = ['i.region_code LIKE $1'];
  const add = (sql: (n: string) => string, value: unknown) => {
    values.push(value);
    clauses.push(sql(`$${values.length}`));
  };
  if (f.statuses?.length) add((n) => `i.status = ANY (${n})`, f.statuses);
  if (f.typeCodes) add((n) => `i.type_code = ANY (${n})`, f.typeCodes);
  if (f.grade !== undefined) add((n) => `i.grade = ${n}`, f.grade);
  if (f.regionPrefix !== undefined) add((n) => `i.region_code LIKE ${n}`, like(f.regionPrefix));
  if (f.overdue !== undefined) clauses.push(f.overdue ? overdueAt('now()') : `NOT ${overdueAt('now()')}`);
  if (f.exercise !== undefined) add((n) => `i.exercise = ${n}`, f.exercise);
  if (f.source !== undefined) add((n) => `i.source = ${n}`, f.source);
  if (f.from !== undefined) add((n) => `i.reported_at >= ${n}`, f.from);
  if (f.to !== undefined) add((n) => `i.reported_at < ${n}`, f.to);
  if (f.ids) add((n) => `i.id::text = ANY (${n})`, f.ids);
  if (f.q) add((n) => `(i.title ILIKE ${n} OR i.description ILIKE ${n} OR i.address ILIKE ${n})`, `%${f.q.replace(/[%_\\]/g, '\\$&')}%`);
  const where = `WHERE ${clauses.join(' AND ')}`;
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM incident i ${where}`, values);
  const { rows } = await db.query<IncidentRecord>(`${SELECT} ${where} ORDER BY ${ORDER[sort] ?? ORDER['-reportedAt']} LIMIT $${values.length + 1} OFFSET $${values.length + 2}`, [
    ...values,
    limit,
    offset,
  ]);
  return { rows, total: total.rows[0]?.n ?? 0 };
}

export type NewIncident = Omit<
  IncidentRecord,
  | 'region_name' | 'command_region_name' | 'overdue' | 'status' | 'escalations' | 'duplicate_count' | 'verified_at' | 'responded_at' | 'resolved_at'
  | 'evaluated_at' | 'closed_at' | 'rating' | 'supervised_stage' | 'supervised_at' | 'updated_at'
>;

const INSERT_COLUMNS = [
  'id', 'type_code', 'grade', 'title', 'description', 'region_code', 'command_region_code', 'lon', 'lat', 'address', 'source', 'exercise',
  'reporter_user_id', 'reporter_name', 'reporter_phone', 'reporter_email', 'reported_by_name', 'attributes', 'media_url', 'reported_at',
  'due_verify_at', 'due_respond_at', 'due_resolve_at',
] as const;

export async function insertIncident(db: Executor, i: NewIncident): Promise<void> {
  await db.query(
    `INSERT INTO incident (${INSERT_COLUMNS.join(', ')}) VALUES (${INSERT_COLUMNS.map((_, k) => `$${k + 1}`).join(', ')})`,
    INSERT_COLUMNS.map((c) => (c === 'attributes' ? JSON.stringify(i.attributes) : i[c])),
  );
}

/** Open incidents of a type reported since `since` whose location lies in a box (duplicate candidates). */
export async function openNearby(
  db: Executor,
  typeCode: string,
  exercise: boolean,
  since: Date,
  box: [number, number, number, number],
  scopePrefix: string,
): Promise<{ id: string; lon: number; lat: number; reported_at: Date }[]> {
  const { rows } = await db.query<{ id: string; lon: number; lat: number; reported_at: Date }>(
    `SELECT id, lon, lat, reported_at FROM incident
     WHERE type_code = $1 AND status IN ('reported', 'verified', 'responding') AND exercise = $2 AND reported_at >= $3
       AND lon BETWEEN $4 AND $6 AND lat BETWEEN $5 AND $7 AND region_code LIKE $8 || '%'
     ORDER BY reported_at`,
    [typeCode, exercise, since, ...box, scopePrefix],
  );
  return rows;
}

/** Serialises reports of one type, so that two reports of the same thing at once do not both open an incident. */
export async function lockType(db: Executor, typeCode: string): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtext('incident-type:' || $1))`, [typeCode]);
}

/** Columns an action may change. */
export type IncidentPatch = Partial<Pick<
  IncidentRecord,
  | 'status' | 'grade' | 'command_region_code' | 'escalations' | 'verified_at' | 'responded_at' | 'resolved_at' | 'evaluated_at' | 'closed_at' | 'rating'
  | 'supervised_stage' | 'supervised_at' | 'due_verify_at' | 'due_respond_at' | 'due_resolve_at' | 'duplicate_count'
>>;

export async function updateIncident(db: Executor, id: string, patch: IncidentPatch): Promise<void> {
  const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return;
  await db.query(`UPDATE incident SET ${entries.map(([k], n) => `${k} = $${n + 2}`).join(', ')}, updated_at = now() WHERE id = $1`, [id, ...entries.map(([, v]) => v)]);
}

export type TimelineRecord = {
  id: number;
  at: Date;
  action: string;
  actor_name: string;
  from_status: IncidentStatus | null;
  to_status: IncidentStatus | null;
  note: string | null;
  details: Record<string, unknown>;
};

export type NewTimelineEntry = {
  action: string;
  actor_id: string | null;
  actor_name: string;
  from_status?: IncidentStatus | null;
  to_status?: IncidentStatus | null;
  note?: string | null;
  details?: Record<string, unknown>;
  at?: Date;
};

export async function addTimeline(db: Executor, incidentId: string, e: NewTimelineEntry): Promise<void> {
  await db.query(
    'INSERT INTO incident_timeline (incident_id, at, action, actor_id, actor_name, from_status, to_status, note, details) VALUES ($1, COALESCE($2, now()), $3, $4, $5, $6, $7, $8, $9)',
    [incidentId, e.at ?? null, e.action, e.actor_id, e.actor_name, e.from_status ?? null, e.to_status ?? null, e.note ?? null, JSON.stringify(e.details ?? {})],
  );
}

export async function timelineOf(db: Executor, incidentId: string): Promise<TimelineRecord[]> {
  const { rows } = await db.query<TimelineRecord>(
    'SELECT id, at, action, actor_name, from_status, to_status, note, details FROM incident_timeline WHERE incident_id = $1 ORDER BY at, id',
    [incidentId],
  );
  return rows;
}

/** The latest note on each of `ids` (Open311 status_notes). */
export async function latestNotes(db: Executor, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<{ incident_id: string; note: string }>(
    `SELECT DISTINCT ON (incident_id) incident_id, note FROM incident_timeline WHERE incident_id = ANY ($1) AND note IS NOT NULL ORDER BY incident_id, at DESC, id DESC`,
    [ids],
  );
  return new Map(rows.map((r) => [r.incident_id, r.note]));
}

/** Open incidents whose current stage passed its deadline by `now` and is not yet under supervision, oldest first. */
export async function overdueUnsupervised(db: Executor, now: Date, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT i.id FROM incident i
     WHERE i.status IN ('reported', 'verified', 'responding') AND ${overdueAt('$1')} AND i.supervised_stage IS DISTINCT FROM i.status
     ORDER BY ${CURRENT_DUE}, i.id LIMIT $2`,
    [now, limit],
  );
  return rows.map((r) => r.id);
}

/** Inserts many rows at once (the demo year), chunked so that one statement stays well under 65,535 parameters. */
export async function insertMany(db: Executor, table: 'incident' | 'incident_timeline', columns: readonly string[], rows: unknown[][]): Promise<void> {
  const per = Math.max(1, Math.floor(30_000 / columns.length));
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const values: unknown[] = [];
    const tuples = chunk.map((r) => {
      const b = values.length;
      values.push(...r);
      return `(${columns.map((_, k) => `$${b + k + 1}`).join(',')})`;
    });
    await db.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(',')}`, values);
  }
}
