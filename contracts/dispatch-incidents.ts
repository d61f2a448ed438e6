// SPDX-License-Identifier: Apache-2.0
// Incidents (事件): types, grades, the lifecycle with its timeline, SLA due times and supervision (督办).
import { z } from 'zod';
import { IsoDateTime, PageQuery } from './common.ts';
import { RegionCode } from './regions.ts';

/** Grade I 特别重大 · II 重大 · III 较大 · IV 一般. */
export const GRADES = ['I', 'II', 'III', 'IV'] as const;
export const Grade = z.enum(GRADES);
export type Grade = z.infer<typeof Grade>;

/** reported → verified → responding → resolved → evaluated → closed; rejected for false reports. */
export const INCIDENT_STATUSES = ['reported', 'verified', 'responding', 'resolved', 'evaluated', 'closed', 'rejected'] as const;
export const IncidentStatus = z.enum(INCIDENT_STATUSES);
export type IncidentStatus = z.infer<typeof IncidentStatus>;
/** Statuses in which work is still owed (and may run overdue). */
export const OPEN_STATUSES: readonly IncidentStatus[] = ['reported', 'verified', 'responding'];

/** Where a report came from. */
export const INCIDENT_SOURCES = ['console', 'api', 'open311', 'twin', 'indicator', 'demo'] as const;
export const IncidentSource = z.enum(INCIDENT_SOURCES);
export type IncidentSource = z.infer<typeof IncidentSource>;

export const IncidentTypeCode = z.string().regex(/^[a-z][a-z0-9-]{1,63}$/, 'an incident type code such as road-damage');

