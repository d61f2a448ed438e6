// SPDX-License-Identifier: Apache-2.0
// Binding a plan version's abstract roles to the organizations of a region: a proposal by department type
// and level (the region's own department, or the one of the ancestor at the role's level), overridable by
// hand, and the answer which roles the steps use that are still unbound.
import type { BindingInput, PlanBinding, PlanRole } from '../../../contracts/dispatch-plans.ts';
import { LEVELS, type Level } from '../../../contracts/regions.ts';
import { inScope, levelOfCode, scopePrefixOf } from '../../../contracts/region-codes.ts';
import type { RequestContext } from '../../platform/context.ts';
import { type Executor, executor, withTransaction } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { type FieldError, Invalid, NotFound } from '../../platform/errors.ts';
import { publish } from '../../platform/outbox.ts';
import { authorize } from '../access/index.ts';
import { recordAudit } from '../audit/index.ts';
import { findCurrentRegion } from '../regions/index.ts';
import { findPlanRole } from './plan-roles.ts';
import { ancestorCodes } from './plans.policy.ts';
import { loadPlan } from './plans.service.ts';
import * as store from './plans.store.ts';
import { rolesUsed } from './plans.structure.ts';

type Proposal = { organizationId: string; organizationName: string };

/** The codes of a region and its ancestors, nearest first. */
const pathOf = (regionCode: string) => [regionCode, ...ancestorCodes(regionCode)];

/** The ancestor-or-self of `regionCode` at `level`, when the level is not below the region. */
function codeAtLevel(regionCode: string, level: Level): string | undefined {
  return pathOf(regionCode).find((c) => levelOfCode(c) === level);
}

/**
 * Proposes an organization for each role in `regionCode`: an active government department of the role's
 * type in the region at the role's level on the region's path, else the nearest on the path (the region,
 * then upwards). A role below the region (a township head for a county) falls back to the region's own.
 */
export async function proposeBindings(db: Executor, regionCode: string, roles: readonly PlanRole[]): Promise<Map<string, Proposal>> {
  const path = pathOf(regionCode);
  const candidates = await store.departmentCandidates(db, path, [...new Set(roles.map((r) => r.departmentType))]);
  const out = new Map<string, Proposal>();
  for (const role of roles) {
    const preferred = LEVELS.indexOf(role.level) <= LEVELS.indexOf(levelOfCode(regionCode)) ? codeAtLevel(regionCode, role.level) : undefined;
    const rank = (code: string) => (code === preferred ? -1 : path.indexOf(code));
    const best = candidates
      .filter((o) => o.department_type === role.departmentType && path.includes(o.region_code))
      .sort((a, b) => rank(a.region_code) - rank(b.region_code) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id))[0];
    if (best) out.set(role.key, { organizationId: best.id, organizationName: best.name });
  }
  return out;
}

async function bindingRegion(db: Executor, p: store.PlanRecord, v: store.VersionRecord, regionCode: string | undefined, field: string): Promise<string> {
  const code = regionCode ?? p.region_code;
  if (!(await findCurrentRegion(db, code))) throw new Invalid('no such region', [{ field, message: `no current region ${code}` }]);
  if (!v.applicable_regions.some((a) => inScope(scopePrefixOf(a), code))) {
    throw new Invalid('the plan does not apply there', [{ field, message: `region ${code} lies in none of the applicable regions ${v.applicable_regions.join(', ')}` }]);
  }
  return code;
}

async function presentBinding(db: Executor, p: store.PlanRecord, v: store.VersionRecord, regionCode: string): Promise<PlanBinding> {
  const roles = rolesUsed({ levels: v.levels }).map((k) => findPlanRole(k)).filter((r): r is PlanRole => r !== undefined);
  const bound = new Map((await store.listBindings(db, p.id, v.version, regionCode)).map((b) => [b.role_key, b]));
  const proposals = await proposeBindings(db, regionCode, roles);
  const items = roles.map((r) => {
    const b = bound.get(r.key);
    const proposal = proposals.get(r.key);
    return {
      ...r,
      organizationId: b?.organization_id ?? null,
      organizationName: b?.organization_name ?? null,
      source: b?.source ?? null,
      proposedOrganizationId: proposal?.organizationId ?? null,
      proposedOrganizationName: proposal?.organizationName ?? null,
    };
  });
  const unbound = items.filter((r) => r.organizationId === null).map((r) => r.key);
  return { planId: p.id, version: v.version, regionCode, roles: items, unbound, complete: unbound.length === 0 };
}

/** The binding of a version in a region (default: the plan's owner region), with proposals for every role. */
export async function getBinding(deps: Deps, ctx: RequestContext, id: string, version: number, regionCode?: string): Promise<PlanBinding> {
  const p = await loadPlan(deps, ctx, id, 'plan:read');
  const db = executor(deps.db);
  const v = await store.findVersion(db, p.id, version);
  if (!v) throw new NotFound(`plan ${p.code} has no version ${version}`);
  const code = await bindingRegion(db, p, v, regionCode, 'querystring.regionCode');
  await authorize(deps, ctx, 'plan:read', { regionCode: code, type: 'plan', id });
  return presentBinding(db, p, v, code);
}

