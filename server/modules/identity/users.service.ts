// SPDX-License-Identifier: Apache-2.0
// Accounts: who may create whom with which roles (three-role separation), personal data masking.
import type { PasswordChange, Role, User, UserInput, UserPatch } from '../../../contracts/identity.ts';
import { inScope } from '../../../contracts/region-codes.ts';
import type { Actor, RequestContext } from '../../platform/context.ts';
import { executor, withTransaction } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { Conflict, Invalid, NotFound, Unauthenticated } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { publish } from '../../platform/outbox.ts';
import { authorize, decide, denied, grantableRoles, loadClassificationRules, maskRecord, separationConflict } from '../access/index.ts';
import { recordAudit } from '../audit/index.ts';
import { findCurrentRegion } from '../regions/index.ts';
import { findOrganization } from './organizations.store.ts';
import { hashPassword, passwordProblems, verifyPassword } from './passwords.ts';
import * as store from './users.store.ts';

function present(r: store.UserRow): User {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    organizationId: r.organization_id,
    organizationName: r.organization_name,
    roles: r.roles,
    scopeCode: r.scope_code,
    clearance: r.clearance,
    phone: r.phone,
    idCard: r.id_card,
    email: r.email,
    disabled: r.disabled,
    locked: r.locked_until !== null && r.locked_until.getTime() > Date.now(),
    lastLoginAt: r.last_login_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
  };
}

/** The region an account belongs to for authorization: its scope (null = platform-wide). */
function accountRegion(u: Pick<store.UserRow, 'scope_code'>): string | null {
  return u.scope_code;
}

/** Whether the actor's scope covers an account's scope (a platform-wide account only the platform covers). */
function coversAccount(actor: Actor, scopeCode: string | null): boolean {
  return actor.scopePrefix === '' || (scopeCode !== null && inScope(actor.scopePrefix, scopeCode));
}

async function checkRoles(deps: Deps, ctx: RequestContext, roles: readonly Role[], target: { id?: string; regionCode: string | null }): Promise<void> {
  const conflict = separationConflict(roles);
  if (conflict) throw new Invalid(`three-role separation: one account may not hold ${conflict.join(' and ')}`, [{ field: 'roles', message: 'system-admin, security-admin and audit-admin are mutually exclusive' }], 'role-separation');
  const allowed = grantableRoles(ctx.actor);
  const refused = roles.filter((r) => !allowed.includes(r));
  if (refused.length) throw await denied(deps, ctx, `you may not grant ${refused.join(', ')}`, { code: 'role-not-grantable', type: 'user', id: target.id, regionCode: target.regionCode, requested: 'user:grant' });
}

export type UserQuery = { q?: string; role?: string; organizationId?: string; limit: number; offset: number };

export async function listUsers(deps: Deps, ctx: RequestContext, q: UserQuery) {
  await authorize(deps, ctx, 'user:read');
  const db = executor(deps.db);
  const { rows, total } = await store.listUsers(db, { scopePrefix: ctx.actor.scopePrefix, q: q.q, role: q.role, organizationId: q.organizationId }, q.limit, q.offset);
  const rules = await loadClassificationRules(db);
  return { items: rows.map((r) => maskRecord(ctx.actor, rules, 'user', present(r), r.id === ctx.actor.userId)), total, limit: q.limit, offset: q.offset };
}

async function visibleUser(deps: Deps, ctx: RequestContext, id: string): Promise<store.UserRow> {
  const row = await store.findUserById(executor(deps.db), id);
  if (!row) throw new NotFound(`no user ${id}`);
  if (row.id !== ctx.actor.userId && !coversAccount(ctx.actor, row.scope_code)) {
    // an account outside the actor's scope: denied, audited (a platform-wide account has no region)
    await authorize(deps, ctx, 'user:read', { regionCode: row.scope_code ?? 'platform', type: 'user', id });
  }
  return row;
}

export async function getUser(deps: Deps, ctx: RequestContext, id: string): Promise<User> {
  if (id !== ctx.actor.userId) await authorize(deps, ctx, 'user:read');
  const row = await visibleUser(deps, ctx, id);
  return maskRecord(ctx.actor, await loadClassificationRules(executor(deps.db)), 'user', present(row), row.id === ctx.actor.userId);
}

