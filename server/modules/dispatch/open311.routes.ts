// SPDX-License-Identifier: Apache-2.0
// Open311 GeoReport v2 under /open311/v2 (JSON only): citizen apps list services and post and follow
// service requests. It speaks the standard, not the platform's API conventions: bodies may be
// application/x-www-form-urlencoded, callers authenticate with `api_key` (a platform API token; the
// Authorization header works too), and every error is the standard list `[{ "code", "description" }]`.
// The service list and definitions are public; every request call needs an api_key. The key travels in
// the body of a POST, so the body (within the size limit) is read before the key is checked.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IsoDateTime } from '../../../contracts/common.ts';
import { Open311Created, Open311Request, Open311Service, Open311ServiceDefinition } from '../../../contracts/dispatch-incidents.ts';
import type { App } from '../../api/types.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, Forbidden, Invalid } from '../../platform/errors.ts';
import { resolveApiToken } from '../identity/index.ts';
import * as open311 from './open311.service.ts';

const tags = ['open311'];
const Locale = z.enum(['zh-CN', 'en']).default('zh-CN');
const Str = (max: number) => z.string().trim().min(1).max(max);
/** Form fields arrive as text: a coordinate is a decimal number in either form. */
const Coord = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\s*[-+]?\d{1,3}(\.\d+)?\s*$/.test(v) ? Number(v) : v),
    z.number({ error: 'a decimal number' }).min(min, `at least ${min}`).max(max, `at most ${max}`),
  );
const Value = z.union([z.string().max(1000), z.array(z.string().max(1000)).max(50)]);
const ATTRIBUTE_KEY = /^attribute\[([A-Za-z0-9_-]{1,64})\](\[\])?$/;

/** POST requests.json: the standard fields; attributes as `attribute[code]` keys (or an `attribute` object in JSON). */
const RequestBody = z
  .object({
    api_key: z.string().max(200).optional(),
    jurisdiction_id: z.string().max(200).optional(),
    service_code: Str(64),
    lat: Coord(-90, 90).optional(),
    long: Coord(-180, 180).optional(),
    address_string: Str(300).optional(),
    address_id: z.string().max(200).optional(),
    email: z.email().max(200).optional(),
    device_id: z.string().max(200).optional(),
    account_id: z.string().max(200).optional(),
    first_name: Str(50).optional(),
    last_name: Str(50).optional(),
    phone: z.string().trim().regex(/^\+?[\d -]{5,20}$/, 'a phone number').optional(),
    description: z.string().trim().max(4000).optional(),
    media_url: z.url({ protocol: /^https?$/ }).max(2000).optional(),
    attribute: z.record(z.string().max(64), Value).optional(),
  })
  .catchall(Value);

const RequestsQuery = z.object({
  api_key: z.string().max(200).optional(),
  jurisdiction_id: z.string().max(200).optional(),
  service_request_id: z.string().max(10_000).optional(),
  service_code: z.string().max(2000).optional(),
  start_date: IsoDateTime.optional(),
  end_date: IsoDateTime.optional(),
  status: z.enum(['open', 'closed']).optional(),
  locale: Locale,
});
const KeyQuery = z.object({ api_key: z.string().max(200).optional(), jurisdiction_id: z.string().max(200).optional(), locale: Locale });
const list = (s?: string) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : undefined);

type ZodIssueLike = { message?: string; instancePath?: string; params?: { issue?: { path?: PropertyKey[]; message?: string } } };

/** Sends the standard error list with the right status. */
function sendError(reply: FastifyReply, status: number, description: string) {
  return reply.code(status).type('application/json; charset=utf-8').send([{ code: status, description }]);
}

function handleOpen311Error(err: unknown, req: FastifyRequest, reply: FastifyReply) {
  if (err instanceof AppError) {
    const detail = err.fields?.map((f) => `${f.field}: ${f.message}`).join('; ');
    return sendError(reply, err.status, detail && !err.message.includes(detail) ? `${err.message} (${detail})` : err.message);
  }
  const fe = err as FastifyError & { validationContext?: string };
  if (hasZodFastifySchemaValidationErrors(fe)) {
    const issues = (fe.validation as ZodIssueLike[]).map((v) => {
      const path = v.params?.issue?.path?.map(String).join('.') || (v.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
      return `${path || fe.validationContext || 'request'}: ${v.params?.issue?.message ?? v.message ?? 'invalid'}`;
    });
    return sendError(reply, 400, issues.join('; '));
  }
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
  if (status >= 400 && status < 500) return sendError(reply, status, fe.message);
  req.log.error({ err }, 'unhandled error');
  return sendError(reply, 500, `an unexpected error occurred; quote the request id ${String(req.id)} when reporting it`);
}

/** Parses x-www-form-urlencoded into an object; a repeated key becomes a list. */
function parseForm(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(text)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** Forms send empty fields for what the user left blank: those are absent, not invalid. */
function dropBlank(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== '' && v !== null));
}

