// SPDX-License-Identifier: Apache-2.0
// Twin entities: NGSI-LD create/read/update/delete, each entity in a region (given or derived from its
// location), every attribute change kept in the history with the time the source observed it.
import { centroid as turfCentroid } from '@turf/turf';
import { inScope } from '../../../contracts/region-codes.ts';
import type { RequestContext } from '../../platform/context.ts';
import { executor, type Executor, withTransaction } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { Conflict, Invalid, NotFound } from '../../platform/errors.ts';
import { publish } from '../../platform/outbox.ts';
import { authorize, check, withDeferredDenials } from '../access/index.ts';
import { recordAudit } from '../audit/index.ts';
import { findCurrentRegion, locateRegionWith } from '../regions/index.ts';
import * as store from './entities.store.ts';
import { queueNotifications } from './subscriptions.service.ts';
import { type Attrs, type Instance } from './entities.store.ts';
import { CORE_MEMBERS, expand, type LdContext } from './ngsi-context.ts';

export const LOCATION = 'https://uri.etsi.org/ngsi-ld/location';
/** The attribute that places an entity in a region explicitly (its value is a region code). */
export const REGION_ATTR = 'https://uri.etsi.org/ngsi-ld/default-context/regionCode';
export const URI = /^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]*$/;
const GEO_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon']);

export type Geometry = { type: string; coordinates: unknown };

export function bad(message: string, field: string): Invalid {
  return new Invalid(message, [{ field, message }]);
}

function isTimestamp(v: unknown): v is string {
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(v) && !Number.isNaN(Date.parse(v));
}

function checkPositions(c: unknown, depth: number): boolean {
  if (depth === 0) return Array.isArray(c) && c.length >= 2 && c.length <= 3 && c.every((n) => typeof n === 'number' && Number.isFinite(n)) && Math.abs(c[0] as number) <= 180 && Math.abs(c[1] as number) <= 90;
  return Array.isArray(c) && c.length > 0 && c.every((x) => checkPositions(x, depth - 1));
}

/** Validates a GeoJSON geometry (RFC 7946), returning it typed. */
export function asGeometry(v: unknown, field: string): Geometry {
  const g = v as Geometry | null;
  if (!g || typeof g !== 'object' || typeof g.type !== 'string' || !GEO_TYPES.has(g.type)) throw bad('a GeoProperty value must be a GeoJSON geometry', field);
  const depth = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 }[g.type] ?? 0;
  if (!checkPositions(g.coordinates, depth)) throw bad(`the ${g.type} coordinates are not valid [longitude, latitude] positions`, field);
  return g;
}

/** Normalizes one attribute (normalized or concise form) to an instance, validating it. */
function normalizeInstance(raw: unknown, field: string, isLocation: boolean): Instance {
  let inst: Record<string, unknown>;
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    inst = { ...(raw as Record<string, unknown>) };
    if (inst.type === undefined) {
      if ('object' in inst) inst.type = 'Relationship';
      else if ('languageMap' in inst) inst.type = 'LanguageProperty';
      else if ('value' in inst) inst.type = isLocation ? 'GeoProperty' : 'Property';
      else inst = { type: isLocation ? 'GeoProperty' : 'Property', value: raw };
    }
  } else {
    inst = { type: isLocation ? 'GeoProperty' : 'Property', value: raw };
  }
  if (isLocation && inst.type !== 'GeoProperty') throw bad('location is a GeoProperty', field);
  switch (inst.type) {
    case 'Property':
      if (!('value' in inst) || inst.value === null) throw bad('a Property needs a non-null value', field);
      break;
    case 'GeoProperty':
      inst.value = asGeometry(inst.value, `${field}.value`);
      break;
    case 'Relationship':
      if (typeof inst.object !== 'string' || !URI.test(inst.object)) throw bad('a Relationship needs an object that is a URI', field);
      break;
    case 'LanguageProperty':
      if (!inst.languageMap || typeof inst.languageMap !== 'object') throw bad('a LanguageProperty needs a languageMap', field);
      break;
    default:
      throw bad(`unknown attribute type ${String(inst.type)}`, `${field}.type`);
  }
  if (inst.observedAt !== undefined && !isTimestamp(inst.observedAt)) throw bad('observedAt must be an ISO 8601 date-time', `${field}.observedAt`);
  if (inst.datasetId !== undefined && (typeof inst.datasetId !== 'string' || !URI.test(inst.datasetId))) throw bad('datasetId must be a URI', `${field}.datasetId`);
  if (inst.unitCode !== undefined && typeof inst.unitCode !== 'string') throw bad('unitCode must be a string', `${field}.unitCode`);
  delete inst.createdAt;
  delete inst.modifiedAt;
  return inst as Instance;
}

