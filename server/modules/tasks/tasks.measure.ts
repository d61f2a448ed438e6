// SPDX-License-Identifier: Apache-2.0
// Tasks as an indicator source: tasks due in a period (created in it when they have no deadline), or created
// in it, drills and cancelled tasks left out — all of them, those done, done by their deadline, or overdue.
import type { Executor } from '../../platform/db.ts';
import type { MeasureWindow, Params } from '../../platform/measure.ts';

export type TaskMeasure = {
  measure: 'created' | 'done' | 'done_on_time' | 'overdue';
  periodBy?: 'due' | 'created' | undefined;
  taskKind?: 'governance' | 'service' | undefined;
  source?: 'manual' | 'activation' | 'indicator_alert' | 'goal' | undefined;
  titleContains?: string | undefined;
  policyId?: string | undefined;
  goalId?: string | undefined;
};

/** The measure's rows (see server/platform/measure.ts). */
export function taskMeasureSql(m: TaskMeasure, window: MeasureWindow, p: Params): string {
  const at = m.periodBy === 'created' ? 'created_at' : 'coalesce(deadline, created_at)';
  const where = [`NOT exercise`, `status <> 'cancelled'`, `${at} >= ${p.param(window.from)}`, `${at} < ${p.param(window.to)}`];
  if (m.taskKind) where.push(`kind = ${p.param(m.taskKind)}`);
  if (m.source) where.push(`source_kind = ${p.param(m.source)}`);
  if (m.policyId) where.push(`policy_id = ${p.param(m.policyId)}::uuid`);
  if (m.goalId) where.push(`goal_id = ${p.param(m.goalId)}::uuid`);
  if (m.titleContains) where.push(`strpos(title, ${p.param(m.titleContains)}) > 0`);
  if (m.measure === 'done') where.push(`status = 'done'`);
  if (m.measure === 'done_on_time') where.push(`status = 'done' AND (deadline IS NULL OR done_at <= deadline)`);
  if (m.measure === 'overdue') where.push(`deadline IS NOT NULL AND deadline < coalesce(done_at, now())`);
  return `SELECT region_code, ${at} AS at, 1::float8 AS v, modified_at AS changed_at FROM task WHERE ${where.join(' AND ')}`;
}

/** Real (not drill) tasks under a region prefix by status, and how many open ones are past their deadline. */
export async function taskCounts(db: Executor, prefix: string): Promise<{ byStatus: Record<string, number>; open: number; overdue: number; done: number }> {
  const { rows } = await db.query<{ status: string; n: number; overdue: number }>(
    `SELECT status, count(*)::int AS n,
            count(*) FILTER (WHERE status NOT IN ('done', 'cancelled') AND deadline IS NOT NULL AND deadline < now())::int AS overdue
       FROM task WHERE NOT exercise AND region_code LIKE $1 GROUP BY status`,
    [`${prefix}%`],
  );
  const byStatus = Object.fromEntries(rows.map((r) => [r.status, r.n]));
  const open = rows.filter((r) => r.status !== 'done' && r.status !== 'cancelled').reduce((s, r) => s + r.n, 0);
  return { byStatus, open, overdue: rows.reduce((s, r) => s + r.overdue, 0), done: byStatus.done ?? 0 };
}

/** Counts of a policy's tasks (not cancelled, not drills): by goal, by status, by organization. */
export async function policyTaskStats(db: Executor, policyIds: readonly string[]): Promise<{
  byGoal: Map<string, { total: number; open: number; done: number; overdue: number }>;
  byPolicy: Map<string, { total: number; open: number; done: number; overdue: number; byStatus: Record<string, number> }>;
  byOrganization: { policy_id: string; organization_id: string; name: string; kind: 'government' | 'social'; region_code: string; tasks: number; done: number; overdue: number }[];
}> {
  const overdue = `t.status NOT IN ('done', 'cancelled') AND t.deadline IS NOT NULL AND t.deadline < now()`;
  const { rows } = await db.query<{ policy_id: string; goal_id: string | null; status: string; n: number; overdue: number }>(
    `SELECT t.policy_id, t.goal_id, t.status, count(*)::int AS n, count(*) FILTER (WHERE ${overdue})::int AS overdue
       FROM task t WHERE t.policy_id = ANY ($1::uuid[]) AND NOT t.exercise AND t.status <> 'cancelled' GROUP BY 1, 2, 3`,
    [policyIds],
  );
  const byGoal = new Map<string, { total: number; open: number; done: number; overdue: number }>();
  const byPolicy = new Map<string, { total: number; open: number; done: number; overdue: number; byStatus: Record<string, number> }>();
  for (const r of rows) {
    const add = (c: { total: number; open: number; done: number; overdue: number }) => {
      c.total += r.n;
      if (r.status === 'done') c.done += r.n;
      else c.open += r.n;
      c.overdue += r.overdue;
    };
    if (r.goal_id) {
      let g = byGoal.get(r.goal_id);
      if (!g) byGoal.set(r.goal_id, (g = { total: 0, open: 0, done: 0, overdue: 0 }));
      add(g);
    }
    let p = byPolicy.get(r.policy_id);
    if (!p) byPolicy.set(r.policy_id, (p = { total: 0, open: 0, done: 0, overdue: 0, byStatus: {} }));
    add(p);
    p.byStatus[r.status] = (p.byStatus[r.status] ?? 0) + r.n;
  }
  const orgs = await db.query<{ policy_id: string; organization_id: string; name: string; kind: 'government' | 'social'; region_code: string; tasks: number; done: number; overdue: number }>(
    `SELECT t.policy_id, o.id AS organization_id, o.name, o.kind, o.region_code, count(*)::int AS tasks,
            count(*) FILTER (WHERE t.status = 'done')::int AS done, count(*) FILTER (WHERE ${overdue})::int AS overdue
       FROM task t JOIN organization o ON o.id = t.organization_id
      WHERE t.policy_id = ANY ($1::uuid[]) AND NOT t.exercise AND t.status <> 'cancelled'
      GROUP BY 1, 2, 3, 4, 5 ORDER BY count(*) DESC, o.name`,
    [policyIds],
  );
  return { byGoal, byPolicy, byOrganization: orgs.rows };
}

/** The policies a task, or the tasks of an organization, serve. */
export async function policiesOfTasks(db: Executor, by: { taskId?: string | undefined; organizationId?: string | undefined }): Promise<string[]> {
  const { rows } = await db.query<{ policy_id: string }>(
    `SELECT DISTINCT policy_id FROM task WHERE policy_id IS NOT NULL AND ($1::uuid IS NULL OR id = $1::uuid) AND ($2::uuid IS NULL OR organization_id = $2::uuid) LIMIT 50`,
    [by.taskId ?? null, by.organizationId ?? null],
  );
  return rows.map((r) => r.policy_id);
}