/** An Open311 attribute definition (GeoReport v2 service definition). */
export const Open311Attribute = z.object({
  variable: z.boolean(),
  code: z.string(),
  datatype: z.enum(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist']),
  required: z.boolean(),
  datatype_description: z.string(),
  order: z.number().int(),
  description: z.string(),
  values: z.array(z.object({ key: z.string(), name: z.string() })).optional(),
});
export type Open311Attribute = z.infer<typeof Open311Attribute>;

/** A category or a leaf type of the catalogue; only leaves are reported. */
export const IncidentType = z.object({
  code: z.string(),
  parentCode: z.string().nullable(),
  name: z.string(),
  nameEn: z.string(),
  description: z.string(),
  leaf: z.boolean(),
  citizenReportable: z.boolean(),
  keywords: z.array(z.string()),
  /** Minutes to verify, respond and resolve at grade IV (grade I: a quarter of them). */
  sla: z.object({ verifyMinutes: z.number().int(), respondMinutes: z.number().int(), resolveMinutes: z.number().int() }).nullable(),
  attributes: z.array(Open311Attribute),
});
export type IncidentType = z.infer<typeof IncidentType>;

const Text = (max: number) => z.string().trim().min(1).max(max);

/** A citizen reporter's contact (personal data: masked without clearance). */
export const Reporter = z.object({ name: z.string().nullable(), phone: z.string().nullable(), email: z.string().nullable() });
export type Reporter = z.infer<typeof Reporter>;

/** A report as the console and the API send it. Give a location, a region code, or both (the region wins). */
export const IncidentInput = z
  .object({
    typeCode: IncidentTypeCode,
    grade: Grade.default('IV'),
    title: Text(200).optional(),
    description: z.string().trim().max(4000).default(''),
    lon: z.number().min(-180).max(180).optional(),
    lat: z.number().min(-90).max(90).optional(),
    regionCode: RegionCode.optional(),
    address: Text(300).optional(),
    exercise: z.boolean().default(false),
    reporter: z
      .object({ name: Text(100).optional(), phone: z.string().trim().regex(/^\+?[\d -]{5,20}$/, 'a phone number').optional(), email: z.email().max(200).optional() })
      .strict()
      .optional(),
    attributes: z.record(z.string().max(64), z.string().max(1000)).optional(),
    mediaUrl: z.url({ protocol: /^https?$/ }).max(2000).optional(),
  })
  .strict();
export type IncidentInput = z.infer<typeof IncidentInput>;

/** A timeline entry: who did what, when, with which note. */
export const TimelineEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  action: z.string(),
  actor: z.string(),
  fromStatus: IncidentStatus.nullable(),
  toStatus: IncidentStatus.nullable(),
  note: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

/** An incident as the API returns it. */
export const Incident = z.object({
  id: z.string(),
  typeCode: z.string(),
  typeName: z.string(),
  typeNameEn: z.string(),
  categoryCode: z.string(),
  grade: Grade,
  status: IncidentStatus,
  title: z.string(),
  description: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  commandRegionCode: z.string(),
  commandRegionName: z.string().nullable(),
  escalations: z.number().int(),
  lon: z.number().nullable(),
  lat: z.number().nullable(),
  address: z.string().nullable(),
  source: IncidentSource,
  exercise: z.boolean(),
  reporter: Reporter,
  reportedBy: z.string(),
  reportedAt: z.string(),
  dueVerifyAt: z.string(),
  dueRespondAt: z.string(),
  dueResolveAt: z.string(),
  verifiedAt: z.string().nullable(),
  respondedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  evaluatedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  rating: z.number().int().nullable(),
  /** The deadline of the current stage has passed. */
  overdue: z.boolean(),
  /** The stage put under supervision (督办) when its deadline passed, if any. */
  supervisedStage: IncidentStatus.nullable(),
  duplicateCount: z.number().int(),
  attributes: z.record(z.string(), z.string()),
  mediaUrl: z.string().nullable(),
  updatedAt: z.string(),
});
export type Incident = z.infer<typeof Incident>;

export const IncidentDetail = Incident.extend({ timeline: z.array(TimelineEntry) });
export type IncidentDetail = z.infer<typeof IncidentDetail>;

/** The outcome of a report: a new incident (201), or an open one nearby of the same type it was linked to (200). */
export const ReportOutcome = z.object({ duplicate: z.boolean(), incident: Incident });
export type ReportOutcome = z.infer<typeof ReportOutcome>;

const Note = z.string().trim().min(1).max(2000);

/** An action on an incident. Actions out of turn answer 409 invalid-transition. */
export const IncidentAction = z.discriminatedUnion('action', [
  z.object({ action: z.literal('verify'), note: Note.optional(), grade: Grade.optional() }).strict(),
  z.object({ action: z.literal('reject'), note: Note }).strict(),
  z.object({ action: z.literal('respond'), note: Note.optional() }).strict(),
  z.object({ action: z.literal('resolve'), note: Note }).strict(),
  z.object({ action: z.literal('evaluate'), rating: z.number().int().min(1).max(5), note: Note.optional() }).strict(),
  z.object({ action: z.literal('close'), note: Note.optional() }).strict(),
  z.object({ action: z.literal('regrade'), grade: Grade, note: Note }).strict(),
  z.object({ action: z.literal('comment'), note: Note }).strict(),
]);
export type IncidentAction = z.infer<typeof IncidentAction>;
export const INCIDENT_ACTIONS = ['verify', 'reject', 'respond', 'resolve', 'evaluate', 'close', 'regrade', 'comment'] as const;

const Bool = z.enum(['true', 'false']);

/** Filters of the incident queue. */
export const IncidentQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  status: z
    .string()
    .max(200)
    .refine((s) => s.split(',').every((x) => (INCIDENT_STATUSES as readonly string[]).includes(x)), `a comma-separated list of ${INCIDENT_STATUSES.join(', ')}`)
    .optional(),
  type: IncidentTypeCode.optional(),
  grade: Grade.optional(),
  regionCode: RegionCode.optional(),
  overdue: Bool.optional(),
  exercise: Bool.optional(),
  source: IncidentSource.optional(),
  q: z.string().max(100).optional(),
  from: IsoDateTime.optional(),
  to: IsoDateTime.optional(),
  /** urgency: grade I first, then the nearest due time */
  sort: z.enum(['reportedAt', '-reportedAt', 'due', '-due', 'urgency']).default('-reportedAt'),
});
export type IncidentQuery = z.infer<typeof IncidentQuery>;

/** What one supervision sweep did. */
export const SweepResult = z.object({ supervised: z.number().int(), escalated: z.number().int(), ids: z.array(z.string()) });
export type SweepResult = z.infer<typeof SweepResult>;

// --- Open311 GeoReport v2 (citizen reports) ----------------------------------------------------

