// SPDX-License-Identifier: Apache-2.0
// Plan activation (预案启动) and dispatch orders (调度指令). Activating a plan for an incident at a level, in one
// transaction: records the plan version used, creates the level's steps as tasks for the organizations the
// roles are bound to, turns its resource requirements into requests, matches and reserves the nearest
// available resources (borrowing from neighbouring and parent regions where the region lacks them) and sends
// a dispatch order for each. Orders move sent → acknowledged → en route → on scene → released; release
// returns the resource (and unconsumed stock) to the pool.
import type {
  Activation, ActivationDetail, ActivationInput, ActivationPreview, ActivationQuery, DispatchOrder, OrderAction, OrderActionName, OrderQuery, OrderStatus,
  PreviewQuery, StandDownInput,
} from '../../../contracts/dispatch-activations.ts';
import type { Grade } from '../../../contracts/dispatch-incidents.ts';
import type { CapCategory } from '../../../contracts/dispatch-warnings.ts';
import { scopePrefixOf } from '../../../contracts/region-codes.ts';
import type { RequestContext } from '../../platform/context.ts';
import { type Executor, executor, withTransaction } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { Conflict, Invalid, NotFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { publish } from '../../platform/outbox.ts';
import { authorize, DeferredDenial, decide, withDeferredDenials } from '../access/index.ts';
import { recordAudit } from '../audit/index.ts';
import { findCurrentRegion } from '../regions/index.ts';
import { cancelTasksOfSource, createTasksIn, tasksOfSource } from '../tasks/index.ts';
import * as store from './activations.store.ts';
import { categoryOf, GRADE_NUMBER } from './incident-types.ts';
import * as incidents from './incidents.store.ts';
import { findPlanRole } from './plan-roles.ts';
import { assignRoles } from './plans.bindings.ts';
import { type ActivePlan, activePlanVersion, recordPlanVersionUse } from './plans.service.ts';
import { confinedToOrganization } from './resources.policy.ts';
import { dispatchReservationIn, matchAndReserveIn, proposeResources, releaseReservationIn } from './resources.service.ts';
import { issueWarning } from './warnings.service.ts';

const iso = (d: Date | null) => d?.toISOString() ?? null;
const pgCode = (err: unknown) => (err as { code?: string }).code;
const GRADE_BY_NUMBER: Record<number, Grade> = { 1: 'I', 2: 'II', 3: 'III', 4: 'IV' };

/** Incidents in these statuses can still activate a plan. */
const ACTIVATABLE = ['reported', 'verified', 'responding'];

/** The CAP category of an incident category. */
const CAP_CATEGORY: Record<string, CapCategory> = {
  'natural-disaster': 'Met', accident: 'Safety', 'public-health': 'Health', 'social-security': 'Security', 'urban-management': 'Infra',
};

// --- presenting -------------------------------------------------------------------------------

const ORDER_NEXT: Record<OrderActionName, { from: readonly OrderStatus[]; to: Exclude<OrderStatus, 'sent'> }> = {
  acknowledge: { from: ['sent'], to: 'acknowledged' },
  depart: { from: ['sent', 'acknowledged'], to: 'en_route' },
  arrive: { from: ['en_route'], to: 'on_scene' },
  release: { from: ['sent', 'acknowledged', 'en_route', 'on_scene'], to: 'released' },
};

/**
 * Who answers an order: dispatchers of the incident's or the resource's region (every action), and the
 * resource's owner organization, whose members report acknowledgement, departure and arrival.
 */
function mayActOnOrder(ctx: RequestContext, o: store.OrderRecord, action: OrderActionName): boolean {
  const a = ctx.actor;
  const dispatcher = confinedToOrganization(a) === undefined
    && (decide(a, 'resource:dispatch', { regionCode: o.incident_region_code }).allow || decide(a, 'resource:dispatch', { regionCode: o.region_code }).allow);
  if (dispatcher) return true;
  return action !== 'release' && a.organizationId === o.owner_organization_id && decide(a, 'resource:write').allow;
}

function presentOrder(ctx: RequestContext, o: store.OrderRecord): DispatchOrder {
  return {
    id: o.id,
    activationId: o.activation_id,
    incidentId: o.incident_id,
    incidentTitle: o.incident_title,
    requestId: o.request_id,
    resourceId: o.resource_id,
    resourceName: o.resource_name,
    resourceType: o.resource_type,
    ownerOrganizationName: o.owner_organization_name,
    regionCode: o.region_code,
    regionName: o.region_name,
    position: [o.resource_lon, o.resource_lat],
    positionAt: iso(o.resource_position_at),
    quantity: o.quantity,
    consumed: o.consumed,
    borrowed: o.borrowed,
    distanceKm: o.distance_km,
    travelMinutes: o.travel_minutes,
    exercise: o.exercise,
    status: o.status,
    sentAt: o.sent_at.toISOString(),
    acknowledgedAt: iso(o.acknowledged_at),
    enRouteAt: iso(o.en_route_at),
    onSceneAt: iso(o.on_scene_at),
    releasedAt: iso(o.released_at),
    note: o.note,
    actions: (Object.keys(ORDER_NEXT) as OrderActionName[]).filter((a) => ORDER_NEXT[a].from.includes(o.status) && mayActOnOrder(ctx, o, a)),
  };
}

function presentActivation(a: store.ActivationRecord): Activation {
  return {
    id: a.id,
    incidentId: a.incident_id,
    incidentTitle: a.incident_title,
    plan: { id: a.plan_id, code: a.plan_code, name: a.plan_name },
    version: a.version,
    level: a.level,
    regionCode: a.region_code,
    regionName: a.region_name,
    bindingRegionCode: a.binding_region_code,
    exercise: a.exercise,
    status: a.status,
    note: a.note,
    activatedByName: a.activated_by_name,
    activatedAt: a.activated_at.toISOString(),
    stoodDownAt: iso(a.stood_down_at),
    summary: { orders: a.orders, openOrders: a.open_orders, shortfall: a.shortfall },
  };
}

async function presentDetail(ctx: RequestContext, db: Executor, a: store.ActivationRecord, extra: Pick<ActivationDetail, 'warnings' | 'warningErrors'> = { warnings: [], warningErrors: [] }): Promise<ActivationDetail> {
  const requests = await store.listRequests(db, a.id);
  const orders = await store.listOrders(db, { scopePrefix: '', activationId: a.id }, 1000, 0);
  const tasks = await tasksOfSource(db, a.id);
  return {
    ...presentActivation(a),
    requests: requests.map((r) => ({
      id: r.id, position: r.position, resourceType: r.resource_type, capability: r.capability, quantity: r.quantity, maxTravelMinutes: r.max_travel_minutes,
      reserved: r.reserved, borrowed: r.borrowed, shortfall: r.quantity - r.reserved,
    })),
    orders: orders.rows.map((o) => presentOrder(ctx, o)),
    tasks,
    ...extra,
  };
}

// --- activation -------------------------------------------------------------------------------

type Prepared = {
  incident: incidents.IncidentRecord;
  requestedLevel: Grade;
  active: ActivePlan;
  bindingRegionCode: string;
  assignments: Awaited<ReturnType<typeof assignRoles>>['roles'];
  near: [number, number];
};

/** Loads the incident, finds the plan version and level that apply, who takes each role, and where matching starts. */
async function prepare(deps: Deps, ctx: RequestContext, incidentId: string, q: { level?: Grade; planId?: string }): Promise<Prepared> {
  await authorize(deps, ctx, 'incident:manage');
  const db = executor(deps.db);
  const incident = await incidents.findIncident(db, incidentId);
  if (!incident) throw new NotFound(`no incident ${incidentId}`);
  await authorize(deps, ctx, 'incident:manage', { regionCode: incident.region_code, type: 'incident', id: incidentId });
  await authorize(deps, ctx, 'resource:dispatch', { regionCode: incident.region_code, type: 'incident', id: incidentId });
  const requestedLevel = q.level ?? (GRADE_BY_NUMBER[incident.grade] as Grade);
  const active = await activePlanVersion(deps, ctx, { typeCode: incident.type_code, grade: requestedLevel, regionCode: incident.region_code, planId: q.planId });
  if (!active) {
    throw new Conflict(
      q.planId ? 'that plan has no published version applying to this incident (its type, region or grade)' : `no published plan applies to a ${incident.type_code} incident of grade ${requestedLevel} in ${incident.region_code}`,
      'no-applicable-plan',
    );
  }
  const roleKeys = [...new Set(active.level.steps.map((s) => s.roleKey))];
  const { bindingRegionCode, roles } = await assignRoles(db, active.plan.id, active.version.version, incident.region_code, roleKeys);
  let near: [number, number] | undefined = incident.lon !== null && incident.lat !== null ? [incident.lon, incident.lat] : undefined;
  if (!near) {
    const c = (await findCurrentRegion(db, incident.region_code))?.centroid;
    if (c) near = [c.x, c.y];
  }
  if (!near) throw new Conflict('the incident has no location and its region no centre: give it a location first', 'no-location');
  return { incident, requestedLevel, active, bindingRegionCode, assignments: roles, near };
}

/** What activating would do now: the plan and level, each step's organization, and the resources proposed. */
export async function previewActivation(deps: Deps, ctx: RequestContext, incidentId: string, q: PreviewQuery): Promise<ActivationPreview> {
  const p = await prepare(deps, ctx, incidentId, q);
  const level = p.active.level;
  const requests = [];
  for (const [position, r] of level.resources.entries()) {
    const proposal = await proposeResources(deps, ctx, {
      type: r.resourceType, capability: r.capability ?? undefined, quantity: r.quantity, near: p.near, regionCode: p.incident.region_code, maxTravelMinutes: r.maxTravelMinutes,
    });
    requests.push({ position, resourceType: r.resourceType, capability: r.capability, quantity: r.quantity, maxTravelMinutes: r.maxTravelMinutes, proposal });
  }
  const steps = level.steps.map((s) => {
    const a = p.assignments.get(s.roleKey);
    const role = findPlanRole(s.roleKey);
    return {
      key: s.key, title: s.title, roleKey: s.roleKey, roleName: role?.name ?? s.roleKey, deadlineMinutes: s.deadlineMinutes, dependsOn: s.dependsOn,
      organizationId: a?.organizationId ?? null, organizationName: a?.organizationName ?? null, assignedBy: a?.assignedBy ?? null,
    };
  });
  return {
    incidentId,
    plan: { id: p.active.plan.id, code: p.active.plan.code, name: p.active.version.name },
    version: p.active.version.version,
    level: level.level,
    requestedLevel: p.requestedLevel,
    matchedRegionCode: p.active.matchedRegionCode,
    bindingRegionCode: p.bindingRegionCode,
    exercise: p.incident.exercise,
    steps,
    unboundRoles: [...new Set(steps.filter((s) => s.organizationId === null).map((s) => s.roleKey))],
    requests,
    notifications: level.notifications.map((n) => ({ key: n.key, severity: n.severity, urgency: n.urgency, headlineZh: n.headlineZh, headlineEn: n.headlineEn })),
  };
}

/** Runs `fn` in a transaction, again (up to three times) when the database broke a deadlock or a serialization conflict. */
async function withRetry<T>(deps: Deps, fn: (tx: Executor) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await withTransaction(deps.db, fn);
    } catch (err) {
      const code = pgCode(err);
      if (attempt >= 3 || (code !== '40P01' && code !== '40001')) throw err;
    }
  }
}

