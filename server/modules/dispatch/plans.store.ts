// SPDX-License-Identifier: Apache-2.0
// SQL for contingency plans, their versions and state changes, role bindings and activation records.
import type { PlanLevel, PlanStatus, PlanTrigger } from '../../../contracts/dispatch-plans.ts';
import type { Executor } from '../../platform/db.ts';

export type PlanRecord = {
  id: string;
  code: string;
  name: string;
  scenario_type: string;
  region_code: string;
  region_name: string | null;
  owner_organization_id: string;
  owner_organization_name: string | null;
  status: PlanStatus;
  latest_version: number;
  published_version: number | null;
  imported_from: { regionCode: string; code: string; version: number } | null;
  created_at: Date;
  updated_at: Date;
};

export type VersionRecord = {
  plan_id: string;
  version: number;
  status: PlanStatus;
  name: string;
  applicable_regions: string[];
  triggers: PlanTrigger[];
  levels: PlanLevel[];
  based_on: number | null;
  created_by_name: string;
  created_at: Date;
  updated_at: Date;
  published_at: Date | null;
};

export type EventRecord = {
  id: string;
  version: number;
  action: string;
  from_status: PlanStatus | null;
  to_status: PlanStatus;
  note: string | null;
  actor_name: string;
  at: Date;
};

export type BindingRecord = { role_key: string; organization_id: string; organization_name: string; source: 'auto' | 'manual' };

export type OrganizationRecord = { id: string; name: string; kind: 'government' | 'social'; region_code: string; department_type: string | null; active: boolean };

const like = (s: string) => `${s.replace(/[%_\\]/g, '\\$&')}%`;
const REGION_NAME = `(SELECT rg.name FROM region rg WHERE rg.code = p.region_code AND rg.valid_to IS NULL LIMIT 1)`;
const SELECT = `SELECT p.*, ${REGION_NAME} AS region_name, (SELECT o.name FROM organization o WHERE o.id = p.owner_organization_id) AS owner_organization_name FROM plan p`;

export async function findPlan(db: Executor, id: string, forUpdate = false): Promise<PlanRecord | undefined> {
  const { rows } = await db.query<PlanRecord>(`${SELECT} WHERE p.id = $1${forUpdate ? ' FOR UPDATE OF p' : ''}`, [id]);
  return rows[0];
}

export async function findPlanByCode(db: Executor, regionCode: string, code: string): Promise<PlanRecord | undefined> {
  const { rows } = await db.query<PlanRecord>(`${SELECT} WHERE p.region_code = $1 AND p.code = $2`, [regionCode, code]);
  return rows[0];
}

export type PlanFilter = {
  /** The caller's scope prefix ('' = everything) … */
  scopePrefix: string;
  /** … and the codes above the scope, whose plans apply to it. */
  ancestorCodes: string[];
  scenarioTypes?: string[];
  regionPrefix?: string;
  status?: PlanStatus;
  q?: string;
};

/** Plans visible in a scope matching the filter, newest change first. */
export async function listPlans(db: Executor, f: PlanFilter, limit: number, offset: number): Promise<{ rows: PlanRecord[]; total: number }> {
  const values: unknown[] = [like(f.scopePrefix), f.ancestorCodes];
  const clauses = ['(p.region_code LIKE $1 OR p.region_code = ANY ($2))'];
  const add = (sql: (n: string) => string, value: unknown) => {
    values.push(value);
    clauses.push(sql(`$${values.length}`));
  };
  if (f.scenarioTypes) add((n) => `p.scenario_type = ANY (${n})`, f.scenarioTypes);
  if (f.regionPrefix !== undefined) add((n) => `p.region_code LIKE ${n}`, like(f.regionPrefix));
  if (f.status) add((n) => `p.status = ${n}`, f.status);
  if (f.q) add((n) => `(p.name ILIKE ${n} OR p.code ILIKE ${n})`, `%${f.q.replace(/[%_\\]/g, '\\$&')}%`);
  const where = `WHERE ${clauses.join(' AND ')}`;
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM plan p ${where}`, values);
  const { rows } = await db.query<PlanRecord>(`${SELECT} ${where} ORDER BY p.updated_at DESC, p.id LIMIT $${values.length + 1} OFFSET $${values.length + 2}`, [...values, limit, offset]);
  return { rows, total: total.rows[0]?.n ?? 0 };
}

export async function insertPlan(
  tx: Executor,
  p: { id: string; code: string; name: string; scenario_type: string; region_code: string; owner_organization_id: string; imported_from: PlanRecord['imported_from']; created_by: string | null },
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO plan (id, code, name, scenario_type, region_code, owner_organization_id, status, latest_version, imported_from, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, 'draft', 1, $7, $8) ON CONFLICT ON CONSTRAINT plan_region_code_uq DO NOTHING`,
    [p.id, p.code, p.name, p.scenario_type, p.region_code, p.owner_organization_id, p.imported_from === null ? null : JSON.stringify(p.imported_from), p.created_by],
  );
  return rowCount === 1;
}

