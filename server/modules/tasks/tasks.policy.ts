// SPDX-License-Identifier: Apache-2.0
// The task lifecycle and who may take each step: executors (members of the task's organization, or its
// responsible person) carry the task out; managers (task:write in its region) assign, approve and close it.
import type { TaskActionName, TaskStatus } from '../../../contracts/tasks.ts';
import { inScope } from '../../../contracts/region-codes.ts';
import type { Actor } from '../../platform/context.ts';
import { decide } from '../access/index.ts';

type Transition = { from: readonly TaskStatus[]; to: TaskStatus | 'unchanged'; by: 'executor' | 'manager' | 'reader' };

const OPEN: readonly TaskStatus[] = ['assigned', 'accepted', 'in_progress', 'submitted', 'returned'];

export const TASK_TRANSITIONS: Record<TaskActionName, Transition> = {
  accept: { from: ['assigned'], to: 'accepted', by: 'executor' },
  start: { from: ['accepted', 'returned'], to: 'in_progress', by: 'executor' },
  submit: { from: ['in_progress'], to: 'submitted', by: 'executor' },
  approve: { from: ['submitted'], to: 'done', by: 'manager' },
  return: { from: ['submitted'], to: 'returned', by: 'manager' },
  reassign: { from: ['assigned', 'accepted', 'in_progress', 'returned'], to: 'assigned', by: 'manager' },
  delegate: { from: ['assigned', 'accepted', 'in_progress', 'returned'], to: 'unchanged', by: 'executor' },
  cancel: { from: OPEN, to: 'cancelled', by: 'manager' },
  comment: { from: [...OPEN, 'done', 'cancelled'], to: 'unchanged', by: 'reader' },
  pay: { from: ['done'], to: 'unchanged', by: 'manager' },
};

export type TaskSubject = {
  region_code: string;
  organization_id: string;
  organization_region_code: string;
  responsible_user_id: string | null;
  kind?: 'governance' | 'service';
  offer_status?: 'open' | 'awarded' | 'withdrawn' | null;
  payment_status?: 'unpaid' | 'paid' | null;
};

/** Why an action does not apply to a task beyond its status (a service task on offer, paying what is not payable), or null. */
export function blockedAction(t: TaskSubject, action: TaskActionName): string | null {
  if (t.offer_status === 'open' && ['accept', 'start', 'submit', 'delegate'].includes(action)) return 'the service task is still on offer: award it first';
  if (action === 'pay' && (t.kind !== 'service' || t.offer_status !== 'awarded')) return 'only an awarded service task is paid';
  if (action === 'pay' && t.payment_status === 'paid') return 'the service task is paid';
  return null;
}

/**
 * The organization a social organization's member is confined to: they see and act on only the tasks of
 * their organization. Undefined for everyone else.
 */
export function confinedToOrganization(actor: Pick<Actor, 'roles' | 'organizationId'>): string | undefined {
  if (actor.roles.length === 0 || !actor.roles.every((r) => r === 'social-member')) return undefined;
  return actor.organizationId ?? '00000000-0000-0000-0000-000000000000';
}

/** Whether the actor sees the task: its region or its organization's region in scope, or it is their organization's. */
export function seesTask(actor: Actor, t: TaskSubject): boolean {
  if (!decide(actor, 'task:read').allow) return false;
  const own = confinedToOrganization(actor);
  if (own !== undefined) return t.organization_id === own;
  return t.organization_id === actor.organizationId || t.responsible_user_id === actor.userId
    || inScope(actor.scopePrefix, t.region_code) || inScope(actor.scopePrefix, t.organization_region_code);
}

/** Whether the actor manages the task: task:write in the task's region (a social member never does). */
export function managesTask(actor: Actor, t: TaskSubject): boolean {
  return confinedToOrganization(actor) === undefined && decide(actor, 'task:write', { regionCode: t.region_code }).allow;
}

/** Whether the actor carries the task out: task:execute and its organization's member or its responsible person. */
export function executesTask(actor: Actor, t: TaskSubject): boolean {
  if (!decide(actor, 'task:execute').allow) return false;
  return t.responsible_user_id === actor.userId || (t.organization_id === actor.organizationId && t.responsible_user_id === null)
    || (t.organization_id === actor.organizationId && confinedToOrganization(actor) === undefined);
}

/** Whether the actor may take `action` on the task (not whether its status allows it). */
export function mayAct(actor: Actor, t: TaskSubject, action: TaskActionName): boolean {
  const by = TASK_TRANSITIONS[action].by;
  if (by === 'reader') return seesTask(actor, t);
  if (by === 'manager') return managesTask(actor, t);
  return executesTask(actor, t) || managesTask(actor, t);
}

/** The actions the actor may take now on a task in `status`. */
export function availableActions(actor: Actor, t: TaskSubject & { status: TaskStatus }): TaskActionName[] {
  return (Object.keys(TASK_TRANSITIONS) as TaskActionName[]).filter((a) => TASK_TRANSITIONS[a].from.includes(t.status) && blockedAction(t, a) === null && mayAct(actor, t, a));
}
