// SPDX-License-Identifier: Apache-2.0
// SQL for tasks, their history and evidence.
import type { TaskKind, TaskPriority, TaskSourceKind, TaskStatus } from '../../../contracts/tasks.ts';
import type { Executor } from '../../platform/db.ts';

/** A row of `task` with names looked up, overdue at now() and the open dependencies. */
export type TaskRecord = {
  id: string;
  kind: TaskKind;
  title: string;
  description: string;
  region_code: string;
  region_name: string | null;
  organization_id: string;
  organization_name: string;
  organization_region_code: string;
  responsible_user_id: string | null;
  responsible_name: string | null;
  status: TaskStatus;
  priority: TaskPriority;
  deadline: Date | null;
  evidence_required: string;
  parent_id: string | null;
  depends_on: string[];
  waiting_on: string[];
  source_kind: TaskSourceKind;
  source_ref: string | null;
  source_key: string | null;
  incident_id: string | null;
  policy_id: string | null;
  clause_id: string | null;
  goal_id: string | null;
  service: { standard: { deliverables: string[]; acceptanceCriteria: string[]; indicators: string[] }; budget: number; qualifications: string[]; bidDeadline: string } | null;
  publisher_organization_id: string | null;
  offer_status: 'open' | 'awarded' | 'withdrawn' | null;
  awarded_amount: string | null;
  payment_status: 'unpaid' | 'paid' | null;
  paid_amount: string | null;
  paid_at: Date | null;
  reminded_at: Date | null;
  exercise: boolean;
  lon: number | null;
  lat: number | null;
  created_by: string | null;
  created_by_name: string;
  created_at: Date;
  modified_at: Date;
  accepted_at: Date | null;
  started_at: Date | null;
  submitted_at: Date | null;
  done_at: Date | null;
  overdue_flagged_at: Date | null;
  overdue: boolean;
};

const like = (s: string) => `${s.replace(/[%_\\]/g, '\\$&')}%`;
const OPEN = `t.status NOT IN ('done', 'cancelled')`;
const OVERDUE = `(${OPEN} AND t.deadline IS NOT NULL AND t.deadline < now())`;

export const TASK_SELECT = `SELECT t.*,
    (SELECT rg.name FROM region rg WHERE rg.code = t.region_code AND rg.valid_to IS NULL LIMIT 1) AS region_name,
    o.name AS organization_name, o.region_code AS organization_region_code,
    u.display_name AS responsible_name,
    ARRAY(SELECT d.id::text FROM task d WHERE d.id = ANY (t.depends_on) AND d.status <> 'done' ORDER BY d.id) AS waiting_on,
    ${OVERDUE} AS overdue
  FROM task t
  JOIN organization o ON o.id = t.organization_id
  LEFT JOIN app_user u ON u.id = t.responsible_user_id`;

export async function findTask(db: Executor, id: string, forUpdate = false): Promise<TaskRecord | undefined> {
  const { rows } = await db.query<TaskRecord>(`${TASK_SELECT} WHERE t.id = $1${forUpdate ? ' FOR UPDATE OF t' : ''}`, [id]);
  return rows[0];
}

export async function findTasks(db: Executor, ids: readonly string[]): Promise<TaskRecord[]> {
  const { rows } = await db.query<TaskRecord>(`${TASK_SELECT} WHERE t.id = ANY ($1::uuid[]) ORDER BY t.created_at, t.id`, [ids]);
  return rows;
}

export type TaskFilter = {
  scopePrefix: string;
  /** A social organization's member sees only its organization's tasks. */
  onlyOrganizationId?: string;
  /** Also visible outside the scope: the tasks of the caller's organization and those they are responsible for. */
  alsoOrganizationId?: string | null;
  alsoUserId?: string | null;
  statuses?: readonly TaskStatus[];
  kind?: TaskKind;
  regionPrefix?: string;
  organizationId?: string;
  mine?: { userId: string; organizationId: string | null };
  incidentId?: string;
  sourceRef?: string;
  policyId?: string;
  goalId?: string;
  parentId?: string;
  overdue?: boolean;
  exercise?: boolean;
  dueBefore?: string;
  q?: string;
};

const ORDER: Record<string, string> = {
  deadline: 't.deadline ASC NULLS LAST, t.created_at, t.id',
  '-deadline': 't.deadline DESC NULLS LAST, t.created_at, t.id',
  created: 't.created_at ASC, t.id',
  '-created': 't.created_at DESC, t.id',
  priority: `CASE t.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END, t.deadline ASC NULLS LAST, t.id`,
};

