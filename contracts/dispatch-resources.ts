// SPDX-License-Identifier: Apache-2.0
// Dispatchable resources (可调度资源): the type catalog, resources with live status and location, nearest
// matching by estimated travel time, and reservations (预占).
import { z } from 'zod';
import { IsoDate, IsoDateTime } from './common.ts';
import { RegionCode } from './regions.ts';

export const RESOURCE_CATEGORIES = ['team', 'vehicle', 'equipment', 'stock', 'shelter', 'expert'] as const;
export const ResourceCategory = z.enum(RESOURCE_CATEGORIES);
export type ResourceCategory = z.infer<typeof ResourceCategory>;

export const RESOURCE_STATUSES = ['available', 'reserved', 'dispatched', 'unavailable'] as const;
export const ResourceStatus = z.enum(RESOURCE_STATUSES);
export type ResourceStatus = z.infer<typeof ResourceStatus>;

export const OWNER_KINDS = ['government', 'social'] as const;
export const OwnerKind = z.enum(OWNER_KINDS);
export type OwnerKind = z.infer<typeof OwnerKind>;

export const RESERVATION_STATUSES = ['reserved', 'dispatched', 'released'] as const;
export const ReservationStatus = z.enum(RESERVATION_STATUSES);
export type ReservationStatus = z.infer<typeof ReservationStatus>;

/** A resource type's code (e.g. `pump-truck`). */
export const ResourceTypeCode = z.string().regex(/^[a-z][a-z0-9-]{1,63}$/, '2–64 lowercase letters, digits or dashes, starting with a letter');

/** A capability tag (e.g. `water-rescue`, `drainage`, `medical`). */
export const Capability = z.string().regex(/^[a-z][a-z0-9-]{0,47}$/, 'a tag of lowercase letters, digits and dashes (up to 48), starting with a letter');

/** A point, [longitude, latitude] (WGS 84). */
export const LonLat = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
export type LonLat = z.infer<typeof LonLat>;

/** A type in the catalog; `speedKmh` turns straight-line distance into an estimated travel time. */
export const ResourceType = z.object({
  code: z.string(),
  category: ResourceCategory,
  nameZh: z.string(),
  nameEn: z.string(),
  unit: z.string(),
  isStock: z.boolean(),
  speedKmh: z.number(),
});
export type ResourceType = z.infer<typeof ResourceType>;

export const ResourceTypeInput = z
  .object({
    code: ResourceTypeCode,
    category: ResourceCategory,
    nameZh: z.string().trim().min(1).max(100),
    nameEn: z.string().trim().min(1).max(100),
    unit: z.string().trim().min(1).max(20),
    isStock: z.boolean().default(false),
    speedKmh: z.number().positive().max(1000),
  })
  .strict();
export type ResourceTypeInput = z.infer<typeof ResourceTypeInput>;

/** The availability agreement (协议储备) under which a social organization's resource may be dispatched. */
export const Agreement = z.object({
  number: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  responseMinutes: z.number().int().nullable(),
});
export type Agreement = z.infer<typeof Agreement>;

export const AgreementInput = z
  .object({
    number: z.string().trim().min(1).max(100),
    validFrom: IsoDate,
    validTo: IsoDate,
    responseMinutes: z.number().int().min(0).max(10080).optional(),
  })
  .strict()
  .refine((a) => a.validTo >= a.validFrom, { path: ['validTo'], message: 'validTo is before validFrom' });
export type AgreementInput = z.infer<typeof AgreementInput>;

/** A resource as the API returns it. `offered` says whether matching may propose it today. */
export const Resource = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  typeName: z.string(),
  category: ResourceCategory,
  isStock: z.boolean(),
  unit: z.string(),
  capabilities: z.array(z.string()),
  ownerOrganizationId: z.string(),
  ownerOrganizationName: z.string().nullable(),
  ownerKind: OwnerKind,
  regionCode: z.string(),
  regionName: z.string().nullable(),
  location: LonLat,
  positionAt: z.string().nullable(),
  status: ResourceStatus,
  quantityTotal: z.number().int().nullable(),
  quantityAvailable: z.number().int().nullable(),
  capacity: z.number().int().nullable(),
  description: z.string().nullable(),
  agreement: Agreement.nullable(),
  offered: z.boolean(),
  createdAt: z.string(),
  modifiedAt: z.string(),
});
export type Resource = z.infer<typeof Resource>;

const Capabilities = z.array(Capability).max(20).refine((c) => new Set(c).size === c.length, 'a capability is listed twice');

export const ResourceInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    type: ResourceTypeCode,
    capabilities: Capabilities.default([]),
    /** Default: the caller's organization. */
    ownerOrganizationId: z.string().uuid().optional(),
    /** Default: the smallest region containing the location. */
    regionCode: RegionCode.optional(),
    location: LonLat,
    status: z.enum(['available', 'unavailable']).default('available'),
    /** Stocks only: how much exists (all of it available at first). */
    quantity: z.number().int().min(0).max(1_000_000_000).optional(),
    /** Shelters: how many people it holds. */
    capacity: z.number().int().min(0).max(10_000_000).optional(),
    description: z.string().trim().max(2000).optional(),
    /** Social organizations' resources: without a valid agreement they are never offered. */
    agreement: AgreementInput.optional(),
  })
  .strict();
