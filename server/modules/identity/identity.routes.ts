// SPDX-License-Identifier: Apache-2.0
// HTTP routes: authentication, API tokens, organizations, users, field classification.
import { z } from 'zod';
import { page, PageQuery } from '../../../contracts/common.ts';
import {
  ApiToken, ApiTokenInput, DepartmentType, FieldClassification, LoginInput, Me, Organization, OrganizationInput, OrganizationPatch,
  PasswordChange, Role, SocialType, User, UserInput, UserPatch,
} from '../../../contracts/identity.ts';
import { RegionCode } from '../../../contracts/regions.ts';
import type { App } from '../../api/types.ts';
import type { Deps } from '../../platform/deps.ts';
import { Unauthenticated } from '../../platform/errors.ts';
import * as orgs from './organizations.service.ts';
import * as sessions from './sessions.service.ts';
import * as users from './users.service.ts';
import * as classification from './classification.service.ts';

export const SESSION_COOKIE = 'yz_session';
const IdParams = z.object({ id: z.string().uuid() });
const NoContent = z.null();

export function identityRoutes(app: App, deps: Deps): void {
  app.post('/api/auth/login', {
    config: { public: true, rateLimit: { max: deps.config.loginRateLimit, timeWindow: '1 minute' } },
    schema: { tags: ['auth'], summary: 'Log in with username and password; sets the session cookie', body: LoginInput, response: { 200: Me } },
  }, async (req, reply) => {
    const { sessionId, actor, expiresAt } = await sessions.login(deps, req.ctx, req.body, { userAgent: req.headers['user-agent'] ?? null });
    reply.setCookie(SESSION_COOKIE, sessionId, { path: '/', httpOnly: true, sameSite: 'strict', secure: deps.config.cookieSecure, expires: expiresAt });
    return sessions.describeActor(deps, { ...req.ctx, actor });
  });

  app.post('/api/auth/logout', {
    config: { public: true },
    schema: { tags: ['auth'], summary: 'End the session', response: { 204: NoContent } },
  }, async (req, reply) => {
    if (req.sessionId) await sessions.logout(deps, req.ctx, req.sessionId);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send(null);
  });

  app.get('/api/auth/me', { schema: { tags: ['auth'], summary: 'Who is logged in, with roles, scope and permissions', response: { 200: Me } } }, (req) =>
    sessions.describeActor(deps, req.ctx),
  );

  app.post('/api/auth/password', {
    schema: { tags: ['auth'], summary: 'Change your own password', body: PasswordChange, response: { 204: NoContent } },
  }, async (req, reply) => {
    await users.changeOwnPassword(deps, req.ctx, req.body);
    return reply.code(204).send(null);
  });

  app.get('/api/tokens', { schema: { tags: ['auth'], summary: 'Your API tokens', response: { 200: z.object({ items: z.array(ApiToken) }) } } }, async (req) => ({
    items: await sessions.listApiTokens(deps, req.ctx),
  }));
  app.post('/api/tokens', {
    schema: { tags: ['auth'], summary: 'Issue an API token (the secret is shown once)', body: ApiTokenInput, response: { 201: ApiToken.extend({ token: z.string() }) } },
  }, async (req, reply) => reply.code(201).send(await sessions.createApiToken(deps, req.ctx, req.body)));
  app.delete('/api/tokens/:id', { schema: { tags: ['auth'], summary: 'Revoke an API token', params: IdParams, response: { 204: NoContent } } }, async (req, reply) => {
    await sessions.revokeApiToken(deps, req.ctx, req.params.id);
    return reply.code(204).send(null);
  });

  app.get('/api/organizations', {
    schema: {
      tags: ['organizations'], summary: 'Organizations in your scope',
      querystring: PageQuery.extend({
        regionCode: RegionCode.optional(), kind: z.enum(['government', 'social']).optional(), departmentType: DepartmentType.optional(),
        socialType: SocialType.optional(), q: z.string().max(100).optional(),
      }),
      response: { 200: page(Organization) },
    },
  }, (req) => orgs.listOrganizations(deps, req.ctx, req.query));
  app.post('/api/organizations', {
    schema: { tags: ['organizations'], summary: 'Create an organization', body: OrganizationInput, response: { 201: Organization } },
  }, async (req, reply) => reply.code(201).send(await orgs.createOrganization(deps, req.ctx, req.body)));
  app.get('/api/organizations/:id', { schema: { tags: ['organizations'], summary: 'One organization', params: IdParams, response: { 200: Organization } } }, (req) =>
    orgs.getOrganization(deps, req.ctx, req.params.id),
  );
  app.patch('/api/organizations/:id', {
    schema: { tags: ['organizations'], summary: 'Change an organization', params: IdParams, body: OrganizationPatch, response: { 200: Organization } },
  }, (req) => orgs.updateOrganization(deps, req.ctx, req.params.id, req.body));

  app.get('/api/users', {
    schema: {
      tags: ['users'], summary: 'Accounts in your scope (personal data masked without clearance)',
      querystring: PageQuery.extend({ q: z.string().max(100).optional(), role: Role.optional(), organizationId: z.string().uuid().optional() }),
      response: { 200: page(User) },
    },
  }, (req) => users.listUsers(deps, req.ctx, req.query));
  app.post('/api/users', { schema: { tags: ['users'], summary: 'Create an account', body: UserInput, response: { 201: User } } }, async (req, reply) =>
    reply.code(201).send(await users.createUser(deps, req.ctx, req.body)),
  );
  app.get('/api/users/:id', { schema: { tags: ['users'], summary: 'One account', params: IdParams, response: { 200: User } } }, (req) => users.getUser(deps, req.ctx, req.params.id));
  app.patch('/api/users/:id', {
    schema: { tags: ['users'], summary: 'Change an account (grants need the security administrator)', params: IdParams, body: UserPatch, response: { 200: User } },
  }, (req) => users.updateUser(deps, req.ctx, req.params.id, req.body));
  app.post('/api/users/:id/unlock', { schema: { tags: ['users'], summary: 'Lift a login lockout', params: IdParams, response: { 200: User } } }, (req) =>
    users.unlockUser(deps, req.ctx, req.params.id),
  );

  app.get('/api/classifications', {
    schema: { tags: ['security'], summary: 'Field classification and masking rules', response: { 200: z.object({ items: z.array(FieldClassification) }) } },
  }, async (req) => ({ items: await classification.listClassifications(deps, req.ctx) }));
  app.put('/api/classifications', {
    schema: { tags: ['security'], summary: 'Set the classification of a field', body: FieldClassification.strict(), response: { 200: FieldClassification } },
  }, (req) => classification.setClassification(deps, req.ctx, req.body));
}

/** Resolves the actor of a request from its session cookie or bearer token. */
export async function authenticate(deps: Deps, cookie: string | undefined, authorization: string | undefined) {
  if (authorization) {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!m?.[1]) throw new Unauthenticated('the Authorization header must be "Bearer <token>"', 'invalid-token');
    const actor = await sessions.resolveApiToken(deps, m[1]);
    if (!actor) throw new Unauthenticated('the API token is unknown, revoked or expired', 'invalid-token');
    return actor;
  }
  if (cookie) return sessions.resolveSession(deps, cookie);
  return undefined;
}
