// SPDX-License-Identifier: Apache-2.0
// Region queries and changes. Reads are "as of" a date (today by default) and limited to the actor's scope.
import type { DivisionChange, DivisionChangeInput, Level, Region, RegionInput, RegionPatch } from '../../../contracts/regions.ts';
import { LEVELS } from '../../../contracts/regions.ts';
import { codeFitsParent, inScope, levelIndex, prefixOf } from '../../../contracts/region-codes.ts';
import { today } from '../../platform/clock.ts';
import type { RequestContext } from '../../platform/context.ts';
import { executor, withTransaction } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { Conflict, Invalid, NotFound } from '../../platform/errors.ts';
import { publish } from '../../platform/outbox.ts';
import { authorize } from '../access/index.ts';
import { recordAudit } from '../audit/index.ts';
import { areaKm2, bboxOf, boundaryProblem, boxLiteral, centroidOf, containsPoint } from './geo.ts';
import * as store from './regions.store.ts';

/** Presents a row as the API's Region. */
export function presentRegion(r: store.RegionRow): Region {
  return {
    code: r.code,
    level: r.level,
    parentCode: r.parent_code,
    name: r.name,
    nameEn: r.name_en,
    population: r.population,
    areaKm2: r.area_km2,
    centroid: r.centroid ? [r.centroid.x, r.centroid.y] : null,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    hasBoundary: r.has_boundary,
    ...(r.child_count !== undefined ? { childCount: r.child_count } : {}),
  };
}

/** A region is visible when it is in the actor's scope or one of the scope's ancestors. */
function visible(ctx: RequestContext, r: Pick<store.RegionRow, 'code' | 'prefix'>): boolean {
  return inScope(ctx.actor.scopePrefix, r.code) || (ctx.actor.scopePrefix !== 'none:' && ctx.actor.scopePrefix.startsWith(r.prefix));
}

/** Gets a region the actor may see; NotFound otherwise (out of scope looks the same as absent). */
export async function getRegion(deps: Deps, ctx: RequestContext, code: string, asOf = today()): Promise<Region> {
  await authorize(deps, ctx, 'region:read');
  const row = await store.findRegion(executor(deps.db), code, asOf);
  if (!row) throw new NotFound(`no region ${code} as of ${asOf}`);
  // outside the scope (and not on the path above it): denied, audited
  if (!visible(ctx, row)) await authorize(deps, ctx, 'region:read', { regionCode: row.code, type: 'region', id: row.code });
  return presentRegion(row);
}

/** The top regions the actor sees: the platform's provinces, or the root of the actor's scope. */
export async function listRootRegions(deps: Deps, ctx: RequestContext, asOf = today()): Promise<Region[]> {
  await authorize(deps, ctx, 'region:read');
  const db = executor(deps.db);
  if (ctx.actor.scopeCode === null) return (await store.listRoots(db, asOf)).map(presentRegion);
  const row = await store.findRegion(db, ctx.actor.scopeCode, asOf);
  return row ? [presentRegion(row)] : [];
}

export async function listChildRegions(deps: Deps, ctx: RequestContext, code: string, asOf = today()): Promise<Region[]> {
  await getRegion(deps, ctx, code, asOf);
  return (await store.listChildren(executor(deps.db), code, asOf, ctx.actor.scopePrefix)).map(presentRegion);
}

export async function listAncestorRegions(deps: Deps, ctx: RequestContext, code: string, asOf = today()): Promise<Region[]> {
  await getRegion(deps, ctx, code, asOf);
  return (await store.listAncestors(executor(deps.db), code, asOf)).map(presentRegion);
}

/** Regions in a subtree (or the actor's whole scope), filtered by level and name, paged. */
export async function searchRegions(
  deps: Deps,
  ctx: RequestContext,
  q: { within?: string; level?: Level; q?: string; asOf?: string; limit: number; offset: number },
) {
  await authorize(deps, ctx, 'region:read');
  const asOf = q.asOf ?? today();
  let prefix = '';
  if (q.within) {
    const root = await getRegion(deps, ctx, q.within, asOf);
    prefix = prefixOf(root.code, root.level);
  }
  const { rows, total } = await store.listSubtree(executor(deps.db), { prefix, level: q.level, q: q.q, asOf, scopePrefix: ctx.actor.scopePrefix }, q.limit, q.offset);
  return { items: rows.map(presentRegion), total, limit: q.limit, offset: q.offset };
}

