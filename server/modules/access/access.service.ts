// SPDX-License-Identifier: Apache-2.0
// Authorization as a service: decide, and when the answer is no, audit the denial and throw 403.
import type { RequestContext } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { Forbidden } from '../../platform/errors.ts';
import { recordAuditNow } from '../audit/index.ts';
import { type AccessResource, type Action, decide } from './access.policy.ts';

/**
 * Records a denial decided by a rule outside the grant table (three-role separation, self-grants …) and
 * returns the 403 to throw: every denial is audited, whichever rule made it.
 */
export async function denied(
  deps: Pick<Deps, 'db' | 'config'>,
  ctx: RequestContext,
  reason: string,
  opts: { code?: string; type?: string; id?: string | null; regionCode?: string | null; requested?: string } = {},
): Promise<Forbidden> {
  await recordAuditNow(deps.db, ctx, deps.config.auditHash, {
    action: 'access.denied',
    resourceType: opts.type,
    resourceId: opts.id ?? null,
    regionCode: opts.regionCode ?? null,
    outcome: 'denied',
    reason,
    details: opts.requested ? { requested: opts.requested } : {},
  });
  return new Forbidden(reason, opts.code);
}

/** Throws Forbidden (and records the denial) unless the actor may do `action` on `resource`. */
export async function authorize(deps: Pick<Deps, 'db' | 'config'>, ctx: RequestContext, action: Action, resource: AccessResource & { type?: string; id?: string | null } = {}): Promise<void> {
  const decision = decide(ctx.actor, action, resource);
  if (decision.allow) return;
  await recordAuditNow(deps.db, ctx, deps.config.auditHash, {
    action: `access.denied`,
    resourceType: resource.type ?? action.split(':')[0],
    resourceId: resource.id ?? null,
    regionCode: resource.regionCode ?? null,
    outcome: 'denied',
    reason: decision.reason,
    details: { requested: action },
  });
  throw new Forbidden(`not allowed: ${decision.reason}`);
}
