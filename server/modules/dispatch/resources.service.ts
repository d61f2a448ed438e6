// SPDX-License-Identifier: Apache-2.0
// Dispatchable resources (可调度资源): registration, live status and position, nearest matching by estimated
// travel time with cross-region borrowing, and atomic reservation (预占) → dispatch → release.
import type {
  NearestQuery, PositionBatch, PositionResult, Proposal, ProposalResult, ReleaseInput, Reservation, ReservationInput, ReservationQuery, ReservationResult,
  Resource, ResourceInput, ResourcePatch, ResourceQuery, ResourceType, ResourceTypeInput, StatusChange,
} from '../../../contracts/dispatch-resources.ts';
import { levelIndex, levelOfCode, scopePrefixOf } from '../../../contracts/region-codes.ts';
import { today } from '../../platform/clock.ts';
import type { RequestContext } from '../../platform/context.ts';
import { type Executor, executor, withTransaction } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { Conflict, type FieldError, Invalid, NotFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { publish } from '../../platform/outbox.ts';
import { authorize, check, denied, withDeferredDenials } from '../access/index.ts';
import { recordAudit } from '../audit/index.ts';
import { findCurrentRegion, locateRegionWith } from '../regions/index.ts';
import { byTravelTime, cover, coveredAt, distanceKm, kmLowerBound, type Scored, travelMinutes } from './resources.matching.ts';
import { confinedToOrganization, mayTouchOwner, mayWriteAgreement } from './resources.policy.ts';
import * as store from './resources.store.ts';

// Resources the matching walk reads from the spatial index in distance order before it turns to the
// filtered query: a filter that matches nothing nearby must not walk the whole index.
const WALK_LIMIT = 2_000;
// Candidates the filtered fallback reads, nearest first.
const FALLBACK_LIMIT = 1_000;

function presentType(t: store.ResourceTypeRecord): ResourceType {
  return { code: t.code, category: t.category, nameZh: t.name_zh, nameEn: t.name_en, unit: t.unit, isStock: t.is_stock, speedKmh: t.speed_kmh };
}

/** A resource as the API returns it. */
export function presentResource(r: store.ResourceRecord): Resource {
  return {
    id: r.id,
    name: r.name,
    type: r.type_code,
    typeName: r.type_name,
    category: r.category,
    isStock: r.is_stock,
    unit: r.unit,
    capabilities: r.capabilities,
    ownerOrganizationId: r.owner_organization_id,
    ownerOrganizationName: r.owner_organization_name,
    ownerKind: r.owner_kind,
    regionCode: r.region_code,
    regionName: r.region_name,
    location: [r.lon, r.lat],
    positionAt: r.position_at?.toISOString() ?? null,
    status: r.status,
    quantityTotal: r.quantity_total,
    quantityAvailable: r.quantity_available,
    capacity: r.capacity,
    description: r.description,
    agreement:
      r.agreement_number && r.agreement_valid_from && r.agreement_valid_to
        ? { number: r.agreement_number, validFrom: r.agreement_valid_from, validTo: r.agreement_valid_to, responseMinutes: r.agreement_response_minutes }
        : null,
    offered: r.offered,
    createdAt: r.created_at.toISOString(),
    modifiedAt: r.modified_at.toISOString(),
  };
}

function presentReservation(v: store.ReservationRecord): Reservation {
  return {
    id: v.id,
    requestRef: v.request_ref,
    resourceId: v.resource_id,
    resourceName: v.resource_name,
    type: v.type_code,
    regionCode: v.region_code,
    isStock: v.is_stock,
    quantity: v.quantity,
    consumed: v.consumed,
    status: v.status,
    note: v.note,
    reservedAt: v.reserved_at.toISOString(),
    dispatchedAt: v.dispatched_at?.toISOString() ?? null,
    releasedAt: v.released_at?.toISOString() ?? null,
  };
}

/** The PostgreSQL error code of a failed statement, if any. */
const pgCode = (err: unknown) => (err as { code?: string }).code;

// --- the type catalog -------------------------------------------------------------------------

export async function listResourceTypes(deps: Deps, ctx: RequestContext): Promise<{ items: ResourceType[] }> {
  await authorize(deps, ctx, 'resource:read');
  return { items: (await store.listResourceTypes(executor(deps.db))).map(presentType) };
}

/** Adds a type to the catalog (platform-wide). */
export async function createResourceType(deps: Deps, ctx: RequestContext, input: ResourceTypeInput): Promise<ResourceType> {
  await authorize(deps, ctx, 'resource-type:write', { type: 'resource-type', id: input.code });
  if (input.category === 'stock' && !input.isStock) throw new Invalid('a stock type is counted by quantity', [{ field: 'body.isStock', message: 'must be true for the stock category' }]);
  const t: store.ResourceTypeRecord = {
    code: input.code, category: input.category, name_zh: input.nameZh, name_en: input.nameEn, unit: input.unit, is_stock: input.isStock, speed_kmh: input.speedKmh,
  };
  return withTransaction(deps.db, async (tx) => {
    if (!(await store.insertResourceType(tx, t))) throw new Conflict(`a resource type ${input.code} already exists`);
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'resource-type.created', resourceType: 'resource-type', resourceId: input.code, details: { ...input } });
    await publish(tx, { topic: 'resource-type.created', aggregateId: input.code, payload: { ...input } });
    return presentType(t);
  });
}

