// SPDX-License-Identifier: Apache-2.0
// The twin's analysis API beside NGSI-LD: entity types, roll-up by region level and time, by H3 hexagon,
// and the entity graph.
import { z } from 'zod';
import { Graph, GraphQuery, H3Query, H3Result, RollupQuery, RollupResult, TwinType } from '../../../contracts/twin.ts';
import type { App } from '../../api/types.ts';
import type { Deps } from '../../platform/deps.ts';
import { entityGraph } from './graph.service.ts';
import { listTypes, rollup, rollupH3 } from './rollup.service.ts';

const tags = ['twin'];

export function twinAnalyticsRoutes(app: App, deps: Deps): void {
  app.get('/api/twin/types', {
    schema: { tags, summary: 'Entity types in the caller\'s region with their attributes (kind, numeric, unit)', response: { 200: z.object({ items: z.array(TwinType) }) } },
  }, async (req) => ({ items: await listTypes(deps, req.ctx) }));

  app.get('/api/twin/rollup', {
    schema: {
      tags,
      summary: 'Roll an attribute of an entity type up to region levels: current values, values as of a time, or the history by time bucket',
      querystring: RollupQuery,
      response: { 200: RollupResult },
    },
  }, (req) => rollup(deps, req.ctx, req.query));

  app.get('/api/twin/rollup/h3', {
    schema: { tags, summary: 'Roll an attribute of an entity type up to H3 hexagons at a resolution (GeoJSON)', querystring: H3Query, response: { 200: H3Result } },
  }, (req) => rollupH3(deps, req.ctx, req.query));

  app.get('/api/twin/graph', {
    schema: { tags, summary: 'Relationships followed n hops from an entity, in both directions, as nodes and edges', querystring: GraphQuery.extend({ id: z.string().min(1).max(512) }), response: { 200: Graph } },
  }, (req) => entityGraph(deps, req.ctx, req.query.id, req.query));
}
