// SPDX-License-Identifier: Apache-2.0
// Batch upsert as one set-based write: how IoT agents and bulk loads feed the twin. The batch is validated
// entity by entity first (a bad entity is reported, the others go on), then written in one transaction —
// entity rows, history, notifications, one audit record and one event for the batch. The same entity may
// appear several times in a batch (several observations): its fragments apply in order, each kept in history.
import type { RequestContext } from '../../platform/context.ts';
import { type Executor, withTransaction } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, Forbidden } from '../../platform/errors.ts';
import { publish } from '../../platform/outbox.ts';
import { authorize, decide } from '../access/index.ts';
import { recordAudit } from '../audit/index.ts';
import { type Attrs, type EntityRow, type HistoryInsert, insertHistory, type Instance, relTargets } from './entities.store.ts';
import { bad, fallbackRegion, historyRows, instancesOf, LOCATION, packInstances, parseAttributes, placeEntity, REGION_ATTR, URI } from './entities.service.ts';
import { expand, type LdContext } from './ngsi-context.ts';
import { queueNotificationsFor } from './subscriptions.service.ts';

/** One entity's failure in a batch, as an NGSI-LD problem. */
export type BatchError = { entityId: string; error: { type: string; title: string; status: number; detail: string } };

/** The outcome of a batch: ids that succeeded, ids created, and per-entity errors. */
export type BatchResult = { success: string[]; created: string[]; errors: BatchError[] };

export function problemOf(err: unknown): BatchError['error'] {
  if (err instanceof AppError) {
    const type = { 400: 'BadRequestData', 403: 'OperationNotSupported', 404: 'ResourceNotFound', 409: 'AlreadyExists', 503: 'LdContextNotAvailable' }[err.status] ?? 'BadRequestData';
    return { type: `https://uri.etsi.org/ngsi-ld/errors/${type}`, title: type, status: err.status, detail: err.message };
  }
  throw err;
}

type Fragment = { index: number; id: string; type: string; parsed: Map<string, Instance[]> };

type Working = {
  id: string;
  type: string;
  existing: EntityRow | undefined;
  attrs: Attrs;
  fragments: Fragment[];
  removed: { attr: string; datasetId: string | null }[];
};

/** Validates one batch item; throws the problem for this entity. */
function parseFragment(item: unknown, index: number, ld: LdContext): Fragment {
  if (!item || typeof item !== 'object' || Array.isArray(item)) throw bad('an entity is a JSON object', `[${index}]`);
  const e = item as Record<string, unknown>;
  if (typeof e.id !== 'string' || !URI.test(e.id) || e.id.length > 512) throw bad('an entity id is a URI', 'id');
  const type = Array.isArray(e.type) && e.type.length === 1 ? e.type[0] : e.type;
  if (typeof type !== 'string' || type === '') throw bad('an entity has one type', 'type');
  return { index, id: e.id, type: expand(ld, type), parsed: parseAttributes(e, ld) };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function boxOf(location: unknown): string | null {
  if (!location) return null;
  let b = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c: unknown) => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [x, y] = c as [number, number];
      b = [Math.min(b[0] as number, x), Math.min(b[1] as number, y), Math.max(b[2] as number, x), Math.max(b[3] as number, y)];
    } else if (Array.isArray(c)) c.forEach(walk);
  };
  walk((location as { coordinates: unknown }).coordinates);
  return `((${b[0]},${b[1]}),(${b[2]},${b[3]}))`;
}

/**
 * Creates or updates every entity of a batch (POST /entityOperations/upsert). mode 'replace' replaces all
 * attributes of an existing entity; 'update' merges (attributes given replace those with the same datasetId).
 */
export async function upsertBatch(deps: Deps, ctx: RequestContext, items: unknown[], ld: LdContext, mode: 'replace' | 'update'): Promise<BatchResult> {
  await authorize(deps, ctx, 'twin:write');
  const errors: BatchError[] = [];
  const fragments: Fragment[] = [];
  items.forEach((item, index) => {
    try {
      fragments.push(parseFragment(item, index, ld));
    } catch (err) {
      const id = item && typeof item === 'object' && typeof (item as { id?: unknown }).id === 'string' ? (item as { id: string }).id : '';
      errors.push({ entityId: id, error: problemOf(err) });
    }
  });
  if (fragments.length === 0) return { success: [], created: [], errors };

  for (let attempt = 1; ; attempt++) {
    try {
      const out = await withTransaction(deps.db, (tx) => writeBatch(deps, ctx, tx, fragments, mode));
      return { success: out.success, created: out.created, errors: [...errors, ...out.errors] };
    } catch (err) {
      // Another writer created one of our new entities meanwhile: run the batch again, now as updates.
      if (err instanceof RaceLost && attempt < 3) continue;
      throw err;
    }
  }
}

