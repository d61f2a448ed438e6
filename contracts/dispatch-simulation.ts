// SPDX-License-Identifier: Apache-2.0
// Simulation (仿真推演): a period of historical incidents replayed against a resource configuration and the
// plans, reporting response times, unmet requests and cross-region borrowing, for variants side by side.
import { z } from 'zod';
import { IsoDate, PageQuery } from './common.ts';
import { ResourceTypeCode } from './dispatch-resources.ts';
import { RegionCode } from './regions.ts';

/** A change to the resource configuration: `delta` more (or fewer) resources of a type in a region. */
export const ResourceChange = z
  .object({
    type: ResourceTypeCode,
    regionCode: RegionCode,
    delta: z.number().int().min(-1000).max(1000).refine((n) => n !== 0, 'a change of zero changes nothing'),
  })
  .strict();
export type ResourceChange = z.infer<typeof ResourceChange>;

export const SimulationVariant = z
  .object({
    name: z.string().trim().min(1).max(100),
    changes: z.array(ResourceChange).min(1).max(50),
  })
  .strict();
export type SimulationVariant = z.infer<typeof SimulationVariant>;

export const SimulationInput = z
  .object({
    /** Incidents in this region's subtree are replayed. */
    regionCode: RegionCode,
    /** The period, [from, to) in days (Asia/Shanghai). Default: the last 365 days. */
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    /** Replay with this plan only (its published version, or `version`); default: the plan that applies to each incident. */
    planId: z.string().uuid().optional(),
    version: z.number().int().min(1).optional(),
    /** Seeds the on-scene durations not known from history and where added resources stand. */
    seed: z.number().int().min(0).max(2_147_483_647).default(1),
    /** Variants compared with the current configuration (always run first, as 现状). */
    variants: z.array(SimulationVariant).max(5).default([]),
  })
  .strict();
export type SimulationInput = z.input<typeof SimulationInput>;
export type SimulationInputParsed = z.output<typeof SimulationInput>;

export const Distribution = z.object({ mean: z.number().nullable(), p50: z.number().nullable(), p95: z.number().nullable(), max: z.number().nullable() });
export type Distribution = z.infer<typeof Distribution>;

export const VariantResult = z.object({
  name: z.string(),
  changes: z.array(ResourceChange),
  /** Incidents whose plan level asked for resources. */
  incidentsWithRequests: z.number().int(),
  /** Minutes from the report until the last unit requested is on scene, over incidents fully served. */
  responseMinutes: Distribution,
  histogram: z.array(z.object({ fromMinutes: z.number(), toMinutes: z.number().nullable(), count: z.number().int() })),
  unmet: z.object({ incidents: z.number().int(), units: z.number().int(), byType: z.array(z.object({ type: z.string(), units: z.number().int() })) }),
  borrowed: z.object({ incidents: z.number().int(), units: z.number().int(), byRegion: z.array(z.object({ regionCode: z.string(), regionName: z.string().nullable(), units: z.number().int() })) }),
  /** Units sent, by type. */
  dispatched: z.array(z.object({ type: z.string(), units: z.number().int() })),
});
export type VariantResult = z.infer<typeof VariantResult>;

export const Simulation = z.object({
  id: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  from: z.string(),
  to: z.string(),
  seed: z.number().int(),
  planId: z.string().nullable(),
  version: z.number().int().nullable(),
  /** Incidents in the period (drills left out) and those no plan applies to. */
  incidents: z.number().int(),
  withoutPlan: z.number().int(),
  resources: z.number().int(),
  variants: z.array(VariantResult),
  elapsedMs: z.number().int(),
  createdByName: z.string(),
  createdAt: z.string(),
});
export type Simulation = z.infer<typeof Simulation>;

export const SimulationSummary = Simulation.omit({ variants: true }).extend({ variantNames: z.array(z.string()) });
export type SimulationSummary = z.infer<typeof SimulationSummary>;

export const SimulationQuery = PageQuery.extend({ regionCode: RegionCode.optional() });
export type SimulationQuery = z.infer<typeof SimulationQuery>;
