// SPDX-License-Identifier: Apache-2.0
// HTTP routes of the regions module.
import { z } from 'zod';
import { IsoDate, page, PageQuery } from '../../../contracts/common.ts';
import { AsOfQuery, DivisionChange, DivisionChangeInput, ImportResult, Level, Region, RegionCode, RegionPatch } from '../../../contracts/regions.ts';
import type { App } from '../../api/types.ts';
import type { Deps } from '../../platform/deps.ts';
import { Invalid } from '../../platform/errors.ts';
import * as service from './regions.service.ts';
import { importBoundaries, importRegionsCsv } from './region-import.service.ts';

const CodeParams = z.object({ code: RegionCode });
const Items = z.object({ items: z.array(Region) });
const tags = ['regions'];

export function regionRoutes(app: App, deps: Deps): void {
  app.get('/api/regions', {
    schema: {
      tags, summary: 'Search regions in the caller\'s scope (by name substring, level, subtree)',
      querystring: PageQuery.extend({ within: RegionCode.optional(), level: Level.optional(), q: z.string().max(100).optional(), asOf: IsoDate.optional() }),
      response: { 200: page(Region) },
    },
  }, (req) => service.searchRegions(deps, req.ctx, req.query));

  app.get('/api/regions/roots', {
    schema: { tags, summary: 'Top regions visible to the caller (the platform\'s provinces, or the root of the caller\'s scope)', querystring: AsOfQuery, response: { 200: Items } },
  }, async (req) => ({ items: await service.listRootRegions(deps, req.ctx, req.query.asOf) }));

  app.get('/api/regions/locate', {
    schema: {
      tags, summary: 'The smallest region containing a point',
      querystring: z.object({ lon: z.coerce.number().min(-180).max(180), lat: z.coerce.number().min(-90).max(90), asOf: IsoDate.optional() }),
      response: { 200: z.object({ region: Region.nullable() }) },
    },
  }, async (req) => ({ region: await service.locateRegion(deps, req.ctx, req.query.lon, req.query.lat, req.query.asOf) }));

  app.get('/api/regions/changes', {
    schema: { tags, summary: 'Division changes touching the caller\'s scope, newest first', querystring: PageQuery, response: { 200: page(DivisionChange) } },
  }, (req) => service.listDivisionChanges(deps, req.ctx, req.query.limit, req.query.offset));

  app.post('/api/regions/changes', {
    schema: { tags, summary: 'Apply a division change (merge, split, rename, move, create, abolish) from a date', body: DivisionChangeInput, response: { 201: DivisionChange } },
  }, async (req, reply) => reply.code(201).send(await service.applyDivisionChange(deps, req.ctx, req.body)));

  app.post('/api/regions/import', {
    bodyLimit: deps.config.importLimitBytes,
    schema: {
      tags, summary: 'Import an NBS-style division list (text/csv: code,name,level,parent[,name_en][,population]); all or nothing',
      querystring: z.object({ validFrom: IsoDate.optional() }),
      response: { 200: ImportResult },
    },
  }, async (req) => {
    if (typeof req.body !== 'string') throw new Invalid('send the division list as text/csv', [{ field: 'body', message: 'expected text/csv' }]);
    return importRegionsCsv(deps, req.ctx, req.body, { validFrom: req.query.validFrom });
  });

  app.post('/api/regions/boundaries', {
    bodyLimit: deps.config.importLimitBytes,
    schema: { tags, summary: 'Import region boundaries from a GeoJSON FeatureCollection (properties.code); all or nothing', response: { 200: ImportResult } },
  }, (req) => importBoundaries(deps, req.ctx, req.body));

  app.get('/api/regions/:code', {
    schema: { tags, summary: 'One region as of a date (default today)', params: CodeParams, querystring: AsOfQuery, response: { 200: Region } },
  }, (req) => service.getRegion(deps, req.ctx, req.params.code, req.query.asOf));

  app.patch('/api/regions/:code', {
    schema: { tags, summary: 'Correct a region\'s attributes', params: CodeParams, body: RegionPatch, response: { 200: Region } },
  }, (req) => service.patchRegion(deps, req.ctx, req.params.code, req.body));

  app.get('/api/regions/:code/children', {
    schema: { tags, summary: 'Child regions (visible to the caller)', params: CodeParams, querystring: AsOfQuery, response: { 200: Items } },
  }, async (req) => ({ items: await service.listChildRegions(deps, req.ctx, req.params.code, req.query.asOf) }));

  app.get('/api/regions/:code/ancestors', {
    schema: { tags, summary: 'The chain of regions from the root down to this one', params: CodeParams, querystring: AsOfQuery, response: { 200: Items } },
  }, async (req) => ({ items: await service.listAncestorRegions(deps, req.ctx, req.params.code, req.query.asOf) }));

  app.get('/api/regions/:code/subtree', {
    schema: {
      tags, summary: 'Regions in the subtree of a region, optionally of one level',
      params: CodeParams, querystring: PageQuery.extend({ level: Level.optional(), asOf: IsoDate.optional() }), response: { 200: page(Region) },
    },
  }, (req) => service.searchRegions(deps, req.ctx, { ...req.query, within: req.params.code }));

  app.get('/api/regions/:code/geojson', {
    schema: {
      tags, summary: 'GeoJSON FeatureCollection of the regions of a level in this subtree',
      params: CodeParams, querystring: z.object({ level: Level.optional(), asOf: IsoDate.optional() }),
    },
  }, async (req, reply) => reply.type('application/geo+json').send(await service.regionGeoJson(deps, req.ctx, req.params.code, req.query.level, req.query.asOf)));
}