// --- resources --------------------------------------------------------------------------------

/** Resources in the caller's scope (a social organization's member: their organization's), filtered. */
export async function listResources(deps: Deps, ctx: RequestContext, q: ResourceQuery) {
  await authorize(deps, ctx, 'resource:read');
  const { rows, total } = await store.listResources(
    executor(deps.db),
    {
      scopePrefix: ctx.actor.scopePrefix,
      onlyOrganizationId: confinedToOrganization(ctx.actor),
      type: q.type,
      status: q.status,
      capability: q.capability,
      regionPrefix: q.regionCode ? scopePrefixOf(q.regionCode) : undefined,
      ownerKind: q.ownerKind,
      ownerOrganizationId: q.ownerOrganizationId,
      q: q.q,
    },
    today(),
    q.limit,
    q.offset,
  );
  return { items: rows.map(presentResource), total, limit: q.limit, offset: q.offset };
}

/** Loads a resource for `action`: it exists, lies in the caller's scope, and (social member) is their organization's. */
async function loadResource(deps: Deps, ctx: RequestContext, id: string, action: 'resource:read' | 'resource:write' | 'resource:dispatch'): Promise<store.ResourceRecord> {
  await authorize(deps, ctx, action);
  const r = await store.findResource(executor(deps.db), id, today());
  if (!r) throw new NotFound(`no resource ${id}`);
  await authorize(deps, ctx, action, { regionCode: r.region_code, type: 'resource', id });
  if (!mayTouchOwner(ctx.actor, r.owner_organization_id)) {
    throw await denied(deps, ctx, 'not allowed: a social organization member sees and updates only their own organization\'s resources', {
      type: 'resource', id, regionCode: r.region_code, requested: action,
    });
  }
  return r;
}

export async function getResource(deps: Deps, ctx: RequestContext, id: string): Promise<Resource> {
  return presentResource(await loadResource(deps, ctx, id, 'resource:read'));
}