/**
 * Activates the plan that applies to an incident (or the one given) at a level, in one transaction: the
 * version used is recorded, the steps become tasks, the requirements become requests matched and reserved,
 * an order is sent for each resource, and the incident moves to responding. The level's public warnings
 * are issued afterwards when asked (each failure reported, none undoing the activation). 409 when the
 * incident is closed, already has a running activation, or a role of the steps is bound to no organization.
 */
export async function activatePlan(deps: Deps, ctx: RequestContext, incidentId: string, input: ActivationInput): Promise<ActivationDetail> {
  const p = await prepare(deps, ctx, incidentId, input);
  const level = p.active.level;
  const unbound = [...new Set(level.steps.filter((s) => !p.assignments.has(s.roleKey)).map((s) => s.roleKey))];
  if (unbound.length) {
    throw new Conflict(`no organization takes the role(s) ${unbound.join(', ')} in ${p.bindingRegionCode}: bind them to the plan first`, 'roles-unbound');
  }
  const errors = input.requests.flatMap((r, i) => (r.position < level.resources.length ? [] : [{ field: `body.requests[${i}].position`, message: `level ${level.level} has ${level.resources.length} resource requirement(s)` }]));
  if (errors.length) throw new Invalid('the chosen resources do not fit the level', errors);
  if (!ACTIVATABLE.includes(p.incident.status)) throw new Conflict(`the incident is ${p.incident.status}: a plan is activated for an open incident`, 'incident-not-open');

  const id = newId();
  const inc = p.incident;
  await withDeferredDenials(deps, ctx, () => withRetry(deps, async (tx) => {
    const locked = await incidents.findIncident(tx, incidentId, true);
    if (!locked || !ACTIVATABLE.includes(locked.status)) throw new Conflict(`the incident is ${locked?.status ?? 'gone'}: a plan is activated for an open incident`, 'incident-not-open');
    if (await store.activeActivationOf(tx, incidentId)) throw new Conflict('the incident already has a running activation: stand it down first', 'already-activated');
    // The audit log's chain lock is held from the first audit record to commit, so everything audited comes
    // last: matching and reservations run before it, and concurrent activations overlap.
    const useId = newId();
    await store.insertActivation(tx, {
      id, incident_id: incidentId, plan_id: p.active.plan.id, version: p.active.version.version, level: level.level, region_code: inc.region_code,
      binding_region_code: p.bindingRegionCode, exercise: inc.exercise, plan_use_id: useId, note: input.note ?? null, activated_by: ctx.actor.userId, activated_by_name: ctx.actor.username,
    });
    let shortfall = 0;
    let borrowedTotal = 0;
    for (const [position, r] of level.resources.entries()) {
      const requestId = newId();
      const chosen = input.requests.find((x) => x.position === position);
      const preferred = chosen?.resourceIds;
      const { taken, shortfall: missing } = await matchAndReserveIn(tx, ctx, {
        type: r.resourceType, capability: r.capability ?? undefined, quantity: r.quantity, near: p.near, regionCode: inc.region_code, maxTravelMinutes: r.maxTravelMinutes,
        requestRef: `activation:${id}:${position}`, note: `${p.active.plan.code} v${p.active.version.version} level ${level.level}`, preferred, excluded: chosen?.excludeIds ?? [],
      });
      const reserved = taken.reduce((n, t) => n + t.proposal.take, 0);
      const borrowed = taken.filter((t) => t.proposal.borrowed).reduce((n, t) => n + t.proposal.take, 0);
      await store.insertRequest(tx, {
        id: requestId, activation_id: id, position, resource_type: r.resourceType, capability: r.capability, quantity: r.quantity, max_travel_minutes: r.maxTravelMinutes, reserved, borrowed,
      });
      for (const t of taken) {
        await dispatchReservationIn(tx, t.reservationId);
        await store.insertOrder(tx, {
          id: newId(), activation_id: id, request_id: requestId, incident_id: incidentId, reservation_id: t.reservationId, resource_id: t.proposal.resource.id,
          region_code: t.proposal.fromRegionCode, incident_region_code: inc.region_code, quantity: t.proposal.take, borrowed: t.proposal.borrowed,
          distance_km: t.proposal.distanceKm, travel_minutes: t.proposal.travelMinutes, exercise: inc.exercise,
        });
      }
      shortfall += missing;
      borrowedTotal += borrowed;
    }
    const patch: incidents.IncidentPatch = {};
    if (locked.status !== 'responding') {
      patch.status = 'responding';
      patch.responded_at = new Date();
      if (!locked.verified_at) patch.verified_at = new Date();
    }
    await incidents.updateIncident(tx, incidentId, patch);
    const details = { activationId: id, planId: p.active.plan.id, planCode: p.active.plan.code, version: p.active.version.version, level: level.level, shortfall, borrowed: borrowedTotal };
    await incidents.addTimeline(tx, incidentId, {
      action: 'activated', actor_id: ctx.actor.userId, actor_name: ctx.actor.username, from_status: locked.status, to_status: patch.status ?? locked.status,
      note: `${p.active.version.name} (${p.active.plan.code} v${p.active.version.version}) level ${level.level}`, details,
    });
    await publish(tx, { topic: 'incident.activated', aggregateId: incidentId, regionCode: inc.region_code, payload: { id: incidentId, ...details, exercise: inc.exercise } });
    const now = Date.now();
    await createTasksIn(tx, ctx, deps.config, level.steps.map((s) => ({
      key: s.key,
      title: s.title,
      description: s.description ?? '',
      regionCode: inc.region_code,
      organizationId: p.assignments.get(s.roleKey)?.organizationId as string,
      priority: GRADE_NUMBER[level.level] <= 2 ? 'urgent' : 'high',
      deadline: new Date(now + s.deadlineMinutes * 60_000),
      dependsOnKeys: s.dependsOn,
      source: { kind: 'activation', ref: id },
      incidentId,
      exercise: inc.exercise,
      location: p.near,
    })));
    await recordPlanVersionUse(tx, ctx, deps.config, { id: useId, planId: p.active.plan.id, version: p.active.version.version, regionCode: inc.region_code, incidentId, level: level.level });
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'plan.activated', resourceType: 'incident', resourceId: incidentId, regionCode: inc.region_code, details });
  }).catch((err: unknown) => {
    if (pgCode(err) === '23505') throw new Conflict('the incident already has a running activation: stand it down first', 'already-activated');
    throw err;
  }));

  const detail = await presentDetail(ctx, executor(deps.db), (await store.findActivation(executor(deps.db), id)) as store.ActivationRecord);
  if (!input.issueWarnings || level.notifications.length === 0) return detail;
  const warnings: ActivationDetail['warnings'] = [];
  const warningErrors: ActivationDetail['warningErrors'] = [];
  const category = CAP_CATEGORY[categoryOf(inc.type_code)?.code ?? ''] ?? 'Other';
  for (const n of level.notifications) {
    try {
      const w = await issueWarning(deps, ctx, {
        incidentId, exercise: inc.exercise, categories: [category], urgency: n.urgency, severity: n.severity, certainty: 'Observed',
        zh: { event: n.headlineZh.slice(0, 100), headline: n.headlineZh.slice(0, 160), description: n.textZh },
        en: { event: n.headlineEn.slice(0, 100), headline: n.headlineEn.slice(0, 160), description: n.textEn },
        area: n.area.kind === 'radius' ? { circles: [{ lon: p.near[0], lat: p.near[1], radiusKm: n.area.radiusKm }] } : { regionCodes: [inc.region_code] },
      });
      warnings.push({ id: w.id, identifier: w.latestIdentifier });
    } catch (err) {
      warningErrors.push({ key: n.key, message: err instanceof Error ? err.message : String(err) });
    }
  }
  return { ...detail, warnings, warningErrors };
}

