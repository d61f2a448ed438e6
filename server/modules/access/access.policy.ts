// SPDX-License-Identifier: Apache-2.0
// The one decision point: (actor, action, resource with region and classification) → allow or deny with a reason.
import { CLASSIFICATIONS, type Classification } from '../../../contracts/common.ts';
import { type Role, SEPARATED_ROLES } from '../../../contracts/identity.ts';
import type { Actor } from '../../platform/context.ts';
import { inScope } from '../../../contracts/region-codes.ts';

/** Every action a route can require. */
export const ACTIONS = [
  'region:read',
  'region:write',
  'region:change',
  'region:import',
  'org:read',
  'org:write',
  'user:read',
  'user:write',
  'user:grant',
  'classification:read',
  'classification:write',
  'audit:read',
  'token:manage',
  'twin:read',
  'twin:write',
  'dataset:read',
  'dataset:propose',
  'dataset:write',
  'resource:read',
  'resource:write',
  'resource:dispatch',
  'resource-type:write',
  'incident:read',
  'incident:report',
  'incident:manage',
  'warning:read',
  'warning:issue',
  'plan:read',
  'plan:write',
  'plan:publish',
  'task:read',
  'task:execute',
  'task:write',
  'indicator:read',
  'indicator:report',
  'indicator:write',
  'policy:read',
  'policy:write',
] as const;
export type Action = (typeof ACTIONS)[number];

const EVERYONE: Action[] = ['region:read', 'org:read', 'token:manage'];
// Roles that work with the city's data read the twin; those that run operations also write it.
const TWIN_READ: Action[] = ['twin:read'];
const TWIN_WRITE: Action[] = ['twin:read', 'twin:write'];
// Back-flow data sets: readers may propose corrections to rows they see; writers publish and decide.
const DATASET_READ: Action[] = ['dataset:read', 'dataset:propose'];
const DATASET_WRITE: Action[] = [...DATASET_READ, 'dataset:write'];
// Incidents: readers follow the queue; reporters also report; managers verify, dispatch and close.
const INCIDENT_READ: Action[] = ['incident:read'];
const INCIDENT_REPORT: Action[] = ['incident:read', 'incident:report'];
const INCIDENT_MANAGE: Action[] = [...INCIDENT_REPORT, 'incident:manage'];
// Public warnings (CAP): incident readers read them; those who manage incidents issue, update and cancel them.
const WARNING_READ: Action[] = ['warning:read'];
const WARNING_ISSUE: Action[] = ['warning:read', 'warning:issue'];
// Dispatchable resources: writers keep their region's resources current; dispatchers reserve and release them.
const RESOURCE_READ: Action[] = ['resource:read'];
const RESOURCE_WRITE: Action[] = ['resource:read', 'resource:write'];
const RESOURCE_DISPATCH: Action[] = ['resource:read', 'resource:dispatch'];
// Contingency plans: readers consult them; writers edit drafts, bind roles and import; publishers review and publish.
const PLAN_READ: Action[] = ['plan:read'];
const PLAN_PUBLISH: Action[] = ['plan:read', 'plan:write', 'plan:publish'];
// Tasks: readers follow them; executors accept, carry out and submit their organization's tasks; managers
// create, assign, approve, return, reassign and cancel them.
const TASK_READ: Action[] = ['task:read'];
const TASK_EXECUTE: Action[] = ['task:read', 'task:execute'];
const TASK_MANAGE: Action[] = [...TASK_EXECUTE, 'task:write'];
// Indicators: readers see values, alerts and the cockpit; reporters give the values organizations report;
// writers define indicators, set targets, compute on demand and handle alerts.
const INDICATOR_READ: Action[] = ['indicator:read'];
const INDICATOR_REPORT: Action[] = ['indicator:read', 'indicator:report'];
const INDICATOR_WRITE: Action[] = [...INDICATOR_REPORT, 'indicator:write'];
// Policies: indicator readers read them and their five linkages; region administrators issue them, set
// their goals and decompose goals into tasks.
const POLICY_READ: Action[] = ['policy:read'];
const POLICY_WRITE: Action[] = ['policy:read', 'policy:write'];