/** Registers a resource in a region of the caller's scope. */
export async function createResource(deps: Deps, ctx: RequestContext, input: ResourceInput): Promise<Resource> {
  await authorize(deps, ctx, 'resource:write', { type: 'resource' });
  if (confinedToOrganization(ctx.actor)) {
    throw await denied(deps, ctx, 'not allowed: resources of social organizations are registered by the government side under an agreement; members update them', {
      type: 'resource', requested: 'resource:write',
    });
  }
  const db = executor(deps.db);
  const type = await store.findResourceType(db, input.type);
  if (!type) throw new Invalid('no such resource type', [{ field: 'body.type', message: `no resource type ${input.type}` }]);
  const errors: FieldError[] = [];
  if (type.is_stock && input.quantity === undefined) errors.push({ field: 'body.quantity', message: `a ${type.code} stock is counted: give its quantity` });
  if (!type.is_stock && input.quantity !== undefined) errors.push({ field: 'body.quantity', message: `a ${type.code} is one unit, not counted by quantity` });
  const ownerId = input.ownerOrganizationId ?? ctx.actor.organizationId;
  if (!ownerId) errors.push({ field: 'body.ownerOrganizationId', message: 'required for a caller without an organization' });
  const owner = ownerId ? await store.findOwnerOrganization(db, ownerId) : undefined;
  if (ownerId && !owner) errors.push({ field: 'body.ownerOrganizationId', message: `no organization ${ownerId}` });
  else if (owner && !owner.active) errors.push({ field: 'body.ownerOrganizationId', message: 'the organization is inactive' });
  if (owner?.kind === 'government' && input.agreement) errors.push({ field: 'body.agreement', message: 'agreements are for resources of social organizations' });
  let regionCode = input.regionCode;
  if (regionCode) {
    if (!(await findCurrentRegion(db, regionCode))) errors.push({ field: 'body.regionCode', message: `no current region ${regionCode}` });
  } else {
    regionCode = (await locateRegionWith(db, input.location[0], input.location[1]))?.code;
    if (!regionCode) errors.push({ field: 'body.location', message: 'the location lies in no known region: give regionCode' });
  }
  if (errors.length || !regionCode || !owner || !ownerId) throw new Invalid('the resource is not valid', errors);
  await authorize(deps, ctx, 'resource:write', { regionCode, type: 'resource' });
  const id = newId();
  const home = regionCode;
  return withTransaction(deps.db, async (tx) => {
    await store.insertResources(tx, [{
      id, name: input.name, type_code: type.code, is_stock: type.is_stock, capabilities: input.capabilities, owner_organization_id: ownerId, owner_kind: owner.kind,
      region_code: home, lon: input.location[0], lat: input.location[1], status: input.status, quantity_total: type.is_stock ? (input.quantity ?? 0) : null,
      capacity: input.capacity ?? null, description: input.description ?? null, agreement_number: input.agreement?.number ?? null,
      agreement_valid_from: input.agreement?.validFrom ?? null, agreement_valid_to: input.agreement?.validTo ?? null,
      agreement_response_minutes: input.agreement?.responseMinutes ?? null, created_by: ctx.actor.userId,
    }]);
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'resource.created', resourceType: 'resource', resourceId: id, regionCode: home, details: { name: input.name, type: type.code } });
    await publish(tx, { topic: 'resource.created', aggregateId: id, regionCode: home, payload: { id, name: input.name, type: type.code, ownerKind: owner.kind } });
    return presentResource((await store.findResource(tx, id, today())) as store.ResourceRecord);
  });
}

/** Changes a resource's details, location, stock total or agreement. */
export async function updateResource(deps: Deps, ctx: RequestContext, id: string, patch: ResourcePatch): Promise<Resource> {
  const r = await loadResource(deps, ctx, id, 'resource:write');
  if (patch.agreement !== undefined && !mayWriteAgreement(ctx.actor)) {
    throw await denied(deps, ctx, 'not allowed: an agreement is written by the government side', { type: 'resource', id, regionCode: r.region_code, requested: 'resource:write' });
  }
  if (patch.quantityTotal !== undefined && !r.is_stock) throw new Invalid('only a stock has a quantity', [{ field: 'body.quantityTotal', message: `a ${r.type_code} is not counted by quantity` }]);
  if (patch.agreement && r.owner_kind !== 'social') throw new Invalid('agreements are for resources of social organizations', [{ field: 'body.agreement', message: 'the owner is a government department' }]);
  return withTransaction(deps.db, async (tx) => {
    const locked = await store.findResource(tx, id, today(), true);
    if (!locked) throw new NotFound(`no resource ${id}`);
    try {
      await store.updateResource(tx, id, {
        name: patch.name,
        capabilities: patch.capabilities,
        location: patch.location,
        quantity_total: patch.quantityTotal,
        capacity: patch.capacity,
        description: patch.description,
        agreement:
          patch.agreement === undefined
            ? undefined
            : patch.agreement && { number: patch.agreement.number, valid_from: patch.agreement.validFrom, valid_to: patch.agreement.validTo, response_minutes: patch.agreement.responseMinutes ?? null },
      });
    } catch (err) {
      if (pgCode(err) === '23514') {
        const reserved = (locked.quantity_total ?? 0) - (locked.quantity_available ?? 0);
        throw new Conflict(`${reserved} ${locked.unit} of this stock are reserved: the total cannot go below that`, 'quantity-reserved');
      }
      throw err;
    }
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'resource.updated', resourceType: 'resource', resourceId: id, regionCode: r.region_code, details: { changed: Object.keys(patch) } });
    await publish(tx, { topic: 'resource.updated', aggregateId: id, regionCode: r.region_code, payload: { id, changed: Object.keys(patch) } });
    return presentResource((await store.findResource(tx, id, today())) as store.ResourceRecord);
  });
}