/** Parses the attributes of a request body into expanded-name → instances. */
export function parseAttributes(body: Record<string, unknown>, ld: LdContext, fieldPrefix = ''): Map<string, Instance[]> {
  const out = new Map<string, Instance[]>();
  for (const [name, raw] of Object.entries(body)) {
    if (CORE_MEMBERS.has(name)) continue;
    if (!/^[^\s<>"{}|\\^`]+$/.test(name) || name.length > 256) throw bad(`"${name}" is not a valid attribute name`, fieldPrefix + name);
    const iri = expand(ld, name);
    const list = Array.isArray(raw) ? raw : [raw];
    if (list.length === 0) throw bad('an attribute needs at least one instance', fieldPrefix + name);
    const instances = list.map((r, i) => normalizeInstance(r, `${fieldPrefix}${name}${Array.isArray(raw) ? `[${i}]` : ''}`, iri === LOCATION));
    const ids = instances.map((x) => x.datasetId ?? '@default');
    if (new Set(ids).size !== ids.length) throw bad('two instances of one attribute share a datasetId', fieldPrefix + name);
    out.set(iri, instances);
  }
  return out;
}

export function instancesOf(v: Instance | Instance[] | undefined): Instance[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

export function packInstances(list: Instance[]): Instance | Instance[] {
  return list.length === 1 ? (list[0] as Instance) : list;
}

/** Decides where the entity lives: an explicit regionCode, else the smallest region holding its location. */
export async function placeEntity(tx: Executor, attrs: Attrs, fallback: string | null): Promise<{ regionCode: string; explicit: boolean; location: Geometry | null; bbox: string | null }> {
  const loc = instancesOf(attrs[LOCATION])[0];
  const location = loc ? (loc.value as Geometry) : null;
  let bbox: string | null = null;
  if (location) {
    const [minX, minY, maxX, maxY] = boundsOf(location);
    bbox = `((${minX},${minY}),(${maxX},${maxY}))`;
  }
  const explicit = instancesOf(attrs[REGION_ATTR])[0];
  if (explicit) {
    const code = String(explicit.value ?? '');
    if (!/^\d{12}(\d{3})?$/.test(code) || !(await findCurrentRegion(tx, code))) throw bad(`regionCode ${code} is not a current region`, 'regionCode');
    return { regionCode: code, explicit: true, location, bbox };
  }
  if (location) {
    const c = location.type === 'Point' ? (location.coordinates as number[]) : turfCentroid({ type: 'Feature', properties: {}, geometry: location as never }).geometry.coordinates;
    const region = await locateRegionWith(tx, c[0] as number, c[1] as number);
    if (region) return { regionCode: region.code, explicit: false, location, bbox };
  }
  if (fallback) return { regionCode: fallback, explicit: false, location, bbox };
  throw bad('the entity needs a location inside a known region or a regionCode property', location ? 'location' : 'regionCode');
}

function boundsOf(g: Geometry): [number, number, number, number] {
  let b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c: unknown) => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [x, y] = c as [number, number];
      b = [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)];
    } else if (Array.isArray(c)) c.forEach(walk);
  };
  walk(g.coordinates);
  return b;
}

export function historyRows(entityId: string, entityType: string, regionCode: string, changes: Map<string, Instance[]>, deleted: { attr: string; datasetId: string | null }[] = []): store.HistoryInsert[] {
  const rows: store.HistoryInsert[] = [];
  for (const [attr, list] of changes)
    for (const inst of list) rows.push({ entityId, entityType, attr, datasetId: (inst.datasetId as string | undefined) ?? null, instance: inst, observedAt: (inst.observedAt as string | undefined) ?? null, regionCode });
  for (const d of deleted) rows.push({ entityId, entityType, attr: d.attr, datasetId: d.datasetId, instance: null, observedAt: null, regionCode });
  return rows;
}

/** The actor's fallback region for entities without location: their scope root, when they have one. */
export function fallbackRegion(ctx: RequestContext): string | null {
  return ctx.actor.scopeCode;
}