/** Tasks in a scope matching the filter, paged. */
export async function listTasks(db: Executor, f: TaskFilter, sort: string, limit: number, offset: number): Promise<{ rows: TaskRecord[]; total: number }> {
  // a task is in scope by the region it serves, or when it is assigned to an organization in scope
  const values: unknown[] = [like(f.scopePrefix), f.alsoOrganizationId ?? null, f.alsoUserId ?? null];
  const clauses = ['(t.region_code LIKE $1 OR o.region_code LIKE $1 OR t.organization_id = $2 OR t.responsible_user_id = $3)'];
  const add = (sql: (n: string) => string, value: unknown) => {
    values.push(value);
    clauses.push(sql(`$${values.length}`));
  };
  if (f.onlyOrganizationId !== undefined) add((n) => `t.organization_id = ${n}`, f.onlyOrganizationId);
  if (f.statuses?.length) add((n) => `t.status = ANY (${n})`, f.statuses);
  if (f.kind) add((n) => `t.kind = ${n}`, f.kind);
  if (f.regionPrefix !== undefined) add((n) => `t.region_code LIKE ${n}`, like(f.regionPrefix));
  if (f.organizationId) add((n) => `t.organization_id = ${n}`, f.organizationId);
  if (f.mine) {
    values.push(f.mine.userId, f.mine.organizationId);
    const [u, o] = [`$${values.length - 1}`, `$${values.length}`];
    clauses.push(`(t.responsible_user_id = ${u} OR (t.responsible_user_id IS NULL AND t.organization_id = ${o}))`);
  }
  if (f.incidentId) add((n) => `t.incident_id = ${n}`, f.incidentId);
  if (f.sourceRef) add((n) => `t.source_ref = ${n}`, f.sourceRef);
  if (f.policyId) add((n) => `t.policy_id = ${n}`, f.policyId);
  if (f.goalId) add((n) => `t.goal_id = ${n}`, f.goalId);
  if (f.parentId) add((n) => `t.parent_id = ${n}`, f.parentId);
  if (f.overdue !== undefined) clauses.push(f.overdue ? OVERDUE : `NOT ${OVERDUE}`);
  if (f.exercise !== undefined) add((n) => `t.exercise = ${n}`, f.exercise);
  if (f.dueBefore) add((n) => `t.deadline < ${n}`, f.dueBefore);
  if (f.q) add((n) => `(t.title ILIKE ${n} OR t.description ILIKE ${n})`, `%${f.q.replace(/[%_\\]/g, '\\$&')}%`);
  const where = `WHERE ${clauses.join(' AND ')}`;
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM task t JOIN organization o ON o.id = t.organization_id ${where}`, values);
  const { rows } = await db.query<TaskRecord>(`${TASK_SELECT} ${where} ORDER BY ${ORDER[sort] ?? ORDER.deadline} LIMIT $${values.length + 1} OFFSET $${values.length + 2}`, [
    ...values,
    limit,
    offset,
  ]);
  return { rows, total: total.rows[0]?.n ?? 0 };
}

export type NewTask = {
  id: string;
  kind: TaskKind;
  title: string;
  description: string;
  region_code: string;
  organization_id: string;
  responsible_user_id: string | null;
  priority: TaskPriority;
  deadline: Date | null;
  evidence_required: string;
  parent_id: string | null;
  depends_on: string[];
  source_kind: TaskSourceKind;
  source_ref: string | null;
  source_key: string | null;
  incident_id: string | null;
  service?: TaskRecord['service'];
  publisher_organization_id?: string | null;
  offer_status?: TaskRecord['offer_status'];
  payment_status?: TaskRecord['payment_status'];
  policy_id?: string | null;
  clause_id?: string | null;
  goal_id?: string | null;
  exercise: boolean;
  lon: number | null;
  lat: number | null;
  created_by: string | null;
  created_by_name: string;
};

const NEW_COLUMNS = [
  'id', 'kind', 'title', 'description', 'region_code', 'organization_id', 'responsible_user_id', 'priority', 'deadline', 'evidence_required', 'parent_id',
  'depends_on', 'source_kind', 'source_ref', 'source_key', 'incident_id', 'policy_id', 'clause_id', 'goal_id', 'service', 'publisher_organization_id', 'offer_status', 'payment_status', 'exercise', 'lon', 'lat', 'created_by', 'created_by_name',
] as const satisfies readonly (keyof NewTask)[];

/** Inserts tasks in one statement. */
export async function insertTasks(db: Executor, tasks: readonly NewTask[]): Promise<void> {
  if (tasks.length === 0) return;
  const values: unknown[] = [];
  const rows = tasks.map((t) => {
    const cells = NEW_COLUMNS.map((c) => {
      const v = t[c] ?? null;
      values.push(c === 'service' && v !== null ? JSON.stringify(v) : v);
      return c === 'depends_on' ? `$${values.length}::uuid[]` : c === 'service' ? `$${values.length}::jsonb` : `$${values.length}`;
    });
    return `(${cells.join(', ')})`;
  });
  await db.query(`INSERT INTO task (${NEW_COLUMNS.join(', ')}) VALUES ${rows.join(', ')}`, values);
}

export type TaskPatch = Partial<
  Pick<TaskRecord, 'status' | 'organization_id' | 'responsible_user_id' | 'accepted_at' | 'started_at' | 'submitted_at' | 'done_at' | 'overdue_flagged_at' | 'region_code'
    | 'offer_status' | 'awarded_amount' | 'payment_status' | 'paid_amount' | 'paid_at' | 'reminded_at'>
>;

export async function updateTask(db: Executor, id: string, patch: TaskPatch): Promise<void> {
  const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
  const sets = entries.map(([k], i) => `${k} = $${i + 2}`);
  await db.query(`UPDATE task SET ${[...sets, 'modified_at = now()'].join(', ')} WHERE id = $1`, [id, ...entries.map(([, v]) => v)]);
}

export type TaskEventRecord = {
  at: Date;
  action: string;
  actor_name: string;
  from_status: TaskStatus | null;
  to_status: TaskStatus | null;
  note: string | null;
  details: Record<string, unknown>;
};

export type NewTaskEvent = { action: string; actor_id: string | null; actor_name: string; from_status?: TaskStatus | null; to_status?: TaskStatus | null; note?: string | null; details?: Record<string, unknown> };

export async function addEvents(db: Executor, taskIds: readonly string[], e: NewTaskEvent): Promise<void> {
  if (taskIds.length === 0) return;
  await db.query(
    `INSERT INTO task_event (task_id, action, actor_id, actor_name, from_status, to_status, note, details)
     SELECT t, $2, $3, $4, $5, $6, $7, $8 FROM unnest($1::uuid[]) AS t`,
    [taskIds, e.action, e.actor_id, e.actor_name, e.from_status ?? null, e.to_status ?? null, e.note ?? null, JSON.stringify(e.details ?? {})],
  );
}

export async function listEvents(db: Executor, taskId: string): Promise<TaskEventRecord[]> {
  const { rows } = await db.query<TaskEventRecord>(
    'SELECT at, action, actor_name, from_status, to_status, note, details FROM task_event WHERE task_id = $1 ORDER BY id',
    [taskId],
  );
  return rows;
}

export type EvidenceRecord = {
  id: string;
  kind: 'text' | 'link' | 'file';
  content: string;
  added_by_name: string;
  added_at: Date;
  file_name: string | null;
  file_media_type: string | null;
  file_size: number | null;
};

export async function addEvidence(db: Executor, taskId: string, items: readonly { id: string; kind: 'text' | 'link' | 'file'; content: string }[], by: { id: string | null; name: string }): Promise<void> {
  for (const e of items) {
    await db.query('INSERT INTO task_evidence (id, task_id, kind, content, added_by, added_by_name) VALUES ($1, $2, $3, $4, $5, $6)', [e.id, taskId, e.kind, e.content, by.id, by.name]);
  }
}

export async function listEvidence(db: Executor, taskId: string): Promise<EvidenceRecord[]> {
  const { rows } = await db.query<EvidenceRecord>(
    `SELECT e.id, e.kind, e.content, e.added_by_name, e.added_at, f.name AS file_name, f.media_type AS file_media_type, f.size AS file_size
       FROM task_evidence e LEFT JOIN task_file f ON f.evidence_id = e.id WHERE e.task_id = $1 ORDER BY e.seq`,
    [taskId],
  );
  return rows;
}

export type OrganizationRecord = { id: string; name: string; kind: 'government' | 'social'; region_code: string; department_type: string | null; active: boolean };

export async function findOrganization(db: Executor, id: string): Promise<OrganizationRecord | undefined> {
  const { rows } = await db.query<OrganizationRecord>('SELECT id, name, kind, region_code, department_type, active FROM organization WHERE id = $1', [id]);
  return rows[0];
}

/** The active government departments of `departmentType` in any of `regionCodes`. */
export async function departmentsIn(db: Executor, regionCodes: readonly string[], departmentType: string): Promise<OrganizationRecord[]> {
  const { rows } = await db.query<OrganizationRecord>(
    `SELECT id, name, kind, region_code, department_type, active FROM organization
      WHERE active AND kind = 'government' AND department_type = $2 AND region_code = ANY ($1::text[]) ORDER BY name, id`,
    [regionCodes, departmentType],
  );
  return rows;
}

export type UserRecord = { id: string; organization_id: string; display_name: string; active: boolean };

export async function findUser(db: Executor, id: string): Promise<UserRecord | undefined> {
  const { rows } = await db.query<UserRecord>(`SELECT id, organization_id, display_name, (NOT disabled) AS active FROM app_user WHERE id = $1`, [id]);
  return rows[0];
}

/** Open tasks whose deadline passed and that were not flagged yet, oldest deadline first. */
export async function overdueUnflagged(db: Executor, now: Date, limit: number): Promise<TaskRecord[]> {
  const { rows } = await db.query<TaskRecord>(
    `${TASK_SELECT} WHERE ${OPEN} AND t.deadline < $1 AND t.overdue_flagged_at IS NULL ORDER BY t.deadline, t.id LIMIT $2 FOR UPDATE OF t SKIP LOCKED`,
    [now, limit],
  );
  return rows;
}
