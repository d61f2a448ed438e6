// SPDX-License-Identifier: Apache-2.0
// SQL for policies, their clauses and goals.
import type { Executor } from '../../platform/db.ts';

export type PolicyRecord = {
  id: string;
  code: string;
  title: string;
  summary: string;
  issuer_organization_id: string;
  issuer_organization_name: string;
  issuer_region_code: string;
  region_code: string;
  region_name: string | null;
  issued_on: string;
  status: 'draft' | 'in_force' | 'expired';
  created_at: Date;
  modified_at: Date;
  goal_count: number;
  task_count: number;
};

export type ClauseRecord = { id: string; policy_id: string; ordinal: number; number: string; text: string };

export type GoalRecord = {
  id: string;
  policy_id: string;
  clause_id: string;
  clause_number: string;
  indicator_id: string;
  indicator_code: string;
  indicator_name: string;
  unit: string;
  direction: 'higher_better' | 'lower_better';
  region_code: string;
  region_name: string | null;
  period: string;
  target: number;
  title: string;
};

const like = (s: string) => `${s.replace(/[%_\\]/g, '\\$&')}%`;

const SELECT = `SELECT p.id, p.code, p.title, p.summary, p.issuer_organization_id, o.name AS issuer_organization_name, o.region_code AS issuer_region_code,
    p.region_code, (SELECT rg.name FROM region rg WHERE rg.code = p.region_code AND rg.valid_to IS NULL LIMIT 1) AS region_name,
    to_char(p.issued_on, 'YYYY-MM-DD') AS issued_on, p.status, p.created_at, p.modified_at,
    (SELECT count(*)::int FROM goal g WHERE g.policy_id = p.id) AS goal_count,
    (SELECT count(*)::int FROM task t WHERE t.policy_id = p.id AND t.status <> 'cancelled') AS task_count
  FROM policy p JOIN organization o ON o.id = p.issuer_organization_id`;

export async function findPolicy(db: Executor, codeOrId: string): Promise<PolicyRecord | undefined> {
  const byId = /^[0-9a-f-]{36}$/.test(codeOrId);
  const { rows } = await db.query<PolicyRecord>(`${SELECT} WHERE ${byId ? 'p.id = $1::uuid' : 'p.code = $1'}`, [codeOrId]);
  return rows[0];
}

export async function listPolicies(db: Executor, f: { scopePrefix: string; q?: string | undefined; status?: string | undefined; regionPrefix?: string | undefined }, limit: number, offset: number) {
  const values: unknown[] = [];
  const where: string[] = [];
  const add = (sql: (n: string) => string, v: unknown) => where.push(sql(`$${values.push(v)}`));
  // a policy is visible where it applies: in the reader's scope, or above it (a province policy reaches its counties)
  if (f.scopePrefix) {
    const inside = `$${values.push(like(f.scopePrefix))}`;
    const scope = `$${values.push(f.scopePrefix)}`;
    where.push(`(p.region_code LIKE ${inside} OR ${scope}::text LIKE (SELECT rg.prefix FROM region rg WHERE rg.code = p.region_code AND rg.valid_to IS NULL LIMIT 1) || '%')`);
  }
  if (f.regionPrefix) add((n) => `p.region_code LIKE ${n}`, like(f.regionPrefix));
  if (f.q) add((n) => `(strpos(lower(p.title), lower(${n})) > 0 OR strpos(lower(p.code), lower(${n})) > 0)`, f.q);
  if (f.status) add((n) => `p.status = ${n}`, f.status);
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM policy p ${w}`, values);
  const { rows } = await db.query<PolicyRecord>(`${SELECT} ${w} ORDER BY p.issued_on DESC, p.code LIMIT ${limit} OFFSET ${offset}`, values);
  return { rows, total: (total.rows[0] as { n: number }).n };
}

export async function insertPolicy(
  db: Executor,
  p: { id: string; code: string; title: string; summary: string; issuer_organization_id: string; region_code: string; issued_on: string; status: string; created_by_name: string },
  clauses: readonly { id: string; number: string; text: string }[],
): Promise<void> {
  await db.query(
    `INSERT INTO policy (id, code, title, summary, issuer_organization_id, region_code, issued_on, status, created_by_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [p.id, p.code, p.title, p.summary, p.issuer_organization_id, p.region_code, p.issued_on, p.status, p.created_by_name],
  );
  await db.query(
    `INSERT INTO policy_clause (id, policy_id, ordinal, number, text) SELECT id, $1::uuid, ord::int, number, text FROM unnest($2::uuid[], $3::text[], $4::text[]) WITH ORDINALITY AS c(id, number, text, ord)`,
    [p.id, clauses.map((c) => c.id), clauses.map((c) => c.number), clauses.map((c) => c.text)],
  );
}