export type ResourceInput = z.infer<typeof ResourceInput>;

export const ResourcePatch = z
  .object({
    name: z.string().trim().min(1).max(200),
    capabilities: Capabilities,
    location: LonLat,
    /** Stocks: the new total; what is available moves by the same amount. */
    quantityTotal: z.number().int().min(0).max(1_000_000_000),
    capacity: z.number().int().min(0).max(10_000_000).nullable(),
    description: z.string().trim().max(2000).nullable(),
    agreement: AgreementInput.nullable(),
  })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'change at least one field');
export type ResourcePatch = z.infer<typeof ResourcePatch>;

/** A manual status change: reserved and dispatched come only through reservations. */
export const StatusChange = z
  .object({ status: z.enum(['available', 'unavailable']), note: z.string().trim().max(500).optional() })
  .strict();
export type StatusChange = z.infer<typeof StatusChange>;

/** A batch of positions from vehicle trackers; an observation older than the stored one is skipped. */
export const PositionBatch = z
  .object({
    items: z
      .array(z.object({ id: z.string().uuid(), location: LonLat, observedAt: IsoDateTime.optional() }).strict())
      .min(1)
      .max(1000),
  })
  .strict();
export type PositionBatch = z.infer<typeof PositionBatch>;

export const PositionResult = z.object({ updated: z.number().int(), stale: z.number().int() });
export type PositionResult = z.infer<typeof PositionResult>;

export const ResourceQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  type: ResourceTypeCode.optional(),
  status: ResourceStatus.optional(),
  capability: Capability.optional(),
  regionCode: RegionCode.optional(),
  ownerKind: OwnerKind.optional(),
  ownerOrganizationId: z.string().uuid().optional(),
  q: z.string().trim().max(100).optional(),
});
export type ResourceQuery = z.infer<typeof ResourceQuery>;

/** What matching looks for: `quantity` units of a type (stocks: an amount), near a point. */
export const NearestQuery = z.object({
  type: ResourceTypeCode,
  capability: Capability.optional(),
  quantity: z.coerce.number().int().min(1).max(1_000_000).default(1),
  lon: z.coerce.number().min(-180).max(180),
  lat: z.coerce.number().min(-90).max(90),
  /** The region asking (default: the one containing the point); below county level its county. */
  regionCode: RegionCode.optional(),
  maxTravelMinutes: z.coerce.number().positive().max(10080).optional(),
});
export type NearestQuery = z.infer<typeof NearestQuery>;

/** One proposed resource: how much to take, how far, how long, and whether it is borrowed from another region. */
export const Proposal = z.object({
  resource: Resource,
  take: z.number().int(),
  distanceKm: z.number(),
  travelMinutes: z.number(),
  borrowed: z.boolean(),
  fromRegionCode: z.string(),
  fromRegionName: z.string().nullable(),
});
export type Proposal = z.infer<typeof Proposal>;

export const ProposalResult = z.object({
  type: z.string(),
  quantity: z.number().int(),
  regionCode: z.string(),
  /** Whether the proposals cover the quantity; `shortfall` is what is missing. */
  satisfied: z.boolean(),
  shortfall: z.number().int(),
  /** Whether some proposals come from neighbouring regions or the parent region. */
  borrowed: z.boolean(),
  proposals: z.array(Proposal),
});
export type ProposalResult = z.infer<typeof ProposalResult>;

export const Reservation = z.object({
  id: z.string(),
  requestRef: z.string(),
  resourceId: z.string(),
  resourceName: z.string().nullable(),
  type: z.string().nullable(),
  regionCode: z.string(),
  isStock: z.boolean(),
  quantity: z.number().int(),
  consumed: z.number().int(),
  status: ReservationStatus,
  note: z.string().nullable(),
  reservedAt: z.string(),
  dispatchedAt: z.string().nullable(),
  releasedAt: z.string().nullable(),
});
export type Reservation = z.infer<typeof Reservation>;

export const ReservationInput = z
  .object({
    /** What the resources are held for (an incident, a plan activation, a drill). */
    requestRef: z.string().trim().min(1).max(200),
    items: z
      .array(z.object({ resourceId: z.string().uuid(), quantity: z.number().int().min(1).max(1_000_000_000).default(1) }).strict())
      .min(1)
      .max(200)
      .refine((items) => new Set(items.map((i) => i.resourceId)).size === items.length, 'a resource is listed twice'),
    note: z.string().trim().max(500).optional(),
  })
  .strict();
export type ReservationInput = z.infer<typeof ReservationInput>;

export const ReservationResult = z.object({ requestRef: z.string(), items: z.array(Reservation) });
export type ReservationResult = z.infer<typeof ReservationResult>;

export const ReleaseInput = z
  .object({
    /** Stocks: how much of the reserved quantity was used up (not returned to the pool). */
    consumed: z.number().int().min(0).max(1_000_000_000).optional(),
    note: z.string().trim().max(500).optional(),
  })
  .strict();
export type ReleaseInput = z.infer<typeof ReleaseInput>;

export const ReservationQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  requestRef: z.string().trim().min(1).max(200).optional(),
  resourceId: z.string().uuid().optional(),
  status: ReservationStatus.optional(),
});
export type ReservationQuery = z.infer<typeof ReservationQuery>;
