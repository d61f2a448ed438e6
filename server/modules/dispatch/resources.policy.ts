// SPDX-License-Identifier: Apache-2.0
// Who may do what with a dispatchable resource, beyond the grant table.
import type { Actor } from '../../platform/context.ts';

/**
 * The organization a social organization's member is confined to (they see and update only its
 * resources), or undefined for everyone else.
 */
export function confinedToOrganization(actor: Pick<Actor, 'roles' | 'organizationId'>): string | undefined {
  if (actor.roles.length === 0 || !actor.roles.every((r) => r === 'social-member')) return undefined;
  // a member without an organization sees nothing: no resource has the nil id as owner
  return actor.organizationId ?? '00000000-0000-0000-0000-000000000000';
}

/** Whether the actor's organization rule lets them at a resource of `ownerOrganizationId`. */
export function mayTouchOwner(actor: Pick<Actor, 'roles' | 'organizationId'>, ownerOrganizationId: string): boolean {
  const own = confinedToOrganization(actor);
  return own === undefined || own === ownerOrganizationId;
}

/** Agreements are signed by the government side: a social organization's member does not write them. */
export function mayWriteAgreement(actor: Pick<Actor, 'roles' | 'organizationId'>): boolean {
  return confinedToOrganization(actor) === undefined;
}
