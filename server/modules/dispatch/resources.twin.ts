// SPDX-License-Identifier: Apache-2.0
// Resources in the digital twin: every dispatchable resource is mirrored as an NGSI-LD entity
// (urn:ngsi-ld:EmergencyResource:<id>) with its live status, availability and position, so NGSI-LD clients
// and twin subscriptions follow them; and a position written to such an entity through NGSI-LD (a GPS
// tracker behind an IoT agent) moves the resource. Status changes only through the resources API, where
// reservations keep them consistent.
import { systemContext } from '../../platform/context.ts';
import { executor, withTransaction } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { type DeliveredEvent, publish } from '../../platform/outbox.ts';
import { today } from '../../platform/clock.ts';
import { CORE_CONTEXT, readNumericAttributes, upsertBatch } from '../twin/index.ts';
import * as store from './resources.store.ts';

const PREFIX = 'urn:ngsi-ld:EmergencyResource:';
const TYPE = 'EmergencyResource';
/** Entities one twin batch carries. */
const BATCH = 1000;
/** Positions closer than this (degrees, about a centimetre) are the same. */
const SAME = 1e-7;

const entityId = (resourceId: string) => `${PREFIX}${resourceId}`;

function toEntity(r: store.ResourceRecord): Record<string, unknown> {
  const prop = (value: unknown, extra: Record<string, unknown> = {}) => ({ type: 'Property', value, ...extra });
  const observed = r.position_at ? { observedAt: r.position_at.toISOString() } : {};
  return {
    id: entityId(r.id),
    type: TYPE,
    name: prop(r.name),
    category: prop(r.category),
    resourceType: prop(r.type_code),
    status: prop(r.status),
    ...(r.quantity_available !== null ? { quantityAvailable: prop(r.quantity_available, { unitText: r.unit }) } : {}),
    ...(r.capacity !== null ? { capacity: prop(r.capacity) } : {}),
    owner: { type: 'Relationship', object: `urn:ngsi-ld:Organization:${r.owner_organization_id}` },
    // placed in the resource's own region (where it belongs), wherever it stands now
    regionCode: prop(r.region_code),
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [r.lon, r.lat] }, ...observed },
  };
}

/** Writes the current state of the given resources (all of them when `ids` is absent) to the twin. */
export async function mirrorResources(deps: Deps, ids?: readonly string[]): Promise<number> {
  const db = executor(deps.db);
  const all = ids ?? (await db.query<{ id: string }>('SELECT id FROM resource ORDER BY id')).rows.map((r) => r.id);
  let written = 0;
  for (let i = 0; i < all.length; i += BATCH) {
    const rows = await store.findResources(db, all.slice(i, i + BATCH), today());
    if (!rows.length) continue;
    const r = await upsertBatch(deps, systemContext('resource-mirror'), rows.map(toEntity), CORE_CONTEXT, 'update');
    if (r.errors.length) throw new Error(`resource mirror: ${r.errors.length} entities not written, first: ${JSON.stringify(r.errors[0])}`);
    written += rows.length;
  }
  return written;
}

/** The resource ids a resource event names. */
function resourceIdsOf(e: DeliveredEvent): string[] {
  const p = e.payload as { id?: unknown; ids?: unknown; resourceId?: unknown; items?: unknown };
  const out = new Set<string>();
  if (e.topic.startsWith('resource.') && e.topic !== 'resource.dispatched' && e.topic !== 'resource.released' && typeof p.id === 'string') out.add(p.id);
  if (typeof p.resourceId === 'string') out.add(p.resourceId);
  if (Array.isArray(p.ids)) for (const x of p.ids) if (typeof x === 'string') out.add(x);
  if (Array.isArray(p.items)) for (const x of p.items as { resourceId?: unknown }[]) if (typeof x?.resourceId === 'string') out.add(x.resourceId);
  return [...out];
}

/** Positions written to mirrored entities through NGSI-LD that differ from the resource's move it. */
async function takePositions(deps: Deps, entityIds: readonly string[]): Promise<void> {
  const ids = entityIds.filter((id) => id.startsWith(PREFIX));
  if (!ids.length) return;
  const db = executor(deps.db);
  const readings = await readNumericAttributes(db, ids, [TYPE], ['status']);
  const current = new Map((await store.findResources(db, readings.map((r) => r.id.slice(PREFIX.length)).filter((id) => /^[0-9a-f-]{36}$/.test(id)), today())).map((r) => [r.id, r]));
  const moves = readings.flatMap((t) => {
    const r = current.get(t.id.slice(PREFIX.length));
    if (!r || t.lon === null || t.lat === null) return [];
    return Math.abs(r.lon - t.lon) > SAME || Math.abs(r.lat - t.lat) > SAME ? [{ id: r.id, lon: t.lon, lat: t.lat, at: new Date().toISOString() }] : [];
  });
  // a status written through NGSI-LD is put back: status follows reservations, through the resources API
  const restore = readings.flatMap((t) => {
    const r = current.get(t.id.slice(PREFIX.length));
    return r && t.texts.status !== undefined && t.texts.status !== r.status && !moves.some((m) => m.id === r.id) ? [r.id] : [];
  });
  if (restore.length) await mirrorResources(deps, restore);
  if (!moves.length) return;
  await withTransaction(deps.db, async (tx) => {
    const updated = await store.updatePositions(tx, moves);
    await publish(tx, { topic: 'resource.positions.updated', payload: { updated: updated.length, stale: moves.length - updated.length, ids: updated, via: 'ngsi-ld' } });
  });
}

/** Keeps the twin's mirror current from resource events, and takes positions written through NGSI-LD. */
export function registerResourceMirror(deps: Deps): void {
  for (const topic of ['resource.created', 'resource.updated', 'resource.status.changed', 'resource.positions.updated', 'resource.reserved', 'resource.dispatched', 'resource.released']) {
    deps.outbox.subscribe(topic, async (e) => {
      const ids = resourceIdsOf(e);
      if (ids.length) await mirrorResources(deps, ids);
    });
  }
  for (const topic of ['twin.entity.created', 'twin.entity.updated', 'twin.entities.upserted']) {
    deps.outbox.subscribe(topic, async (e) => {
      const p = e.payload as { id?: unknown; created?: unknown; updated?: unknown };
      const ids = [p.id, ...(Array.isArray(p.created) ? p.created : []), ...(Array.isArray(p.updated) ? p.updated : [])].filter((x): x is string => typeof x === 'string');
      await takePositions(deps, ids);
    });
  }
}