/** Creates an account. */
export async function createUser(deps: Deps, ctx: RequestContext, input: UserInput): Promise<User> {
  await authorize(deps, ctx, 'user:write', { regionCode: input.scopeCode, type: 'user' });
  if (input.scopeCode === null && ctx.actor.scopePrefix !== '') throw await denied(deps, ctx, 'only a platform-wide administrator may create platform-wide accounts', { type: 'user', requested: 'user:write' });
  await checkRoles(deps, ctx, input.roles, { regionCode: input.scopeCode });
  const problems = passwordProblems(input.password, deps.config.passwordMinLength, input.username);
  if (problems.length) throw new Invalid('the password does not meet the policy', [{ field: 'password', message: problems.join('; ') }], 'weak-password');
  const passwordHash = await hashPassword(input.password);
  return withTransaction(deps.db, async (tx) => {
    const org = await findOrganization(tx, input.organizationId);
    if (!org || !decide(ctx.actor, 'org:read', { regionCode: org.region_code }).allow) throw new Invalid('no such organization', [{ field: 'organizationId', message: 'unknown or out of scope' }]);
    if (input.scopeCode !== null && !(await findCurrentRegion(tx, input.scopeCode))) throw new Invalid('no such region', [{ field: 'scopeCode', message: `no current region ${input.scopeCode}` }]);
    if (input.roles.includes('social-member') && org.kind !== 'social') throw new Invalid('a social-member belongs to a social organization', [{ field: 'organizationId', message: 'must be a social organization' }]);
    const id = newId();
    try {
      await store.insertUser(tx, {
        id,
        username: input.username,
        display_name: input.displayName,
        organization_id: input.organizationId,
        roles: input.roles,
        scope_code: input.scopeCode,
        clearance: input.clearance,
        phone: input.phone ?? null,
        id_card: input.idCard?.toUpperCase() ?? null,
        email: input.email ?? null,
        password_hash: passwordHash,
      });
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw new Conflict(`the username ${input.username} is taken`, 'username-taken');
      throw err;
    }
    await recordAudit(tx, ctx, deps.config.auditHash, {
      action: 'user.created',
      resourceType: 'user',
      resourceId: id,
      regionCode: input.scopeCode,
      details: { username: input.username, roles: input.roles, scopeCode: input.scopeCode, organizationId: input.organizationId },
    });
    await publish(tx, { topic: 'user.created', aggregateId: id, regionCode: input.scopeCode, payload: { id, username: input.username, roles: input.roles } });
    return present((await store.findUserById(tx, id)) as store.UserRow);
  });
}

/**
 * Changes an account. Roles, scope and clearance are grants: the security admin grants the separated
 * roles and clearance; system and region admins manage business roles within their scope. Nobody changes
 * their own grants.
 */
export async function updateUser(deps: Deps, ctx: RequestContext, id: string, patch: UserPatch): Promise<User> {
  const target = await visibleUser(deps, ctx, id);
  const grants = patch.roles !== undefined || patch.scopeCode !== undefined || patch.clearance !== undefined || patch.disabled !== undefined;
  const deny = async (reason: string, code?: string) => denied(deps, ctx, reason, { code, type: 'user', id, regionCode: target.scope_code, requested: 'user:grant' });
  if (grants && target.id === ctx.actor.userId) throw await deny('you may not change your own roles, scope, clearance or status', 'self-grant');
  const canGrant = decide(ctx.actor, 'user:grant').allow;
  await authorize(deps, ctx, canGrant ? 'user:grant' : 'user:write', { regionCode: accountRegion(target), type: 'user', id });
  if (patch.clearance !== undefined && !canGrant) throw await deny('only the security administrator sets clearance', 'clearance-not-grantable');
  if (patch.roles) await checkRoles(deps, ctx, patch.roles, { id, regionCode: target.scope_code });
  if (!canGrant && target.roles.some((r) => !grantableRoles(ctx.actor).includes(r))) throw await deny(`you may not manage an account holding ${target.roles.join(', ')}`);
  if (patch.scopeCode !== undefined) {
    if (patch.scopeCode === null ? ctx.actor.scopePrefix !== '' : !coversAccount(ctx.actor, patch.scopeCode)) throw await deny('the new scope is outside yours');
  }
  return withTransaction(deps.db, async (tx) => {
    if (patch.scopeCode && !(await findCurrentRegion(tx, patch.scopeCode))) throw new Invalid('no such region', [{ field: 'scopeCode', message: `no current region ${patch.scopeCode}` }]);
    await store.updateUser(tx, id, {
      display_name: patch.displayName,
      roles: patch.roles,
      scope_code: patch.scopeCode,
      clearance: patch.clearance,
      phone: patch.phone,
      email: patch.email,
      disabled: patch.disabled,
    });
    if (patch.disabled === true || patch.roles || patch.scopeCode !== undefined) await tx.query('UPDATE user_session SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [id]);
    await recordAudit(tx, ctx, deps.config.auditHash, {
      action: grants ? 'user.grants-changed' : 'user.updated',
      resourceType: 'user',
      resourceId: id,
      regionCode: target.scope_code,
      details: { username: target.username, fields: Object.keys(patch), roles: patch.roles, scopeCode: patch.scopeCode, clearance: patch.clearance, disabled: patch.disabled },
    });
    await publish(tx, { topic: 'user.updated', aggregateId: id, regionCode: target.scope_code, payload: { id, fields: Object.keys(patch) } });
    return present((await store.findUserById(tx, id)) as store.UserRow);
  });
}

/** Lifts a login lockout. */
export async function unlockUser(deps: Deps, ctx: RequestContext, id: string): Promise<User> {
  const target = await visibleUser(deps, ctx, id);
  await authorize(deps, ctx, 'user:grant', { regionCode: target.scope_code, type: 'user', id });
  return withTransaction(deps.db, async (tx) => {
    await store.updateUser(tx, id, { failed_logins: 0, locked_until: null });
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'user.unlocked', resourceType: 'user', resourceId: id, regionCode: target.scope_code, details: { username: target.username } });
    return present((await store.findUserById(tx, id)) as store.UserRow);
  });
}

