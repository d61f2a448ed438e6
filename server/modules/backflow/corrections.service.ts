// SPDX-License-Identifier: Apache-2.0
// Corrections from below (纠错回传): a region that reads a row may propose changed values; the owner's side
// accepts (a new version changing just that row) or rejects them with a note.
import type { AcceptInput, Correction, CorrectionInput, CorrectionStatus, FieldValue, RejectInput } from '../../../contracts/datasets.ts';
import { canonicalJson } from '../../platform/crypto.ts';
import type { RequestContext } from '../../platform/context.ts';
import { executor, withTransaction } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { Conflict, Invalid, NotFound } from '../../platform/errors.ts';
import { publish } from '../../platform/outbox.ts';
import { authorize, check, DeferredDenial, withDeferredDenials } from '../access/index.ts';
import { recordAudit } from '../audit/index.ts';
import { convertValue } from './dataset-rows.ts';
import { isOwnerSide, mayDecide } from './datasets.policy.ts';
import { loadDataset } from './datasets.service.ts';
import * as store from './datasets.store.ts';

function present(ctx: RequestContext, c: store.CorrectionRecord): Correction {
  return {
    id: c.id,
    dataset: c.dataset_code,
    key: c.row_key,
    regionCode: c.region_code,
    regionName: c.region_name,
    baseVersion: c.base_version,
    before: c.before,
    changes: c.changes,
    reason: c.reason,
    status: c.status,
    proposedBy: c.proposed_by_name,
    proposedAt: c.proposed_at.toISOString(),
    mine: c.proposed_by !== null && c.proposed_by === ctx.actor.userId,
    decidedBy: c.decided_by_name,
    decidedAt: c.decided_at?.toISOString() ?? null,
    decisionNote: c.decision_note,
    resultingVersion: c.resulting_version,
  };
}

/** Proposes changed values for one row the caller can see. The key and the region of a row are the owner's. */
export async function proposeCorrection(deps: Deps, ctx: RequestContext, code: string, input: CorrectionInput): Promise<Correction> {
  const d = await loadDataset(deps, ctx, code, 'dataset:propose');
  const byName = new Map(d.fields.map((f) => [f.name, f]));
  const changes: Record<string, FieldValue> = {};
  const errors: { field: string; message: string }[] = [];
  for (const [name, raw] of Object.entries(input.changes)) {
    const field = byName.get(name);
    if (!field) errors.push({ field: `body.changes.${name}`, message: `not a field of the data set (fields: ${[...byName.keys()].join(', ')})` });
    else if (name === d.key_field || name === d.region_field) errors.push({ field: `body.changes.${name}`, message: 'the key and the region of a row cannot be corrected: ask the owner' });
    else {
      const converted = convertValue(field, raw, false);
      if ('error' in converted) errors.push({ field: `body.changes.${name}`, message: converted.error });
      else changes[name] = converted.value;
    }
  }
  if (errors.length) throw new Invalid('the proposed changes are not valid', errors);

  return withDeferredDenials(deps, ctx, () => withTransaction(deps.db, async (tx) => {
    const row = await store.findCurrentRow(tx, d.id, input.key);
    if (!row) throw new NotFound(`data set ${code} has no current row ${input.key}`);
    check(ctx, 'dataset:propose', { regionCode: row.region_code, classification: d.classification, type: 'dataset-row', id: `${code}/${input.key}` });
    const before = Object.fromEntries(Object.keys(changes).map((k) => [k, row.data[k] ?? null]));
    if (canonicalJson(before) === canonicalJson(changes)) {
      throw new Invalid('the proposed values are the row\'s current values', [{ field: 'body.changes', message: 'nothing would change' }]);
    }
    const id = await store.insertCorrection(tx, {
      dataset_id: d.id, row_key: input.key, region_code: row.region_code, base_version: row.valid_from_version, before, changes,
      reason: input.reason, proposed_by: ctx.actor.userId, proposed_by_name: ctx.actor.username,
    });
    await recordAudit(tx, ctx, deps.config.auditHash, {
      action: 'dataset.correction-proposed', resourceType: 'dataset-correction', resourceId: String(id), regionCode: row.region_code,
      details: { code, key: input.key, fields: Object.keys(changes) },
    });
    await publish(tx, { topic: 'dataset.correction.proposed', aggregateId: d.id, regionCode: row.region_code, payload: { id, code, key: input.key, fields: Object.keys(changes) } });
    return present(ctx, (await store.findCorrection(tx, id)) as store.CorrectionRecord);
  }));
}

export type CorrectionQuery = { status?: CorrectionStatus; mine?: 'true' | 'false'; limit: number; offset: number };

/**
 * Corrections of a data set. The owner's side sees them all; others see those on rows of their scope
 * and their own.
 */
export async function listCorrections(deps: Deps, ctx: RequestContext, code: string, q: CorrectionQuery) {
  const d = await loadDataset(deps, ctx, code, 'dataset:read');
  const owner = isOwnerSide(ctx.actor, d);
  const { rows, total } = await store.listCorrections(
    executor(deps.db),
    {
      datasetId: d.id,
      status: q.status,
      ...(q.mine === 'true' ? { proposedBy: ctx.actor.userId } : {}),
      ...(owner ? {} : { visibleTo: { scopePrefix: ctx.actor.scopePrefix, userId: ctx.actor.userId } }),
    },
    q.limit,
    q.offset,
  );
  return { items: rows.map((c) => present(ctx, c)), total, limit: q.limit, offset: q.offset };
}

