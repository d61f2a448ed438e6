// SPDX-License-Identifier: Apache-2.0
// SQL for warnings and their CAP messages.
import type { CapMsgType, CapStatus, WarningText } from '../../../contracts/dispatch-warnings.ts';
import type { BoundaryGeometry } from '../../../contracts/regions.ts';
import type { Executor } from '../../platform/db.ts';

/** The area as stored: what was given, with defaults applied. */
export type StoredArea = { regionCodes: string[]; regionPolygons: boolean; polygons: [number, number][][]; circles: { lon: number; lat: number; radiusKm: number }[] };

/** A row of `warning` with its region's name, message count and latest message. */
export type WarningRecord = {
  id: string;
  region_code: string;
  region_name: string | null;
  incident_id: string | null;
  exercise: boolean;
  status: 'active' | 'cancelled';
  expired: boolean;
  categories: string[];
  urgency: string;
  severity: string;
  certainty: string;
  response_types: string[];
  effective_at: Date;
  onset_at: Date | null;
  expires_at: Date;
  texts: { zh: WarningText; en: WarningText };
  area: StoredArea;
  area_prefixes: string[];
  contact: string | null;
  issued_by_id: string | null;
  issued_by_name: string;
  created_at: Date;
  updated_at: Date;
  cancelled_at: Date | null;
  message_count: number;
  latest_identifier: string;
};

/** A row of `warning_message`. */
export type MessageRecord = {
  identifier: string;
  warning_id: string;
  seq: number;
  sender: string;
  sent_at: Date;
  msg_type: CapMsgType;
  status: CapStatus;
  references: string | null;
  note: string | null;
  actor_name: string;
  xml: string;
};

const SELECT = `SELECT w.*, (w.status = 'active' AND w.expires_at <= now()) AS expired,
    (SELECT rg.name FROM region rg WHERE rg.code = w.region_code AND rg.valid_to IS NULL LIMIT 1) AS region_name,
    (SELECT count(*)::int FROM warning_message m WHERE m.warning_id = w.id) AS message_count,
    (SELECT m.identifier FROM warning_message m WHERE m.warning_id = w.id ORDER BY m.seq DESC LIMIT 1) AS latest_identifier
  FROM warning w`;

export async function findWarning(db: Executor, id: string, forUpdate = false): Promise<WarningRecord | undefined> {
  const { rows } = await db.query<WarningRecord>(`${SELECT} WHERE w.id = $1${forUpdate ? ' FOR UPDATE OF w' : ''}`, [id]);
  return rows[0];
}

export type WarningFilter = {
  scopePrefix: string;
  status?: 'active' | 'expired' | 'cancelled';
  regionPrefix?: string;
  exercise?: boolean;
  incidentId?: string;
  q?: string;
};

/** Warnings of a scope matching the filter, newest first, paged. */
export async function listWarnings(db: Executor, f: WarningFilter, limit: number, offset: number): Promise<{ rows: WarningRecord[]; total: number }> {
  const values: unknown[] = [`${f.scopePrefix}%`];
  const clauses = ['w.region_code LIKE $1'];
  const add = (sql: (n: string) => string, value: unknown) => {
    values.push(value);
    clauses.push(sql(`$${values.length}`));
  };
  if (f.status === 'cancelled') clauses.push(`w.status = 'cancelled'`);
  if (f.status === 'active') clauses.push(`w.status = 'active' AND w.expires_at > now()`);
  if (f.status === 'expired') clauses.push(`w.status = 'active' AND w.expires_at <= now()`);
  if (f.regionPrefix !== undefined) add((n) => `w.region_code LIKE ${n}`, `${f.regionPrefix}%`);
  if (f.exercise !== undefined) add((n) => `w.exercise = ${n}`, f.exercise);
  if (f.incidentId !== undefined) add((n) => `w.incident_id = ${n}`, f.incidentId);
  if (f.q) add((n) => `w.texts::text ILIKE ${n}`, `%${f.q.replace(/[%_\\]/g, '\\$&')}%`);
  const where = `WHERE ${clauses.join(' AND ')}`;
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM warning w ${where}`, values);
  const { rows } = await db.query<WarningRecord>(`${SELECT} ${where} ORDER BY w.updated_at DESC, w.id LIMIT $${values.length + 1} OFFSET $${values.length + 2}`, [...values, limit, offset]);
  return { rows, total: total.rows[0]?.n ?? 0 };
}

export type NewWarning = Omit<WarningRecord, 'region_name' | 'expired' | 'message_count' | 'latest_identifier' | 'status' | 'created_at' | 'updated_at' | 'cancelled_at'>;

export async function insertWarning(tx: Executor, w: NewWarning): Promise<void> {
  await tx.query(
    `INSERT INTO warning (id, region_code, incident_id, exercise, categories, urgency, severity, certainty, response_types, effective_at, onset_at, expires_at,
       texts, area, area_prefixes, contact, issued_by_id, issued_by_name)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
    [
      w.id, w.region_code, w.incident_id, w.exercise, w.categories, w.urgency, w.severity, w.certainty, w.response_types, w.effective_at, w.onset_at, w.expires_at,
      JSON.stringify(w.texts), JSON.stringify(w.area), w.area_prefixes, w.contact, w.issued_by_id, w.issued_by_name,
    ],
  );
}

