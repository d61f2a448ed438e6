// SPDX-License-Identifier: Apache-2.0
// Tasks as an indicator source: tasks due in a period (created in it when they have no deadline), drills and
// cancelled tasks left out — all of them, those done, done by their deadline, or overdue.
import type { Executor } from '../../platform/db.ts';
import type { MeasureWindow, Params } from '../../platform/measure.ts';

export type TaskMeasure = {
  measure: 'created' | 'done' | 'done_on_time' | 'overdue';
  taskKind?: 'governance' | 'service' | undefined;
  source?: 'manual' | 'activation' | 'indicator_alert' | undefined;
  titleContains?: string | undefined;
};

/** The measure's rows (see server/platform/measure.ts). */
export function taskMeasureSql(m: TaskMeasure, window: MeasureWindow, p: Params): string {
  const at = 'coalesce(deadline, created_at)';
  const where = [`NOT exercise`, `status <> 'cancelled'`, `${at} >= ${p.param(window.from)}`, `${at} < ${p.param(window.to)}`];
  if (m.taskKind) where.push(`kind = ${p.param(m.taskKind)}`);
  if (m.source) where.push(`source_kind = ${p.param(m.source)}`);
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
