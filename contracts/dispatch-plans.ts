// SPDX-License-Identifier: Apache-2.0
// Contingency plans (预案) as structured, versioned data: triggers, response levels I–IV with ordered steps
// for abstract roles, resource requirements and public warning texts; the lifecycle of versions; role
// bindings to a region's organizations; the structured diff; the replication package (复制推广).
import { z } from 'zod';
import { PageQuery } from './common.ts';
import { Capability, ResourceTypeCode } from './dispatch-resources.ts';
import { DepartmentType } from './identity.ts';
import { Grade } from './dispatch-incidents.ts';
import { Level } from './regions.ts';
import { RegionCode } from './regions.ts';

const Text = (max: number) => z.string().trim().min(1).max(max);
/** A key inside a plan (step key, notification key): lowercase letters, digits and dashes. */
export const PlanKey = z.string().regex(/^[a-z][a-z0-9-]{0,47}$/, 'a key of lowercase letters, digits and dashes (up to 48), starting with a letter');
/** A plan's code, unique within its owner region (e.g. `flood-response`). */
export const PlanCode = z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, '2–64 lowercase letters, digits or dashes');
/** An abstract role's key (e.g. `county-emergency-bureau`). */
export const RoleKey = z.string().regex(/^[a-z][a-z0-9-]{1,63}$/, 'a role key of lowercase letters, digits and dashes');
/** An incident type code of the catalogue (a leaf or a category). */
export const ScenarioType = z.string().regex(/^[a-z][a-z0-9-]{1,63}$/, 'an incident type code');

export const PLAN_STATUSES = ['draft', 'reviewed', 'published', 'drilled', 'evaluated', 'revised'] as const;
export const PlanStatus = z.enum(PLAN_STATUSES);
export type PlanStatus = z.infer<typeof PlanStatus>;

/** What a version's state change is called: review, return to draft, publish, drill, evaluate, revise (new draft from it). */
export const PLAN_ACTIONS = ['review', 'return', 'publish', 'drill', 'evaluate', 'revise'] as const;
export const PlanAction = z.enum(PLAN_ACTIONS);
export type PlanAction = z.infer<typeof PlanAction>;

export const COMPARISONS = ['gt', 'gte', 'lt', 'lte', 'eq'] as const;

/** When the plan applies: an incident of a type at or above a grade, or an indicator crossing a value. */
export const PlanTrigger = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('incident'), typeCode: ScenarioType, minGrade: Grade }).strict(),
  z.object({ kind: z.literal('indicator'), indicatorCode: z.string().regex(/^[a-z][a-z0-9.-]{1,63}$/, 'an indicator code'), comparison: z.enum(COMPARISONS), value: z.number().finite() }).strict(),
]);
export type PlanTrigger = z.infer<typeof PlanTrigger>;

/** One step: who (an abstract role) does what by when (minutes after activation), after which other steps. */
export const PlanStep = z
  .object({
    key: PlanKey,
    title: Text(200),
    roleKey: RoleKey,
    deadlineMinutes: z.number().int().min(0).max(43_200),
    dependsOn: z.array(PlanKey).max(50).default([]),
    description: z.string().trim().max(2000).optional(),
  })
  .strict();
export type PlanStep = z.infer<typeof PlanStep>;

/** What a level needs: a resource type of the catalog, a capability, a quantity within a travel time. */
export const PlanResource = z
  .object({
    resourceType: ResourceTypeCode,
    capability: Capability.nullable().default(null),
    quantity: z.number().int().min(1).max(1_000_000),
    maxTravelMinutes: z.number().int().min(1).max(1440),
  })
  .strict();
export type PlanResource = z.infer<typeof PlanResource>;

/** Where a warning goes: the incident's region, or a circle around the incident. */
export const WarningArea = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('incident-region') }).strict(),
  z.object({ kind: z.literal('radius'), radiusKm: z.number().positive().max(500) }).strict(),
]);
export type WarningArea = z.infer<typeof WarningArea>;

/** A public warning the level sends, with CAP-like audience, severity and urgency, in zh-CN and English. */
export const PlanNotification = z
  .object({
    key: PlanKey,
    audience: z.enum(['public', 'restricted', 'private']),
    severity: z.enum(['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown']),
    urgency: z.enum(['Immediate', 'Expected', 'Future', 'Past', 'Unknown']),
    headlineZh: Text(200),
    headlineEn: Text(200),
    textZh: Text(2000),
    textEn: Text(2000),
    area: WarningArea,
  })
  .strict();
