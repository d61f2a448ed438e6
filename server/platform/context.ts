// SPDX-License-Identifier: Apache-2.0
// Who is acting and on behalf of which request: passed to every service call.
import type { Classification } from '../../contracts/common.ts';
import type { Role } from '../../contracts/identity.ts';

/** An authenticated person (via session) or machine (via API token), or the platform itself. */
export type Actor = {
  kind: 'user' | 'token' | 'system' | 'anonymous';
  userId: string | null;
  username: string;
  displayName: string;
  organizationId: string | null;
  roles: readonly Role[];
  /** The root of the actor's scope, or null for the whole platform. */
  scopeCode: string | null;
  /** Significant prefix of scopeCode ('' for the whole platform): a region is in scope when its code starts with it. */
  scopePrefix: string;
  clearance: Classification;
  tokenId?: string;
};

/** The context of one request (or one CLI command). */
export type RequestContext = { actor: Actor; requestId: string; ip: string | null };

/** The platform acting on its own (migrations, seeding, CLI as operator of the machine). */
export const SYSTEM_ACTOR: Actor = {
  kind: 'system',
  userId: null,
  username: 'system',
  displayName: 'Yunzheng',
  organizationId: null,
  roles: ['system-admin'],
  scopeCode: null,
  scopePrefix: '',
  clearance: 'core',
};

/** A context for work done by the platform itself (CLI, seeding). */
export function systemContext(requestId = 'cli'): RequestContext {
  return { actor: SYSTEM_ACTOR, requestId, ip: null };
}

/** Nobody yet: the actor of a request before authentication. */
export const ANONYMOUS_ACTOR: Actor = {
  kind: 'anonymous',
  userId: null,
  username: 'anonymous',
  displayName: 'anonymous',
  organizationId: null,
  roles: [],
  scopeCode: null,
  scopePrefix: 'none:', // matches no region code
  clearance: 'public',
};
