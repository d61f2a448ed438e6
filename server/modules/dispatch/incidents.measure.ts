// SPDX-License-Identifier: Apache-2.0
// Incidents as an indicator source: the incidents reported in a period (drills and rejected reports left
// out), all of them or those resolved / responded to before their SLA due time.
import type { Executor } from '../../platform/db.ts';
import type { MeasureWindow, Params } from '../../platform/measure.ts';
import { Invalid } from '../../platform/errors.ts';
import { GRADE_NUMBER, typeCodesUnder } from './incident-types.ts';

export type IncidentMeasure = {
  type?: string | undefined;
  grades?: readonly ('I' | 'II' | 'III' | 'IV')[] | undefined;
  measure: 'reported' | 'resolved' | 'resolved_within_sla' | 'responded_within_sla';
};

/** Checks an incident measure's type names something (422 otherwise). */
export function validateIncidentMeasure(m: IncidentMeasure, field: string): void {
  if (m.type !== undefined && typeCodesUnder(m.type).length === 0) throw new Invalid(`no incident type or category ${m.type}`, [{ field, message: 'unknown type (see GET /api/incident-types)' }]);
}

/** The measure's rows (see server/platform/measure.ts). */
export function incidentMeasureSql(m: IncidentMeasure, window: MeasureWindow, p: Params): string {
  const where = [`NOT exercise`, `status <> 'rejected'`, `reported_at >= ${p.param(window.from)}`, `reported_at < ${p.param(window.to)}`];
  if (m.type !== undefined) where.push(`type_code = ANY (${p.param(typeCodesUnder(m.type))}::text[])`);
  if (m.grades) where.push(`grade = ANY (${p.param(m.grades.map((g) => GRADE_NUMBER[g]))}::smallint[])`);
  if (m.measure === 'resolved') where.push('resolved_at IS NOT NULL');
  if (m.measure === 'resolved_within_sla') where.push('resolved_at IS NOT NULL AND resolved_at <= due_resolve_at');
  if (m.measure === 'responded_within_sla') where.push('responded_at IS NOT NULL AND responded_at <= due_respond_at');
  return `SELECT region_code, reported_at AS at, 1::float8 AS v, updated_at AS changed_at FROM incident WHERE ${where.join(' AND ')}`;
}

/** Real (not drill) incidents under a region prefix by status, and how many open ones are past a due time. */
export async function incidentCounts(db: Executor, prefix: string): Promise<{ byStatus: Record<string, number>; open: number; overdue: number }> {
  const { rows } = await db.query<{ status: string; n: number; overdue: number }>(
    `SELECT status, count(*)::int AS n,
            count(*) FILTER (WHERE status IN ('reported', 'verified', 'responding') AND supervised_stage IS NOT NULL)::int AS overdue
       FROM incident WHERE NOT exercise AND region_code LIKE $1 GROUP BY status`,
    [`${prefix}%`],
  );
  const byStatus = Object.fromEntries(rows.map((r) => [r.status, r.n]));
  const open = rows.filter((r) => ['reported', 'verified', 'responding'].includes(r.status)).reduce((s, r) => s + r.n, 0);
  return { byStatus, open, overdue: rows.reduce((s, r) => s + r.overdue, 0) };
}