/** Takes a resource out of service or puts it back; reserved and dispatched ones change only through their reservation. */
export async function changeStatus(deps: Deps, ctx: RequestContext, id: string, input: StatusChange): Promise<Resource> {
  const r = await loadResource(deps, ctx, id, 'resource:write');
  return withTransaction(deps.db, async (tx) => {
    if (!(await store.setManualStatus(tx, id, input.status))) {
      const now = await store.findResource(tx, id, today());
      throw new Conflict(`the resource is ${now?.status ?? 'gone'}: it changes through its reservation (release it first)`, 'resource-busy');
    }
    await recordAudit(tx, ctx, deps.config.auditHash, {
      action: 'resource.status-changed', resourceType: 'resource', resourceId: id, regionCode: r.region_code, details: { from: r.status, to: input.status, note: input.note ?? null },
    });
    await publish(tx, { topic: 'resource.status.changed', aggregateId: id, regionCode: r.region_code, payload: { id, from: r.status, to: input.status } });
    return presentResource((await store.findResource(tx, id, today())) as store.ResourceRecord);
  });
}

/** Stores a batch of tracker positions, all or nothing; older observations than the stored one are skipped. */
export async function updatePositions(deps: Deps, ctx: RequestContext, batch: PositionBatch): Promise<PositionResult> {
  await authorize(deps, ctx, 'resource:write');
  const ids = [...new Set(batch.items.map((i) => i.id))];
  const known = new Map((await store.resourceOwners(executor(deps.db), ids)).map((r) => [r.id, r]));
  const missing = batch.items.flatMap((it, i) => (known.has(it.id) ? [] : [{ field: `body.items.${i}.id`, message: `no resource ${it.id}` }]));
  if (missing.length) throw new Invalid('some positions name no resource; nothing was stored', missing.slice(0, 50));
  for (const r of known.values()) {
    await authorize(deps, ctx, 'resource:write', { regionCode: r.region_code, type: 'resource', id: r.id });
    if (!mayTouchOwner(ctx.actor, r.owner_organization_id)) {
      throw await denied(deps, ctx, 'not allowed: a social organization member updates only their own organization\'s resources', { type: 'resource', id: r.id, regionCode: r.region_code, requested: 'resource:write' });
    }
  }
  const now = new Date().toISOString();
  return withTransaction(deps.db, async (tx) => {
    const updated = await store.updatePositions(tx, batch.items.map((i) => ({ id: i.id, lon: i.location[0], lat: i.location[1], at: i.observedAt ?? now })));
    const result = { updated: updated.length, stale: ids.length - updated.length };
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'resource.positions-updated', resourceType: 'resource', details: { ...result, ids: updated.slice(0, 100) } });
    await publish(tx, { topic: 'resource.positions.updated', payload: { ...result, ids: updated.slice(0, 1000) } });
    return result;
  });
}

// --- matching ---------------------------------------------------------------------------------

type Found = Scored & { record: store.ResourceRecord };

/**
 * Candidates near `at` for a need, nearest first. The spatial index is walked in order of planar distance
 * (GiST `location <-> point`), every resource whatever the filters, and the filters are applied to what it
 * returns; the walk stops once a lower bound on the kilometres to the rest passes the distance at which
 * the need is covered (or the maximum). After WALK_LIMIT resources the matches are rare here: the filtered
 * query takes over, which the type/status index serves.
 */
