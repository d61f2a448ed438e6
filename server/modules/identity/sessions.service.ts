// SPDX-License-Identifier: Apache-2.0
// Authentication: password login with lockout, server-side sessions (idle and absolute expiry), API tokens.
import type { ApiToken, ApiTokenInput, LoginInput, Me } from '../../../contracts/identity.ts';
import { inScope, scopePrefixOf } from '../../../contracts/region-codes.ts';
import { type Actor, ANONYMOUS_ACTOR, type RequestContext } from '../../platform/context.ts';
import { randomSecret, secretHash } from '../../platform/crypto.ts';
import { type Executor, executor, withTransaction } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, Forbidden, Invalid, NotFound, Unauthenticated } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { authorize, grantableRoles, permissionsOf } from '../access/index.ts';
import { recordAudit, recordAuditNow } from '../audit/index.ts';
import { findCurrentRegion } from '../regions/index.ts';
import { verifyAgainstDummy, verifyPassword } from './passwords.ts';
import { findUserById, findUserByUsername, registerFailedLogin, updateUser, type UserRow } from './users.store.ts';

/** 423: the account is locked after repeated failures. */
export class Locked extends AppError {
  readonly status = 423;
  constructor(message: string) {
    super('account-locked', message);
  }
}

function actorOf(u: UserRow, via: { tokenId: string; roles: Actor['roles']; scopeCode: string | null } | null): Actor {
  const scopeCode = via ? via.scopeCode : u.scope_code;
  return {
    kind: via ? 'token' : 'user',
    userId: u.id,
    username: u.username,
    displayName: u.display_name,
    organizationId: u.organization_id,
    roles: via ? via.roles : u.roles,
    scopeCode,
    scopePrefix: scopePrefixOf(scopeCode),
    clearance: u.clearance,
    ...(via ? { tokenId: via.tokenId } : {}),
  };
}

/** Checks a password and opens a session; returns the session secret (for the cookie) and the actor. */
export async function login(deps: Deps, ctx: RequestContext, input: LoginInput, client: { userAgent: string | null }): Promise<{ sessionId: string; actor: Actor; expiresAt: Date }> {
  const db = executor(deps.db);
  const user = await findUserByUsername(db, input.username);
  const anon: RequestContext = { ...ctx, actor: { ...ANONYMOUS_ACTOR, username: input.username.slice(0, 100) } };
  const fail = async (reason: string, userRow?: UserRow) => {
    await recordAuditNow(deps.db, userRow ? { ...ctx, actor: actorOf(userRow, null) } : anon, deps.config.auditHash, {
      action: 'auth.login-failed', resourceType: 'user', resourceId: userRow?.id ?? null, regionCode: userRow?.scope_code ?? null, outcome: 'failure', reason,
    });
  };
  if (!user) {
    await verifyAgainstDummy(input.password);
    await fail('unknown username');
    throw new Unauthenticated('wrong username or password', 'invalid-credentials');
  }
  if (user.locked_until && user.locked_until.getTime() > Date.now()) {
    await fail('account locked', user);
    throw new Locked(`the account is locked after repeated failed logins until ${user.locked_until.toISOString()}; ask the security administrator to unlock it`);
  }
  if (!(await verifyPassword(user.password_hash, input.password))) {
    const state = await withTransaction(deps.db, async (tx) => {
      const s = await registerFailedLogin(tx, user.id, deps.config.loginMaxFailures, deps.config.loginLockMinutes);
      await recordAudit(tx, { ...ctx, actor: actorOf(user, null) }, deps.config.auditHash, {
        action: s.locked ? 'auth.account-locked' : 'auth.login-failed', resourceType: 'user', resourceId: user.id, regionCode: user.scope_code, outcome: 'failure',
        reason: s.locked ? `locked after ${s.failed} failed logins` : 'wrong password', details: { failures: s.failed },
      });
      return s;
    });
    if (state.locked) throw new Locked(`too many failed logins: the account is locked for ${deps.config.loginLockMinutes} minutes`);
    throw new Unauthenticated('wrong username or password', 'invalid-credentials');
  }
  if (user.disabled) {
    await fail('account disabled', user);
    throw new Forbidden('the account is disabled', 'account-disabled');
  }
  const sessionId = randomSecret(32);
  const expiresAt = new Date(Date.now() + deps.config.sessionAbsoluteHours * 3_600_000);
  const actor = actorOf(user, null);
  await withTransaction(deps.db, async (tx) => {
    await tx.query('INSERT INTO user_session (token_hash, user_id, expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5)', [
      secretHash(sessionId), user.id, expiresAt, ctx.ip, client.userAgent?.slice(0, 500) ?? null,
    ]);
    await updateUser(tx, user.id, { failed_logins: 0, locked_until: null, last_login_at: new Date() });
    await recordAudit(tx, { ...ctx, actor }, deps.config.auditHash, { action: 'auth.login', resourceType: 'user', resourceId: user.id, regionCode: user.scope_code });
  });
  return { sessionId, actor, expiresAt };
}

