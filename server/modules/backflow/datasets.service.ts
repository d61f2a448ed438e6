// SPDX-License-Identifier: Apache-2.0
// Back-flow data sets (数据回流): a data set held at a higher level is published, version by version, back to
// the regions it concerns; each region reads exactly its own rows, with lineage.
import { CLASSIFICATIONS } from '../../../contracts/common.ts';
import type { Dataset, DatasetInput, DatasetRow, DatasetRowHistory, DatasetRowPage, DatasetVersion, PublishQuery } from '../../../contracts/datasets.ts';
import { inScope, scopePrefixOf } from '../../../contracts/region-codes.ts';
import type { RequestContext } from '../../platform/context.ts';
import { executor, withTransaction } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { Conflict, Invalid, NotFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { publish } from '../../platform/outbox.ts';
import { authorize, denied, hasClearance } from '../access/index.ts';
import { recordAudit } from '../audit/index.ts';
import { findCurrentRegion, findCurrentRegions } from '../regions/index.ts';
import { type CurrentRow, diffRows, ErrorList, type ParsedRow, type RowSchema, rowsFromCsv, rowsFromJson } from './dataset-rows.ts';
import { concernsActor, isOwnerSide } from './datasets.policy.ts';
import * as store from './datasets.store.ts';

/** A data set as the caller sees it. */
export function presentDataset(ctx: RequestContext, d: store.DatasetRecord): Dataset {
  return {
    id: d.id,
    code: d.code,
    name: d.name,
    description: d.description,
    ownerOrganizationId: d.owner_organization_id,
    ownerOrganizationName: d.owner_organization_name,
    ownerRegionCode: d.owner_region_code,
    ownerRegionName: d.owner_region_name,
    classification: d.classification,
    keyField: d.key_field,
    regionField: d.region_field,
    fields: d.fields,
    currentVersion: d.current_version,
    lastPublishedAt: d.last_published_at?.toISOString() ?? null,
    rowCount: d.row_count,
    isOwner: isOwnerSide(ctx.actor, d),
    createdAt: d.created_at.toISOString(),
    modifiedAt: d.modified_at.toISOString(),
  };
}

function presentVersion(v: store.VersionRecord): DatasetVersion {
  return {
    version: v.version,
    source: v.source,
    note: v.note,
    publishedAt: v.published_at.toISOString(),
    publishedBy: v.published_by_name,
    added: v.rows_added,
    changed: v.rows_changed,
    removed: v.rows_removed,
    total: v.rows_total,
    correctionId: v.correction_id,
  };
}

function presentRow(code: string, r: store.RowRecord): DatasetRow {
  return {
    key: r.row_key,
    regionCode: r.region_code,
    regionName: r.region_name,
    data: r.data,
    lineage: { dataset: code, version: r.valid_from_version, source: r.source, publishedAt: r.published_at.toISOString() },
  };
}

/** The row schema of a stored data set. */
export function schemaOf(d: store.DatasetRecord): RowSchema {
  return { fields: d.fields, keyField: d.key_field, regionField: d.region_field };
}

/**
 * Loads a data set for `action` and checks what applies to every use of it: the role grants the action,
 * the caller's clearance covers its classification, and it concerns the caller's scope. Denials are audited.
 */
export async function loadDataset(deps: Deps, ctx: RequestContext, code: string, action: 'dataset:read' | 'dataset:propose' | 'dataset:write'): Promise<store.DatasetRecord> {
  await authorize(deps, ctx, action);
  const d = await store.findDataset(executor(deps.db), code, ctx.actor.scopePrefix);
  if (!d) throw new NotFound(`no data set ${code}`);
  await authorize(deps, ctx, action, { classification: d.classification, type: 'dataset', id: code });
  if (!concernsActor(ctx.actor, d)) {
    throw await denied(deps, ctx, `not allowed: data set ${code} is held for ${d.owner_region_code}, which neither contains nor lies within the scope ${ctx.actor.scopeCode ?? 'platform'}`, {
      type: 'dataset', id: code, regionCode: d.owner_region_code, requested: action,
    });
  }
  return d;
}

/** Data sets that concern the caller's scope and that their clearance covers. */
export async function listDatasets(deps: Deps, ctx: RequestContext, q: { q?: string; limit: number; offset: number }) {
  await authorize(deps, ctx, 'dataset:read');
  const classifications = CLASSIFICATIONS.filter((c) => hasClearance(ctx.actor, c));
  const { rows, total } = await store.listDatasets(executor(deps.db), { scopePrefix: ctx.actor.scopePrefix, classifications, q: q.q }, q.limit, q.offset);
  return { items: rows.map((d) => presentDataset(ctx, d)), total, limit: q.limit, offset: q.offset };
}

export async function getDataset(deps: Deps, ctx: RequestContext, code: string): Promise<Dataset> {
  return presentDataset(ctx, await loadDataset(deps, ctx, code, 'dataset:read'));
}

/** Defines a data set owned by a region in the caller's scope (no rows yet: publish a version). */
export async function createDataset(deps: Deps, ctx: RequestContext, input: DatasetInput): Promise<Dataset> {
  const ownerRegionCode = input.ownerRegionCode ?? ctx.actor.scopeCode;
  if (!ownerRegionCode) throw new Invalid('name the owner region of a platform-wide data set', [{ field: 'body.ownerRegionCode', message: 'required for a caller without a region scope' }]);
  const ownerOrganizationId = input.ownerOrganizationId ?? ctx.actor.organizationId;
  if (!ownerOrganizationId) throw new Invalid('name the owner organization', [{ field: 'body.ownerOrganizationId', message: 'required' }]);
  await authorize(deps, ctx, 'dataset:write', { regionCode: ownerRegionCode, classification: input.classification, type: 'dataset', id: input.code });
  return withTransaction(deps.db, async (tx) => {
    const region = await findCurrentRegion(tx, ownerRegionCode);
    if (!region) throw new Invalid('no such region', [{ field: 'body.ownerRegionCode', message: `no current region ${ownerRegionCode}` }]);
    const prefix = scopePrefixOf(ownerRegionCode);
    const org = await store.findOrganizationRegion(tx, ownerOrganizationId);
    if (!org) throw new Invalid('no such organization', [{ field: 'body.ownerOrganizationId', message: `no organization ${ownerOrganizationId}` }]);
    if (!org.active) throw new Invalid('the owner organization is inactive', [{ field: 'body.ownerOrganizationId', message: 'inactive' }]);
    if (!inScope(prefix, org.region_code)) {
      throw new Invalid('the owner organization must belong to the owner region', [{ field: 'body.ownerOrganizationId', message: `the organization is in ${org.region_code}, outside ${ownerRegionCode}` }]);
    }
    const id = newId();
    const inserted = await store.insertDataset(tx, {
      id,
      code: input.code,
      name: input.name,
      description: input.description ?? null,
      owner_organization_id: ownerOrganizationId,
      owner_region_code: ownerRegionCode,
      owner_region_prefix: prefix,
      classification: input.classification,
      key_field: input.keyField,
      region_field: input.regionField,
      fields: input.fields.map((f) => ({ name: f.name, type: f.type, label: f.label ?? null, required: f.required })),
      created_by: ctx.actor.userId,
    });
    if (!inserted) throw new Conflict(`a data set ${input.code} already exists`);
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'dataset.created', resourceType: 'dataset', resourceId: input.code, regionCode: ownerRegionCode, details: { code: input.code, name: input.name } });
    await publish(tx, { topic: 'dataset.created', aggregateId: id, regionCode: ownerRegionCode, payload: { id, code: input.code, name: input.name } });
    return presentDataset(ctx, (await store.findDataset(tx, input.code, ctx.actor.scopePrefix)) as store.DatasetRecord);
  });
}

