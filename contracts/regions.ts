// SPDX-License-Identifier: Apache-2.0
// Regions (行政区划): levels, codes and the shapes of the regions API.
import { z } from 'zod';
import { IsoDate } from './common.ts';

/** Levels from the top down; `grid` (网格) is the optional level below villages. */
export const LEVELS = ['province', 'city', 'county', 'township', 'village', 'grid'] as const;
export const Level = z.enum(LEVELS);
export type Level = z.infer<typeof Level>;

/** How many leading digits of a code identify a region of each level (its subtree prefix). */
export const PREFIX_LENGTH: Record<Level, number> = { province: 2, city: 4, county: 6, township: 9, village: 12, grid: 15 };

/** A region code: 12 digits (province…village) or 15 (grid = village code + 3 digits). */
export const RegionCode = z.string().regex(/^\d{12}(\d{3})?$/, 'a region code has 12 digits (15 for a grid)');

/** GeoJSON Polygon or MultiPolygon (RFC 7946), longitude first. */
const Position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]).rest(z.number());
const Ring = z.array(Position).min(4);
export const BoundaryGeometry = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Polygon'), coordinates: z.array(Ring).min(1) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(Ring).min(1)).min(1) }),
]);
export type BoundaryGeometry = z.infer<typeof BoundaryGeometry>;

/** A region as the API returns it. */
export const Region = z.object({
  code: z.string(),
  level: Level,
  parentCode: z.string().nullable(),
  name: z.string(),
  nameEn: z.string().nullable(),
  population: z.number().nullable(),
  areaKm2: z.number().nullable(),
  centroid: z.tuple([z.number(), z.number()]).nullable(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  hasBoundary: z.boolean(),
  childCount: z.number().int().optional(),
});
export type Region = z.infer<typeof Region>;

/** `asOf` query parameter: the date the hierarchy is read at (default today). */
export const AsOfQuery = z.object({ asOf: IsoDate.optional() });

/** Editable attributes of a region (no structural change: use a division change for that). */
export const RegionPatch = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    nameEn: z.string().trim().max(200).nullable().optional(),
    population: z.number().int().min(0).max(2_000_000_000).nullable().optional(),
  })
  .strict();
export type RegionPatch = z.infer<typeof RegionPatch>;

/** A new region row opened by a division change. */
export const RegionInput = z
  .object({
    code: RegionCode,
    level: Level,
    parentCode: RegionCode.nullable(),
    name: z.string().trim().min(1).max(100),
    nameEn: z.string().trim().max(200).nullable().optional(),
    population: z.number().int().min(0).max(2_000_000_000).nullable().optional(),
    boundary: BoundaryGeometry.nullable().optional(),
  })
  .strict();
export type RegionInput = z.infer<typeof RegionInput>;

/** A division change (区划调整): close some codes and open others from a date. */
export const DivisionChangeInput = z
  .object({
    kind: z.enum(['merge', 'split', 'rename', 'move', 'create', 'abolish']),
    effectiveDate: IsoDate,
    close: z.array(RegionCode).max(1000).default([]),
    open: z.array(RegionInput).max(1000).default([]),
    note: z.string().max(2000).optional(),
  })
  .strict();
export type DivisionChangeInput = z.infer<typeof DivisionChangeInput>;

export const DivisionChange = z.object({
  id: z.number().int(),
  kind: z.string(),
  effectiveDate: z.string(),
  closedCodes: z.array(z.string()),
  openedCodes: z.array(z.string()),
  note: z.string().nullable(),
  createdAt: z.string(),
});
export type DivisionChange = z.infer<typeof DivisionChange>;

/** Result of an import. */
export const ImportResult = z.object({ inserted: z.number().int(), updated: z.number().int(), total: z.number().int() });
export type ImportResult = z.infer<typeof ImportResult>;