class RaceLost extends Error {}

async function writeBatch(deps: Deps, ctx: RequestContext, tx: Executor, fragments: Fragment[], mode: 'replace' | 'update'): Promise<BatchResult> {
  const ids = [...new Set(fragments.map((f) => f.id))];
  const { rows: found } = await tx.query<EntityRow>('SELECT * FROM twin_entity WHERE id = ANY ($1) ORDER BY id FOR UPDATE', [ids]);
  const byId = new Map(found.map((r) => [r.id, r]));
  const work = new Map<string, Working>();
  for (const f of fragments) {
    let w = work.get(f.id);
    if (!w) {
      const existing = byId.get(f.id);
      w = { id: f.id, type: existing?.type ?? f.type, existing, attrs: existing ? { ...existing.attrs } : {}, fragments: [], removed: [] };
      work.set(f.id, w);
    }
    if (mode === 'replace' && (w.existing || w.fragments.length)) {
      // Replacing: attributes not in this fragment are removed (recorded in history).
      for (const [attr, v] of Object.entries(w.attrs))
        if (!f.parsed.has(attr)) for (const x of instancesOf(v)) w.removed.push({ attr, datasetId: (x.datasetId as string | undefined) ?? null });
      w.attrs = {};
    }
    for (const [attr, list] of f.parsed) {
      const keep = new Set(list.map((x) => x.datasetId ?? '@default'));
      w.attrs[attr] = packInstances([...instancesOf(w.attrs[attr]).filter((x) => !keep.has(x.datasetId ?? '@default')), ...list]);
    }
    w.fragments.push(f);
  }

  const errors: BatchError[] = [];
  const denials: { id: string; regionCode: string; reason: string }[] = [];
  const inserts: (Omit<EntityRow, 'created_at' | 'modified_at'> & { bbox: string | null })[] = [];
  const updates: (Omit<EntityRow, 'created_at' | 'modified_at' | 'type'> & { bbox: string | null })[] = [];
  const history: HistoryInsert[] = [];
  const changes: { id: string; changed: Set<string> }[] = [];
  const fallback = fallbackRegion(ctx);
  for (const w of work.values()) {
    try {
      const e = w.existing;
      if (e) {
        const d = decide(ctx.actor, 'twin:write', { regionCode: e.region_code });
        if (!d.allow) {
          denials.push({ id: w.id, regionCode: e.region_code, reason: d.reason });
          throw new Forbidden(`not allowed: ${d.reason}`);
        }
      }
      // The region stays when neither the location nor an explicit region changed.
      const loc = instancesOf(w.attrs[LOCATION])[0]?.value ?? null;
      const explicit = instancesOf(w.attrs[REGION_ATTR])[0];
      const unchanged = e && sameJson(loc, e.location) && (explicit ? e.region_explicit && String(explicit.value) === e.region_code : !e.region_explicit);
      const place = unchanged ? { regionCode: e.region_code, explicit: e.region_explicit, location: e.location, bbox: boxOf(e.location) } : await placeEntity(tx, w.attrs, e?.region_code ?? fallback);
      if (!e || place.regionCode !== e.region_code) {
        const d = decide(ctx.actor, 'twin:write', { regionCode: place.regionCode });
        if (!d.allow) {
          denials.push({ id: w.id, regionCode: place.regionCode, reason: d.reason });
          throw new Forbidden(`not allowed: ${d.reason}`);
        }
      }
      const row = { id: w.id, region_code: place.regionCode, region_explicit: place.explicit, attrs: w.attrs, location: place.location, bbox: place.bbox };
      if (e) updates.push(row);
      else inserts.push({ ...row, type: w.type });
      const changed = new Set<string>();
      for (const f of w.fragments) {
        history.push(...historyRows(w.id, w.type, place.regionCode, f.parsed));
        for (const k of f.parsed.keys()) changed.add(k);
      }
      history.push(...historyRows(w.id, w.type, place.regionCode, new Map(), w.removed));
      for (const r of w.removed) changed.add(r.attr);
      changes.push({ id: w.id, changed });
    } catch (err) {
      const problem = problemOf(err);
      for (let i = 0; i < w.fragments.length; i++) errors.push({ entityId: w.id, error: problem });
    }
  }

  if (inserts.length) {
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO twin_entity (id, type, region_code, region_explicit, attrs, location, bbox, rel_targets)
       SELECT r.id, r.type, r.region_code, r.region_explicit, r.attrs, r.location, r.bbox::box, r.rel_targets
         FROM jsonb_to_recordset($1::jsonb) AS r(id text, type text, region_code text, region_explicit boolean, attrs jsonb, location jsonb, bbox text, rel_targets text[])
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [JSON.stringify(inserts.map((r) => ({ ...r, rel_targets: relTargets(r.attrs) })))],
    );
    if (rows.length !== inserts.length) throw new RaceLost();
  }
  if (updates.length) {
    await tx.query(
      `UPDATE twin_entity t SET region_code = r.region_code, region_explicit = r.region_explicit, attrs = r.attrs, location = r.location,
              bbox = r.bbox::box, rel_targets = r.rel_targets, modified_at = now()
         FROM jsonb_to_recordset($1::jsonb) AS r(id text, region_code text, region_explicit boolean, attrs jsonb, location jsonb, bbox text, rel_targets text[])
        WHERE t.id = r.id`,
      [JSON.stringify(updates.map((r) => ({ ...r, rel_targets: relTargets(r.attrs) })))],
    );
  }
  const copy = deps.db.engine === 'server' ? { engine: 'server' as const } : deps.db.pglite ? { engine: 'embedded' as const, pglite: deps.db.pglite } : undefined;
  await insertHistory(tx, history, { copy });

  const written = [...inserts, ...updates].map((r) => r.id);
  if (written.length) {
    // The entities as written, for matching subscriptions (timestamps as of now: close enough for rendering).
    const at = new Date();
    const types = new Map([...work.values()].map((w) => [w.id, w.type]));
    const created = new Map([...work.values()].map((w) => [w.id, w.existing?.created_at ?? at]));
    const byNow = new Map([...inserts, ...updates].map((r) => [r.id, { ...r, type: types.get(r.id) as string, created_at: created.get(r.id) as Date, modified_at: at }]));
    await queueNotificationsFor(tx, changes.flatMap((c) => (byNow.has(c.id) ? [{ entity: byNow.get(c.id) as EntityRow, changed: c.changed }] : [])));
    const regions = [...new Set([...inserts, ...updates].map((r) => r.region_code))];
    await recordAudit(tx, ctx, deps.config.auditHash, {
      action: 'twin.entities-upserted', resourceType: 'entity', resourceId: written.length === 1 ? (written[0] as string) : null, regionCode: commonPrefix(regions),
      details: { created: inserts.length, updated: updates.length, observations: history.length, ids: written.slice(0, 100), ...(written.length > 100 ? { more: written.length - 100 } : {}) },
    });
    await publish(tx, { topic: 'twin.entities.upserted', aggregateId: written[0] as string, regionCode: commonPrefix(regions), payload: { created: inserts.map((r) => r.id), updated: updates.map((r) => r.id) } });
  }
  for (const d of denials)
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'access.denied', resourceType: 'entity', resourceId: d.id, regionCode: d.regionCode, outcome: 'denied', reason: d.reason, details: { requested: 'twin:write' } });

  const ok = new Set(written);
  return {
    success: [...new Set(fragments.filter((f) => ok.has(f.id)).map((f) => f.id))],
    created: inserts.map((r) => r.id),
    errors,
  };
}

/** The longest region-code prefix shared by all, as a region code (padded with zeros), or null. */
function commonPrefix(codes: string[]): string | null {
  if (codes.length === 0) return null;
  if (codes.length === 1) return codes[0] as string;
  let p = codes[0] as string;
  for (const c of codes) while (!c.startsWith(p)) p = p.slice(0, -1);
  // Cut back to a whole level (2, 4, 6, 9 digits) so that the prefix is a region.
  const len = [12, 9, 6, 4, 2].find((n) => n <= p.length && /^\d+$/.test(p.slice(0, n))) ?? 0;
  return len >= 2 ? (p.slice(0, len) + '0'.repeat(12 - len)) : null;
}