async function candidatesNear(db: Executor, f: store.CandidateFilter, at: [number, number], speedKmh: number, need: number, maxKm: number): Promise<Found[]> {
  const score = (r: store.ResourceRecord): Found => {
    const km = distanceKm(at, [r.lon, r.lat]);
    return { id: r.id, km, minutes: travelMinutes(km, speedKmh), available: r.is_stock ? (r.quantity_available ?? 0) : 1, record: r };
  };
  const found: Found[] = [];
  for (let offset = 0, batch = Math.max(64, need * 2); offset < WALK_LIMIT; offset += batch, batch *= 2) {
    const rows = await store.walkNearest(db, f, at, offset, batch);
    for (const row of rows) if (row.record) found.push(score(row.record));
    found.sort(byTravelTime);
    const last = rows.at(-1);
    if (rows.length < batch || !last) return found.filter((c) => c.km <= maxKm);
    const bound = kmLowerBound(last.deg, at[1]);
    if (bound > maxKm || bound > coveredAt(found, need)) return found.filter((c) => c.km <= maxKm);
  }
  return (await store.filteredNearest(db, f, at, FALLBACK_LIMIT)).map(score).filter((c) => c.km <= maxKm).sort(byTravelTime);
}

/** The region matching starts from: the given one, or its county when it lies below county level. */
function matchingRegion(code: string): string {
  return levelIndex(levelOfCode(code)) > levelIndex('county') ? `${code.slice(0, 6)}000000` : code;
}

export type ProposeInput = { type: string; capability?: string; quantity: number; near: [number, number]; regionCode?: string; maxTravelMinutes?: number };

/**
 * Proposes the nearest available resources that meet a type, a capability and a quantity, ranked by
 * estimated travel time (straight-line distance at the type's speed). It looks in the region first; what
 * the region lacks it borrows from the neighbouring regions and the parent region (proposals marked
 * `borrowed`). Only what the caller may read is proposed: a county-scoped caller borrows within its
 * scope, a city or province dispatcher across its counties. A social organization's resource is offered
 * only under an agreement valid today.
 */
export async function proposeResources(deps: Deps, ctx: RequestContext, input: ProposeInput): Promise<ProposalResult> {
  await authorize(deps, ctx, 'resource:read');
  const db = executor(deps.db);
  const { type, regionCode } = await resolveRequest(db, input);
  await authorize(deps, ctx, 'resource:read', { regionCode, type: 'region', id: regionCode });
  return proposeIn(db, ctx, type, regionCode, input, []);
}

/** The type and the region of a request (given, or the one containing the point); 400 when either is unknown. */
async function resolveRequest(db: Executor, input: ProposeInput): Promise<{ type: store.ResourceTypeRecord; regionCode: string }> {
  const type = await store.findResourceType(db, input.type);
  if (!type) throw new Invalid('no such resource type', [{ field: 'type', message: `no resource type ${input.type}` }]);
  let regionCode = input.regionCode;
  if (regionCode) {
    if (!(await findCurrentRegion(db, regionCode))) throw new Invalid('no such region', [{ field: 'regionCode', message: `no current region ${regionCode}` }]);
  } else {
    regionCode = (await locateRegionWith(db, input.near[0], input.near[1]))?.code;
    if (!regionCode) throw new Invalid('the point lies in no known region: give regionCode', [{ field: 'regionCode', message: 'required when the point lies in no region' }]);
  }
  return { type, regionCode };
}

