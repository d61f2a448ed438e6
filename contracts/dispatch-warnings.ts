// SPDX-License-Identifier: Apache-2.0
// Public warnings (预警信息), published as CAP 1.2 (OASIS Common Alerting Protocol, ITU-T X.1303).
import { z } from 'zod';
import { IsoDateTime, PageQuery } from './common.ts';
import { RegionCode } from './regions.ts';

/** CAP 1.2 <category>. */
export const CAP_CATEGORIES = ['Geo', 'Met', 'Safety', 'Security', 'Rescue', 'Fire', 'Health', 'Env', 'Transport', 'Infra', 'CBRNE', 'Other'] as const;
export const CapCategory = z.enum(CAP_CATEGORIES);
export type CapCategory = z.infer<typeof CapCategory>;
/** CAP 1.2 <responseType>. */
export const CAP_RESPONSE_TYPES = ['Shelter', 'Evacuate', 'Prepare', 'Execute', 'Avoid', 'Monitor', 'Assess', 'AllClear', 'None'] as const;
export const CapResponseType = z.enum(CAP_RESPONSE_TYPES);
export type CapResponseType = z.infer<typeof CapResponseType>;
export const CAP_URGENCIES = ['Immediate', 'Expected', 'Future', 'Past', 'Unknown'] as const;
export const CapUrgency = z.enum(CAP_URGENCIES);
export const CAP_SEVERITIES = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'] as const;
export const CapSeverity = z.enum(CAP_SEVERITIES);
export const CAP_CERTAINTIES = ['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown'] as const;
export const CapCertainty = z.enum(CAP_CERTAINTIES);
/** CAP message types the platform emits, and the statuses (Exercise for drills). */
export const CapMsgType = z.enum(['Alert', 'Update', 'Cancel']);
export type CapMsgType = z.infer<typeof CapMsgType>;
export const CapStatus = z.enum(['Actual', 'Exercise']);
export type CapStatus = z.infer<typeof CapStatus>;

/** The region-code geocode's <valueName> in every CAP area (12-digit statistical division code, 15 for a grid). */
export const CAP_GEOCODE_NAME = 'CN-STATS-DIVISION-CODE';

/** Characters XML 1.0 cannot carry (C0 controls but tab/LF/CR, U+FFFE/U+FFFF, lone surrogates). */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CapText = (max: number) =>
  z.string().trim().min(1).max(max).refine((s) => !NOT_XML.test(s), 'contains a control character XML cannot carry');

/** The texts of one language (one CAP <info> block each). */
export const WarningText = z
  .object({
    event: CapText(100),
    headline: CapText(160),
    description: CapText(4000),
    instruction: CapText(2000).optional(),
    /** The area in words (<areaDesc>); by default the names of the area's regions. */
    areaDesc: CapText(500).optional(),
  })
  .strict();
export type WarningText = z.infer<typeof WarningText>;

const Lon = z.number().min(-180).max(180);
const Lat = z.number().min(-90).max(90);
/** A polygon as GeoJSON writes a ring: [lon, lat] positions, closed or not (it is closed for CAP). */
export const WarningPolygon = z.array(z.tuple([Lon, Lat])).min(3).max(1000);
/** A circle: centre and radius in kilometres (CAP writes "lat,lon radius"). */
export const WarningCircle = z.object({ lon: Lon, lat: Lat, radiusKm: z.number().gt(0).max(1000) }).strict();
export type WarningCircle = z.infer<typeof WarningCircle>;

/** The area a warning covers: regions (geocodes, and their boundaries as polygons), polygons and circles. */
export const WarningArea = z
  .object({
    regionCodes: z.array(RegionCode).max(50).default([]),
    /** Also send each region's boundary (simplified to at most 100 points) as a CAP polygon. */
    regionPolygons: z.boolean().default(true),
    polygons: z.array(WarningPolygon).max(10).default([]),
    circles: z.array(WarningCircle).max(10).default([]),
  })
  .strict()
  .refine((a) => a.regionCodes.length + a.polygons.length + a.circles.length > 0, { message: 'give at least one region code, polygon or circle', path: ['regionCodes'] });
export type WarningArea = z.infer<typeof WarningArea>;

const Categories = z.array(CapCategory).min(1).max(12).refine((a) => new Set(a).size === a.length, 'each category once');
const ResponseTypes = z.array(CapResponseType).max(9).refine((a) => new Set(a).size === a.length, 'each response type once');

