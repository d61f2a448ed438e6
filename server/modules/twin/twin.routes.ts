// SPDX-License-Identifier: Apache-2.0
// The NGSI-LD API (ETSI GS CIM 009) under /ngsi-ld/v1, so that existing clients and IoT agents work unchanged.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App } from '../../api/types.ts';
import type { Deps } from '../../platform/deps.ts';
import { Invalid } from '../../platform/errors.ts';
import * as batch from './batch.service.ts';
import type { BatchResult } from './batch.service.ts';
import * as entities from './entities.service.ts';
import * as subscriptions from './subscriptions.service.ts';
import { twinAnalyticsRoutes } from './analytics.routes.ts';
import { entityHistory, queryEntities, type TemporalParams, timeRange } from './entities.query.ts';
import { aggregate, parseAggrMethods, parseDuration } from './temporal-aggregate.ts';
import { compact, CORE_CONTEXT_URL, CORE_LINK, contextFromLink, expand, type LdContext, resolveContext } from './ngsi-context.ts';
import { parseAttrsParam, type RenderOptions, renderEntity, renderFeature, renderTemporal } from './ngsi-render.ts';

const BASE = '/ngsi-ld/v1';
const tags = ['ngsi-ld'];
const EntityId = z.object({ entityId: z.string().min(1).max(512) });
const AttrParams = EntityId.extend({ attrId: z.string().min(1).max(512) });
const ISO = z.string().refine((s) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}T/.test(s), 'an ISO 8601 date-time');

const QueryString = z
  .object({
    type: z.string().max(2000).optional(),
    id: z.string().max(20000).optional(),
    idPattern: z.string().max(500).optional(),
    attrs: z.string().max(2000).optional(),
    q: z.string().max(4000).optional(),
    georel: z.string().max(200).optional(),
    geometry: z.string().max(50).optional(),
    coordinates: z.string().max(100000).optional(),
    geoproperty: z.string().max(500).optional(),
    limit: z.coerce.number().int().min(0).max(1000).default(20),
    offset: z.coerce.number().int().min(0).default(0),
    count: z.enum(['true', 'false']).default('false'),
    options: z.string().max(200).optional(),
    format: z.enum(['normalized', 'concise', 'keyValues', 'simplified']).optional(),
  })
  .passthrough();

/** The request's JSON-LD context: the inline @context (application/ld+json) or the Link header, else the core. */
function requestContext(req: FastifyRequest): LdContext {
  const ct = String(req.headers['content-type'] ?? '');
  const link = ([] as string[]).concat(req.headers.link ?? []).join(', ') || undefined;
  const body = req.body as Record<string, unknown> | undefined;
  if (ct.startsWith('application/ld+json')) {
    if (!body || typeof body !== 'object' || !('@context' in body)) throw new Invalid('an application/ld+json body needs an @context', [{ field: '@context', message: 'missing' }]);
    if (contextFromLink(link)) throw new Invalid('send the @context in the body or in a Link header, not both', [{ field: 'Link', message: 'not with application/ld+json' }]);
    return resolveContext(body['@context']);
  }
  return resolveContext(contextFromLink(link));
}

function renderOptions(options: string | undefined, format: string | undefined, attrs: Set<string> | undefined): RenderOptions {
  const opts = new Set((options ?? '').split(',').map((o) => o.trim()).filter(Boolean));
  const f = format === 'keyValues' || format === 'simplified' || opts.has('keyValues') || opts.has('simplified') ? 'keyValues' : format === 'concise' || opts.has('concise') ? 'concise' : 'normalized';
  return { format: f, attrs, sysAttrs: opts.has('sysAttrs') };
}

/** Sends a JSON-LD payload the way the client asked: ld+json with @context, or json with a Link header. */
function sendLd(req: FastifyRequest, reply: FastifyReply, ld: LdContext, payload: Record<string, unknown> | Record<string, unknown>[], status = 200) {
  const accept = String(req.headers.accept ?? '');
  if (accept.includes('application/ld+json')) {
    const context = ld.source ?? CORE_CONTEXT_URL;
    const withCtx = Array.isArray(payload) ? payload.map((p) => ({ ...p, '@context': context })) : { ...payload, '@context': context };
    return reply.code(status).type('application/ld+json').send(withCtx);
  }
  reply.header('link', typeof ld.source === 'string' ? `<${ld.source}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"` : CORE_LINK);
  return reply.code(status).type('application/json').send(payload);
}

