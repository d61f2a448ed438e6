// SPDX-License-Identifier: Apache-2.0
// Contingency plans (预案): the library, versions moving through draft → reviewed → published → drilled →
// evaluated → revised (a published version never changes: a revision is a new draft copied from it), the
// structured diff, which version applies to an incident, and the record of which version an activation used.
import type {
  Plan, PlanContent, PlanDetail, PlanDiff, PlanInput, PlanLevel, PlanQuery, PlanTransition, PlanTransitionResult, PlanVersion, PlanVersionSummary,
} from '../../../contracts/dispatch-plans.ts';
import type { Grade } from '../../../contracts/dispatch-incidents.ts';
import { inScope, scopePrefixOf } from '../../../contracts/region-codes.ts';
import type { Config } from '../../platform/config.ts';
import type { RequestContext } from '../../platform/context.ts';
import { type Executor, executor, withTransaction } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { Conflict, type FieldError, Invalid, NotFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { publish } from '../../platform/outbox.ts';
import { type Action, authorize, check, denied, withDeferredDenials } from '../access/index.ts';
import { recordAudit } from '../audit/index.ts';
import { findCurrentRegion, findCurrentRegions } from '../regions/index.ts';
import { categoryOf, describeIncidentType, GRADE_NUMBER } from './incident-types.ts';
import { diffContents } from './plans.diff.ts';
import { ancestorCodes, APPLYING, PLAN_TRANSITIONS, seesPlan } from './plans.policy.ts';
import * as store from './plans.store.ts';
import { structureProblems } from './plans.structure.ts';

export function presentPlan(p: store.PlanRecord): Plan {
  return {
    id: p.id,
    code: p.code,
    name: p.name,
    scenarioType: p.scenario_type,
    scenarioName: describeIncidentType(p.scenario_type)?.name ?? null,
    regionCode: p.region_code,
    regionName: p.region_name,
    ownerOrganizationId: p.owner_organization_id,
    ownerOrganizationName: p.owner_organization_name,
    status: p.status,
    latestVersion: p.latest_version,
    publishedVersion: p.published_version,
    importedFrom: p.imported_from,
    createdAt: p.created_at.toISOString(),
    updatedAt: p.updated_at.toISOString(),
  };
}

function presentSummary(v: store.VersionRecord): PlanVersionSummary {
  return {
    version: v.version,
    status: v.status,
    name: v.name,
    basedOn: v.based_on,
    createdBy: v.created_by_name,
    createdAt: v.created_at.toISOString(),
    updatedAt: v.updated_at.toISOString(),
    publishedAt: v.published_at?.toISOString() ?? null,
  };
}

/** The content of a stored version. */
export function contentOf(v: store.VersionRecord): PlanContent {
  return { name: v.name, applicableRegions: v.applicable_regions, triggers: v.triggers, levels: v.levels };
}

async function presentVersion(db: Executor, p: store.PlanRecord, v: store.VersionRecord): Promise<PlanVersion> {
  const events = await store.listEvents(db, p.id, v.version);
  return {
    ...presentSummary(v),
    planId: p.id,
    code: p.code,
    scenarioType: p.scenario_type,
    regionCode: p.region_code,
    applicableRegions: v.applicable_regions,
    triggers: v.triggers,
    levels: v.levels,
    editable: v.status === 'draft',
    events: events.map((e) => ({
      id: Number(e.id), version: e.version, action: e.action, fromStatus: e.from_status, toStatus: e.to_status, note: e.note, actor: e.actor_name, at: e.at.toISOString(),
    })),
  };
}

async function presentDetail(db: Executor, p: store.PlanRecord): Promise<PlanDetail> {
  return { ...presentPlan(p), versions: (await store.listVersions(db, p.id)).map(presentSummary) };
}

/**
 * Loads a plan for `action`: it exists; the caller sees it (reading) or has its owner region in scope
 * (writing, publishing). Denials are audited.
 */
export async function loadPlan(deps: Deps, ctx: RequestContext, id: string, action: Action): Promise<store.PlanRecord> {
  await authorize(deps, ctx, action, { type: 'plan', id });
  const p = await store.findPlan(executor(deps.db), id);
  if (!p) throw new NotFound(`no plan ${id}`);
  if (action === 'plan:read') {
    if (!seesPlan(ctx.actor, p.region_code)) {
      throw await denied(deps, ctx, `not allowed: plan ${p.code} is held for ${p.region_code}, which neither contains nor lies above the scope ${ctx.actor.scopeCode ?? 'platform'}`, {
        type: 'plan', id, regionCode: p.region_code, requested: action,
      });
    }
  } else {
    await authorize(deps, ctx, action, { regionCode: p.region_code, type: 'plan', id });
  }
  return p;
}

async function loadVersion(db: Executor, p: store.PlanRecord, version: number): Promise<store.VersionRecord> {
  const v = await store.findVersion(db, p.id, version);
  if (!v) throw new NotFound(`plan ${p.code} has no version ${version}`);
  return v;
}

/**
 * Checks a plan's content against the catalogs and its owner region: known incident types, roles and
 * resource types, valid dependencies, and applicable regions that exist within the owner region.
 */
export async function contentProblems(db: Executor, content: Pick<PlanContent, 'applicableRegions' | 'triggers' | 'levels'>, ownerRegion: string, prefix: string): Promise<FieldError[]> {
  const resourceTypes = new Set((await store.resourceTypeNames(db)).map((t) => t.code));
  const errors = structureProblems(content, { resourceTypes }, prefix);
  const known = new Set((await findCurrentRegions(db, [...new Set(content.applicableRegions)])).map((r) => r.code));
  const ownerPrefix = scopePrefixOf(ownerRegion);
  content.applicableRegions.forEach((code, i) => {
    if (!known.has(code)) errors.push({ field: `${prefix}.applicableRegions[${i}]`, message: `no current region ${code}` });
    else if (!inScope(ownerPrefix, code)) errors.push({ field: `${prefix}.applicableRegions[${i}]`, message: `region ${code} lies outside the owner region ${ownerRegion}` });
  });
  return errors;
}

/** Whether an organization may own a plan of `regionCode`: active, and of the region, above it or below it. */
function ownerProblem(org: store.OrganizationRecord | undefined, regionCode: string): string | null {
  if (!org) return 'no such organization';
  if (!org.active) return 'the organization is inactive';
  if (!inScope(scopePrefixOf(regionCode), org.region_code) && !ancestorCodes(regionCode).includes(org.region_code)) {
    return `the organization belongs to ${org.region_code}, neither in nor above ${regionCode}`;
  }
  return null;
}

// --- the library ----------------------------------------------------------------------------------

/** Plans the caller sees (their scope and above), filtered by scenario type, region, status and text. */
export async function listPlans(deps: Deps, ctx: RequestContext, q: PlanQuery) {
  await authorize(deps, ctx, 'plan:read');
  const { rows, total } = await store.listPlans(
    executor(deps.db),
    {
      scopePrefix: ctx.actor.scopePrefix,
      ancestorCodes: ctx.actor.scopeCode ? ancestorCodes(ctx.actor.scopeCode) : [],
      scenarioTypes: q.scenarioType ? [q.scenarioType] : undefined,
      regionPrefix: q.regionCode ? scopePrefixOf(q.regionCode) : undefined,
      status: q.status,
      q: q.q,
    },
    q.limit,
    q.offset,
  );
  return { items: rows.map(presentPlan), total, limit: q.limit, offset: q.offset };
}

export async function getPlan(deps: Deps, ctx: RequestContext, id: string): Promise<PlanDetail> {
  return presentDetail(executor(deps.db), await loadPlan(deps, ctx, id, 'plan:read'));
}

export async function getPlanVersion(deps: Deps, ctx: RequestContext, id: string, version: number): Promise<PlanVersion> {
  const p = await loadPlan(deps, ctx, id, 'plan:read');
  const db = executor(deps.db);
  return presentVersion(db, p, await loadVersion(db, p, version));
}

/** Creates a plan owned by a region of the caller's scope; its content becomes version 1, a draft. */
export async function createPlan(deps: Deps, ctx: RequestContext, input: PlanInput): Promise<PlanDetail> {
  const regionCode = input.regionCode ?? ctx.actor.scopeCode;
  if (!regionCode) throw new Invalid('name the owner region of the plan', [{ field: 'body.regionCode', message: 'required for a caller without a region scope' }]);
  await authorize(deps, ctx, 'plan:write', { regionCode, type: 'plan', id: input.code });
  const db = executor(deps.db);
  const errors: FieldError[] = [];
  if (!describeIncidentType(input.scenarioType)) errors.push({ field: 'body.scenarioType', message: `no incident type ${input.scenarioType}` });
  if (!(await findCurrentRegion(db, regionCode))) errors.push({ field: 'body.regionCode', message: `no current region ${regionCode}` });
  const ownerId = input.ownerOrganizationId ?? ctx.actor.organizationId;
  if (!ownerId) errors.push({ field: 'body.ownerOrganizationId', message: 'required for a caller without an organization' });
  else {
    const problem = ownerProblem((await store.findOrganizations(db, [ownerId]))[0], regionCode);
    if (problem) errors.push({ field: 'body.ownerOrganizationId', message: problem });
  }
  errors.push(...(await contentProblems(db, input, regionCode, 'body')));
  if (errors.length || !ownerId) throw new Invalid('the plan is not valid', errors);
  const id = newId();
  return withTransaction(deps.db, async (tx) => {
    const ok = await store.insertPlan(tx, {
      id, code: input.code, name: input.name, scenario_type: input.scenarioType, region_code: regionCode, owner_organization_id: ownerId, imported_from: null, created_by: ctx.actor.userId,
    });
    if (!ok) throw new Conflict(`region ${regionCode} already has a plan ${input.code}`);
    await writeFirstVersion(tx, ctx, id, input, 'create', null);
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'plan.created', resourceType: 'plan', resourceId: id, regionCode, details: { code: input.code, name: input.name, scenarioType: input.scenarioType } });
    await publish(tx, { topic: 'plan.created', aggregateId: id, regionCode, payload: { id, code: input.code, name: input.name, scenarioType: input.scenarioType, version: 1 } });
    return presentDetail(tx, (await store.findPlan(tx, id)) as store.PlanRecord);
  });
}