export function open311Routes(app: App, deps: Deps): void {
  void app.register(async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, parseForm(body as string)));
    scope.setErrorHandler(handleOpen311Error);
    // The api_key may sit in the body of a POST, so authentication runs once the body is read.
    scope.addHook('preValidation', async (req) => {
      if (req.routeOptions.config?.public) return;
      if (req.body && typeof req.body === 'object' && !Array.isArray(req.body)) req.body = dropBlank(req.body);
      const fromBody = (req.body as { api_key?: unknown } | undefined)?.api_key;
      const fromQuery = (req.query as { api_key?: unknown } | undefined)?.api_key;
      const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const key = typeof fromBody === 'string' ? fromBody : typeof fromQuery === 'string' ? fromQuery : bearer;
      if (!key) throw new Forbidden('api_key: required (an API token of the platform)');
      const actor = await resolveApiToken(deps, key);
      if (!actor) throw new Forbidden('api_key: unknown, revoked or expired');
      req.ctx = { ...req.ctx, actor };
    });

    scope.get('/services.json', {
      config: { public: true },
      schema: { tags, summary: 'Open311: the services (incident types) citizens may report — public', querystring: KeyQuery, response: { 200: z.array(Open311Service) } },
    }, (req) => open311.listServices(req.query.locale));

    scope.get('/services/:service_code.json', {
      config: { public: true },
      schema: {
        tags, summary: 'Open311: the attribute definitions of one service — public',
        params: z.object({ service_code: z.string().max(64) }), querystring: KeyQuery, response: { 200: Open311ServiceDefinition },
      },
    }, (req) => open311.serviceDefinition(req.params.service_code));

    scope.post('/requests.json', {
      schema: {
        tags, summary: 'Open311: post a service request (form-encoded or JSON; api_key required); a report duplicating an open one nearby is added to it (200)',
        body: RequestBody, response: { 200: z.array(Open311Created), 201: z.array(Open311Created) },
      },
    }, async (req, reply) => {
      const b = req.body;
      const attributes: Record<string, string | string[]> = { ...(b.attribute ?? {}) };
      const known = new Set(Object.keys(RequestBody.shape));
      const unknown: string[] = [];
      for (const [k, v] of Object.entries(b)) {
        if (known.has(k)) continue;
        const m = ATTRIBUTE_KEY.exec(k);
        if (m?.[1]) attributes[m[1]] = v as string | string[];
        else unknown.push(k);
      }
      if (unknown.length) throw new Invalid(`unknown fields: ${unknown.slice(0, 10).join(', ')}`);
      const { created, duplicate } = await open311.createRequest(deps, req.ctx, {
        service_code: b.service_code, lat: b.lat, long: b.long, address_string: b.address_string, description: b.description, email: b.email,
        first_name: b.first_name, last_name: b.last_name, phone: b.phone, media_url: b.media_url, attributes,
      });
      return reply.code(duplicate ? 200 : 201).send([created]);
    });

    scope.get('/requests.json', {
      schema: {
        tags, summary: 'Open311: service requests in the api_key\'s region — by service_request_id (comma list), or service_code, start_date, end_date (default the last 90 days) and status',
        querystring: RequestsQuery, response: { 200: z.array(Open311Request) },
      },
    }, (req) => {
      const q = req.query;
      return open311.findRequests(deps, req.ctx, { ids: list(q.service_request_id), serviceCodes: list(q.service_code), start: q.start_date, end: q.end_date, status: q.status }, q.locale);
    });

    scope.get('/requests/:service_request_id.json', {
      schema: { tags, summary: 'Open311: one service request (api_key required)', params: z.object({ service_request_id: z.string().max(100) }), querystring: KeyQuery, response: { 200: z.array(Open311Request) } },
    }, async (req) => [await open311.findRequest(deps, req.ctx, req.params.service_request_id, req.query.locale)]);

    scope.get('/tokens/:token.json', {
      schema: {
        tags, summary: 'Open311: the service request behind a token (requests are created at once: the token is the request id)',
        params: z.object({ token: z.string().max(100) }), querystring: KeyQuery,
        response: { 200: z.array(z.object({ service_request_id: z.string(), token: z.string() })) },
      },
    }, async (req) => {
      const found = await open311.findRequest(deps, req.ctx, req.params.token, req.query.locale);
      return [{ service_request_id: found.service_request_id, token: req.params.token }];
    });

    // anything else under the prefix (XML formats, discovery, other methods) is a 404 in the standard's form
    scope.all('/*', { config: { public: true }, schema: { hide: true } }, (req, reply) => sendError(reply, 404, `no Open311 call ${req.method} ${req.url.split('?')[0]} (JSON formats only)`));
  }, { prefix: '/open311/v2' });
}
