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

/**
 * A denial decided inside a transaction. The transaction rolls back, and the denial is audited after it
 * (in a transaction of its own) by `withDeferredDenials`: the embedded engine has one connection, so a
 * second transaction cannot start while the first holds it.
 */
export class DeferredDenial extends Error {
  constructor(
    readonly reason: string,
    readonly action: Action,
    readonly resource: AccessResource & { type?: string; id?: string | null },
  ) {
    super(reason);
  }
}

/** Inside a transaction: throws a DeferredDenial unless the actor may do `action` on `resource`. */
export function check(ctx: RequestContext, action: Action, resource: AccessResource & { type?: string; id?: string | null } = {}): void {
  const decision = decide(ctx.actor, action, resource);
  if (!decision.allow) throw new DeferredDenial(decision.reason, action, resource);
}

/** Runs `fn` (which holds a transaction) and audits a DeferredDenial it threw, answering 403. */
export async function withDeferredDenials<T>(deps: Pick<Deps, 'db' | 'config'>, ctx: RequestContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof DeferredDenial)) throw err;
    throw await denied(deps, ctx, `not allowed: ${err.reason}`, {
      type: err.resource.type ?? err.action.split(':')[0],
      id: err.resource.id ?? null,
      regionCode: err.resource.regionCode ?? null,
      requested: err.action,
    });
  }
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