/** Writes version 1 (a draft) of a new plan with its first event. */
export async function writeFirstVersion(tx: Executor, ctx: RequestContext, planId: string, content: PlanContent, action: string, note: string | null): Promise<void> {
  await store.insertVersion(tx, {
    plan_id: planId, version: 1, name: content.name, applicable_regions: content.applicableRegions, triggers: content.triggers, levels: content.levels, based_on: null,
    created_by: ctx.actor.userId, created_by_name: ctx.actor.username,
  });
  await store.insertEvent(tx, { plan_id: planId, version: 1, action, from_status: null, to_status: 'draft', note, actor_id: ctx.actor.userId, actor_name: ctx.actor.username });
}

/** Replaces the content of a draft version (any other status: 409, a published version never changes). */
export async function updateDraft(deps: Deps, ctx: RequestContext, id: string, version: number, content: PlanContent): Promise<PlanVersion> {
  const p = await loadPlan(deps, ctx, id, 'plan:write');
  const db = executor(deps.db);
  const v = await loadVersion(db, p, version);
  if (v.status !== 'draft') throw new Conflict(`version ${version} of plan ${p.code} is ${v.status}: only a draft changes; revise it to make a new draft`, 'version-immutable');
  const errors = await contentProblems(db, content, p.region_code, 'body');
  if (errors.length) throw new Invalid('the plan version is not valid', errors);
  return withTransaction(deps.db, async (tx) => {
    const locked = (await store.findPlan(tx, id, true)) as store.PlanRecord;
    const current = await loadVersion(tx, locked, version);
    if (current.status !== 'draft') throw new Conflict(`version ${version} of plan ${p.code} is ${current.status}: only a draft changes`, 'version-immutable');
    await store.updateDraftContent(tx, id, version, { name: content.name, applicable_regions: content.applicableRegions, triggers: content.triggers, levels: content.levels });
    if (version === locked.latest_version) {
      await store.updatePlanHead(tx, id, { name: content.name, status: locked.status, latest_version: locked.latest_version, published_version: locked.published_version });
    }
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'plan.version.updated', resourceType: 'plan', resourceId: id, regionCode: p.region_code, details: { code: p.code, version } });
    await publish(tx, { topic: 'plan.version.updated', aggregateId: id, regionCode: p.region_code, payload: { id, code: p.code, version } });
    return presentVersion(tx, locked, (await store.findVersion(tx, id, version)) as store.VersionRecord);
  });
}