function multiStatus(reply: FastifyReply, result: entities.UpdateResult, ld: LdContext) {
  if (result.notUpdated.length === 0) return reply.code(204).send();
  const compactName = (iri: string) => compact(ld, iri);
  return reply.code(207).type('application/json').send({
    updated: result.updated.map(compactName),
    notUpdated: result.notUpdated.map((n) => ({ attributeName: compactName(n.attributeName), reason: n.reason })),
  });
}

function batchReply(reply: FastifyReply, r: BatchResult, kind: 'create' | 'upsert' | 'update' | 'delete') {
  if (r.errors.length) return reply.code(207).type('application/json').send({ success: r.success, errors: r.errors });
  if (kind === 'create' || (kind === 'upsert' && r.created.length)) return reply.code(201).type('application/json').send(r.created);
  return reply.code(204).send();
}

export function twinRoutes(app: App, deps: Deps): void {
  twinAnalyticsRoutes(app, deps);
  const Options = z.object({ options: z.string().max(200).optional() }).passthrough();
  app.post(`${BASE}/entityOperations/create`, { schema: { tags, summary: 'Batch create entities (201, or 207 with per-entity errors)' } }, async (req, reply) =>
    batchReply(reply, await batch.batchCreate(deps, req.ctx, req.body, requestContext(req)), 'create'),
  );
  app.post(`${BASE}/entityOperations/upsert`, { schema: { tags, summary: 'Batch create or replace (options=update merges) entities', querystring: Options } }, async (req, reply) => {
    const mode = (req.query.options ?? '').split(',').includes('update') ? 'update' : 'replace';
    return batchReply(reply, await batch.batchUpsert(deps, req.ctx, req.body, requestContext(req), mode), 'upsert');
  });
  app.post(`${BASE}/entityOperations/update`, { schema: { tags, summary: 'Batch update entity attributes (options=noOverwrite)', querystring: Options } }, async (req, reply) =>
    batchReply(reply, await batch.batchUpdate(deps, req.ctx, req.body, requestContext(req), (req.query.options ?? '').split(',').includes('noOverwrite')), 'update'),
  );
  app.post(`${BASE}/entityOperations/delete`, { schema: { tags, summary: 'Batch delete entities by id' } }, async (req, reply) =>
    batchReply(reply, await batch.batchDelete(deps, req.ctx, req.body), 'delete'),
  );
  app.post(`${BASE}/entityOperations/query`, { schema: { tags, summary: 'Query entities with a JSON body (type Query)', querystring: z.object({ limit: z.coerce.number().int().min(0).max(1000).default(20), offset: z.coerce.number().int().min(0).default(0), count: z.enum(['true', 'false']).default('false'), options: z.string().max(200).optional() }).passthrough() } }, async (req, reply) => {
    const ld = requestContext(req);
    const b = req.body as Record<string, unknown> | null;
    if (!b || typeof b !== 'object' || Array.isArray(b) || b.type !== 'Query') throw new Invalid('the body is a Query: { "type": "Query", … }', [{ field: 'type', message: 'must be "Query"' }]);
    const ents = Array.isArray(b.entities) ? (b.entities as Record<string, unknown>[]) : [];
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const geoQ = (b.geoQ ?? {}) as Record<string, unknown>;
    const list = (key: string) => ents.map((e) => str(e?.[key])).filter((x): x is string => !!x).join(',') || undefined;
    const attrs = Array.isArray(b.attrs) ? (b.attrs as unknown[]).filter((a): a is string => typeof a === 'string').join(',') : undefined;
    const { rows, total } = await queryEntities(deps, req.ctx, {
      type: list('type'), id: list('id'), idPattern: str(ents[0]?.idPattern), q: str(b.q),
      georel: str(geoQ.georel), geometry: str(geoQ.geometry), coordinates: geoQ.coordinates, geoproperty: str(geoQ.geoproperty),
      limit: req.query.limit, offset: req.query.offset, count: req.query.count === 'true',
    }, ld);
    if (total !== null) reply.header('ngsild-results-count', String(total));
    return sendLd(req, reply, ld, rows.map((r) => renderEntity(r, ld, renderOptions(req.query.options, undefined, parseAttrsParam(ld, attrs)))));
  });

  app.post(`${BASE}/entities`, { schema: { tags, summary: 'Create an entity' } }, async (req, reply) => {
    const ld = requestContext(req);
    const row = await entities.createEntity(deps, req.ctx, req.body, ld);
    return reply.code(201).header('location', `${BASE}/entities/${encodeURIComponent(row.id)}`).send();
  });

  app.get(`${BASE}/entities`, { schema: { tags, summary: 'Query entities (type, id, idPattern, attrs, q, geo-query, count, keyValues/concise, GeoJSON)', querystring: QueryString } }, async (req, reply) => {
    const ld = requestContext(req);
    const qs = req.query;
    const { rows, total } = await queryEntities(deps, req.ctx, { ...qs, count: qs.count === 'true' }, ld);
    if (total !== null) reply.header('ngsild-results-count', String(total));
    const opts = renderOptions(qs.options, qs.format, parseAttrsParam(ld, qs.attrs));
    if (String(req.headers.accept ?? '').includes('application/geo+json')) {
      const geoprop = qs.geoproperty ? expand(ld, qs.geoproperty) : undefined;
      return reply.type('application/geo+json').send({ type: 'FeatureCollection', features: rows.map((r) => renderFeature(r, ld, opts, geoprop)) });
    }
    return sendLd(req, reply, ld, rows.map((r) => renderEntity(r, ld, opts)));
  });

  app.get(`${BASE}/entities/:entityId`, {
    schema: { tags, summary: 'Retrieve an entity', params: EntityId, querystring: z.object({ attrs: z.string().max(2000).optional(), options: z.string().max(200).optional(), format: z.string().max(20).optional() }).passthrough() },
  }, async (req, reply) => {
    const ld = requestContext(req);
    const row = await entities.getEntity(deps, req.ctx, req.params.entityId);
    const opts = renderOptions(req.query.options, req.query.format, parseAttrsParam(ld, req.query.attrs));
    if (String(req.headers.accept ?? '').includes('application/geo+json')) return reply.type('application/geo+json').send(renderFeature(row, ld, opts));
    return sendLd(req, reply, ld, renderEntity(row, ld, opts));
  });

  app.delete(`${BASE}/entities/:entityId`, { schema: { tags, summary: 'Delete an entity', params: EntityId } }, async (req, reply) => {
    await entities.deleteEntity(deps, req.ctx, req.params.entityId);
    return reply.code(204).send();
  });

  app.post(`${BASE}/entities/:entityId/attrs`, {
    schema: { tags, summary: 'Append attributes (options=noOverwrite keeps existing ones)', params: EntityId, querystring: z.object({ options: z.string().max(200).optional() }).passthrough() },
  }, async (req, reply) => {
    const ld = requestContext(req);
    const keep = (req.query.options ?? '').split(',').includes('noOverwrite');
    return multiStatus(reply, await entities.writeAttributes(deps, req.ctx, req.params.entityId, req.body, ld, keep ? 'append-keep' : 'append'), ld);
  });

  app.patch(`${BASE}/entities/:entityId/attrs`, { schema: { tags, summary: 'Update existing attributes', params: EntityId } }, async (req, reply) => {
    const ld = requestContext(req);
    return multiStatus(reply, await entities.writeAttributes(deps, req.ctx, req.params.entityId, req.body, ld, 'update'), ld);
  });

  app.patch(`${BASE}/entities/:entityId/attrs/:attrId`, { schema: { tags, summary: 'Partially update one attribute', params: AttrParams } }, async (req, reply) => {
    const ld = requestContext(req);
    await entities.patchAttribute(deps, req.ctx, req.params.entityId, req.params.attrId, req.body, ld);
    return reply.code(204).send();
  });

  app.delete(`${BASE}/entities/:entityId/attrs/:attrId`, {
    schema: { tags, summary: 'Delete an attribute', params: AttrParams, querystring: z.object({ datasetId: z.string().max(512).optional(), deleteAll: z.enum(['true', 'false']).optional() }).passthrough() },
  }, async (req, reply) => {
    const ld = requestContext(req);
    await entities.deleteAttribute(deps, req.ctx, req.params.entityId, req.params.attrId, ld, { datasetId: req.query.datasetId, deleteAll: req.query.deleteAll === 'true' });
    return reply.code(204).send();
  });

  const SubId = z.object({ subscriptionId: z.string().min(1).max(512) });
  app.post(`${BASE}/subscriptions`, { schema: { tags, summary: 'Subscribe to entity changes (HTTP notifications)' } }, async (req, reply) => {
    const id = await subscriptions.createSubscription(deps, req.ctx, req.body, requestContext(req));
    return reply.code(201).header('location', `${BASE}/subscriptions/${encodeURIComponent(id)}`).send();
  });
  app.get(`${BASE}/subscriptions`, {
    schema: { tags, summary: 'Your subscriptions with their delivery status', querystring: z.object({ limit: z.coerce.number().int().min(0).max(1000).default(20), offset: z.coerce.number().int().min(0).default(0), count: z.enum(['true', 'false']).default('false') }).passthrough() },
  }, async (req, reply) => {
    const { items, total } = await subscriptions.listSubscriptions(deps, req.ctx, req.query.limit, req.query.offset);
    if (req.query.count === 'true') reply.header('ngsild-results-count', String(total));
    return reply.type('application/json').send(items);
  });
  app.get(`${BASE}/subscriptions/:subscriptionId`, { schema: { tags, summary: 'One subscription with its status (timesSent, lastNotification, lastFailure…)', params: SubId } }, async (req, reply) =>
    reply.type('application/json').send(await subscriptions.getSubscription(deps, req.ctx, req.params.subscriptionId)),
  );
  app.patch(`${BASE}/subscriptions/:subscriptionId`, { schema: { tags, summary: 'Change a subscription', params: SubId } }, async (req, reply) => {
    await subscriptions.updateSubscription(deps, req.ctx, req.params.subscriptionId, req.body, requestContext(req));
    return reply.code(204).send();
  });
  app.delete(`${BASE}/subscriptions/:subscriptionId`, { schema: { tags, summary: 'Delete a subscription', params: SubId } }, async (req, reply) => {
    await subscriptions.deleteSubscription(deps, req.ctx, req.params.subscriptionId);
    return reply.code(204).send();
  });

  const Temporal = z.object({
    timerel: z.enum(['before', 'after', 'between']).optional(), timeAt: ISO.optional(), endTimeAt: ISO.optional(),
    lastN: z.coerce.number().int().min(1).max(10000).optional(), attrs: z.string().max(2000).optional(), options: z.string().max(200).optional(),
    aggrMethods: z.string().max(100).optional(), aggrPeriodDuration: z.string().max(50).optional(),
  });
  type TemporalQuery = z.infer<typeof Temporal>;
  /** Renders one entity's history in the representation the query asks for. */
  const temporalOf = async (req: FastifyRequest, ld: LdContext, row: Parameters<typeof renderTemporal>[0], q: TemporalQuery) => {
    const p: TemporalParams = { timerel: q.timerel, timeAt: q.timeAt, endTimeAt: q.endTimeAt, lastN: q.lastN, attrs: parseAttrsParam(ld, q.attrs) };
    const history = await entityHistory(deps, req.ctx, row, p);
    const options = (q.options ?? '').split(',');
    if (q.aggrMethods || options.includes('aggregatedValues')) {
      const methods = parseAggrMethods(q.aggrMethods ?? 'avg');
      const aggregated = aggregate(history, methods, parseDuration(q.aggrPeriodDuration ?? 'P0D'), timeRange(p));
      return { id: row.id, type: compact(ld, row.type), ...Object.fromEntries([...aggregated].map(([attr, v]) => [compact(ld, attr), v])) };
    }
    return renderTemporal(row, history, ld, options.includes('temporalValues'));
  };

  app.get(`${BASE}/temporal/entities/:entityId`, {
    schema: { tags, summary: 'The temporal evolution of an entity (timerel, timeAt, endTimeAt, lastN, attrs, temporalValues, aggrMethods + aggrPeriodDuration)', params: EntityId, querystring: Temporal.passthrough() },
  }, async (req, reply) => {
    const ld = requestContext(req);
    const row = await entities.getEntity(deps, req.ctx, req.params.entityId);
    return sendLd(req, reply, ld, await temporalOf(req, ld, row, req.query));
  });

  app.get(`${BASE}/temporal/entities`, {
    schema: { tags, summary: 'Query the temporal evolution of entities (the entity filters of GET /entities with the temporal parameters)', querystring: QueryString.extend(Temporal.shape) },
  }, async (req, reply) => {
    const ld = requestContext(req);
    const qs = req.query;
    if (!qs.type && !qs.id && !qs.idPattern && !qs.q && !qs.georel) throw new Invalid('say which entities: type, id, idPattern, q or a geo-query', [{ field: 'type', message: 'required without id, idPattern, q or georel' }]);
    const { rows, total } = await queryEntities(deps, req.ctx, { ...qs, count: qs.count === 'true' }, ld);
    if (total !== null) reply.header('ngsild-results-count', String(total));
    const out: Record<string, unknown>[] = [];
    for (const row of rows) out.push(await temporalOf(req, ld, row, qs));
    return sendLd(req, reply, ld, out);
  });
}
