// SPDX-License-Identifier: Apache-2.0
// The HTTP application: plugins, authentication, errors, OpenAPI, health, metrics, module routes, console.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { scopePrefixOf } from '../../contracts/region-codes.ts';
import { type Actor, ANONYMOUS_ACTOR } from '../platform/context.ts';
import type { Deps } from '../platform/deps.ts';
import { Invalid, Unauthenticated } from '../platform/errors.ts';
import { auditRoutes } from '../modules/audit/index.ts';
import { datasetRoutes } from '../modules/backflow/index.ts';
import { taskRoutes } from '../modules/tasks/index.ts';
import { indicatorRoutes } from '../modules/indicators/index.ts';
import { policyRoutes } from '../modules/policies/index.ts';
import { activationRoutes, capRoutes, incidentRoutes, intakeRoutes, simulationRoutes, open311Routes, planRoutes, resourceRoutes, warningRoutes } from '../modules/dispatch/index.ts';
import { identityRoutes } from '../modules/identity/index.ts';
import { authenticate, SESSION_COOKIE } from '../modules/identity/identity.routes.ts';
import { regionRoutes } from '../modules/regions/index.ts';
import { twinRoutes } from '../modules/twin/index.ts';
import { HttpMetrics } from './metrics.ts';
import { handleError, problem } from './problem.ts';
import type { App } from './types.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where the built console lives. */
export const CONSOLE_DIR = path.join(ROOT, 'web', 'dist');

/** Builds the Fastify application (not yet listening). */
export async function buildHttp(deps: Deps, opts: { logger?: boolean } = {}): Promise<App> {
  const app = Fastify({
    logger: opts.logger === false || deps.config.logLevel === 'silent' ? false : { level: deps.config.logLevel },
    bodyLimit: deps.config.bodyLimitBytes,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : crypto.randomUUID();
    },
    requestIdHeader: false,
    trustProxy: true,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);

  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.addContentTypeParser(['application/geo+json', 'application/ld+json', 'application/merge-patch+json'], { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      const err = new Error('the body is not valid JSON') as Error & { statusCode: number };
      err.statusCode = 400;
      done(err, undefined);
    }
  });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"], // Ant Design injects its CSS-in-JS styles
        imgSrc: ["'self'", 'data:', 'blob:'],
        workerSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Yunzheng API', description: 'Cloud digital government platform (云政). Errors are RFC 9457 problem+json.', version: '0.1.0' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          token: { type: 'http', scheme: 'bearer', description: 'API token (yzt_…) from POST /api/tokens' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  const metrics = new HttpMetrics();
  // Trusted-network mode: a gateway in front (a PEP proxy) has authenticated the caller already.
  const trusted = deps.config.ngsiTrusted;
  const trustedActor: Actor | undefined = trusted
    ? {
        kind: 'system', userId: null, username: 'trusted-network', displayName: 'trusted network', organizationId: null,
        roles: [trusted.role], scopeCode: trusted.scopeCode, scopePrefix: scopePrefixOf(trusted.scopeCode), clearance: 'internal',
      }
    : undefined;
  // Authentication comes first, before the body is read or validated: an anonymous caller learns nothing
  // about the expected input and cannot make the server parse a large body.
  app.addHook('onRequest', async (req) => {
    req.ctx = { actor: ANONYMOUS_ACTOR, requestId: String(req.id), ip: req.ip ?? null };
    req.sessionId = req.cookies[SESSION_COOKIE];
    const isApi = (req.url.startsWith('/api/') && !req.url.startsWith('/api/docs') && !req.url.startsWith('/api/openapi.json')) || req.url.startsWith('/ngsi-ld/');
    if (!isApi) return;
    const actor = (await authenticate(deps, req.sessionId, req.headers.authorization)) ?? (req.url.startsWith('/ngsi-ld/') ? trustedActor : undefined);
    if (actor) req.ctx = { ...req.ctx, actor };
    else if (!req.routeOptions.config?.public) throw new Unauthenticated(req.sessionId ? 'the session has expired: log in again' : 'log in or send an API token');
  });
  // PostgreSQL text cannot hold NUL characters: refuse them at the edge, naming the field.
  app.addHook('preValidation', async (req) => {
    const where = firstNul({ body: req.body, query: req.query, params: req.params });
    if (where) throw new Invalid('text may not contain NUL (\\u0000) characters', [{ field: where, message: 'contains a NUL character' }]);
  });
  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('x-request-id', String(req.id));
    return payload;
  });
  app.addHook('onResponse', async (req, reply) => {
    metrics.observe(req.method, req.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });

  app.get('/api/openapi.json', { schema: { hide: true }, config: { public: true } }, async () => app.swagger());
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await deps.db.pool.query('SELECT 1');
      return { status: 'ready', database: deps.db.engine };
    } catch {
      return reply.code(503).type('application/problem+json').send(problem(503, 'not-ready', 'the database does not answer', String(_req.id)));
    }
  });
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    const { rows } = await deps.db.pool.query<{ pending: number }>('SELECT count(*)::int AS pending FROM outbox WHERE published_at IS NULL');
    return reply.type('text/plain; version=0.0.4').send(metrics.render({ yz_outbox_pending_events: rows[0]?.pending ?? 0 }));
  });

  identityRoutes(app, deps);
  regionRoutes(app, deps);
  auditRoutes(app, deps);
  twinRoutes(app, deps);
  datasetRoutes(app, deps);
  resourceRoutes(app, deps);
  incidentRoutes(app, deps);
  open311Routes(app, deps);
  planRoutes(app, deps);
  warningRoutes(app, deps);
  capRoutes(app, deps);
  activationRoutes(app, deps);
  intakeRoutes(app, deps);
  simulationRoutes(app, deps);
  taskRoutes(app, deps);
  indicatorRoutes(app, deps);
  policyRoutes(app, deps);

  const hasConsole = fs.existsSync(path.join(CONSOLE_DIR, 'index.html'));
  if (hasConsole) await app.register(fastifyStatic, { root: CONSOLE_DIR, wildcard: true, index: ['index.html'] });
  app.setNotFoundHandler((req, reply) => {
    if (hasConsole && req.method === 'GET' && !req.url.startsWith('/api/') && !req.url.startsWith('/ngsi-ld/') && !path.extname(req.url.split('?')[0] ?? '')) {
      return reply.type('text/html').sendFile('index.html'); // client-side routes
    }
    return reply.code(404).type('application/problem+json').send(problem(404, 'not-found', `no route ${req.method} ${req.url.split('?')[0]}`, String(req.id)));
  });
  return app;
}

/** The path of the first string (or key) holding a NUL character, or null. */
function firstNul(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'body' : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = firstNul(value[i], `${path}.${i}`);
      if (hit) return hit;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const p = path ? `${path}.${k}` : k;
      if (k.includes('\u0000')) return p;
      const hit = firstNul(v, p);
      if (hit) return hit;
    }
  }
  return null;
}
