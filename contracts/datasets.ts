// SPDX-License-Identifier: Apache-2.0
// Back-flow (数据回流): data sets held at a higher level, their versions, rows with lineage, and corrections.
import { z } from 'zod';
import { Classification } from './common.ts';
import { RegionCode } from './regions.ts';

/** A data set's code, used in URLs (e.g. `village-population`). */
export const DatasetCode = z.string().regex(/^[a-z][a-z0-9-]{1,63}$/, '2–64 lowercase letters, digits or dashes, starting with a letter');

/** A field name as rows and CSV headers carry it. */
export const FieldName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'a letter or underscore, then up to 63 letters, digits or underscores')
  .refine((n) => n !== '__proto__', 'a reserved name');

/** The types a field may have. */
export const FIELD_TYPES = ['string', 'integer', 'number', 'boolean'] as const;
export const FieldType = z.enum(FIELD_TYPES);
export type FieldType = z.infer<typeof FieldType>;

/** A value in a row. */
export const FieldValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type FieldValue = z.infer<typeof FieldValue>;

/** One field of a data set. */
export const DatasetField = z.object({ name: z.string(), type: FieldType, label: z.string().nullable(), required: z.boolean() });
export type DatasetField = z.infer<typeof DatasetField>;

export const DatasetFieldInput = z
  .object({ name: FieldName, type: FieldType, label: z.string().trim().min(1).max(100).optional(), required: z.boolean().default(false) })
  .strict();
export type DatasetFieldInput = z.infer<typeof DatasetFieldInput>;

/** A data set as the API returns it. `rowCount` counts current rows in the caller's scope. */
export const Dataset = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  ownerOrganizationId: z.string(),
  ownerOrganizationName: z.string().nullable(),
  ownerRegionCode: z.string(),
  ownerRegionName: z.string().nullable(),
  classification: Classification,
  keyField: z.string(),
  regionField: z.string(),
  fields: z.array(DatasetField),
  currentVersion: z.number().int(),
  lastPublishedAt: z.string().nullable(),
  rowCount: z.number().int(),
  /** Whether the caller is on the owner's side: may publish and decide corrections. */
  isOwner: z.boolean(),
  createdAt: z.string(),
  modifiedAt: z.string(),
});
export type Dataset = z.infer<typeof Dataset>;

export const DatasetInput = z
  .object({
    code: DatasetCode,
    name: z.string().trim().min(1).max(200),
    description: z.string().trim().max(2000).optional(),
    /** The region whose data this is (default: the root of the caller's scope). */
    ownerRegionCode: RegionCode.optional(),
    /** The organization that owns it (default: the caller's). */
    ownerOrganizationId: z.string().uuid().optional(),
    classification: Classification.default('internal'),
    keyField: FieldName,
    regionField: FieldName,
    fields: z.array(DatasetFieldInput).min(1).max(100),
  })
  .strict()
  .superRefine((d, ctx) => {
    const seen = new Set<string>();
    d.fields.forEach((f, i) => {
      if (seen.has(f.name)) ctx.addIssue({ code: 'custom', path: ['fields', i, 'name'], message: `field ${f.name} is listed twice` });
      seen.add(f.name);
    });
    for (const key of ['keyField', 'regionField'] as const) {
      const f = d.fields.find((x) => x.name === d[key]);
      if (!f) ctx.addIssue({ code: 'custom', path: [key], message: `${d[key]} is not one of the fields` });
      else if (f.type !== 'string') ctx.addIssue({ code: 'custom', path: [key], message: `${d[key]} must be a string field` });
    }
  });
export type DatasetInput = z.infer<typeof DatasetInput>;

/** Where a version's rows came from (`source`) and a note; the rows are the body (JSON array or text/csv). */
export const PublishQuery = z.object({
  source: z.string().trim().min(1).max(200),
  note: z.string().trim().max(1000).optional(),
});
export type PublishQuery = z.infer<typeof PublishQuery>;

/** One published version and what it changed against the version before. */
export const DatasetVersion = z.object({
  version: z.number().int(),
  source: z.string(),
  note: z.string().nullable(),
  publishedAt: z.string(),
  publishedBy: z.string(),
  added: z.number().int(),
  changed: z.number().int(),
  removed: z.number().int(),
  total: z.number().int(),
  correctionId: z.number().int().nullable(),
});
export type DatasetVersion = z.infer<typeof DatasetVersion>;

/** Where a row's values come from: the data set, the version that last changed the row, its source and time. */
export const Lineage = z.object({ dataset: z.string(), version: z.number().int(), source: z.string(), publishedAt: z.string() });
export type Lineage = z.infer<typeof Lineage>;

/** A row of a data set as one version holds it. */
export const DatasetRow = z.object({
  key: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  data: z.record(z.string(), FieldValue),
  lineage: Lineage,
});
export type DatasetRow = z.infer<typeof DatasetRow>;

/** A page of rows of one version. */
export const DatasetRowPage = z.object({
  version: z.number().int(),
  items: z.array(DatasetRow),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
export type DatasetRowPage = z.infer<typeof DatasetRowPage>;

/** A row through its versions, oldest first; `validTo` is the first version without it (null: current). */
export const DatasetRowHistory = z.object({
  key: z.string(),
  items: z.array(DatasetRow.extend({ validTo: z.number().int().nullable() })),
});
export type DatasetRowHistory = z.infer<typeof DatasetRowHistory>;

export const CORRECTION_STATUSES = ['pending', 'accepted', 'rejected'] as const;
export const CorrectionStatus = z.enum(CORRECTION_STATUSES);
export type CorrectionStatus = z.infer<typeof CorrectionStatus>;

export const CorrectionInput = z
  .object({
    key: z.string().min(1).max(200),
    changes: z.record(FieldName, FieldValue).refine((c) => Object.keys(c).length >= 1 && Object.keys(c).length <= 100, 'change 1–100 fields'),
    reason: z.string().trim().min(1).max(2000),
  })
  .strict();
export type CorrectionInput = z.infer<typeof CorrectionInput>;

/** A proposed correction of one row; `before` holds the row's values of the changed fields when proposed. */
export const Correction = z.object({
  id: z.number().int(),
  dataset: z.string(),
  key: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  baseVersion: z.number().int(),
  before: z.record(z.string(), FieldValue),
  changes: z.record(z.string(), FieldValue),
  reason: z.string(),
  status: CorrectionStatus,
  proposedBy: z.string(),
  proposedAt: z.string(),
  mine: z.boolean(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  resultingVersion: z.number().int().nullable(),
});
export type Correction = z.infer<typeof Correction>;

export const AcceptInput = z.object({ note: z.string().trim().max(1000).optional() }).strict();
export type AcceptInput = z.infer<typeof AcceptInput>;

export const RejectInput = z.object({ note: z.string().trim().min(1, 'say why the correction is rejected').max(1000) }).strict();
export type RejectInput = z.infer<typeof RejectInput>;