/** The smallest visible region containing a point (exact polygon test on bounding-box candidates). */
export async function locateRegion(deps: Deps, ctx: RequestContext, lon: number, lat: number, asOf = today()): Promise<Region | null> {
  await authorize(deps, ctx, 'region:read');
  const hit = await store.deepestContaining(executor(deps.db), lon, lat, asOf, ctx.actor.scopePrefix, (g) => containsPoint(g, lon, lat));
  return hit ? presentRegion(hit) : null;
}

/** GeoJSON FeatureCollection of the regions of `level` in the subtree of `code`. */
export async function regionGeoJson(deps: Deps, ctx: RequestContext, code: string, level: Level | undefined, asOf = today()) {
  const root = await getRegion(deps, ctx, code, asOf);
  const target = level ?? root.level;
  if (levelIndex(target) < levelIndex(root.level)) throw new Invalid(`level ${target} is above the region's own level ${root.level}`, [{ field: 'level', message: 'must be at or below the region' }]);
  const rows = await store.listBoundaries(executor(deps.db), { prefix: prefixOf(root.code, root.level), level: target, asOf, scopePrefix: ctx.actor.scopePrefix }, 50_000);
  return {
    type: 'FeatureCollection' as const,
    features: rows.map((r) => ({
      type: 'Feature' as const,
      id: r.code,
      properties: { code: r.code, name: r.name, nameEn: r.name_en, level: r.level, parentCode: r.parent_code, population: r.population, areaKm2: r.area_km2 },
      geometry: r.boundary,
    })),
  };
}

/** Corrects attributes of a current region (structure changes go through division changes). */
export async function patchRegion(deps: Deps, ctx: RequestContext, code: string, patch: RegionPatch): Promise<Region> {
  await authorize(deps, ctx, 'region:write', { regionCode: code, type: 'region', id: code });
  return withTransaction(deps.db, async (tx) => {
    const before = await store.findRegion(tx, code, today());
    if (!before || before.valid_to !== null) throw new NotFound(`no current region ${code}`);
    await store.updateCurrentRegion(tx, code, { name: patch.name, name_en: patch.nameEn, population: patch.population });
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'region.updated', resourceType: 'region', resourceId: code, regionCode: code, details: { patch } });
    await publish(tx, { topic: 'region.updated', aggregateId: code, regionCode: code, payload: { code, patch } });
    return presentRegion((await store.findRegion(tx, code, today())) as store.RegionRow);
  });
}

/** Validates new region rows against each other and the current hierarchy; returns rows to insert. */
async function prepareNewRegions(tx: Parameters<typeof store.findRegion>[0], inputs: RegionInput[], date: string, changeId: number | null, closing: Set<string>): Promise<store.RegionInsert[]> {
  const byCode = new Map(inputs.map((r) => [r.code, r]));
  if (byCode.size !== inputs.length) throw new Invalid('a code appears twice among the regions to open', [{ field: 'open', message: 'duplicate code' }]);
  const parents = await store.currentLevels(tx, [...new Set(inputs.map((r) => r.parentCode).filter((c): c is string => c !== null))], date);
  const errors: { field: string; message: string }[] = [];
  inputs.forEach((r, i) => {
    const parentLevel = r.parentCode === null ? null : (byCode.get(r.parentCode)?.level ?? (closing.has(r.parentCode) ? undefined : parents.get(r.parentCode)));
    if (r.parentCode !== null && parentLevel === undefined) {
      errors.push({ field: `open.${i}.parentCode`, message: `parent ${r.parentCode} does not exist on ${date}` });
      return;
    }
    const problem = codeFitsParent(r.code, r.level, r.parentCode, parentLevel ?? null);
    if (problem) errors.push({ field: `open.${i}.code`, message: problem });
    if (r.boundary) {
      const bp = boundaryProblem(r.boundary);
      if (bp) errors.push({ field: `open.${i}.boundary`, message: bp });
    }
  });
  if (errors.length) throw new Invalid('the regions to open are not valid', errors);
  return inputs.map((r) => ({
    code: r.code,
    level: r.level,
    parent_code: r.parentCode,
    name: r.name,
    name_en: r.nameEn ?? null,
    population: r.population ?? null,
    boundary: r.boundary ?? null,
    area_km2: r.boundary ? areaKm2(r.boundary) : null,
    centroid: r.boundary ? centroidOf(r.boundary) : null,
    bbox: r.boundary ? boxLiteral(bboxOf(r.boundary)) : null,
    valid_from: date,
    change_id: changeId,
  }));
}