/** Versions of a data set, newest first. */
export async function listVersions(deps: Deps, ctx: RequestContext, code: string, page: { limit: number; offset: number }) {
  const d = await loadDataset(deps, ctx, code, 'dataset:read');
  const { rows, total } = await store.listVersions(executor(deps.db), d.id, page.limit, page.offset);
  return { items: rows.map(presentVersion), total, limit: page.limit, offset: page.offset };
}

/** Parses an upload (JSON array of objects, or CSV text) into validated rows, or throws one 400 with the first errors. */
function parseUpload(schema: RowSchema, body: unknown): ParsedRow[] {
  if (typeof body === 'string') return rowsFromCsv(schema, body);
  if (Array.isArray(body)) return rowsFromJson(schema, body);
  throw new Invalid('send the rows as a JSON array of objects or as text/csv with a header line', [{ field: 'body', message: 'expected a JSON array or text/csv' }]);
}

/**
 * Publishes a new version: the upload replaces the current rows (unchanged rows stay, changed ones are
 * closed and reopened, missing ones are closed). All or nothing: one bad row refuses the whole upload.
 */
export async function publishVersion(deps: Deps, ctx: RequestContext, code: string, query: PublishQuery, body: unknown): Promise<DatasetVersion> {
  const d = await loadDataset(deps, ctx, code, 'dataset:write');
  await authorize(deps, ctx, 'dataset:write', { regionCode: d.owner_region_code, classification: d.classification, type: 'dataset', id: code });
  const rows = parseUpload(schemaOf(d), body);
  if (rows.length === 0) throw new Invalid('the upload holds no rows; a version needs at least one', [{ field: 'body', message: 'no rows' }]);
  // Every row names a current region within the owner region.
  const errors = new ErrorList();
  const known = new Set((await findCurrentRegions(executor(deps.db), [...new Set(rows.map((r) => r.regionCode))])).map((r) => r.code));
  for (const r of rows) {
    if (errors.full) break;
    if (!known.has(r.regionCode)) errors.add(`row ${r.row}.${d.region_field}`, `no current region ${r.regionCode}`);
    else if (!inScope(d.owner_region_prefix, r.regionCode)) errors.add(`row ${r.row}.${d.region_field}`, `region ${r.regionCode} lies outside the owner region ${d.owner_region_code}`);
  }
  errors.throwIfAny('the upload');

  return withTransaction(deps.db, async (tx) => {
    const locked = (await store.findDataset(tx, code, '', true)) as store.DatasetRecord;
    const version = locked.current_version + 1;
    const current = new Map<string, CurrentRow>((await store.currentRows(tx, d.id)).map((r) => [r.row_key, { key: r.row_key, regionCode: r.region_code, data: r.data }]));
    const diff = diffRows(current, rows);
    await store.closeRows(tx, d.id, [...diff.changed.map((r) => r.key), ...diff.removed], version);
    await store.insertRows(tx, d.id, [...diff.added, ...diff.changed], version);
    const saved = await store.insertVersion(tx, d.id, {
      version,
      source: query.source,
      note: query.note ?? null,
      published_by: ctx.actor.userId,
      published_by_name: ctx.actor.username,
      rows_added: diff.added.length,
      rows_changed: diff.changed.length,
      rows_removed: diff.removed.length,
      rows_total: rows.length,
      correction_id: null,
    });
    await store.setCurrentVersion(tx, d.id, version);
    const counts = { added: diff.added.length, changed: diff.changed.length, removed: diff.removed.length, total: rows.length };
    await recordAudit(tx, ctx, deps.config.auditHash, {
      action: 'dataset.published', resourceType: 'dataset', resourceId: code, regionCode: d.owner_region_code, details: { code, version, source: query.source, ...counts },
    });
    // The regions whose rows changed, so that nodes and subscribers below can pull just their part.
    const touched = [...new Set([...diff.added, ...diff.changed].map((r) => r.regionCode).concat(diff.removed.map((k) => current.get(k)?.regionCode ?? '')))].filter(Boolean).sort();
    await publish(tx, {
      topic: 'dataset.version.published', aggregateId: d.id, regionCode: d.owner_region_code,
      payload: { code, version, source: query.source, ...counts, regions: touched.slice(0, 1000), regionsTruncated: touched.length > 1000 },
    });
    return presentVersion(saved);
  });
}