/** proposeResources on an executor (no authorization), leaving out `excludeIds`. */
async function proposeIn(db: Executor, ctx: RequestContext, type: store.ResourceTypeRecord, regionCode: string, input: ProposeInput, excludeIds: readonly string[]): Promise<ProposalResult> {
  const home = matchingRegion(regionCode);
  const homePrefix = scopePrefixOf(home);
  const maxKm = input.maxTravelMinutes === undefined ? Infinity : (input.maxTravelMinutes / 60) * type.speed_kmh;
  const base = { type: type.code, capability: input.capability, scopePrefix: ctx.actor.scopePrefix, onlyOrganizationId: confinedToOrganization(ctx.actor), day: today(), excludeIds };

  const local = await candidatesNear(db, { ...base, includePrefixes: [homePrefix], excludePrefixes: [] }, input.near, type.speed_kmh, input.quantity, maxKm);
  const first = cover(local, input.quantity);
  let picks = first.picks.map((p) => ({ ...p, borrowed: false }));
  let shortfall = first.shortfall;
  if (shortfall > 0) {
    const region = await findCurrentRegion(db, home);
    const around = (await store.neighbouringRegions(db, home)).map((n) => n.prefix);
    if (region?.parent_code) around.push(scopePrefixOf(region.parent_code));
    if (around.length) {
      const away = await candidatesNear(db, { ...base, includePrefixes: around, excludePrefixes: [homePrefix] }, input.near, type.speed_kmh, shortfall, maxKm);
      const second = cover(away, shortfall);
      picks = [...picks, ...second.picks.map((p) => ({ ...p, borrowed: true }))];
      shortfall = second.shortfall;
    }
  }
  const proposals: Proposal[] = picks.map(({ candidate: c, take, borrowed }) => ({
    resource: presentResource(c.record),
    take,
    distanceKm: Math.round(c.km * 1000) / 1000,
    travelMinutes: Math.round(c.minutes * 10) / 10,
    borrowed,
    fromRegionCode: c.record.region_code,
    fromRegionName: c.record.region_name,
  }));
  return { type: type.code, quantity: input.quantity, regionCode: home, satisfied: shortfall === 0, shortfall, borrowed: proposals.some((p) => p.borrowed), proposals };
}

/** A resource taken for a request inside a transaction, with its reservation. */
export type Taken = { proposal: Proposal; reservationId: string };

/**
 * Inside the caller's transaction (the caller authorized resource:dispatch in the request's region):
 * proposes the nearest resources for a need and reserves them, each by a conditional UPDATE — a whole
 * resource without waiting on a row another transaction holds — so nothing is ever reserved twice. What
 * was taken meanwhile is left out and the shortfall proposed again, up to `rounds` times. `preferred`
 * resources (chosen by the dispatcher) are tried first. Answers what was taken and what is still missing.
 */
export async function matchAndReserveIn(
  tx: Executor,
  ctx: RequestContext,
  input: ProposeInput & { requestRef: string; note?: string | null; preferred?: readonly string[]; excluded?: readonly string[]; rounds?: number },
): Promise<{ taken: Taken[]; shortfall: number }> {
  const { type, regionCode } = await resolveRequest(tx, input);
  const day = today();
  const taken: Taken[] = [];
  // resources the dispatcher left out are never matched
  const tried = new Set<string>(input.excluded ?? []);
  let need = input.quantity;
  const take = async (p: Proposal) => {
    const r = p.resource;
    tried.add(r.id);
    const ok = r.isStock ? await store.takeStock(tx, r.id, p.take, day) : await store.takeWholeNoWait(tx, r.id, day);
    if (!ok) return;
    const id = newId();
    await store.insertReservation(tx, { id, request_ref: input.requestRef, resource_id: r.id, region_code: ok.region_code, is_stock: r.isStock, quantity: p.take, note: input.note ?? null, reserved_by: ctx.actor.userId });
    taken.push({ proposal: p, reservationId: id });
    need -= p.take;
  };
  if (input.preferred?.length) {
    const all = await proposeIn(tx, ctx, type, regionCode, { ...input, quantity: need + 1000 }, []);
    for (const id of input.preferred) {
      if (input.excluded?.includes(id)) continue;
      const p = all.proposals.find((x) => x.resource.id === id);
      if (p && need > 0) await take({ ...p, take: Math.min(p.take, need) });
    }
  }
  for (let round = 0; round < (input.rounds ?? 3) && need > 0; round++) {
    const res = await proposeIn(tx, ctx, type, regionCode, { ...input, quantity: need }, [...tried]);
    if (res.proposals.length === 0) break;
    for (const p of res.proposals) if (need > 0) await take({ ...p, take: Math.min(p.take, need) });
  }
  if (taken.length) {
    const details = { requestRef: input.requestRef, items: taken.map((t) => ({ resourceId: t.proposal.resource.id, quantity: t.proposal.take })) };
    await publish(tx, { topic: 'resource.reserved', aggregateId: input.requestRef, regionCode: taken[0]?.proposal.fromRegionCode ?? null, payload: { ...details, reservations: taken.map((t) => t.reservationId) } });
  }
  return { taken, shortfall: need };
}

