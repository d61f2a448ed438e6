// SPDX-License-Identifier: Apache-2.0
import type { Role } from '../../../contracts/identity.ts';
import type { Classification } from '../../../contracts/common.ts';
import type { Executor } from '../../platform/db.ts';

export type UserRow = {
  id: string;
  username: string;
  display_name: string;
  organization_id: string;
  organization_name: string | null;
  organization_region: string | null;
  roles: Role[];
  scope_code: string | null;
  clearance: Classification;
  phone: string | null;
  id_card: string | null;
  email: string | null;
  password_hash: string;
  failed_logins: number;
  locked_until: Date | null;
  disabled: boolean;
  last_login_at: Date | null;
  created_at: Date;
};

const SELECT = `SELECT u.*, o.name AS organization_name, o.region_code AS organization_region FROM app_user u JOIN organization o ON o.id = u.organization_id`;

export async function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(`${SELECT} WHERE u.id = $1`, [id]);
  return rows[0];
}

export async function findUserByUsername(db: Executor, username: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(`${SELECT} WHERE lower(u.username) = lower($1)`, [username]);
  return rows[0];
}

export type UserFilter = { scopePrefix: string; q?: string; role?: string; organizationId?: string };

export async function listUsers(db: Executor, f: UserFilter, limit: number, offset: number): Promise<{ rows: UserRow[]; total: number }> {
  const values: unknown[] = [];
  const clauses: string[] = [];
  const add = (sql: string, v: unknown) => {
    values.push(v);
    clauses.push(sql.replaceAll('?', `$${values.length}`));
  };
  // A scoped actor sees accounts whose scope lies inside theirs; platform-wide accounts only the platform sees.
  if (f.scopePrefix) add('u.scope_code LIKE ?', `${f.scopePrefix}%`);
  if (f.q) add('(u.username ILIKE ? OR u.display_name ILIKE ?)', `%${f.q.replace(/[%_\\]/g, '\\$&')}%`);
  if (f.role) add('? = ANY (u.roles)', f.role);
  if (f.organizationId) add('u.organization_id = ?', f.organizationId);
  const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM app_user u ${where}`, values);
  const { rows } = await db.query<UserRow>(`${SELECT} ${where} ORDER BY u.username LIMIT $${values.length + 1} OFFSET $${values.length + 2}`, [...values, limit, offset]);
  return { rows, total: total.rows[0]?.n ?? 0 };
}

export type NewUser = Pick<UserRow, 'id' | 'username' | 'display_name' | 'organization_id' | 'roles' | 'scope_code' | 'clearance' | 'phone' | 'id_card' | 'email' | 'password_hash'>;

export async function insertUser(db: Executor, u: NewUser): Promise<void> {
  await db.query(
    `INSERT INTO app_user (id, username, display_name, organization_id, roles, scope_code, clearance, phone, id_card, email, password_hash)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
    [u.id, u.username, u.display_name, u.organization_id, u.roles, u.scope_code, u.clearance, u.phone, u.id_card, u.email, u.password_hash],
  );
}

type UserColumns = Partial<Pick<UserRow, 'display_name' | 'roles' | 'scope_code' | 'clearance' | 'phone' | 'email' | 'disabled' | 'password_hash' | 'failed_logins' | 'locked_until' | 'last_login_at'>>;

export async function updateUser(db: Executor, id: string, patch: UserColumns): Promise<void> {
  const sets: string[] = [];
  const values: unknown[] = [id];
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    values.push(v);
    sets.push(`${k} = $${values.length}`);
  }
  if ('password_hash' in patch) sets.push('password_changed_at = now()');
  if (sets.length === 0) return;
  await db.query(`UPDATE app_user SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, values);
}

/** Counts a failed login and locks the account when `max` is reached; returns the new state. */
export async function registerFailedLogin(db: Executor, id: string, max: number, lockMinutes: number): Promise<{ failed: number; locked: boolean }> {
  const { rows } = await db.query<{ failed_logins: number; locked_until: Date | null }>(
    `UPDATE app_user SET failed_logins = failed_logins + 1,
       locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(mins => $3::int) ELSE locked_until END
     WHERE id = $1 RETURNING failed_logins, locked_until`,
    [id, max, lockMinutes],
  );
  const r = rows[0];
  return { failed: r?.failed_logins ?? 0, locked: r?.locked_until != null && (r?.failed_logins ?? 0) >= max };
}