const CHANGE_SHAPE: Record<DivisionChangeInput['kind'], { close: [number, number]; open: [number, number]; hint: string }> = {
  rename: { close: [1, 1], open: [1, 1], hint: 'closes one code and opens the same code with its new name' },
  merge: { close: [2, 1000], open: [1, 1000], hint: 'closes two or more regions and opens the merged one (and its new children)' },
  split: { close: [1, 1], open: [2, 1000], hint: 'closes one region and opens two or more' },
  move: { close: [1, 1000], open: [1, 1000], hint: 'closes a region and opens it under its new parent with a new code' },
  create: { close: [0, 0], open: [1, 1000], hint: 'opens new regions' },
  abolish: { close: [1, 1000], open: [0, 0], hint: 'closes regions' },
};

/**
 * Applies a division change (区划调整) effective from a date: the closed regions — with their whole
 * subtrees — end the day before, the opened ones begin on it. History keeps the old structure.
 */
export async function applyDivisionChange(deps: Deps, ctx: RequestContext, input: DivisionChangeInput): Promise<DivisionChange> {
  const shape = CHANGE_SHAPE[input.kind];
  const fail = (field: string, message: string) => new Invalid(`a ${input.kind} ${shape.hint}`, [{ field, message }]);
  if (input.close.length < shape.close[0] || input.close.length > shape.close[1]) throw fail('close', `expected ${shape.close[0]}–${shape.close[1]} codes`);
  if (input.open.length < shape.open[0] || input.open.length > shape.open[1]) throw fail('open', `expected ${shape.open[0]}–${shape.open[1]} regions`);
  if (input.kind === 'rename' && input.open[0]?.code !== input.close[0]) throw fail('open.0.code', 'a rename keeps the code');
  for (const code of [...input.close, ...input.open.map((r) => r.code), ...input.open.map((r) => r.parentCode ?? '')].filter(Boolean)) {
    await authorize(deps, ctx, 'region:change', { regionCode: code, type: 'region', id: code });
  }
  return withTransaction(deps.db, async (tx) => {
    const closing = await store.findRegions(tx, input.close, input.effectiveDate);
    const missing = input.close.filter((c) => !closing.some((r) => r.code === c));
    if (missing.length) throw fail('close', `not current on ${input.effectiveDate}: ${missing.join(', ')}`);
    const changeId = await store.insertChange(tx, {
      kind: input.kind,
      effectiveDate: input.effectiveDate,
      closed: input.close,
      opened: input.open.map((r) => r.code),
      note: input.note ?? null,
      createdBy: ctx.actor.userId,
    });
    // a rename closes only the row itself: its children keep their codes and parent
    const closed =
      input.kind === 'rename'
        ? await store.closeRows(tx, input.close, input.effectiveDate)
        : await store.closeSubtrees(tx, closing.map((r) => r.prefix), input.effectiveDate);
    const insert = await prepareNewRegions(tx, input.open, input.effectiveDate, changeId, new Set(input.kind === 'rename' ? [] : closed));
    try {
      await store.insertRegions(tx, insert);
    } catch (err) {
      if ((err as { code?: string }).code === '23P01') throw new Conflict('a region to open already exists on that date');
      throw err;
    }
    await recordAudit(tx, ctx, deps.config.auditHash, {
      action: 'region.changed',
      resourceType: 'region-change',
      resourceId: String(changeId),
      regionCode: input.close[0] ?? input.open[0]?.parentCode ?? input.open[0]?.code ?? null,
      details: { kind: input.kind, effectiveDate: input.effectiveDate, closed, opened: insert.map((r) => r.code) },
    });
    await publish(tx, { topic: 'region.changed', aggregateId: String(changeId), payload: { kind: input.kind, closed, opened: insert.map((r) => r.code) } });
    return {
      id: changeId,
      kind: input.kind,
      effectiveDate: input.effectiveDate,
      closedCodes: closed,
      openedCodes: insert.map((r) => r.code),
      note: input.note ?? null,
      createdAt: new Date().toISOString(),
    };
  });
}

export async function listDivisionChanges(deps: Deps, ctx: RequestContext, limit: number, offset: number) {
  await authorize(deps, ctx, 'region:read');
  const { rows, total } = await store.listChanges(executor(deps.db), ctx.actor.scopePrefix, limit, offset);
  return {
    items: rows.map((r) => ({ id: r.id, kind: r.kind, effectiveDate: r.effective_date, closedCodes: r.closed_codes, openedCodes: r.opened_codes, note: r.note, createdAt: r.created_at.toISOString() })),
    total,
    limit,
    offset,
  };
}

/** Levels in order, for callers that iterate the hierarchy. */
export const REGION_LEVELS = LEVELS;
