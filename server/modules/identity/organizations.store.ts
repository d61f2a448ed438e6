// SPDX-License-Identifier: Apache-2.0
import type { Executor } from '../../platform/db.ts';

export type OrganizationRow = {
  id: string;
  kind: 'government' | 'social';
  name: string;
  region_code: string;
  region_name: string | null;
  department_type: string | null;
  social_type: string | null;
  credit_code: string | null;
  qualifications: string[];
  contact_name: string | null;
  contact_phone: string | null;
  active: boolean;
  created_at: Date;
};

const SELECT = `SELECT o.*, (SELECT r.name FROM region r WHERE r.code = o.region_code AND r.valid_to IS NULL LIMIT 1) AS region_name FROM organization o`;

export async function findOrganization(db: Executor, id: string): Promise<OrganizationRow | undefined> {
  const { rows } = await db.query<OrganizationRow>(`${SELECT} WHERE o.id = $1`, [id]);
  return rows[0];
}

export type OrganizationFilter = { scopePrefix: string; regionPrefix?: string; kind?: string; departmentType?: string; socialType?: string; q?: string; onlyId?: string };

export async function listOrganizations(db: Executor, f: OrganizationFilter, limit: number, offset: number): Promise<{ rows: OrganizationRow[]; total: number }> {
  const values: unknown[] = [];
  const clauses: string[] = [];
  const add = (sql: string, v: unknown) => {
    values.push(v);
    clauses.push(sql.replaceAll('?', `$${values.length}`));
  };
  if (f.scopePrefix) add('o.region_code LIKE ?', `${f.scopePrefix}%`);
  if (f.regionPrefix) add('o.region_code LIKE ?', `${f.regionPrefix}%`);
  if (f.kind) add('o.kind = ?', f.kind);
  if (f.departmentType) add('o.department_type = ?', f.departmentType);
  if (f.socialType) add('o.social_type = ?', f.socialType);
  if (f.q) add('o.name LIKE ?', `%${f.q.replace(/[%_\\]/g, '\\$&')}%`);
  if (f.onlyId) add('o.id = ?', f.onlyId);
  const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM organization o ${where}`, values);
  const { rows } = await db.query<OrganizationRow>(`${SELECT} ${where} ORDER BY o.region_code, o.name LIMIT $${values.length + 1} OFFSET $${values.length + 2}`, [
    ...values,
    limit,
    offset,
  ]);
  return { rows, total: total.rows[0]?.n ?? 0 };
}

export type NewOrganization = Omit<OrganizationRow, 'created_at' | 'region_name' | 'active'>;

export async function insertOrganization(db: Executor, o: NewOrganization): Promise<void> {
  await db.query(
    `INSERT INTO organization (id, kind, name, region_code, department_type, social_type, credit_code, qualifications, contact_name, contact_phone)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
    [o.id, o.kind, o.name, o.region_code, o.department_type, o.social_type, o.credit_code, o.qualifications, o.contact_name, o.contact_phone],
  );
}

export async function updateOrganization(db: Executor, id: string, patch: Partial<Pick<OrganizationRow, 'name' | 'qualifications' | 'contact_name' | 'contact_phone' | 'active'>>): Promise<void> {
  const sets: string[] = [];
  const values: unknown[] = [id];
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    values.push(v);
    sets.push(`${k} = $${values.length}`);
  }
  if (sets.length === 0) return;
  await db.query(`UPDATE organization SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, values);
}