/** What each role may do (within its scope). */
export const ROLE_GRANTS: Record<Role, readonly Action[]> = {
  // 系统管理员: the platform's structure and accounts, but not roles of the separated administrators nor the audit log.
  'system-admin': [...EVERYONE, ...POLICY_WRITE, ...INDICATOR_WRITE, ...TASK_READ, 'task:write', ...TWIN_WRITE, ...DATASET_WRITE, ...INCIDENT_MANAGE, ...WARNING_ISSUE, ...RESOURCE_WRITE, ...PLAN_PUBLISH, 'resource-type:write', 'region:write', 'region:change', 'region:import', 'org:write', 'user:read', 'user:write'],
  // 安全保密管理员: grants, clearance, lockouts and data classification.
  'security-admin': [...EVERYONE, 'user:read', 'user:grant', 'classification:read', 'classification:write'],
  // 安全审计员: reads the audit log, nothing else.
  'audit-admin': ['region:read', 'audit:read', 'token:manage'],
  'region-admin': [...EVERYONE, ...POLICY_WRITE, ...INDICATOR_WRITE, ...TASK_MANAGE, ...TWIN_WRITE, ...DATASET_WRITE, ...INCIDENT_MANAGE, ...WARNING_ISSUE, ...RESOURCE_WRITE, ...RESOURCE_DISPATCH, ...PLAN_PUBLISH, 'region:write', 'org:write', 'user:read', 'user:write', 'classification:read'],
  operator: [...EVERYONE, ...POLICY_READ, ...INDICATOR_REPORT, ...TASK_EXECUTE, ...TWIN_WRITE, ...DATASET_WRITE, ...INCIDENT_REPORT, ...WARNING_READ, ...RESOURCE_WRITE, ...PLAN_READ],
  dispatcher: [...EVERYONE, ...POLICY_READ, ...INDICATOR_WRITE, ...TASK_MANAGE, ...TWIN_READ, ...DATASET_READ, ...INCIDENT_MANAGE, ...WARNING_ISSUE, ...RESOURCE_DISPATCH, ...PLAN_PUBLISH],
  'task-handler': [...EVERYONE, ...POLICY_READ, ...INDICATOR_REPORT, ...TASK_EXECUTE, ...TWIN_READ, ...DATASET_READ, ...INCIDENT_READ, ...WARNING_READ, ...RESOURCE_READ, ...PLAN_READ],
  'social-member': [...EVERYONE, ...TASK_EXECUTE, ...TWIN_READ, 'incident:report', ...RESOURCE_WRITE],
  viewer: [...EVERYONE, ...POLICY_READ, ...INDICATOR_READ, ...TASK_READ, ...TWIN_READ, ...DATASET_READ, ...INCIDENT_READ, ...WARNING_READ, ...RESOURCE_READ, ...PLAN_READ],
};

/** The resource an action applies to: its region and classification, where it has them. */
export type AccessResource = { regionCode?: string | null; classification?: Classification; ownerOrganizationId?: string | null };

/** The outcome of a decision. */
export type Decision = { allow: true } | { allow: false; reason: string };

/** All actions granted to the actor's roles. */
export function permissionsOf(actor: Pick<Actor, 'roles'>): Action[] {
  return [...new Set(actor.roles.flatMap((r) => ROLE_GRANTS[r]))].sort();
}

/** Whether `actor` has clearance for data of `classification`. */
export function hasClearance(actor: Pick<Actor, 'clearance'>, classification: Classification): boolean {
  return CLASSIFICATIONS.indexOf(actor.clearance) >= CLASSIFICATIONS.indexOf(classification);
}

/** Decides whether `actor` may do `action` on `resource`. */
export function decide(actor: Actor, action: Action, resource: AccessResource = {}): Decision {
  if (!actor.roles.some((r) => ROLE_GRANTS[r].includes(action))) {
    return { allow: false, reason: `none of the roles ${actor.roles.join(', ')} grants ${action}` };
  }
  if (resource.regionCode !== undefined && !inScope(actor.scopePrefix, resource.regionCode)) {
    return { allow: false, reason: `region ${resource.regionCode ?? '(platform)'} is outside the scope ${actor.scopeCode ?? 'platform'}` };
  }
  if (resource.classification && !hasClearance(actor, resource.classification)) {
    return { allow: false, reason: `data classified ${resource.classification} needs clearance above ${actor.clearance}` };
  }
  return { allow: true };
}

/** Roles a given actor may put on an account (three-role separation decides who grants the separated ones). */
export function grantableRoles(actor: Actor): Role[] {
  const business: Role[] = ['region-admin', 'operator', 'dispatcher', 'task-handler', 'social-member', 'viewer'];
  if (actor.roles.includes('security-admin')) return [...SEPARATED_ROLES, ...business];
  if (actor.roles.includes('system-admin') || actor.roles.includes('region-admin')) return business;
  return [];
}

/** The three-role-separation rule: returns the conflicting roles, or null. */
export function separationConflict(roles: readonly Role[]): Role[] | null {
  const held = roles.filter((r) => SEPARATED_ROLES.includes(r));
  return held.length > 1 ? held : null;
}
