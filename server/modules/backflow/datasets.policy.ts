// SPDX-License-Identifier: Apache-2.0
// Who may do what with a back-flow data set, beyond the grant table.
import type { Classification } from '../../../contracts/common.ts';
import type { Actor } from '../../platform/context.ts';
import { decide } from '../access/index.ts';

type DatasetRef = { owner_region_code: string; owner_region_prefix: string; classification: Classification };

/**
 * Whether a data set concerns the actor: it is owned within the actor's scope, or owned above it and so
 * published down into it. A county sees its province's data sets, not a neighbouring county's.
 */
export function concernsActor(actor: Pick<Actor, 'scopePrefix'>, ds: Pick<DatasetRef, 'owner_region_prefix'>): boolean {
  return ds.owner_region_prefix.startsWith(actor.scopePrefix) || actor.scopePrefix.startsWith(ds.owner_region_prefix);
}

/** Whether the actor is on the owner's side: may write in the owner region (publish, decide corrections). */
export function isOwnerSide(actor: Actor, ds: DatasetRef): boolean {
  return decide(actor, 'dataset:write', { regionCode: ds.owner_region_code, classification: ds.classification }).allow;
}

/** A proposer does not decide their own correction: someone else on the owner's side reviews it. */
export function mayDecide(actor: Pick<Actor, 'userId'>, correction: { proposed_by: string | null }): boolean {
  return correction.proposed_by === null || correction.proposed_by !== actor.userId;
}