/** Creates an entity (POST /entities). */
export async function createEntity(deps: Deps, ctx: RequestContext, body: unknown, ld: LdContext): Promise<store.EntityRow> {
  await authorize(deps, ctx, 'twin:write');
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw bad('an entity is a JSON object', 'body');
  const e = body as Record<string, unknown>;
  if (typeof e.id !== 'string' || !URI.test(e.id) || e.id.length > 512) throw bad('an entity id is a URI', 'id');
  const type = Array.isArray(e.type) && e.type.length === 1 ? e.type[0] : e.type;
  if (typeof type !== 'string' || type === '') throw bad('an entity has one type', 'type');
  const parsed = parseAttributes(e, ld);
  const attrs: Attrs = Object.fromEntries([...parsed].map(([k, v]) => [k, packInstances(v)]));
  return withDeferredDenials(deps, ctx, () => withTransaction(deps.db, async (tx) => {
    const place = await placeEntity(tx, attrs, fallbackRegion(ctx));
    check(ctx, 'twin:write', { regionCode: place.regionCode, type: 'entity', id: e.id as string });
    const row = { id: e.id as string, type: expand(ld, type), region_code: place.regionCode, region_explicit: place.explicit, attrs, location: place.location, bbox: place.bbox };
    if (!(await store.insertEntity(tx, row))) throw new Conflict(`entity ${row.id} already exists`, 'already-exists');
    await store.insertHistory(tx, historyRows(row.id, row.type, row.region_code, parsed));
    await queueNotifications(tx, row.id, parsed.keys());
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'twin.entity-created', resourceType: 'entity', resourceId: row.id, regionCode: row.region_code, details: { type: row.type } });
    await publish(tx, { topic: 'twin.entity.created', aggregateId: row.id, regionCode: row.region_code, payload: { id: row.id, type: row.type, attrs: [...parsed.keys()] } });
    return (await store.findEntity(tx, row.id)) as store.EntityRow;
  }));
}

/** Reads an entity the actor may see. */
export async function getEntity(deps: Deps, ctx: RequestContext, id: string): Promise<store.EntityRow> {
  await authorize(deps, ctx, 'twin:read');
  const row = await store.findEntity(executor(deps.db), id);
  if (!row) throw new NotFound(`no entity ${id}`);
  await authorize(deps, ctx, 'twin:read', { regionCode: row.region_code, type: 'entity', id });
  return row;
}

async function lockForWrite(ctx: RequestContext, tx: Executor, id: string): Promise<store.EntityRow> {
  const row = await store.findEntity(tx, id, true);
  if (!row) throw new NotFound(`no entity ${id}`);
  check(ctx, 'twin:write', { regionCode: row.region_code, type: 'entity', id });
  return row;
}

/** The outcome of an attribute operation: updated names and those not updated with the reason (207 when any). */
export type UpdateResult = { updated: string[]; notUpdated: { attributeName: string; reason: string }[] };

/**
 * Writes attributes. mode 'append' (POST /attrs) adds or replaces; 'append-keep' (noOverwrite) adds only
 * new ones; 'update' (PATCH /attrs) replaces only existing ones.
 */
export async function writeAttributes(deps: Deps, ctx: RequestContext, id: string, body: unknown, ld: LdContext, mode: 'append' | 'append-keep' | 'update'): Promise<UpdateResult> {
  await authorize(deps, ctx, 'twin:write');
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw bad('send the attributes as a JSON object', 'body');
  const parsed = parseAttributes(body as Record<string, unknown>, ld);
  if (parsed.size === 0) throw bad('no attributes given', 'body');
  return withDeferredDenials(deps, ctx, () => withTransaction(deps.db, async (tx) => {
    const row = await lockForWrite(ctx, tx, id);
    const attrs: Attrs = { ...row.attrs };
    const result: UpdateResult = { updated: [], notUpdated: [] };
    const applied = new Map<string, Instance[]>();
    for (const [attr, list] of parsed) {
      const existing = instancesOf(attrs[attr]);
      const kept: Instance[] = [];
      for (const inst of list) {
        const ds = inst.datasetId ?? '@default';
        const same = existing.find((x) => (x.datasetId ?? '@default') === ds);
        if (mode === 'update' && !same) {
          result.notUpdated.push({ attributeName: attr, reason: `attribute${inst.datasetId ? ` with datasetId ${String(inst.datasetId)}` : ''} does not exist` });
          continue;
        }
        if (mode === 'append-keep' && same) {
          result.notUpdated.push({ attributeName: attr, reason: 'attribute exists and noOverwrite was requested' });
          continue;
        }
        kept.push(inst);
      }
      if (kept.length === 0) continue;
      const keptIds = new Set(kept.map((x) => x.datasetId ?? '@default'));
      attrs[attr] = packInstances([...existing.filter((x) => !keptIds.has(x.datasetId ?? '@default')), ...kept]);
      applied.set(attr, kept);
      result.updated.push(attr);
    }
    if (applied.size > 0) await saveChanges(deps, ctx, tx, row, attrs, applied, []);
    return result;
  }));
}

