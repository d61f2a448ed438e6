// SPDX-License-Identifier: Apache-2.0
// The public CAP 1.2 endpoints under /cap, outside the API: no credentials (like every public alerting feed),
// rate-limited per client, answers in XML. `GET /cap/alerts` is the Atom feed of current alerts, each entry
// linking to its CAP document (the usual CAP-over-Atom practice); `GET /cap/alerts/{identifier}.xml` is
// one CAP message, kept exactly as it was published. Errors are problem+json, as in the API.
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CapFeedQuery } from '../../../contracts/dispatch-warnings.ts';
import type { App } from '../../api/types.ts';
import type { Deps } from '../../platform/deps.ts';
import { NotFound } from '../../platform/errors.ts';
import * as warnings from './warnings.service.ts';

const tags = ['cap'];

export function capRoutes(app: App, deps: Deps): void {
  void app.register(async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    const rateLimit = { max: deps.config.capRateLimit, timeWindow: '1 minute' };
    scope.get('/alerts', {
      config: { public: true, rateLimit },
      schema: {
        tags, summary: 'CAP: the Atom feed (application/atom+xml) of current public warnings — neither expired nor cancelled — each entry linking to its CAP document; public',
        querystring: CapFeedQuery,
      },
    }, async (req, reply) => {
      const baseUrl = deps.config.publicUrl ?? `${req.protocol}://${req.host}`;
      const xml = await warnings.capFeed(deps, { baseUrl, regionCode: req.query.regionCode, status: req.query.status, limit: req.query.limit });
      return reply.type('application/atom+xml; charset=utf-8').header('cache-control', 'public, max-age=60').send(xml);
    });

    scope.get('/alerts/:identifier.xml', {
      config: { public: true, rateLimit },
      schema: {
        tags, summary: 'CAP: one alert message as a CAP 1.2 XML document (application/cap+xml); public',
        params: z.object({ identifier: z.string().regex(/^[A-Za-z0-9._:-]{1,200}$/, 'a CAP identifier') }),
      },
    }, async (req, reply) => {
      const xml = await warnings.capDocument(deps, req.params.identifier);
      // a CAP message never changes once published
      return reply.type('application/cap+xml; charset=utf-8').header('cache-control', 'public, max-age=3600').send(xml);
    });

    scope.all('/*', { config: { public: true }, schema: { hide: true } }, (req) => {
      throw new NotFound(`no CAP resource ${req.method} ${req.url.split('?')[0]}`);
    });
  }, { prefix: '/cap' });
}