/** Loads a pending correction of data set `d` for a decision, locked, and refuses one's own. */
async function pendingForDecision(ctx: RequestContext, tx: Parameters<typeof store.findCorrection>[0], d: store.DatasetRecord, id: number): Promise<store.CorrectionRecord> {
  const c = await store.findCorrection(tx, id, true);
  if (!c || c.dataset_id !== d.id) throw new NotFound(`data set ${d.code} has no correction ${id}`);
  if (!mayDecide(ctx.actor, c)) {
    throw new DeferredDenial('a correction is decided by someone other than its proposer', 'dataset:write', { regionCode: c.region_code, type: 'dataset-correction', id: String(id) });
  }
  if (c.status !== 'pending') throw new Conflict(`correction ${id} was already ${c.status}`, 'already-decided');
  return c;
}

/** Accepts a correction: a new version changes just that row (source "correction #id"). */
export async function acceptCorrection(deps: Deps, ctx: RequestContext, code: string, id: number, input: AcceptInput): Promise<Correction> {
  const d = await loadDataset(deps, ctx, code, 'dataset:write');
  await authorize(deps, ctx, 'dataset:write', { regionCode: d.owner_region_code, classification: d.classification, type: 'dataset', id: code });
  return withDeferredDenials(deps, ctx, () => withTransaction(deps.db, async (tx) => {
    const locked = (await store.findDataset(tx, code, '', true)) as store.DatasetRecord;
    const c = await pendingForDecision(ctx, tx, d, id);
    const row = await store.findCurrentRow(tx, d.id, c.row_key, true);
    if (!row) throw new Conflict(`row ${c.row_key} is no longer in data set ${code}: reject the correction`, 'stale-correction');
    if (row.valid_from_version !== c.base_version) {
      throw new Conflict(`row ${c.row_key} changed in version ${row.valid_from_version} after the correction was proposed on version ${c.base_version}: reject it and propose again`, 'stale-correction');
    }
    const version = locked.current_version + 1;
    const previous = await store.findVersion(tx, d.id, locked.current_version);
    await store.closeRows(tx, d.id, [c.row_key], version);
    await store.insertRows(tx, d.id, [{ key: c.row_key, regionCode: row.region_code, data: { ...row.data, ...c.changes } }], version);
    await store.insertVersion(tx, d.id, {
      version, source: `correction #${id}`, note: input.note ?? null, published_by: ctx.actor.userId, published_by_name: ctx.actor.username,
      rows_added: 0, rows_changed: 1, rows_removed: 0, rows_total: previous?.rows_total ?? 0, correction_id: id,
    });
    await store.setCurrentVersion(tx, d.id, version);
    await store.decideCorrection(tx, id, { status: 'accepted', decided_by: ctx.actor.userId, decided_by_name: ctx.actor.username, decision_note: input.note ?? null, resulting_version: version });
    await recordAudit(tx, ctx, deps.config.auditHash, {
      action: 'dataset.correction-accepted', resourceType: 'dataset-correction', resourceId: String(id), regionCode: c.region_code,
      details: { code, key: c.row_key, version, fields: Object.keys(c.changes) },
    });
    await publish(tx, { topic: 'dataset.correction.decided', aggregateId: d.id, regionCode: c.region_code, payload: { id, code, key: c.row_key, status: 'accepted', version } });
    await publish(tx, {
      topic: 'dataset.version.published', aggregateId: d.id, regionCode: d.owner_region_code,
      payload: { code, version, source: `correction #${id}`, added: 0, changed: 1, removed: 0, total: previous?.rows_total ?? 0, regions: [c.region_code], regionsTruncated: false },
    });
    return present(ctx, (await store.findCorrection(tx, id)) as store.CorrectionRecord);
  }));
}

/** Rejects a correction with a note saying why. */
export async function rejectCorrection(deps: Deps, ctx: RequestContext, code: string, id: number, input: RejectInput): Promise<Correction> {
  const d = await loadDataset(deps, ctx, code, 'dataset:write');
  await authorize(deps, ctx, 'dataset:write', { regionCode: d.owner_region_code, classification: d.classification, type: 'dataset', id: code });
  return withDeferredDenials(deps, ctx, () => withTransaction(deps.db, async (tx) => {
    await store.findDataset(tx, code, '', true);
    const c = await pendingForDecision(ctx, tx, d, id);
    await store.decideCorrection(tx, id, { status: 'rejected', decided_by: ctx.actor.userId, decided_by_name: ctx.actor.username, decision_note: input.note, resulting_version: null });
    await recordAudit(tx, ctx, deps.config.auditHash, {
      action: 'dataset.correction-rejected', resourceType: 'dataset-correction', resourceId: String(id), regionCode: c.region_code,
      details: { code, key: c.row_key, note: input.note },
    });
    await publish(tx, { topic: 'dataset.correction.decided', aggregateId: d.id, regionCode: c.region_code, payload: { id, code, key: c.row_key, status: 'rejected' } });
    return present(ctx, (await store.findCorrection(tx, id)) as store.CorrectionRecord);
  }));
}