/** Ends a session. */
export async function logout(deps: Deps, ctx: RequestContext, sessionId: string): Promise<void> {
  await withTransaction(deps.db, async (tx) => {
    const { rowCount } = await tx.query('UPDATE user_session SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL', [secretHash(sessionId)]);
    if (rowCount) await recordAudit(tx, ctx, deps.config.auditHash, { action: 'auth.logout', resourceType: 'user', resourceId: ctx.actor.userId, regionCode: ctx.actor.scopeCode });
  });
}

/** The actor behind a session cookie, or undefined when it is unknown, revoked, idle too long or expired. */
export async function resolveSession(deps: Deps, sessionId: string): Promise<Actor | undefined> {
  const db = executor(deps.db);
  const { rows } = await db.query<{ user_id: string }>(
    `UPDATE user_session SET last_seen_at = now()
     WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now() AND last_seen_at > now() - make_interval(mins => $2::int)
     RETURNING user_id`,
    [secretHash(sessionId), deps.config.sessionIdleMinutes],
  );
  const userId = rows[0]?.user_id;
  if (!userId) return undefined;
  const user = await findUserById(db, userId);
  if (!user || user.disabled) return undefined;
  return actorOf(user, null);
}

/**
 * The actor of an account by username (case-insensitive), for work done on its behalf outside a request
 * (the CLI's --as, demo seeding); `disabled` says whether it may act at all.
 */
export async function actorForUsername(db: Executor, username: string): Promise<{ actor: Actor; disabled: boolean } | undefined> {
  const user = await findUserByUsername(db, username);
  return user ? { actor: actorOf(user, null), disabled: user.disabled } : undefined;
}

const TOKEN_PREFIX = 'yzt_';

/** The actor behind a bearer API token, or undefined. */
export async function resolveApiToken(deps: Deps, bearer: string): Promise<Actor | undefined> {
  if (!bearer.startsWith(TOKEN_PREFIX)) return undefined;
  const db = executor(deps.db);
  const { rows } = await db.query<{ id: string; user_id: string; roles: Actor['roles']; scope_code: string | null }>(
    `UPDATE api_token SET last_used_at = now() WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now() RETURNING id, user_id, roles, scope_code`,
    [secretHash(bearer)],
  );
  const t = rows[0];
  if (!t) return undefined;
  const user = await findUserById(db, t.user_id);
  if (!user || user.disabled) return undefined;
  // A token never exceeds its owner: roles and scope are intersected with the owner's current ones.
  const roles = t.roles.filter((r) => user.roles.includes(r));
  const ownerPrefix = scopePrefixOf(user.scope_code);
  if (roles.length === 0 || !(ownerPrefix === '' || inScope(ownerPrefix, t.scope_code))) return undefined;
  return actorOf(user, { tokenId: t.id, roles, scopeCode: t.scope_code });
}

/** Who the actor is, for the console. */
export async function describeActor(deps: Deps, ctx: RequestContext): Promise<Me> {
  const a = ctx.actor;
  if (!a.userId) throw new Unauthenticated();
  const db = executor(deps.db);
  const user = await findUserById(db, a.userId);
  const scope = a.scopeCode ? await findCurrentRegion(db, a.scopeCode) : undefined;
  return {
    id: a.userId,
    username: a.username,
    displayName: a.displayName,
    organizationId: a.organizationId ?? '',
    organizationName: user?.organization_name ?? null,
    roles: [...a.roles],
    scopeCode: a.scopeCode,
    scopeName: scope?.name ?? null,
    scopeNameEn: scope?.name_en ?? null,
    clearance: a.clearance,
    permissions: permissionsOf(a),
    grantableRoles: grantableRoles(a),
    passwordMinLength: deps.config.passwordMinLength,
    via: a.kind === 'token' ? 'token' : 'session',
  };
}