/** Changes the actor's own password. */
export async function changeOwnPassword(deps: Deps, ctx: RequestContext, input: PasswordChange): Promise<void> {
  if (!ctx.actor.userId || ctx.actor.kind !== 'user') throw new Unauthenticated('log in to change your password');
  const row = await store.findUserById(executor(deps.db), ctx.actor.userId);
  if (!row || !(await verifyPassword(row.password_hash, input.currentPassword))) throw new Invalid('the current password is wrong', [{ field: 'currentPassword', message: 'wrong password' }], 'wrong-password');
  const problems = passwordProblems(input.newPassword, deps.config.passwordMinLength, row.username);
  if (problems.length) throw new Invalid('the password does not meet the policy', [{ field: 'newPassword', message: problems.join('; ') }], 'weak-password');
  const hash = await hashPassword(input.newPassword);
  await withTransaction(deps.db, async (tx) => {
    await store.updateUser(tx, row.id, { password_hash: hash });
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'user.password-changed', resourceType: 'user', resourceId: row.id, regionCode: row.scope_code });
  });
}

/** Creates an account without an actor check: for seeding and the CLI run by the machine's operator. */
export async function createUserAsSystem(deps: Deps, ctx: RequestContext, input: UserInput): Promise<User> {
  const conflict = separationConflict(input.roles);
  if (conflict) throw new Invalid(`three-role separation: one account may not hold ${conflict.join(' and ')}`, [{ field: 'roles', message: 'mutually exclusive' }], 'role-separation');
  const problems = passwordProblems(input.password, deps.config.passwordMinLength, input.username);
  if (problems.length) throw new Invalid('the password does not meet the policy', [{ field: 'password', message: problems.join('; ') }], 'weak-password');
  const passwordHash = await hashPassword(input.password);
  return withTransaction(deps.db, async (tx) => {
    const org = await findOrganization(tx, input.organizationId);
    if (!org) throw new Invalid('no such organization', [{ field: 'organizationId', message: 'unknown' }]);
    const id = newId();
    try {
      await store.insertUser(tx, {
        id, username: input.username, display_name: input.displayName, organization_id: input.organizationId, roles: input.roles,
        scope_code: input.scopeCode, clearance: input.clearance, phone: input.phone ?? null, id_card: input.idCard ?? null, email: input.email ?? null, password_hash: passwordHash,
      });
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw new Conflict(`the username ${input.username} is taken`, 'username-taken');
      throw err;
    }
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'user.created', resourceType: 'user', resourceId: id, regionCode: input.scopeCode, details: { username: input.username, roles: input.roles, scopeCode: input.scopeCode } });
    return present((await store.findUserById(tx, id)) as store.UserRow);
  });
}

