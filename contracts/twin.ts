// SPDX-License-Identifier: Apache-2.0
// The twin's analysis API (beside NGSI-LD): entity types, multi-scale roll-up, H3 roll-up and the entity graph.
import { z } from 'zod';
import { Level, RegionCode } from './regions.ts';

const Instant = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) && !Number.isNaN(Date.parse(s)), 'an ISO 8601 date or date-time');

/** A term or IRI naming an entity type or attribute (compacted against the NGSI-LD core context). */
const Term = z.string().min(1).max(500).regex(/^[^\s<>"{}|\\^`,]+$/, 'a term or IRI without spaces or commas');

export const TwinTypeAttribute = z.object({
  name: z.string(),
  kind: z.enum(['Property', 'GeoProperty', 'Relationship', 'LanguageProperty']),
  numeric: z.boolean(),
  unitCode: z.string().nullable(),
  entities: z.number().int(),
});
export const TwinType = z.object({ type: z.string(), iri: z.string(), entities: z.number().int(), attributes: z.array(TwinTypeAttribute) });
export type TwinType = z.infer<typeof TwinType>;

export const BUCKETS = ['hour', 'day', 'week', 'month', 'quarter', 'year'] as const;
export const Bucket = z.enum(BUCKETS);
export type Bucket = z.infer<typeof Bucket>;

export const RollupQuery = z.object({
  type: Term,
  attr: Term.optional(),
  parent: RegionCode.optional(),
  levels: z
    .string()
    .max(100)
    .optional()
    .describe('levels to aggregate to, comma separated, or "all" below the parent; default: the level below the parent'),
  bucket: Bucket.optional().describe('aggregate the history by time bucket (needs attr, from and to)'),
  from: Instant.optional().describe('with to (or alone): aggregate the history of this period instead of current values'),
  to: Instant.optional(),
  asOf: Instant.optional().describe('aggregate each entity\'s latest value at this time instead of the current one (without attr: count the entities that existed)'),
  q: z.string().max(4000).optional().describe('an NGSI-LD query on the entities\' current attributes: only those matching are rolled up'),
});
export type RollupQuery = z.infer<typeof RollupQuery>;

export const RollupGroup = z.object({
  level: Level,
  regionCode: z.string(),
  name: z.string().nullable(),
  bucket: z.string().nullable().describe('start of the time bucket (local time, ISO 8601), or null without a bucket'),
  count: z.number().int().describe('entities (current or as-of values) or observations (by bucket)'),
  valueCount: z.number().int().describe('how many of them had a numeric value'),
  sum: z.number().nullable(),
  avg: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
});
export type RollupGroup = z.infer<typeof RollupGroup>;

export const RollupResult = z.object({
  type: z.string(),
  attr: z.string().nullable(),
  parent: z.object({ code: z.string(), name: z.string().nullable(), level: Level }),
  levels: z.array(Level),
  bucket: Bucket.nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  asOf: z.string().nullable(),
  groups: z.array(RollupGroup),
});
export type RollupResult = z.infer<typeof RollupResult>;

export const H3Query = z.object({
  type: Term,
  attr: Term.optional(),
  parent: RegionCode.optional(),
  resolution: z.coerce.number().int().min(0).max(12).default(7),
  asOf: Instant.optional(),
  q: z.string().max(4000).optional(),
});

export const H3Cell = z.object({
  type: z.literal('Feature'),
  id: z.string(),
  geometry: z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(z.tuple([z.number(), z.number()]))) }),
  properties: z.object({ cell: z.string(), count: z.number().int(), valueCount: z.number().int(), sum: z.number().nullable(), avg: z.number().nullable(), min: z.number().nullable(), max: z.number().nullable() }),
});
export const H3Result = z.object({ type: z.literal('FeatureCollection'), resolution: z.number().int(), entities: z.number().int(), features: z.array(H3Cell) });
export type H3Result = z.infer<typeof H3Result>;

export const GraphQuery = z.object({
  hops: z.coerce.number().int().min(1).max(4).default(2),
  limit: z.coerce.number().int().min(1).max(500).default(200),
  direction: z.enum(['both', 'out', 'in']).default('both'),
});
export const GraphNode = z.object({ id: z.string(), type: z.string(), name: z.string().nullable(), regionCode: z.string(), depth: z.number().int() });
export const GraphEdge = z.object({ source: z.string(), target: z.string(), relationship: z.string() });
export const Graph = z.object({ root: z.string(), nodes: z.array(GraphNode), edges: z.array(GraphEdge), truncated: z.boolean() });
export type Graph = z.infer<typeof Graph>;