export type PlanNotification = z.infer<typeof PlanNotification>;

/** One response level (I highest) with its steps, resources and warnings. */
export const PlanLevel = z
  .object({
    level: Grade,
    steps: z.array(PlanStep).min(1).max(200),
    resources: z.array(PlanResource).max(100).default([]),
    notifications: z.array(PlanNotification).max(20).default([]),
  })
  .strict();
export type PlanLevel = z.infer<typeof PlanLevel>;

/** The versioned content of a plan. */
export const PlanContent = z
  .object({
    name: Text(200),
    applicableRegions: z.array(RegionCode).min(1).max(200),
    triggers: z.array(PlanTrigger).max(20).default([]),
    levels: z.array(PlanLevel).min(1).max(4),
  })
  .strict();
export type PlanContent = z.infer<typeof PlanContent>;

/** A new plan: its identity and the content of version 1 (a draft). */
export const PlanInput = PlanContent.extend({
  code: PlanCode,
  scenarioType: ScenarioType,
  regionCode: RegionCode.optional(),
  ownerOrganizationId: z.uuid().optional(),
}).strict();
export type PlanInput = z.infer<typeof PlanInput>;

/** A plan in the library (its latest version's name and status). */
export const Plan = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  scenarioType: z.string(),
  scenarioName: z.string().nullable(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  ownerOrganizationId: z.string(),
  ownerOrganizationName: z.string().nullable(),
  status: PlanStatus,
  latestVersion: z.number().int(),
  publishedVersion: z.number().int().nullable(),
  importedFrom: z.object({ regionCode: z.string(), code: z.string(), version: z.number().int() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Plan = z.infer<typeof Plan>;

/** A version's summary. */
export const PlanVersionSummary = z.object({
  version: z.number().int(),
  status: PlanStatus,
  name: z.string(),
  basedOn: z.number().int().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  publishedAt: z.string().nullable(),
});
export type PlanVersionSummary = z.infer<typeof PlanVersionSummary>;

/** A state change of a version. */
export const PlanEvent = z.object({
  id: z.number().int(),
  version: z.number().int(),
  action: z.string(),
  fromStatus: PlanStatus.nullable(),
  toStatus: PlanStatus,
  note: z.string().nullable(),
  actor: z.string(),
  at: z.string(),
});
export type PlanEvent = z.infer<typeof PlanEvent>;

export const PlanDetail = Plan.extend({ versions: z.array(PlanVersionSummary) });
export type PlanDetail = z.infer<typeof PlanDetail>;

/** One version with its content and its history. */
export const PlanVersion = PlanVersionSummary.extend({
  planId: z.string(),
  code: z.string(),
  scenarioType: z.string(),
  regionCode: z.string(),
  applicableRegions: z.array(z.string()),
  triggers: z.array(PlanTrigger),
  levels: z.array(PlanLevel),
  editable: z.boolean(),
  events: z.array(PlanEvent),
});
export type PlanVersion = z.infer<typeof PlanVersion>;

export const PlanQuery = PageQuery.extend({
  scenarioType: ScenarioType.optional(),
  regionCode: RegionCode.optional(),
  status: PlanStatus.optional(),
  q: z.string().trim().max(100).optional(),
});
export type PlanQuery = z.infer<typeof PlanQuery>;

export const PlanTransition = z.object({ action: PlanAction, note: z.string().trim().max(2000).optional() }).strict();
export type PlanTransition = z.infer<typeof PlanTransition>;

/** The answer to a transition: the version as it now is, and the new draft when the action was `revise`. */
export const PlanTransitionResult = z.object({ version: PlanVersion, created: PlanVersion.nullable() });
export type PlanTransitionResult = z.infer<typeof PlanTransitionResult>;

// --- diff ---------------------------------------------------------------------------------------

export const FieldChange = z.object({ field: z.string(), from: z.unknown(), to: z.unknown() });
export type FieldChange = z.infer<typeof FieldChange>;
const ItemChanges = z.object({
  added: z.array(z.string()),
  removed: z.array(z.string()),
  changed: z.array(z.object({ key: z.string(), changes: z.array(FieldChange) })),
});
export type ItemChanges = z.infer<typeof ItemChanges>;

/** What changed from one version to another: plan fields, triggers, and per level steps, resources and warnings. */
export const PlanDiff = z.object({
  from: z.number().int(),
  to: z.number().int(),
  fields: z.array(FieldChange),
  triggers: z.object({ added: z.array(PlanTrigger), removed: z.array(PlanTrigger) }),
  levels: z.array(z.object({
    level: Grade,
    change: z.enum(['added', 'removed', 'changed']),
    steps: ItemChanges,
    resources: ItemChanges,
    notifications: ItemChanges,
  })),
});
export type PlanDiff = z.infer<typeof PlanDiff>;

// --- roles and bindings --------------------------------------------------------------------------

/** An abstract role of the catalog and the department type and level it usually maps to. */
export const PlanRole = z.object({
  key: z.string(),
  name: z.string(),
  nameEn: z.string(),
  departmentType: DepartmentType,
  level: Level,
});
export type PlanRole = z.infer<typeof PlanRole>;

/** One role of a version in a region: the organization bound (or proposed), or none. */
export const RoleBinding = PlanRole.extend({
  organizationId: z.string().nullable(),
  organizationName: z.string().nullable(),
  source: z.enum(['auto', 'manual']).nullable(),
  proposedOrganizationId: z.string().nullable(),
  proposedOrganizationName: z.string().nullable(),
});
export type RoleBinding = z.infer<typeof RoleBinding>;

/** The binding of a version in a region: each role the steps use, and the roles still unbound. */
export const PlanBinding = z.object({
  planId: z.string(),
  version: z.number().int(),
  regionCode: z.string(),
  roles: z.array(RoleBinding),
  unbound: z.array(z.string()),
  complete: z.boolean(),
});
export type PlanBinding = z.infer<typeof PlanBinding>;

export const BindingQuery = z.object({ regionCode: RegionCode.optional() });

/** Binds roles to organizations; `auto` fills the roles left out with the proposal; `organizationId: null` unbinds. */
export const BindingInput = z
  .object({
    regionCode: RegionCode.optional(),
    auto: z.boolean().default(false),
    bindings: z.array(z.object({ roleKey: RoleKey, organizationId: z.uuid().nullable() }).strict()).max(100).default([]),
  })
  .strict();
export type BindingInput = z.infer<typeof BindingInput>;

// --- replication package -------------------------------------------------------------------------

export const PLAN_PACKAGE_FORMAT = 'yunzheng.plan-package/1';
/** The largest package accepted for import (bytes of YAML or JSON). */
export const PLAN_PACKAGE_MAX_BYTES = 512 * 1024;

/** A self-contained plan version: the plan, the roles it uses, the resource types it needs. */
export const PlanPackage = z
  .object({
    format: z.literal(PLAN_PACKAGE_FORMAT),
    exportedAt: z.string().max(40).optional(),
    source: z.object({ regionCode: RegionCode, code: PlanCode, version: z.number().int().min(1) }).strict(),
    plan: PlanContent.omit({ applicableRegions: true }).extend({ code: PlanCode, scenarioType: ScenarioType, applicableRegions: z.array(RegionCode).max(200).default([]) }).strict(),
    roles: z.array(z.object({ key: RoleKey, name: Text(100), nameEn: Text(100), departmentType: z.string().max(64), level: z.string().max(16) }).strict()).max(100),
    resourceTypes: z.array(z.object({ code: ResourceTypeCode, nameZh: Text(100), nameEn: Text(100), unit: z.string().max(20).optional() }).strict()).max(100),
  })
  .strict();
export type PlanPackage = z.infer<typeof PlanPackage>;

export const ExportQuery = z.object({ format: z.enum(['yaml', 'json']).default('json') });

export const ImportQuery = z.object({
  regionCode: RegionCode,
  code: PlanCode.optional(),
  ownerOrganizationId: z.uuid().optional(),
  dryRun: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
});
export type ImportQuery = z.infer<typeof ImportQuery>;

/** How an imported plan binds in its new region. */
export const BindReport = z.object({
  regionCode: z.string(),
  bound: z.array(z.object({ roleKey: z.string(), organizationId: z.string(), organizationName: z.string() })),
  unbound: z.array(z.string()),
  unknownRoles: z.array(z.string()),
  unknownResourceTypes: z.array(z.string()),
  unknownIncidentType: z.string().nullable(),
});
export type BindReport = z.infer<typeof BindReport>;

export const ImportResult = z.object({ importable: z.boolean(), plan: PlanDetail.nullable(), report: BindReport });
export type ImportResult = z.infer<typeof ImportResult>;

/** The version that applies to an incident (for activation). */
export const ActivePlanQuery = z.object({ typeCode: ScenarioType, grade: Grade, regionCode: RegionCode });