/** Moves a version through its lifecycle; `revise` makes a new draft from an applying version. */
export async function transitionVersion(deps: Deps, ctx: RequestContext, id: string, version: number, input: PlanTransition): Promise<PlanTransitionResult> {
  const rule = PLAN_TRANSITIONS[input.action];
  const p = await loadPlan(deps, ctx, id, rule.needs);
  const note = input.note ?? null;
  return withDeferredDenials(deps, ctx, () => withTransaction(deps.db, async (tx) => {
    const locked = (await store.findPlan(tx, id, true)) as store.PlanRecord;
    check(ctx, rule.needs, { regionCode: locked.region_code, type: 'plan', id });
    const v = await loadVersion(tx, locked, version);
    if (!rule.from.includes(v.status)) {
      throw new Conflict(`cannot ${input.action} version ${version} of plan ${p.code}: it is ${v.status} (${input.action} starts from ${rule.from.join(' or ')})`, 'invalid-transition');
    }
    const actor = { actor_id: ctx.actor.userId, actor_name: ctx.actor.username };
    let created: number | null = null;
    let head = { name: locked.name, status: locked.status, latest_version: locked.latest_version, published_version: locked.published_version };
    if (input.action === 'revise') {
      if (locked.status === 'draft' || locked.status === 'reviewed') {
        throw new Conflict(`plan ${p.code} already has version ${locked.latest_version} in ${locked.status}: finish or revise that one`, 'draft-exists');
      }
      created = locked.latest_version + 1;
      await store.insertVersion(tx, {
        plan_id: id, version: created, name: v.name, applicable_regions: v.applicable_regions, triggers: v.triggers, levels: v.levels, based_on: version,
        created_by: ctx.actor.userId, created_by_name: ctx.actor.username,
      });
      await store.copyBindings(tx, id, version, created);
      await store.insertEvent(tx, { plan_id: id, version, action: 'revise', from_status: v.status, to_status: v.status, note, ...actor });
      await store.insertEvent(tx, { plan_id: id, version: created, action: 'create', from_status: null, to_status: 'draft', note: `revised from version ${version}`, ...actor });
      head = { name: v.name, status: 'draft', latest_version: created, published_version: locked.published_version };
    } else {
      const to = rule.to === 'unchanged' ? v.status : rule.to;
      if (input.action === 'publish' && locked.published_version !== null && locked.published_version !== version) {
        // the version that applied until now is superseded
        const old = await loadVersion(tx, locked, locked.published_version);
        await store.setVersionStatus(tx, id, old.version, 'revised');
        await store.insertEvent(tx, { plan_id: id, version: old.version, action: 'supersede', from_status: old.status, to_status: 'revised', note: `superseded by version ${version}`, ...actor });
      }
      await store.setVersionStatus(tx, id, version, to);
      await store.insertEvent(tx, { plan_id: id, version, action: input.action, from_status: v.status, to_status: to, note, ...actor });
      head = {
        name: locked.name,
        status: version === locked.latest_version ? to : locked.status,
        latest_version: locked.latest_version,
        published_version: input.action === 'publish' ? version : locked.published_version,
      };
    }
    await store.updatePlanHead(tx, id, head);
    const details = { code: p.code, version, from: v.status, action: input.action, ...(note ? { note } : {}), ...(created ? { created } : {}) };
    await recordAudit(tx, ctx, deps.config.auditHash, { action: `plan.version.${input.action}`, resourceType: 'plan', resourceId: id, regionCode: p.region_code, details });
    await publish(tx, { topic: `plan.version.${input.action}`, aggregateId: id, regionCode: p.region_code, payload: { id, ...details } });
    const fresh = (await store.findPlan(tx, id)) as store.PlanRecord;
    return {
      version: await presentVersion(tx, fresh, (await store.findVersion(tx, id, version)) as store.VersionRecord),
      created: created ? await presentVersion(tx, fresh, (await store.findVersion(tx, id, created)) as store.VersionRecord) : null,
    };
  }));
}

