// SPDX-License-Identifier: Apache-2.0
// NGSI-LD subscriptions: entity changes matched against subscriptions and notified over HTTP. Matching and
// delivery both run from the outbox, so a notification is sent only for a committed change and a failed
// delivery is retried with backoff without resending the others.
import crypto from 'node:crypto';
import type { RequestContext } from '../../platform/context.ts';
import { type Executor, executor, withTransaction } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { Conflict, Invalid, NotFound } from '../../platform/errors.ts';
import { type DeliveredEvent, publish } from '../../platform/outbox.ts';
import { authorize } from '../access/index.ts';
import { recordAudit } from '../audit/index.ts';
import { type EntityRow, findEntity } from './entities.store.ts';
import { geoMatches, GeoQueryError, parseGeoQuery } from './geo-query.ts';
import { expand, type LdContext, resolveContext } from './ngsi-context.ts';
import { compileQuery, mapAttributeNames, parseQuery, QueryParseError } from './ngsi-query.ts';
import { parseAttrsParam, renderEntity } from './ngsi-render.ts';

type SubscriptionRow = {
  id: string;
  owner_id: string | null;
  scope_prefix: string;
  body: Record<string, unknown>;
  entity_types: string[];
  entity_ids: string[];
  id_pattern: string | null;
  watched: string[];
  q: string | null;
  geo: Record<string, unknown> | null;
  endpoint: string;
  throttling: number;
  active: boolean;
  expires_at: Date | null;
  times_sent: number;
  times_failed: number;
  last_notification: Date | null;
  last_success: Date | null;
  last_failure: Date | null;
};

const URI = /^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]*$/;
const bad = (message: string, field: string) => new Invalid(message, [{ field, message }]);
const MEMBERS = new Set(['@context', 'id', 'type', 'subscriptionName', 'description', 'entities', 'watchedAttributes', 'q', 'geoQ', 'notification', 'throttling', 'expiresAt', 'isActive', 'timeInterval', 'lang']);

type Parsed = {
  body: Record<string, unknown>;
  types: string[];
  ids: string[];
  idPattern: string | null;
  watched: string[];
  q: string | null;
  geo: Record<string, unknown> | null;
  endpoint: string;
  throttling: number;
  active: boolean;
  expiresAt: string | null;
};