export type RowQuery = { regionCode?: string; q?: string; asOf?: number; limit: number; offset: number };

/** Rows of a version (default: the current one) in the caller's scope, each with its lineage. */
export async function listRows(deps: Deps, ctx: RequestContext, code: string, q: RowQuery): Promise<DatasetRowPage> {
  const d = await loadDataset(deps, ctx, code, 'dataset:read');
  const version = q.asOf ?? d.current_version;
  if (version > d.current_version) {
    throw new Invalid(`data set ${code} has ${d.current_version === 0 ? 'no versions yet' : `versions 1 to ${d.current_version}`}`, [{ field: 'querystring.asOf', message: `no version ${version}` }]);
  }
  if (version === 0) return { version: 0, items: [], total: 0, limit: q.limit, offset: q.offset };
  const { rows, total } = await store.listRows(
    executor(deps.db),
    { datasetId: d.id, version, scopePrefix: ctx.actor.scopePrefix, regionPrefix: q.regionCode ? scopePrefixOf(q.regionCode) : undefined, q: q.q },
    q.limit,
    q.offset,
  );
  return { version, items: rows.map((r) => presentRow(code, r)), total, limit: q.limit, offset: q.offset };
}

/** Every state of one row through the versions, when its region is in the caller's scope. */
export async function rowHistory(deps: Deps, ctx: RequestContext, code: string, key: string): Promise<DatasetRowHistory> {
  const d = await loadDataset(deps, ctx, code, 'dataset:read');
  const rows = await store.rowHistory(executor(deps.db), d.id, key);
  const last = rows.at(-1);
  if (!last) throw new NotFound(`data set ${code} has no row ${key}`);
  for (const region of new Set(rows.map((r) => r.region_code))) {
    await authorize(deps, ctx, 'dataset:read', { regionCode: region, classification: d.classification, type: 'dataset-row', id: `${code}/${key}` });
  }
  return { key, items: rows.map((r) => ({ ...presentRow(code, r), validTo: r.valid_to_version })) };
}