/** What changed from one version to another. */
export async function diffVersions(deps: Deps, ctx: RequestContext, id: string, from: number, to: number): Promise<PlanDiff> {
  const p = await loadPlan(deps, ctx, id, 'plan:read');
  const db = executor(deps.db);
  const [a, b] = [await loadVersion(db, p, from), await loadVersion(db, p, to)];
  return diffContents(from, contentOf(a), to, contentOf(b));
}

// --- activation support -----------------------------------------------------------------------------

/** The version that applies to an incident, the level to run and the applicable region it matched. */
export type ActivePlan = { plan: Plan; version: PlanVersion; level: PlanLevel; matchedRegionCode: string };

/** The level for a grade: the same level, else the nearest more serious one, else the nearest less serious one. */
export function levelFor(levels: readonly PlanLevel[], grade: Grade): PlanLevel | undefined {
  const n = GRADE_NUMBER[grade];
  const ranked = [...levels].sort((a, b) => {
    const da = GRADE_NUMBER[a.level] - n;
    const db = GRADE_NUMBER[b.level] - n;
    const ra = da === 0 ? 0 : da < 0 ? -da * 2 - 1 : da * 2;
    const rb = db === 0 ? 0 : db < 0 ? -db * 2 - 1 : db * 2;
    return ra - rb;
  });
  return ranked[0];
}