/** GET /api/resources/nearest: the query string form of proposeResources. */
export function nearest(deps: Deps, ctx: RequestContext, q: NearestQuery): Promise<ProposalResult> {
  return proposeResources(deps, ctx, { type: q.type, capability: q.capability, quantity: q.quantity, near: [q.lon, q.lat], regionCode: q.regionCode, maxTravelMinutes: q.maxTravelMinutes });
}

// --- reservations -----------------------------------------------------------------------------

/**
 * Reserves resources for a request, all or nothing. Each item is taken by a conditional UPDATE (a whole
 * resource only while `available`, a stock only while it holds the quantity), never read-then-write, so
 * no resource is reserved twice under any concurrency; the partial unique index on active reservations
 * and the stock CHECK are the backstop. Items are taken in id order, so that two requests for
 * overlapping sets never deadlock.
 */
export async function reserveResources(deps: Deps, ctx: RequestContext, input: ReservationInput): Promise<ReservationResult> {
  await authorize(deps, ctx, 'resource:dispatch');
  const day = today();
  const found = new Map((await store.findResources(executor(deps.db), input.items.map((i) => i.resourceId), day)).map((r) => [r.id, r]));
  const errors: FieldError[] = [];
  input.items.forEach((it, i) => {
    const r = found.get(it.resourceId);
    if (!r) errors.push({ field: `body.items.${i}.resourceId`, message: `no resource ${it.resourceId}` });
    else if (!r.is_stock && it.quantity !== 1) errors.push({ field: `body.items.${i}.quantity`, message: `a ${r.type_code} is reserved as a whole (quantity 1)` });
  });
  if (errors.length) throw new Invalid('some items cannot be reserved; nothing was reserved', errors);
  for (const r of found.values()) await authorize(deps, ctx, 'resource:dispatch', { regionCode: r.region_code, type: 'resource', id: r.id });

  const items = [...input.items].sort((a, b) => (a.resourceId < b.resourceId ? -1 : 1));
  return withTransaction(deps.db, async (tx) => {
    const ids: string[] = [];
    for (const it of items) {
      const r = found.get(it.resourceId) as store.ResourceRecord;
      const taken = r.is_stock ? await store.takeStock(tx, r.id, it.quantity, day) : await store.takeWhole(tx, r.id, day);
      if (!taken) {
        throw new Conflict(
          r.is_stock
            ? `${r.name}: fewer than ${it.quantity} ${r.unit} are available (or it is not offered); nothing was reserved`
            : `${r.name} is not available (reserved, dispatched, out of service, or not offered); nothing was reserved`,
          'not-available',
        );
      }
      const id = newId();
      try {
        await store.insertReservation(tx, { id, request_ref: input.requestRef, resource_id: r.id, region_code: taken.region_code, is_stock: r.is_stock, quantity: it.quantity, note: input.note ?? null, reserved_by: ctx.actor.userId });
      } catch (err) {
        if (pgCode(err) === '23505') throw new Conflict(`${r.name} is already reserved; nothing was reserved`, 'not-available');
        throw err;
      }
      ids.push(id);
    }
    const details = { requestRef: input.requestRef, items: items.map((i) => ({ resourceId: i.resourceId, quantity: i.quantity })) };
    const regionCode = found.get(items[0]?.resourceId ?? '')?.region_code ?? null;
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'resource.reserved', resourceType: 'reservation', resourceId: input.requestRef, regionCode, details });
    await publish(tx, { topic: 'resource.reserved', aggregateId: input.requestRef, regionCode, payload: { ...details, reservations: ids } });
    return { requestRef: input.requestRef, items: (await store.findReservations(tx, ids)).map(presentReservation) };
  });
}

/** Reservations in the caller's scope, newest first. */
export async function listReservations(deps: Deps, ctx: RequestContext, q: ReservationQuery) {
  await authorize(deps, ctx, 'resource:read');
  const { rows, total } = await store.listReservations(
    executor(deps.db),
    { scopePrefix: ctx.actor.scopePrefix, onlyOrganizationId: confinedToOrganization(ctx.actor), requestRef: q.requestRef, resourceId: q.resourceId, status: q.status },
    q.limit,
    q.offset,
  );
  return { items: rows.map(presentReservation), total, limit: q.limit, offset: q.offset };
}