/** Keeps the plan's head (latest version's name and status, the version that applies) current. */
export async function updatePlanHead(tx: Executor, id: string, head: { name: string; status: PlanStatus; latest_version: number; published_version: number | null }): Promise<void> {
  await tx.query('UPDATE plan SET name = $2, status = $3, latest_version = $4, published_version = $5, updated_at = now() WHERE id = $1', [
    id, head.name, head.status, head.latest_version, head.published_version,
  ]);
}

const VERSION_COLUMNS = 'plan_id, version, status, name, applicable_regions, triggers, levels, based_on, created_by_name, created_at, updated_at, published_at';

export async function insertVersion(
  tx: Executor,
  v: { plan_id: string; version: number; name: string; applicable_regions: string[]; triggers: PlanTrigger[]; levels: PlanLevel[]; based_on: number | null; created_by: string | null; created_by_name: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO plan_version (plan_id, version, status, name, applicable_regions, triggers, levels, based_on, created_by, created_by_name)
     VALUES ($1, $2, 'draft', $3, $4, $5, $6, $7, $8, $9)`,
    [v.plan_id, v.version, v.name, v.applicable_regions, JSON.stringify(v.triggers), JSON.stringify(v.levels), v.based_on, v.created_by, v.created_by_name],
  );
}

export async function findVersion(db: Executor, planId: string, version: number): Promise<VersionRecord | undefined> {
  const { rows } = await db.query<VersionRecord>(`SELECT ${VERSION_COLUMNS} FROM plan_version WHERE plan_id = $1 AND version = $2`, [planId, version]);
  return rows[0];
}

/** Every version of a plan, newest first. */
export async function listVersions(db: Executor, planId: string): Promise<VersionRecord[]> {
  const { rows } = await db.query<VersionRecord>(`SELECT ${VERSION_COLUMNS} FROM plan_version WHERE plan_id = $1 ORDER BY version DESC`, [planId]);
  return rows;
}

/** Replaces a draft's content (the trigger refuses any other status). */
export async function updateDraftContent(tx: Executor, planId: string, version: number, c: { name: string; applicable_regions: string[]; triggers: PlanTrigger[]; levels: PlanLevel[] }): Promise<void> {
  await tx.query(
    `UPDATE plan_version SET name = $3, applicable_regions = $4, triggers = $5, levels = $6, updated_at = now() WHERE plan_id = $1 AND version = $2 AND status = 'draft'`,
    [planId, version, c.name, c.applicable_regions, JSON.stringify(c.triggers), JSON.stringify(c.levels)],
  );
}

export async function setVersionStatus(tx: Executor, planId: string, version: number, status: PlanStatus): Promise<void> {
  await tx.query(
    `UPDATE plan_version SET status = $3, updated_at = now(), published_at = CASE WHEN $3 = 'published' THEN now() ELSE published_at END WHERE plan_id = $1 AND version = $2`,
    [planId, version, status],
  );
}

export async function insertEvent(
  tx: Executor,
  e: { plan_id: string; version: number; action: string; from_status: PlanStatus | null; to_status: PlanStatus; note: string | null; actor_id: string | null; actor_name: string },
): Promise<void> {
  await tx.query(
    'INSERT INTO plan_version_event (plan_id, version, action, from_status, to_status, note, actor_id, actor_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
    [e.plan_id, e.version, e.action, e.from_status, e.to_status, e.note, e.actor_id, e.actor_name],
  );
}

export async function listEvents(db: Executor, planId: string, version: number): Promise<EventRecord[]> {
  const { rows } = await db.query<EventRecord>(
    'SELECT e.id::text AS id, e.version, e.action, e.from_status, e.to_status, e.note, e.actor_name, e.at FROM plan_version_event e WHERE e.plan_id = $1 AND e.version = $2 ORDER BY e.id',
    [planId, version],
  );
  return rows;
}

// --- bindings -------------------------------------------------------------------------------------

export async function listBindings(db: Executor, planId: string, version: number, regionCode: string): Promise<BindingRecord[]> {
  const { rows } = await db.query<BindingRecord>(
    `SELECT b.role_key, b.organization_id, o.name AS organization_name, b.source FROM plan_binding b JOIN organization o ON o.id = b.organization_id
     WHERE b.plan_id = $1 AND b.version = $2 AND b.region_code = $3 ORDER BY b.role_key`,
    [planId, version, regionCode],
  );
  return rows;
}

export async function upsertBinding(tx: Executor, b: { plan_id: string; version: number; region_code: string; role_key: string; organization_id: string; source: 'auto' | 'manual'; bound_by: string | null }): Promise<void> {
  await tx.query(
    `INSERT INTO plan_binding (plan_id, version, region_code, role_key, organization_id, source, bound_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT ON CONSTRAINT plan_binding_pk DO UPDATE SET organization_id = EXCLUDED.organization_id, source = EXCLUDED.source, bound_by = EXCLUDED.bound_by, bound_at = now()`,
    [b.plan_id, b.version, b.region_code, b.role_key, b.organization_id, b.source, b.bound_by],
  );
}

export async function deleteBinding(tx: Executor, planId: string, version: number, regionCode: string, roleKey: string): Promise<void> {
  await tx.query('DELETE FROM plan_binding WHERE plan_id = $1 AND version = $2 AND region_code = $3 AND role_key = $4', [planId, version, regionCode, roleKey]);
}

/** A revision starts bound where its source was. */
export async function copyBindings(tx: Executor, planId: string, from: number, to: number): Promise<void> {
  await tx.query(
    `INSERT INTO plan_binding (plan_id, version, region_code, role_key, organization_id, source, bound_by)
     SELECT plan_id, $3, region_code, role_key, organization_id, source, bound_by FROM plan_binding WHERE plan_id = $1 AND version = $2`,
    [planId, from, to],
  );
}

export async function findOrganizations(db: Executor, ids: string[]): Promise<OrganizationRecord[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<OrganizationRecord>('SELECT id, name, kind, region_code, department_type, active FROM organization WHERE id = ANY ($1::uuid[])', [ids]);
  return rows;
}

/** Active government departments of the given types in the given regions. */
export async function departmentCandidates(db: Executor, regionCodes: string[], departmentTypes: string[]): Promise<OrganizationRecord[]> {
  const { rows } = await db.query<OrganizationRecord>(
    `SELECT id, name, kind, region_code, department_type, active FROM organization
     WHERE kind = 'government' AND active AND department_type = ANY ($2) AND region_code = ANY ($1)
     ORDER BY region_code, name, id`,
    [regionCodes, departmentTypes],
  );
  return rows;
}

/** The resource types of the catalog with their names. */
export async function resourceTypeNames(db: Executor): Promise<{ code: string; name_zh: string; name_en: string; unit: string }[]> {
  const { rows } = await db.query<{ code: string; name_zh: string; name_en: string; unit: string }>('SELECT code, name_zh, name_en, unit FROM resource_type ORDER BY code');
  return rows;
}

/** Versions that apply now (published, drilled or evaluated and current) of the scenario types in any of the regions. */
export async function findApplying(db: Executor, scenarioTypes: string[], regionCodes: string[]): Promise<(VersionRecord & { code: string; region_code: string; scenario_type: string })[]> {
  const { rows } = await db.query<VersionRecord & { code: string; region_code: string; scenario_type: string }>(
    `SELECT ${VERSION_COLUMNS.split(', ').map((c) => `v.${c}`).join(', ')}, p.code, p.region_code, p.scenario_type
     FROM plan_version v JOIN plan p ON p.id = v.plan_id AND p.published_version = v.version
     WHERE v.status IN ('published', 'drilled', 'evaluated') AND v.applicable_regions && $2::varchar(15)[] AND p.scenario_type = ANY ($1)
     ORDER BY p.id`,
    [scenarioTypes, regionCodes],
  );
  return rows;
}

export async function insertActivationUse(
  tx: Executor,
  u: { id: string; plan_id: string; version: number; region_code: string; incident_id: string | null; level: string | null; used_by: string | null; used_by_name: string },
): Promise<void> {
  await tx.query(
    'INSERT INTO plan_activation_use (id, plan_id, version, region_code, incident_id, level, used_by, used_by_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
    [u.id, u.plan_id, u.version, u.region_code, u.incident_id, u.level, u.used_by, u.used_by_name],
  );
}