/** A service (a leaf incident type citizens may report) as GeoReport v2 lists it. */
export const Open311Service = z.object({
  service_code: z.string(),
  service_name: z.string(),
  description: z.string(),
  metadata: z.boolean(),
  type: z.enum(['realtime', 'batch', 'blackbox']),
  keywords: z.string(),
  group: z.string(),
});
export type Open311Service = z.infer<typeof Open311Service>;

export const Open311ServiceDefinition = z.object({ service_code: z.string(), attributes: z.array(Open311Attribute) });
export type Open311ServiceDefinition = z.infer<typeof Open311ServiceDefinition>;

/** A service request (an incident) as GeoReport v2 shows it: no personal data. */
export const Open311Request = z.object({
  service_request_id: z.string(),
  status: z.enum(['open', 'closed']),
  status_notes: z.string().nullable(),
  service_name: z.string(),
  service_code: z.string(),
  description: z.string().nullable(),
  agency_responsible: z.string().nullable(),
  service_notice: z.string().nullable(),
  requested_datetime: z.string(),
  updated_datetime: z.string(),
  expected_datetime: z.string().nullable(),
  address: z.string().nullable(),
  address_id: z.string().nullable(),
  zipcode: z.string().nullable(),
  lat: z.number().nullable(),
  long: z.number().nullable(),
  media_url: z.string().nullable(),
});
export type Open311Request = z.infer<typeof Open311Request>;

export const Open311Created = z.object({ service_request_id: z.string(), service_notice: z.string(), account_id: z.string().nullable() });
export type Open311Created = z.infer<typeof Open311Created>;

/** GeoReport v2 errors are always a list. */
export const Open311Errors = z.array(z.object({ code: z.number().int(), description: z.string() }));
export type Open311Errors = z.infer<typeof Open311Errors>;

// --- automatic intake (自动感知) -----------------------------------------------------------------------

export const INTAKE_COMPARISONS = ['gt', 'gte', 'lt', 'lte'] as const;
const AttributeName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,99}$/, 'an attribute short name such as waterLevel');

/** A rule that reports an incident when a twin entity's numeric attribute crosses a threshold. */
export const IntakeRule = z.object({
  id: z.string(),
  name: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  entityType: z.string(),
  attribute: z.string(),
  comparison: z.enum(INTAKE_COMPARISONS),
  threshold: z.number().nullable(),
  thresholdAttribute: z.string().nullable(),
  incidentType: z.string(),
  grade: Grade,
  active: z.boolean(),
  fired: z.number().int(),
  lastFiredAt: z.string().nullable(),
  createdByName: z.string(),
  createdAt: z.string(),
});
export type IntakeRule = z.infer<typeof IntakeRule>;

export const IntakeRuleInput = z
  .object({
    name: Text(200),
    regionCode: RegionCode,
    entityType: z.string().trim().min(1).max(200),
    attribute: AttributeName,
    comparison: z.enum(INTAKE_COMPARISONS).default('gte'),
    /** A fixed threshold, or … */
    threshold: z.number().finite().optional(),
    /** … another attribute of the same entity (e.g. warningLevel). */
    thresholdAttribute: AttributeName.optional(),
    incidentType: IncidentTypeCode,
    grade: Grade.default('IV'),
    active: z.boolean().default(true),
  })
  .strict()
  .refine((r) => (r.threshold === undefined) !== (r.thresholdAttribute === undefined), { message: 'give threshold or thresholdAttribute (one of them)', path: ['threshold'] });
export type IntakeRuleInput = z.infer<typeof IntakeRuleInput>;

export const IntakeRulePatch = z
  .object({ name: Text(200).optional(), grade: Grade.optional(), active: z.boolean().optional(), threshold: z.number().finite().optional() })
  .strict();
export type IntakeRulePatch = z.infer<typeof IntakeRulePatch>;

export const IntakeRuleQuery = PageQuery.extend({ entityType: z.string().max(200).optional(), active: z.enum(['true', 'false']).transform((v) => v === 'true').optional() });
export type IntakeRuleQuery = z.infer<typeof IntakeRuleQuery>;

/** What one evaluation of the rules did. */
export const IntakeResult = z.object({ evaluated: z.number().int(), reported: z.array(z.object({ ruleId: z.string(), entityId: z.string(), incidentId: z.string(), duplicate: z.boolean(), value: z.number() })) });
export type IntakeResult = z.infer<typeof IntakeResult>;