async function loadActivation(deps: Deps, ctx: RequestContext, id: string): Promise<store.ActivationRecord> {
  const a = await store.findActivation(executor(deps.db), id);
  if (!a) throw new NotFound(`no activation ${id}`);
  await authorize(deps, ctx, 'incident:read', { regionCode: a.region_code, type: 'activation', id });
  return a;
}

export async function getActivation(deps: Deps, ctx: RequestContext, id: string): Promise<ActivationDetail> {
  await authorize(deps, ctx, 'incident:read');
  const a = await loadActivation(deps, ctx, id);
  return presentDetail(ctx, executor(deps.db), a);
}

export async function listActivations(deps: Deps, ctx: RequestContext, q: ActivationQuery) {
  await authorize(deps, ctx, 'incident:read');
  const { rows, total } = await store.listActivations(
    executor(deps.db),
    { scopePrefix: ctx.actor.scopePrefix, incidentId: q.incidentId, status: q.status, regionPrefix: q.regionCode ? scopePrefixOf(q.regionCode) : undefined, exercise: q.exercise },
    q.limit,
    q.offset,
  );
  return { items: rows.map(presentActivation), total, limit: q.limit, offset: q.offset };
}

/**
 * Stands an activation down: every order still out is released (resources back in the pool, no stock
 * consumed), its open tasks are cancelled, and the incident's timeline says so.
 */