/** Partially updates one attribute instance (PATCH /attrs/{attrId}): given members replace stored ones. */
export async function patchAttribute(deps: Deps, ctx: RequestContext, id: string, attrName: string, body: unknown, ld: LdContext): Promise<void> {
  await authorize(deps, ctx, 'twin:write');
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw bad('send the attribute fragment as a JSON object', 'body');
  const attr = expand(ld, attrName);
  await withDeferredDenials(deps, ctx, () => withTransaction(deps.db, async (tx) => {
    const row = await lockForWrite(ctx, tx, id);
    const existing = instancesOf(row.attrs[attr]);
    const fragment = body as Record<string, unknown>;
    const ds = (fragment.datasetId as string | undefined) ?? '@default';
    const target = existing.find((x) => (x.datasetId ?? '@default') === ds);
    if (!target) throw new NotFound(`entity ${id} has no attribute ${attrName}${ds === '@default' ? '' : ` with datasetId ${ds}`}`);
    const merged = normalizeInstance({ ...target, ...fragment, type: fragment.type ?? target.type }, attrName, attr === LOCATION);
    const attrs: Attrs = { ...row.attrs, [attr]: packInstances(existing.map((x) => (x === target ? merged : x))) };
    await saveChanges(deps, ctx, tx, row, attrs, new Map([[attr, [merged]]]), []);
  }));
}

/** Deletes an attribute (one datasetId, or all instances). */
export async function deleteAttribute(deps: Deps, ctx: RequestContext, id: string, attrName: string, ld: LdContext, opts: { datasetId?: string; deleteAll?: boolean }): Promise<void> {
  await authorize(deps, ctx, 'twin:write');
  const attr = expand(ld, attrName);
  await withDeferredDenials(deps, ctx, () => withTransaction(deps.db, async (tx) => {
    const row = await lockForWrite(ctx, tx, id);
    const existing = instancesOf(row.attrs[attr]);
    const ds = opts.datasetId ?? '@default';
    const removed = opts.deleteAll ? existing : existing.filter((x) => (x.datasetId ?? '@default') === ds);
    if (removed.length === 0) throw new NotFound(`entity ${id} has no attribute ${attrName}`);
    const rest = existing.filter((x) => !removed.includes(x));
    const attrs: Attrs = { ...row.attrs };
    if (rest.length) attrs[attr] = packInstances(rest);
    else delete attrs[attr];
    await saveChanges(deps, ctx, tx, row, attrs, new Map(), removed.map((x) => ({ attr, datasetId: (x.datasetId as string | undefined) ?? null })));
  }));
}

async function saveChanges(deps: Deps, ctx: RequestContext, tx: Executor, row: store.EntityRow, attrs: Attrs, changed: Map<string, Instance[]>, deleted: { attr: string; datasetId: string | null }[]): Promise<void> {
  // The region follows the location unless it was given explicitly.
  const place = await placeEntity(tx, attrs, row.region_code);
  if (place.regionCode !== row.region_code) check(ctx, 'twin:write', { regionCode: place.regionCode, type: 'entity', id: row.id });
  await store.updateEntity(tx, { id: row.id, region_code: place.regionCode, region_explicit: place.explicit, attrs, location: place.location, bbox: place.bbox });
  await store.insertHistory(tx, historyRows(row.id, row.type, place.regionCode, changed, deleted));
  await queueNotifications(tx, row.id, [...changed.keys(), ...deleted.map((d) => d.attr)]);
  await recordAudit(tx, ctx, deps.config.auditHash, {
    action: 'twin.entity-updated', resourceType: 'entity', resourceId: row.id, regionCode: place.regionCode,
    details: { changed: [...changed.keys()], deleted: deleted.map((d) => d.attr), ...(place.regionCode !== row.region_code ? { movedFrom: row.region_code } : {}) },
  });
  await publish(tx, { topic: 'twin.entity.updated', aggregateId: row.id, regionCode: place.regionCode, payload: { id: row.id, type: row.type, changed: [...changed.keys()], deleted: deleted.map((d) => d.attr) } });
}

/** Deletes an entity (its history stays). */
export async function deleteEntity(deps: Deps, ctx: RequestContext, id: string): Promise<void> {
  await authorize(deps, ctx, 'twin:write');
  await withDeferredDenials(deps, ctx, () => withTransaction(deps.db, async (tx) => {
    const row = await lockForWrite(ctx, tx, id);
    await store.deleteEntityRow(tx, id);
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'twin.entity-deleted', resourceType: 'entity', resourceId: id, regionCode: row.region_code, details: { type: row.type } });
    await publish(tx, { topic: 'twin.entity.deleted', aggregateId: id, regionCode: row.region_code, payload: { id, type: row.type } });
  }));
}

/** Whether the actor's scope covers a region (for filtering). */
export function visibleTo(ctx: RequestContext, regionCode: string): boolean {
  return inScope(ctx.actor.scopePrefix, regionCode);
}