export async function setPolicyStatus(db: Executor, id: string, status: string): Promise<void> {
  await db.query(`UPDATE policy SET status = $2, modified_at = now() WHERE id = $1`, [id, status]);
}

export async function clausesOf(db: Executor, policyIds: readonly string[]): Promise<ClauseRecord[]> {
  const { rows } = await db.query<ClauseRecord>(`SELECT * FROM policy_clause WHERE policy_id = ANY ($1::uuid[]) ORDER BY policy_id, ordinal`, [policyIds]);
  return rows;
}

const GOAL_SELECT = `SELECT g.id, g.policy_id, g.clause_id, c.number AS clause_number, g.indicator_id, i.code AS indicator_code, i.name AS indicator_name, i.unit, i.direction,
    g.region_code, (SELECT rg.name FROM region rg WHERE rg.code = g.region_code AND rg.valid_to IS NULL LIMIT 1) AS region_name, g.period, g.target, g.title
  FROM goal g JOIN policy_clause c ON c.id = g.clause_id JOIN indicator i ON i.id = g.indicator_id`;

export async function goalsOf(db: Executor, by: { policyId?: string; indicatorId?: string }): Promise<GoalRecord[]> {
  const { rows } = await db.query<GoalRecord>(
    `${GOAL_SELECT} WHERE ($1::uuid IS NULL OR g.policy_id = $1::uuid) AND ($2::uuid IS NULL OR g.indicator_id = $2::uuid) ORDER BY c.ordinal, g.region_code, g.period`,
    [by.policyId ?? null, by.indicatorId ?? null],
  );
  return rows;
}

export async function findGoal(db: Executor, id: string): Promise<GoalRecord | undefined> {
  const { rows } = await db.query<GoalRecord>(`${GOAL_SELECT} WHERE g.id = $1`, [id]);
  return rows[0];
}

export async function goalTaken(db: Executor, indicatorId: string, regionCode: string, period: string): Promise<boolean> {
  const { rows } = await db.query(`SELECT 1 FROM goal WHERE indicator_id = $1 AND region_code = $2 AND period = $3`, [indicatorId, regionCode, period]);
  return rows.length > 0;
}

export async function insertGoal(db: Executor, g: { id: string; policy_id: string; clause_id: string; indicator_id: string; region_code: string; period: string; target: number; title: string; created_by_name: string }): Promise<void> {
  await db.query(
    `INSERT INTO goal (id, policy_id, clause_id, indicator_id, region_code, period, target, title, created_by_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [g.id, g.policy_id, g.clause_id, g.indicator_id, g.region_code, g.period, g.target, g.title, g.created_by_name],
  );
}

/** Current regions at a level under a prefix, each with the code of its ancestor at `parentLevel`'s prefix length. */
export async function regionsAtLevel(db: Executor, prefix: string, level: string): Promise<{ code: string; name: string; level: string; lon: number | null; lat: number | null }[]> {
  const { rows } = await db.query<{ code: string; name: string; level: string; lon: number | null; lat: number | null }>(
    `SELECT code, name, level, centroid[0] AS lon, centroid[1] AS lat FROM region WHERE valid_to IS NULL AND level = $1 AND code LIKE $2 ORDER BY code`,
    [level, like(prefix)],
  );
  return rows;
}

export async function policiesWithIndicator(db: Executor, indicatorId: string): Promise<string[]> {
  const { rows } = await db.query<{ policy_id: string }>(`SELECT DISTINCT policy_id FROM goal WHERE indicator_id = $1 LIMIT 50`, [indicatorId]);
  return rows.map((r) => r.policy_id);
}