/** A new warning (CAP msgType Alert). */
export const WarningInput = z
  .object({
    /** The incident it warns about: a drill incident's warnings are always exercises. */
    incidentId: z.uuid().optional(),
    /** A drill (演练): published with CAP status Exercise. */
    exercise: z.boolean().default(false),
    /** The region it belongs to (scope); by default the common region of the area's regions, or the incident's region. */
    regionCode: RegionCode.optional(),
    categories: Categories,
    urgency: CapUrgency,
    severity: CapSeverity,
    certainty: CapCertainty,
    responseTypes: ResponseTypes.default([]),
    /** Default: when sent. */
    effective: IsoDateTime.optional(),
    onset: IsoDateTime.optional(),
    /** Default: 24 hours after `effective`. */
    expires: IsoDateTime.optional(),
    zh: WarningText,
    en: WarningText,
    area: WarningArea,
    contact: CapText(200).optional(),
  })
  .strict();
export type WarningInput = z.input<typeof WarningInput>;
export type WarningInputParsed = z.output<typeof WarningInput>;

/** Changes to a warning (CAP msgType Update referencing the earlier messages); what is left out stays. */
export const WarningUpdate = z
  .object({
    categories: Categories.optional(),
    urgency: CapUrgency.optional(),
    severity: CapSeverity.optional(),
    certainty: CapCertainty.optional(),
    responseTypes: ResponseTypes.optional(),
    effective: IsoDateTime.optional(),
    onset: IsoDateTime.nullable().optional(),
    expires: IsoDateTime.optional(),
    zh: WarningText.optional(),
    en: WarningText.optional(),
    area: WarningArea.optional(),
    contact: CapText(200).nullable().optional(),
    /** Why (CAP <note>). */
    note: CapText(500).optional(),
  })
  .strict();
export type WarningUpdate = z.input<typeof WarningUpdate>;

/** Cancelling a warning (CAP msgType Cancel). */
export const WarningCancel = z.object({ note: CapText(500).optional() }).strict();
export type WarningCancel = z.infer<typeof WarningCancel>;

/** active; cancelled; expired = active but past `expires`. */
export const WarningStatus = z.enum(['active', 'expired', 'cancelled']);
export type WarningStatus = z.infer<typeof WarningStatus>;

/** One CAP message of a warning. */
export const WarningMessage = z.object({
  identifier: z.string(),
  msgType: CapMsgType,
  status: CapStatus,
  sender: z.string(),
  sent: z.string(),
  /** CAP references: "sender,identifier,sent" of each earlier message, space-separated. */
  references: z.string().nullable(),
  note: z.string().nullable(),
  actor: z.string(),
  /** The public CAP document. */
  url: z.string(),
});
export type WarningMessage = z.infer<typeof WarningMessage>;

/** A warning as the API returns it. */
export const Warning = z.object({
  id: z.uuid(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  incidentId: z.string().nullable(),
  exercise: z.boolean(),
  status: WarningStatus,
  categories: z.array(CapCategory),
  urgency: CapUrgency,
  severity: CapSeverity,
  certainty: CapCertainty,
  responseTypes: z.array(CapResponseType),
  effective: z.string(),
  onset: z.string().nullable(),
  expires: z.string(),
  zh: WarningText,
  en: WarningText,
  area: z.object({ regionCodes: z.array(z.string()), regionPolygons: z.boolean(), polygons: z.array(z.array(z.tuple([z.number(), z.number()]))), circles: z.array(WarningCircle) }),
  contact: z.string().nullable(),
  issuedBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  messageCount: z.number().int(),
  /** The latest CAP message's identifier and public document. */
  latestIdentifier: z.string(),
  latestUrl: z.string(),
});
export type Warning = z.infer<typeof Warning>;

/** A warning with every CAP message sent for it, oldest first. */
export const WarningDetail = Warning.extend({ messages: z.array(WarningMessage) });
export type WarningDetail = z.infer<typeof WarningDetail>;

export const WarningQuery = PageQuery.extend({
  status: WarningStatus.optional(),
  regionCode: RegionCode.optional(),
  exercise: z.enum(['true', 'false']).optional(),
  incidentId: z.uuid().optional(),
  q: z.string().trim().min(1).max(100).optional(),
});
export type WarningQuery = z.infer<typeof WarningQuery>;

/** The public feed's filters. */
export const CapFeedQuery = z.object({
  /** A region code or the leading digits of one: alerts whose area lies in it or covers it. */
  regionCode: z.string().regex(/^\d{2,15}$/, 'a region code or its leading digits').optional(),
  status: CapStatus.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type CapFeedQuery = z.infer<typeof CapFeedQuery>;