/** Whether an organization may take a role in `regionCode`: active, and of the region, above it or below it. */
function organizationProblem(org: store.OrganizationRecord | undefined, regionCode: string): string | null {
  if (!org) return 'no such organization';
  if (!org.active) return 'the organization is inactive';
  if (!inScope(scopePrefixOf(regionCode), org.region_code) && !ancestorCodes(regionCode).includes(org.region_code)) {
    return `the organization belongs to ${org.region_code}, neither in nor above ${regionCode}`;
  }
  return null;
}

/**
 * Binds roles of a version in a region of the caller's scope: the listed ones as given (null unbinds), and
 * with `auto` every other unbound role to its proposal. All or nothing; answers the binding as it now is.
 */
export async function putBinding(deps: Deps, ctx: RequestContext, id: string, version: number, input: BindingInput): Promise<PlanBinding> {
  const p = await loadPlan(deps, ctx, id, 'plan:read');
  const db = executor(deps.db);
  const v = await store.findVersion(db, p.id, version);
  if (!v) throw new NotFound(`plan ${p.code} has no version ${version}`);
  const code = await bindingRegion(db, p, v, input.regionCode, 'body.regionCode');
  await authorize(deps, ctx, 'plan:write', { regionCode: code, type: 'plan', id });
  const used = new Set(rolesUsed({ levels: v.levels }));
  const orgs = new Map((await store.findOrganizations(db, input.bindings.flatMap((b) => (b.organizationId ? [b.organizationId] : [])))).map((o) => [o.id, o]));
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  input.bindings.forEach((b, i) => {
    if (!used.has(b.roleKey)) errors.push({ field: `body.bindings[${i}].roleKey`, message: `the steps of version ${version} use no role ${b.roleKey}` });
    if (seen.has(b.roleKey)) errors.push({ field: `body.bindings[${i}].roleKey`, message: `role ${b.roleKey} appears twice` });
    seen.add(b.roleKey);
    const problem = b.organizationId ? organizationProblem(orgs.get(b.organizationId), code) : null;
    if (problem) errors.push({ field: `body.bindings[${i}].organizationId`, message: problem });
  });
  if (errors.length) throw new Invalid('the binding is not valid', errors);
  const current = new Set((await store.listBindings(db, p.id, version, code)).map((b) => b.role_key));
  const roles = [...used].map((k) => findPlanRole(k)).filter((r): r is PlanRole => r !== undefined);
  const proposals = input.auto ? await proposeBindings(db, code, roles.filter((r) => !seen.has(r.key) && !current.has(r.key))) : new Map<string, Proposal>();
  return withTransaction(deps.db, async (tx) => {
    for (const b of input.bindings) {
      if (b.organizationId) await store.upsertBinding(tx, { plan_id: p.id, version, region_code: code, role_key: b.roleKey, organization_id: b.organizationId, source: 'manual', bound_by: ctx.actor.userId });
      else await store.deleteBinding(tx, p.id, version, code, b.roleKey);
    }
    for (const [roleKey, proposal] of proposals) {
      await store.upsertBinding(tx, { plan_id: p.id, version, region_code: code, role_key: roleKey, organization_id: proposal.organizationId, source: 'auto', bound_by: ctx.actor.userId });
    }
    const result = await presentBinding(tx, p, v, code);
    const details = { code: p.code, version, regionCode: code, manual: input.bindings.length, auto: proposals.size, unbound: result.unbound };
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'plan.binding.updated', resourceType: 'plan', resourceId: p.id, regionCode: code, details });
    await publish(tx, { topic: 'plan.binding.updated', aggregateId: p.id, regionCode: code, payload: { id: p.id, ...details } });
    return result;
  });
}

export type RoleAssignment = { organizationId: string; organizationName: string; assignedBy: 'binding' | 'proposal' };

/**
 * Who takes each role of a version for work in `regionCode`: the binding of the nearest region on the
 * region's path (itself, then upwards) that has one, and for roles it leaves unbound the proposal by
 * department type. Roles neither bound nor proposable are missing from the map.
 */
export async function assignRoles(db: Executor, planId: string, version: number, regionCode: string, roleKeys: readonly string[]): Promise<{ bindingRegionCode: string; roles: Map<string, RoleAssignment> }> {
  let bindingRegionCode = regionCode;
  let bound: store.BindingRecord[] = [];
  for (const code of pathOf(regionCode)) {
    bound = await store.listBindings(db, planId, version, code);
    if (bound.length) {
      bindingRegionCode = code;
      break;
    }
  }
  const roles = new Map<string, RoleAssignment>(bound.filter((b) => roleKeys.includes(b.role_key)).map((b) => [b.role_key, { organizationId: b.organization_id, organizationName: b.organization_name, assignedBy: 'binding' }]));
  const missing = roleKeys.map((k) => findPlanRole(k)).filter((r): r is PlanRole => r !== undefined && !roles.has(r.key));
  for (const [key, p] of await proposeBindings(db, bindingRegionCode, missing)) roles.set(key, { ...p, assignedBy: 'proposal' });
  return { bindingRegionCode, roles };
}
