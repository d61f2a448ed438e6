// SPDX-License-Identifier: Apache-2.0
// Plan activation (预案启动) and dispatch orders (调度指令): an incident activates a published plan version at a
// level — steps become tasks for the bound organizations, resource requirements become requests matched to
// the nearest available resources — and each resource sent out is an order sent → acknowledged → en route
// → on scene → released.
import { z } from 'zod';
import { PageQuery } from './common.ts';
import { Grade } from './dispatch-incidents.ts';
import { ProposalResult } from './dispatch-resources.ts';
import { RegionCode } from './regions.ts';
import { Task } from './tasks.ts';

export const ORDER_STATUSES = ['sent', 'acknowledged', 'en_route', 'on_scene', 'released'] as const;
export const OrderStatus = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof OrderStatus>;

export const ACTIVATION_STATUSES = ['active', 'stood-down'] as const;
export const ActivationStatus = z.enum(ACTIVATION_STATUSES);
export type ActivationStatus = z.infer<typeof ActivationStatus>;

/** A step of the level and the organization that will carry it out (bound, or proposed for an unbound role). */
export const PreviewStep = z.object({
  key: z.string(),
  title: z.string(),
  roleKey: z.string(),
  roleName: z.string(),
  deadlineMinutes: z.number().int(),
  dependsOn: z.array(z.string()),
  organizationId: z.string().nullable(),
  organizationName: z.string().nullable(),
  assignedBy: z.enum(['binding', 'proposal']).nullable(),
});
export type PreviewStep = z.infer<typeof PreviewStep>;

export const PreviewRequest = z.object({
  position: z.number().int(),
  resourceType: z.string(),
  capability: z.string().nullable(),
  quantity: z.number().int(),
  maxTravelMinutes: z.number().int(),
  proposal: ProposalResult,
});
export type PreviewRequest = z.infer<typeof PreviewRequest>;

const PlanRef = z.object({ id: z.string(), code: z.string(), name: z.string() });

/** What an activation would do, before it is confirmed: plan, level, steps with organizations, proposals. */
export const ActivationPreview = z.object({
  incidentId: z.string(),
  plan: PlanRef,
  version: z.number().int(),
  level: Grade,
  requestedLevel: Grade,
  matchedRegionCode: z.string(),
  bindingRegionCode: z.string(),
  exercise: z.boolean(),
  steps: z.array(PreviewStep),
  unboundRoles: z.array(z.string()),
  requests: z.array(PreviewRequest),
  notifications: z.array(z.object({ key: z.string(), severity: z.string(), urgency: z.string(), headlineZh: z.string(), headlineEn: z.string() })),
});
export type ActivationPreview = z.infer<typeof ActivationPreview>;

export const PreviewQuery = z.object({
  level: Grade.optional(),
  planId: z.string().uuid().optional(),
});
export type PreviewQuery = z.infer<typeof PreviewQuery>;

export const ActivationInput = z
  .object({
    /** The response level; by default the incident's grade. The plan's nearest level runs. */
    level: Grade.optional(),
    /** A plan other than the one that applies best (it must apply to the incident). */
    planId: z.string().uuid().optional(),
    /** Resources the dispatcher chose per request (tried first; the rest is matched). */
    requests: z
      .array(
        z.object({
          position: z.number().int().min(0).max(99),
          resourceIds: z.array(z.string().uuid()).max(200),
          /** resources the dispatcher left out: never matched for this request */
          excludeIds: z.array(z.string().uuid()).max(500).optional(),
        }).strict(),
      )
      .max(100)
      .default([]),
    /** Also issue the level's public warnings (CAP). */
    issueWarnings: z.boolean().default(false),
    note: z.string().trim().min(1).max(2000).optional(),
  })
  .strict();
export type ActivationInput = z.infer<typeof ActivationInput>;