/** Validates a subscription (whole, or merged with a PATCH) and extracts what matching needs. */
function parseSubscription(input: Record<string, unknown>, ld: LdContext): Parsed {
  for (const key of Object.keys(input)) if (!MEMBERS.has(key)) throw bad(`unknown subscription member ${key}`, key);
  if (input.type !== 'Subscription') throw bad('type must be "Subscription"', 'type');
  const entities = input.entities ?? [];
  if (!Array.isArray(entities) || entities.length > 100) throw bad('entities is an array of { type, id?, idPattern? }', 'entities');
  const types: string[] = [];
  const ids: string[] = [];
  let idPattern: string | null = null;
  entities.forEach((e: unknown, i) => {
    const x = (e ?? {}) as Record<string, unknown>;
    if (typeof x.type !== 'string' || x.type === '') throw bad('each entity selector needs a type', `entities[${i}].type`);
    types.push(expand(ld, x.type));
    if (x.id !== undefined) {
      if (typeof x.id !== 'string' || !URI.test(x.id)) throw bad('id must be a URI', `entities[${i}].id`);
      ids.push(x.id);
    }
    if (x.idPattern !== undefined) {
      if (typeof x.idPattern !== 'string') throw bad('idPattern must be a string', `entities[${i}].idPattern`);
      try {
        new RegExp(x.idPattern);
      } catch {
        throw bad('idPattern is not a valid regular expression', `entities[${i}].idPattern`);
      }
      idPattern = x.idPattern;
    }
  });
  const watchedRaw = input.watchedAttributes ?? [];
  if (!Array.isArray(watchedRaw) || !watchedRaw.every((w) => typeof w === 'string' && w !== '')) throw bad('watchedAttributes is an array of attribute names', 'watchedAttributes');
  if (types.length === 0 && watchedRaw.length === 0) throw bad('a subscription needs entities or watchedAttributes', 'entities');
  let q: string | null = null;
  if (input.q !== undefined) {
    if (typeof input.q !== 'string') throw bad('q must be a string', 'q');
    try {
      parseQuery(input.q);
    } catch (err) {
      if (err instanceof QueryParseError) throw bad(`q: ${err.message}`, 'q');
      throw err;
    }
    q = input.q;
  }
  let geo: Record<string, unknown> | null = null;
  if (input.geoQ !== undefined) {
    const g = (input.geoQ ?? {}) as Record<string, unknown>;
    try {
      if (!parseGeoQuery({ georel: g.georel as string, geometry: g.geometry as string, coordinates: g.coordinates, geoproperty: g.geoproperty as string })) throw bad('geoQ needs georel, geometry and coordinates', 'geoQ');
    } catch (err) {
      if (err instanceof GeoQueryError) throw bad(`geoQ: ${err.message}`, `geoQ.${err.parameter}`);
      throw err;
    }
    geo = g;
  }
  const n = (input.notification ?? null) as Record<string, unknown> | null;
  const endpoint = (n?.endpoint ?? null) as Record<string, unknown> | null;
  if (!n || !endpoint || typeof endpoint.uri !== 'string' || !/^https?:\/\/[^\s]+$/.test(endpoint.uri)) throw bad('notification.endpoint.uri must be an http(s) URL', 'notification.endpoint.uri');
  if (n.attributes !== undefined && (!Array.isArray(n.attributes) || !n.attributes.every((a) => typeof a === 'string'))) throw bad('notification.attributes is an array of names', 'notification.attributes');
  if (n.format !== undefined && !['normalized', 'keyValues', 'concise'].includes(n.format as string)) throw bad('notification.format is normalized, keyValues or concise', 'notification.format');
  const throttling = input.throttling ?? 0;
  if (typeof throttling !== 'number' || !Number.isInteger(throttling) || throttling < 0 || throttling > 86_400 * 365) throw bad('throttling is a whole number of seconds', 'throttling');
  let expiresAt: string | null = null;
  if (input.expiresAt !== undefined) {
    if (typeof input.expiresAt !== 'string' || Number.isNaN(Date.parse(input.expiresAt)) || !/^\d{4}-\d{2}-\d{2}T/.test(input.expiresAt)) throw bad('expiresAt is an ISO 8601 date-time', 'expiresAt');
    expiresAt = input.expiresAt;
  }
  if (input.isActive !== undefined && typeof input.isActive !== 'boolean') throw bad('isActive is true or false', 'isActive');
  return {
    body: input,
    types,
    ids,
    idPattern,
    watched: watchedRaw.map((w: string) => expand(ld, w)),
    q,
    geo,
    endpoint: endpoint.uri,
    throttling,
    active: input.isActive !== false,
    expiresAt,
  };
}

function present(r: SubscriptionRow): Record<string, unknown> {
  const { '@context': _ctx, ...body } = r.body;
  const notification = (body.notification ?? {}) as Record<string, unknown>;
  const expired = r.expires_at !== null && r.expires_at.getTime() <= Date.now();
  return {
    ...body,
    id: r.id,
    type: 'Subscription',
    isActive: r.active,
    status: expired ? 'expired' : r.active ? 'active' : 'paused',
    notification: {
      ...notification,
      status: r.last_failure && (!r.last_success || r.last_failure > r.last_success) ? 'failed' : 'ok',
      timesSent: r.times_sent,
      timesFailed: r.times_failed,
      ...(r.last_notification ? { lastNotification: r.last_notification.toISOString() } : {}),
      ...(r.last_success ? { lastSuccess: r.last_success.toISOString() } : {}),
      ...(r.last_failure ? { lastFailure: r.last_failure.toISOString() } : {}),
    },
  };
}

async function ownSubscription(deps: Deps, ctx: RequestContext, id: string): Promise<SubscriptionRow> {
  const { rows } = await executor(deps.db).query<SubscriptionRow>('SELECT * FROM twin_subscription WHERE id = $1', [id]);
  const row = rows[0];
  if (!row || (row.owner_id !== ctx.actor.userId && ctx.actor.scopePrefix !== '')) throw new NotFound(`no subscription ${id}`);
  return row;
}