export async function standDown(deps: Deps, ctx: RequestContext, id: string, input: StandDownInput): Promise<ActivationDetail> {
  await authorize(deps, ctx, 'incident:manage');
  const a = await loadActivation(deps, ctx, id);
  await authorize(deps, ctx, 'incident:manage', { regionCode: a.region_code, type: 'activation', id });
  await authorize(deps, ctx, 'resource:dispatch', { regionCode: a.region_code, type: 'activation', id });
  return withTransaction(deps.db, async (tx) => {
    const locked = await store.findActivation(tx, id, true);
    if (!locked || locked.status !== 'active') throw new Conflict('the activation is already stood down', 'already-stood-down');
    const open = (await store.listOrders(tx, { scopePrefix: '', activationId: id, statuses: ['sent', 'acknowledged', 'en_route', 'on_scene'] }, 1000, 0)).rows;
    for (const o of open) {
      await releaseReservationIn(tx, o.reservation_id, 0, input.note);
      await store.moveOrder(tx, o.id, 'released', input.note, 0);
    }
    const cancelled = await cancelTasksOfSource(tx, ctx, id, input.note);
    await store.markStoodDown(tx, id, input.note);
    const details = { activationId: id, releasedOrders: open.length, cancelledTasks: cancelled };
    await incidents.addTimeline(tx, a.incident_id, { action: 'stood-down', actor_id: ctx.actor.userId, actor_name: ctx.actor.username, note: input.note, details });
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'plan.stood-down', resourceType: 'incident', resourceId: a.incident_id, regionCode: a.region_code, details });
    await publish(tx, { topic: 'incident.stood-down', aggregateId: a.incident_id, regionCode: a.region_code, payload: { id: a.incident_id, ...details } });
    return presentDetail(ctx, tx, (await store.findActivation(tx, id)) as store.ActivationRecord);
  });
}