/** Locks a reservation inside the transaction and checks the caller may dispatch in its region. */
async function lockReservation(tx: Executor, ctx: RequestContext, id: string): Promise<store.ReservationRecord> {
  const v = await store.findReservation(tx, id, true);
  if (!v) throw new NotFound(`no reservation ${id}`);
  check(ctx, 'resource:dispatch', { regionCode: v.region_code, type: 'reservation', id });
  return v;
}

/** reserved → dispatched (a dispatch order sent the resource out). */
export async function dispatchReservation(deps: Deps, ctx: RequestContext, id: string): Promise<Reservation> {
  await authorize(deps, ctx, 'resource:dispatch');
  return withDeferredDenials(deps, ctx, () =>
    withTransaction(deps.db, async (tx) => {
      const v = await lockReservation(tx, ctx, id);
      if (!(await store.markDispatched(tx, v))) throw new Conflict(`the reservation is ${v.status}, not reserved`, 'not-reserved');
      await recordAudit(tx, ctx, deps.config.auditHash, { action: 'resource.dispatched', resourceType: 'reservation', resourceId: id, regionCode: v.region_code, details: { resourceId: v.resource_id, requestRef: v.request_ref } });
      await publish(tx, { topic: 'resource.dispatched', aggregateId: id, regionCode: v.region_code, payload: { id, resourceId: v.resource_id, requestRef: v.request_ref } });
      return presentReservation((await store.findReservation(tx, id)) as store.ReservationRecord);
    }),
  );
}

/**
 * Releases a reservation (reserved or dispatched): a whole resource becomes available again; a stock gets
 * back what was not consumed, and the consumed quantity leaves its total.
 */
export async function releaseReservation(deps: Deps, ctx: RequestContext, id: string, input: ReleaseInput): Promise<Reservation> {
  await authorize(deps, ctx, 'resource:dispatch');
  return withDeferredDenials(deps, ctx, () =>
    withTransaction(deps.db, async (tx) => {
      const v = await lockReservation(tx, ctx, id);
      if (v.status === 'released') throw new Conflict('the reservation is already released', 'already-released');
      const consumed = input.consumed ?? 0;
      if (!v.is_stock && consumed > 0) throw new Invalid('only stock is consumed', [{ field: 'body.consumed', message: 'a whole resource returns to the pool' }]);
      if (consumed > v.quantity) throw new Invalid(`at most the reserved ${v.quantity} can be consumed`, [{ field: 'body.consumed', message: `more than the reserved ${v.quantity}` }]);
      await store.markReleased(tx, v, consumed, input.note ?? null);
      await recordAudit(tx, ctx, deps.config.auditHash, {
        action: 'resource.released', resourceType: 'reservation', resourceId: id, regionCode: v.region_code, details: { resourceId: v.resource_id, requestRef: v.request_ref, consumed },
      });
      await publish(tx, { topic: 'resource.released', aggregateId: id, regionCode: v.region_code, payload: { id, resourceId: v.resource_id, requestRef: v.request_ref, quantity: v.quantity, consumed } });
      return presentReservation((await store.findReservation(tx, id)) as store.ReservationRecord);
    }),
  );
}

/** Inside the caller's transaction: reserved → dispatched (the order went out). False when not reserved. */
export async function dispatchReservationIn(tx: Executor, id: string): Promise<boolean> {
  const v = await store.findReservation(tx, id, true);
  return v ? store.markDispatched(tx, v) : false;
}

/**
 * Inside the caller's transaction: releases a reservation, returning the resource (and the unconsumed stock)
 * to the pool. False when already released.
 */
export async function releaseReservationIn(tx: Executor, id: string, consumed: number, note: string | null): Promise<boolean> {
  const v = await store.findReservation(tx, id, true);
  if (!v || v.status === 'released') return false;
  return store.markReleased(tx, v, Math.min(consumed, v.is_stock ? v.quantity : 0), note);
}
