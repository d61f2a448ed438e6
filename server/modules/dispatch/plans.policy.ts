// SPDX-License-Identifier: Apache-2.0
// The lifecycle of a plan version and who sees a plan, beyond the grant table.
//
// Who may: reading needs `plan:read` and the plan's owner region in the caller's scope or above it (a
// province's plan applies to its counties). Writing (create, edit a draft, drill, evaluate, revise, bind,
// import) needs `plan:write` with the owner region (for bindings: the bound region) in scope. Reviewing,
// returning and publishing need `plan:publish` with the owner region in scope: a region administrator or
// dispatcher whose region covers the plan's owner region.
import type { PlanAction, PlanStatus } from '../../../contracts/dispatch-plans.ts';
import { ancestorCodes, inScope } from '../../../contracts/region-codes.ts';

export { ancestorCodes };
import type { Actor } from '../../platform/context.ts';
import type { Action } from '../access/index.ts';

/** Statuses of a version that applies (the plan's published version). */
export const APPLYING: readonly PlanStatus[] = ['published', 'drilled', 'evaluated'];

/** Each action: the statuses it starts from, the status it leads to (revise leaves the version as it is) and the grant it needs. */
export const PLAN_TRANSITIONS: Record<PlanAction, { from: readonly PlanStatus[]; to: PlanStatus | 'unchanged'; needs: Action }> = {
  review: { from: ['draft'], to: 'reviewed', needs: 'plan:publish' },
  return: { from: ['reviewed'], to: 'draft', needs: 'plan:publish' },
  publish: { from: ['reviewed'], to: 'published', needs: 'plan:publish' },
  drill: { from: ['published', 'evaluated'], to: 'drilled', needs: 'plan:write' },
  evaluate: { from: ['drilled'], to: 'evaluated', needs: 'plan:write' },
  // a new draft copied from this version; this one becomes `revised` when the new draft is published
  revise: { from: APPLYING, to: 'unchanged', needs: 'plan:write' },
};

/** Whether the actor sees a plan owned by `regionCode`: in their scope, or above it. */
export function seesPlan(actor: Pick<Actor, 'scopePrefix' | 'scopeCode'>, regionCode: string): boolean {
  return inScope(actor.scopePrefix, regionCode) || (actor.scopeCode !== null && ancestorCodes(actor.scopeCode).includes(regionCode));
}