/**
 * The published plan version that applies to an incident of `typeCode` and `grade` in `regionCode`: the
 * plan's scenario is the type or its category, an applicable region contains the region (the most
 * specific wins, then the exact type over the category, then the lower owner region), and its incident
 * triggers, if any, admit the grade. Undefined when none applies. With `planId`, only that plan is considered.
 */
export async function activePlanVersion(deps: Deps, ctx: RequestContext, q: { typeCode: string; grade: Grade; regionCode: string; planId?: string }): Promise<ActivePlan | undefined> {
  await authorize(deps, ctx, 'plan:read', { regionCode: q.regionCode, type: 'plan' });
  const category = categoryOf(q.typeCode)?.code;
  const scenarios = [q.typeCode, ...(category ? [category] : [])];
  const path = [q.regionCode, ...ancestorCodes(q.regionCode)];
  const db = executor(deps.db);
  const rows = await store.findApplying(db, scenarios, path);
  const admits = (v: store.VersionRecord) => {
    const triggers = v.triggers.filter((t) => t.kind === 'incident' && scenarios.includes(t.typeCode));
    return triggers.length === 0 || triggers.some((t) => t.kind === 'incident' && GRADE_NUMBER[q.grade] <= GRADE_NUMBER[t.minGrade]);
  };
  const ranked = rows
    .filter((v) => q.planId === undefined || v.plan_id === q.planId)
    .filter(admits)
    .map((v) => ({ v, specificity: Math.min(...v.applicable_regions.map((c) => path.indexOf(c)).filter((i) => i >= 0)) }))
    .sort((a, b) => a.specificity - b.specificity
      || (a.v.scenario_type === q.typeCode ? 0 : 1) - (b.v.scenario_type === q.typeCode ? 0 : 1)
      || scopePrefixOf(b.v.region_code).length - scopePrefixOf(a.v.region_code).length
      || a.v.code.localeCompare(b.v.code));
  const best = ranked[0];
  if (!best) return undefined;
  const level = levelFor(best.v.levels, q.grade);
  const p = await store.findPlan(db, best.v.plan_id);
  if (!level || !p) return undefined;
  return { plan: presentPlan(p), version: await presentVersion(db, p, best.v), level, matchedRegionCode: path[best.specificity] as string };
}

/**
 * Records, inside the activation's transaction, that it used `version` of a plan (published, drilled or
 * evaluated), with its audit record and event; `id` names the record when the caller needs it earlier.
 * Returns the record's id.
 */
export async function recordPlanVersionUse(
  tx: Executor,
  ctx: RequestContext,
  config: Pick<Config, 'auditHash'>,
  input: { planId: string; version: number; regionCode: string; incidentId?: string | null; level?: Grade | null; id?: string },
): Promise<string> {
  const v = await store.findVersion(tx, input.planId, input.version);
  if (!v) throw new NotFound(`plan ${input.planId} has no version ${input.version}`);
  if (!APPLYING.includes(v.status)) throw new Conflict(`version ${input.version} is ${v.status}: only a published version is activated`, 'version-not-published');
  const id = input.id ?? newId();
  await store.insertActivationUse(tx, {
    id, plan_id: input.planId, version: input.version, region_code: input.regionCode, incident_id: input.incidentId ?? null, level: input.level ?? null,
    used_by: ctx.actor.userId, used_by_name: ctx.actor.username,
  });
  const details = { planId: input.planId, version: input.version, incidentId: input.incidentId ?? null, level: input.level ?? null };
  await recordAudit(tx, ctx, config.auditHash, { action: 'plan.version.used', resourceType: 'plan', resourceId: input.planId, regionCode: input.regionCode, details });
  await publish(tx, { topic: 'plan.version.used', aggregateId: input.planId, regionCode: input.regionCode, payload: { id, ...details } });
  return id;
}