/** Creates a subscription for the actor; notifications stay within the actor's scope. */
export async function createSubscription(deps: Deps, ctx: RequestContext, input: unknown, ld: LdContext): Promise<string> {
  await authorize(deps, ctx, 'twin:read');
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw bad('a subscription is a JSON object', 'body');
  const raw = input as Record<string, unknown>;
  const s = parseSubscription(raw, ld);
  const id = typeof raw.id === 'string' ? raw.id : `urn:ngsi-ld:Subscription:${crypto.randomUUID()}`;
  if (!URI.test(id) || id.length > 512) throw bad('a subscription id is a URI', 'id');
  return withTransaction(deps.db, async (tx) => {
    const { rowCount } = await tx.query(
      `INSERT INTO twin_subscription (id, owner_id, scope_prefix, body, entity_types, entity_ids, id_pattern, watched, q, geo, endpoint, throttling, active, expires_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14) ON CONFLICT (id) DO NOTHING`,
      [id, ctx.actor.userId, ctx.actor.scopePrefix, JSON.stringify({ ...s.body, '@context': ld.source }), s.types, s.ids, s.idPattern, s.watched, s.q, s.geo === null ? null : JSON.stringify(s.geo), s.endpoint, s.throttling, s.active, s.expiresAt],
    );
    if (!rowCount) throw new Conflict(`subscription ${id} already exists`, 'already-exists');
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'twin.subscription-created', resourceType: 'subscription', resourceId: id, regionCode: ctx.actor.scopeCode, details: { endpoint: s.endpoint } });
    return id;
  });
}

export async function getSubscription(deps: Deps, ctx: RequestContext, id: string): Promise<Record<string, unknown>> {
  await authorize(deps, ctx, 'twin:read');
  return present(await ownSubscription(deps, ctx, id));
}