export const DispatchOrder = z.object({
  id: z.string(),
  activationId: z.string(),
  incidentId: z.string(),
  incidentTitle: z.string().nullable(),
  requestId: z.string(),
  resourceId: z.string(),
  resourceName: z.string(),
  resourceType: z.string(),
  ownerOrganizationName: z.string().nullable(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  /** where the resource is now, and when it was last reported there */
  position: z.tuple([z.number(), z.number()]),
  positionAt: z.string().nullable(),
  quantity: z.number().int(),
  consumed: z.number().int(),
  borrowed: z.boolean(),
  distanceKm: z.number(),
  travelMinutes: z.number(),
  exercise: z.boolean(),
  status: OrderStatus,
  sentAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  enRouteAt: z.string().nullable(),
  onSceneAt: z.string().nullable(),
  releasedAt: z.string().nullable(),
  note: z.string().nullable(),
  /** The actions the caller may take now. */
  actions: z.array(z.string()),
});
export type DispatchOrder = z.infer<typeof DispatchOrder>;

export const ActivationRequest = z.object({
  id: z.string(),
  position: z.number().int(),
  resourceType: z.string(),
  capability: z.string().nullable(),
  quantity: z.number().int(),
  maxTravelMinutes: z.number().int(),
  reserved: z.number().int(),
  borrowed: z.number().int(),
  shortfall: z.number().int(),
});
export type ActivationRequest = z.infer<typeof ActivationRequest>;

export const Activation = z.object({
  id: z.string(),
  incidentId: z.string(),
  incidentTitle: z.string().nullable(),
  plan: PlanRef,
  version: z.number().int(),
  level: Grade,
  regionCode: z.string(),
  regionName: z.string().nullable(),
  bindingRegionCode: z.string(),
  exercise: z.boolean(),
  status: ActivationStatus,
  note: z.string().nullable(),
  activatedByName: z.string(),
  activatedAt: z.string(),
  stoodDownAt: z.string().nullable(),
  /** Orders not yet released, tasks not yet done, and the requested quantity still missing. */
  summary: z.object({ orders: z.number().int(), openOrders: z.number().int(), shortfall: z.number().int() }),
});
export type Activation = z.infer<typeof Activation>;

export const ActivationDetail = Activation.extend({
  requests: z.array(ActivationRequest),
  orders: z.array(DispatchOrder),
  tasks: z.array(Task),
  warnings: z.array(z.object({ id: z.string(), identifier: z.string() })),
  /** Warnings of the level that could not be issued, with the reason. */
  warningErrors: z.array(z.object({ key: z.string(), message: z.string() })),
});
export type ActivationDetail = z.infer<typeof ActivationDetail>;

const Bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const ActivationQuery = PageQuery.extend({
  incidentId: z.string().uuid().optional(),
  status: ActivationStatus.optional(),
  regionCode: RegionCode.optional(),
  exercise: Bool.optional(),
});
export type ActivationQuery = z.infer<typeof ActivationQuery>;

export const StandDownInput = z.object({ note: z.string().trim().min(1).max(2000) }).strict();
export type StandDownInput = z.infer<typeof StandDownInput>;

export const ORDER_ACTIONS = ['acknowledge', 'depart', 'arrive', 'release'] as const;
export const OrderActionName = z.enum(ORDER_ACTIONS);
export type OrderActionName = z.infer<typeof OrderActionName>;

export const OrderAction = z
  .object({
    action: OrderActionName,
    /** For a stock, on release: how much was used (it leaves the stock's total). */
    consumed: z.number().int().min(0).max(1_000_000).optional(),
    note: z.string().trim().min(1).max(2000).optional(),
  })
  .strict();
export type OrderAction = z.infer<typeof OrderAction>;

export const OrderQuery = PageQuery.extend({
  activationId: z.string().uuid().optional(),
  incidentId: z.string().uuid().optional(),
  status: z.union([OrderStatus, z.literal('open')]).optional(),
  regionCode: RegionCode.optional(),
  exercise: Bool.optional(),
});
export type OrderQuery = z.infer<typeof OrderQuery>;