type TokenRow = { id: string; name: string; token_prefix: string; roles: ApiToken['roles']; scope_code: string | null; expires_at: Date; revoked_at: Date | null; last_used_at: Date | null; created_at: Date };
function presentToken(t: TokenRow): ApiToken {
  return {
    id: t.id, name: t.name, prefix: t.token_prefix, roles: t.roles, scopeCode: t.scope_code, expiresAt: t.expires_at.toISOString(),
    revokedAt: t.revoked_at?.toISOString() ?? null, lastUsedAt: t.last_used_at?.toISOString() ?? null, createdAt: t.created_at.toISOString(),
  };
}

/** Issues an API token for the actor (a person): shown once, stored hashed; roles and scope within the owner's. */
export async function createApiToken(deps: Deps, ctx: RequestContext, input: ApiTokenInput): Promise<ApiToken & { token: string }> {
  await authorize(deps, ctx, 'token:manage');
  if (ctx.actor.kind !== 'user' || !ctx.actor.userId) throw new Forbidden('API tokens are issued to people logged in with a session', 'session-required');
  const roles = input.roles ?? [...ctx.actor.roles];
  const extra = roles.filter((r) => !ctx.actor.roles.includes(r));
  if (extra.length) throw new Invalid('a token cannot hold roles its owner lacks', [{ field: 'roles', message: `not yours: ${extra.join(', ')}` }]);
  const scopeCode = input.scopeCode === undefined ? ctx.actor.scopeCode : input.scopeCode;
  if (scopeCode === null ? ctx.actor.scopePrefix !== '' : !inScope(ctx.actor.scopePrefix, scopeCode)) throw new Invalid('a token scope must lie within yours', [{ field: 'scopeCode', message: 'outside your scope' }]);
  if (input.expiresInDays > deps.config.tokenMaxDays) throw new Invalid(`tokens expire within ${deps.config.tokenMaxDays} days`, [{ field: 'expiresInDays', message: `at most ${deps.config.tokenMaxDays}` }]);
  const id = newId();
  const token = `${TOKEN_PREFIX}${randomSecret(32)}`;
  const expiresAt = new Date(Date.now() + input.expiresInDays * 86_400_000);
  return withTransaction(deps.db, async (tx) => {
    const { rows } = await tx.query<TokenRow>(
      `INSERT INTO api_token (id, user_id, name, token_hash, token_prefix, roles, scope_code, expires_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
       RETURNING id, name, token_prefix, roles, scope_code, expires_at, revoked_at, last_used_at, created_at`,
      [id, ctx.actor.userId, input.name, secretHash(token), token.slice(0, 10), roles, scopeCode, expiresAt],
    );
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'token.created', resourceType: 'api-token', resourceId: id, regionCode: scopeCode, details: { name: input.name, roles, expiresAt: expiresAt.toISOString() } });
    return { ...presentToken(rows[0] as TokenRow), token };
  });
}

export async function listApiTokens(deps: Deps, ctx: RequestContext): Promise<ApiToken[]> {
  await authorize(deps, ctx, 'token:manage');
  const { rows } = await executor(deps.db).query<TokenRow>(
    'SELECT id, name, token_prefix, roles, scope_code, expires_at, revoked_at, last_used_at, created_at FROM api_token WHERE user_id = $1 ORDER BY created_at DESC',
    [ctx.actor.userId],
  );
  return rows.map(presentToken);
}

export async function revokeApiToken(deps: Deps, ctx: RequestContext, id: string): Promise<void> {
  await authorize(deps, ctx, 'token:manage');
  await withTransaction(deps.db, async (tx) => {
    const { rowCount } = await tx.query('UPDATE api_token SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL', [id, ctx.actor.userId]);
    if (!rowCount) throw new NotFound(`no active token ${id}`);
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'token.revoked', resourceType: 'api-token', resourceId: id, regionCode: ctx.actor.scopeCode });
  });
}