export type WarningPatch = Partial<Pick<WarningRecord, 'categories' | 'urgency' | 'severity' | 'certainty' | 'response_types' | 'effective_at' | 'onset_at' | 'expires_at' | 'texts' | 'area' | 'area_prefixes' | 'contact' | 'status' | 'cancelled_at'>>;

const JSON_COLUMNS = new Set(['texts', 'area']);

export async function updateWarning(tx: Executor, id: string, patch: WarningPatch): Promise<void> {
  const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
  const sets = entries.map(([k], i) => `${k} = $${i + 2}`);
  const values = entries.map(([k, v]) => (JSON_COLUMNS.has(k) ? JSON.stringify(v) : v));
  await tx.query(`UPDATE warning SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1`, [id, ...values]);
}

export async function insertMessage(tx: Executor, m: MessageRecord): Promise<void> {
  await tx.query(
    `INSERT INTO warning_message (identifier, warning_id, seq, sender, sent_at, msg_type, status, "references", note, actor_name, xml)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [m.identifier, m.warning_id, m.seq, m.sender, m.sent_at, m.msg_type, m.status, m.references, m.note, m.actor_name, m.xml],
  );
}

/** The messages of a warning, oldest first (without the XML unless asked). */
export async function messagesOf(db: Executor, warningId: string): Promise<MessageRecord[]> {
  const { rows } = await db.query<MessageRecord>('SELECT * FROM warning_message WHERE warning_id = $1 ORDER BY seq', [warningId]);
  return rows;
}

export async function findMessage(db: Executor, identifier: string): Promise<MessageRecord | undefined> {
  const { rows } = await db.query<MessageRecord>('SELECT * FROM warning_message WHERE identifier = $1', [identifier]);
  return rows[0];
}

/** A current region's boundary and names (no scope check). */
export async function regionForArea(db: Executor, code: string): Promise<{ code: string; name: string; name_en: string | null; boundary: BoundaryGeometry | null } | undefined> {
  const { rows } = await db.query<{ code: string; name: string; name_en: string | null; boundary: BoundaryGeometry | null }>(
    'SELECT code, name, name_en, boundary FROM region WHERE code = $1 AND valid_from <= CURRENT_DATE AND (valid_to IS NULL OR valid_to > CURRENT_DATE) LIMIT 1',
    [code],
  );
  return rows[0];
}

/** The latest message of each current warning (active, not expired) for the public feed, newest first. */
export async function currentAlerts(
  db: Executor,
  f: { prefix?: string; status?: CapStatus; limit: number },
): Promise<(MessageRecord & { texts: WarningRecord['texts']; categories: string[]; expires_at: Date; created_at: Date })[]> {
  const values: unknown[] = [f.limit];
  const clauses = [`w.status = 'active'`, 'w.expires_at > now()'];
  if (f.prefix !== undefined) {
    values.push(f.prefix);
    // in the region (an area region below it) or covering it (an area region above it)
    clauses.push(`EXISTS (SELECT 1 FROM unnest(w.area_prefixes) ap WHERE ap LIKE $${values.length} || '%' OR $${values.length} LIKE ap || '%')`);
  }
  if (f.status !== undefined) {
    values.push(f.status === 'Exercise');
    clauses.push(`w.exercise = $${values.length}`);
  }
  const { rows } = await db.query<MessageRecord & { texts: WarningRecord['texts']; categories: string[]; expires_at: Date; created_at: Date }>(
    `SELECT m.*, w.texts, w.categories, w.expires_at, w.created_at FROM warning w
       JOIN LATERAL (SELECT * FROM warning_message mm WHERE mm.warning_id = w.id ORDER BY mm.seq DESC LIMIT 1) m ON true
     WHERE ${clauses.join(' AND ')} ORDER BY m.sent_at DESC, m.identifier LIMIT $1`,
    values,
  );
  return rows;
}