export async function listSubscriptions(deps: Deps, ctx: RequestContext, limit: number, offset: number): Promise<{ items: Record<string, unknown>[]; total: number }> {
  await authorize(deps, ctx, 'twin:read');
  const own = ctx.actor.scopePrefix === '' ? 'true' : 'owner_id = $3';
  const values: unknown[] = [limit, offset, ...(ctx.actor.scopePrefix === '' ? [] : [ctx.actor.userId])];
  const db = executor(deps.db);
  const { rows } = await db.query<SubscriptionRow>(`SELECT * FROM twin_subscription WHERE ${own} ORDER BY created_at, id LIMIT $1 OFFSET $2`, values);
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM twin_subscription WHERE ${own.replace('$3', '$1')}`, values.slice(2));
  return { items: rows.map(present), total: total.rows[0]?.n ?? 0 };
}

/** Changes members of a subscription (merge). */
export async function updateSubscription(deps: Deps, ctx: RequestContext, id: string, patch: unknown, ld: LdContext): Promise<void> {
  await authorize(deps, ctx, 'twin:read');
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) throw bad('send the members to change as a JSON object', 'body');
  const row = await ownSubscription(deps, ctx, id);
  const { '@context': storedCtx, ...stored } = row.body;
  const p = patch as Record<string, unknown>;
  const merged = { ...stored, ...Object.fromEntries(Object.entries(p).filter(([k]) => k !== '@context' && k !== 'id')), type: 'Subscription' };
  const context = '@context' in p ? ld : resolveContext(storedCtx);
  const s = parseSubscription(merged, context);
  await withTransaction(deps.db, async (tx) => {
    await tx.query(
      `UPDATE twin_subscription SET body = $2, entity_types = $3, entity_ids = $4, id_pattern = $5, watched = $6, q = $7, geo = $8, endpoint = $9,
         throttling = $10, active = $11, expires_at = $12, modified_at = now() WHERE id = $1`,
      [id, JSON.stringify({ ...s.body, '@context': context.source }), s.types, s.ids, s.idPattern, s.watched, s.q, s.geo === null ? null : JSON.stringify(s.geo), s.endpoint, s.throttling, s.active, s.expiresAt],
    );
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'twin.subscription-updated', resourceType: 'subscription', resourceId: id, regionCode: ctx.actor.scopeCode, details: { fields: Object.keys(p) } });
  });
}

export async function deleteSubscription(deps: Deps, ctx: RequestContext, id: string): Promise<void> {
  await authorize(deps, ctx, 'twin:read');
  await ownSubscription(deps, ctx, id);
  await withTransaction(deps.db, async (tx) => {
    await tx.query('DELETE FROM twin_subscription WHERE id = $1', [id]);
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'twin.subscription-deleted', resourceType: 'subscription', resourceId: id, regionCode: ctx.actor.scopeCode });
  });
}

/**
 * Matches a change against the subscriptions and queues one notification per match, in the transaction
 * of the change: matching sees the entity exactly as this change left it, and a rolled-back change
 * notifies nobody.
 */
export async function queueNotifications(db: Executor, entityId: string, changedAttrs: Iterable<string>): Promise<void> {
  const entity = await findEntity(db, entityId);
  if (entity) await queueNotificationsFor(db, [{ entity, changed: new Set(changedAttrs) }]);
}

/** Matches changes of many entities (one batch) against the subscriptions: one look-up for the batch. */
export async function queueNotificationsFor(db: Executor, changes: { entity: EntityRow; changed: Set<string> }[]): Promise<void> {
  if (changes.length === 0) return;
  const types = [...new Set(changes.map((c) => c.entity.type))];
  const { rows } = await db.query<SubscriptionRow>(
    `SELECT * FROM twin_subscription WHERE active AND (expires_at IS NULL OR expires_at > now())
       AND (cardinality(entity_types) = 0 OR entity_types && $1::text[])`,
    [types],
  );
  if (rows.length === 0) return;
  for (const { entity, changed } of changes) {
    for (const s of rows) {
      if (s.entity_types.length && !s.entity_types.includes(entity.type)) continue;
      if (!entity.region_code.startsWith(s.scope_prefix)) continue;
      if (s.entity_ids.length && !s.entity_ids.includes(entity.id)) continue;
      if (s.id_pattern && !new RegExp(s.id_pattern).test(entity.id)) continue;
      if (s.watched.length && !s.watched.some((w) => changed.has(w))) continue;
      if (s.throttling && s.last_notification && Date.now() - s.last_notification.getTime() < s.throttling * 1000) continue;
      const ld = resolveContext(s.body['@context']);
      if (s.q) {
        const compiled = compileQuery(mapAttributeNames(parseQuery(s.q), (n) => expand(ld, n)), 2);
        const hit = await db.query(`SELECT 1 FROM twin_entity e WHERE e.id = $1 AND (${compiled.sql})`, [entity.id, ...compiled.values]);
        if (hit.rows.length === 0) continue;
      }
      if (s.geo) {
        const g = s.geo;
        const geo = parseGeoQuery({ georel: g.georel as string, geometry: g.geometry as string, coordinates: g.coordinates, geoproperty: g.geoproperty as string });
        const attr = entity.attrs[expand(ld, geo?.geoproperty ?? 'location')];
        const inst = Array.isArray(attr) ? attr[0] : attr;
        if (!geo || inst?.type !== 'GeoProperty' || !geoMatches(geo, inst.value as Parameters<typeof geoMatches>[1])) continue;
      }
      const n = (s.body.notification ?? {}) as Record<string, unknown>;
      const format = n.format === 'keyValues' ? 'keyValues' : n.format === 'concise' ? 'concise' : 'normalized';
      const attrs = Array.isArray(n.attributes) && n.attributes.length ? parseAttrsParam(ld, (n.attributes as string[]).join(',')) : undefined;
      const data = renderEntity(entity, ld, { format, attrs });
      await db.query('UPDATE twin_subscription SET last_notification = now() WHERE id = $1', [s.id]);
      s.last_notification = new Date();
      await publish(db, { topic: 'twin.notification', aggregateId: s.id, regionCode: entity.region_code, payload: { subscriptionId: s.id, data } });
    }
  }
}

/** Sends one notification; a failure is recorded and thrown so that the outbox retries it. */
async function deliver(deps: Deps, event: DeliveredEvent, fetchImpl: typeof fetch): Promise<void> {
  const db = executor(deps.db);
  const subscriptionId = String(event.payload.subscriptionId);
  const { rows } = await db.query<SubscriptionRow>('SELECT * FROM twin_subscription WHERE id = $1', [subscriptionId]);
  const s = rows[0];
  if (!s) return; // deleted since: nothing to send
  const notification = {
    id: `urn:ngsi-ld:Notification:${crypto.randomUUID()}`,
    type: 'Notification',
    subscriptionId,
    notifiedAt: new Date().toISOString(),
    data: [event.payload.data],
  };
  try {
    const res = await fetchImpl(s.endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(notification), signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`the endpoint answered ${res.status}`);
  } catch (err) {
    await db.query('UPDATE twin_subscription SET times_failed = times_failed + 1, last_failure = now() WHERE id = $1', [subscriptionId]);
    throw err;
  }
  await db.query('UPDATE twin_subscription SET times_sent = times_sent + 1, last_success = now() WHERE id = $1', [subscriptionId]);
}

/** Connects notification delivery to the outbox. */
export function registerSubscriptions(deps: Deps, fetchImpl: typeof fetch = fetch): void {
  deps.outbox.subscribe('twin.notification', (e) => deliver(deps, e, fetchImpl));
}