// --- dispatch orders --------------------------------------------------------------------------

export async function listOrders(deps: Deps, ctx: RequestContext, q: OrderQuery) {
  await authorize(deps, ctx, 'resource:read');
  const statuses: OrderStatus[] | undefined = q.status === 'open' ? ['sent', 'acknowledged', 'en_route', 'on_scene'] : q.status ? [q.status] : undefined;
  const { rows, total } = await store.listOrders(
    executor(deps.db),
    {
      scopePrefix: ctx.actor.scopePrefix, onlyOrganizationId: confinedToOrganization(ctx.actor), activationId: q.activationId, incidentId: q.incidentId, statuses,
      regionPrefix: q.regionCode ? scopePrefixOf(q.regionCode) : undefined, exercise: q.exercise,
    },
    q.limit,
    q.offset,
  );
  return { items: rows.map((o) => presentOrder(ctx, o)), total, limit: q.limit, offset: q.offset };
}

/** Moves an order on: acknowledge, depart, arrive, release (with the stock consumed). 409 out of order. */
export async function actOnOrder(deps: Deps, ctx: RequestContext, id: string, input: OrderAction): Promise<DispatchOrder> {
  await authorize(deps, ctx, 'resource:read');
  return withDeferredDenials(deps, ctx, () => withTransaction(deps.db, async (tx) => {
    const o = await store.findOrder(tx, id, true);
    if (!o) throw new NotFound(`no dispatch order ${id}`);
    const sees = confinedToOrganization(ctx.actor) === undefined
      ? decide(ctx.actor, 'resource:read', { regionCode: o.incident_region_code }).allow || decide(ctx.actor, 'resource:read', { regionCode: o.region_code }).allow
      : ctx.actor.organizationId === o.owner_organization_id;
    if (!sees) throw new DeferredDenial('the order is outside your scope', 'resource:read', { type: 'dispatch-order', id, regionCode: o.region_code });
    if (!mayActOnOrder(ctx, o, input.action)) {
      throw new DeferredDenial(`only a dispatcher${input.action === 'release' ? '' : ' or the resource\'s owner'} may ${input.action} this order`, 'resource:dispatch', { type: 'dispatch-order', id, regionCode: o.region_code });
    }
    const step = ORDER_NEXT[input.action];
    if (!step.from.includes(o.status)) throw new Conflict(`an order that is ${o.status.replace('_', ' ')} cannot ${input.action === 'release' ? 'be released' : input.action}`, 'invalid-transition');
    let consumed: number | undefined;
    if (input.action === 'release') {
      consumed = input.consumed ?? 0;
      const isStock = (await tx.query<{ is_stock: boolean }>('SELECT is_stock FROM resource_reservation WHERE id = $1', [o.reservation_id])).rows[0]?.is_stock ?? false;
      if (!isStock && consumed > 0) throw new Invalid('only stock is consumed', [{ field: 'body.consumed', message: 'a whole resource returns to the pool' }]);
      if (consumed > o.quantity) throw new Invalid(`at most the ${o.quantity} sent can be consumed`, [{ field: 'body.consumed', message: `more than the ${o.quantity} sent` }]);
      await releaseReservationIn(tx, o.reservation_id, consumed, input.note ?? null);
    } else if (input.consumed !== undefined) {
      throw new Invalid('consumed is given on release only', [{ field: 'body.consumed', message: 'only with action release' }]);
    }
    await store.moveOrder(tx, id, step.to, input.note ?? null, consumed);
    const details = { orderId: id, activationId: o.activation_id, resourceId: o.resource_id, from: o.status, to: step.to, ...(consumed !== undefined ? { consumed } : {}) };
    await incidents.addTimeline(tx, o.incident_id, { action: `order-${input.action}`, actor_id: ctx.actor.userId, actor_name: ctx.actor.username, note: `${o.resource_name}: ${step.to.replace('_', ' ')}`, details });
    await recordAudit(tx, ctx, deps.config.auditHash, { action: `dispatch-order.${input.action}`, resourceType: 'dispatch-order', resourceId: id, regionCode: o.region_code, details });
    await publish(tx, { topic: 'dispatch-order.status-changed', aggregateId: id, regionCode: o.region_code, payload: details });
    return presentOrder(ctx, (await store.findOrder(tx, id)) as store.OrderRecord);
  }));
}
