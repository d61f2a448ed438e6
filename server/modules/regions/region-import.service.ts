// SPDX-License-Identifier: Apache-2.0
// Imports of NBS-style division lists (CSV) and boundary GeoJSON. Each import is all-or-nothing and
// every validation error names its line (or feature).
import { BoundaryGeometry, LEVELS, type Level } from '../../../contracts/regions.ts';
import { codeFitsParent, levelOfCode } from '../../../contracts/region-codes.ts';
import type { FieldError } from '../../platform/errors.ts';
import { Invalid } from '../../platform/errors.ts';
import type { RequestContext } from '../../platform/context.ts';
import { withTransaction } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { publish } from '../../platform/outbox.ts';
import { authorize } from '../access/index.ts';
import { recordAudit } from '../audit/index.ts';
import { areaKm2, bboxOf, boundaryProblem, boxLiteral, centroidOf } from './geo.ts';
import * as store from './regions.store.ts';
import { today } from '../../platform/clock.ts';

const LEVEL_WORDS: Record<string, Level> = {
  province: 'province', city: 'city', county: 'county', township: 'township', village: 'village', grid: 'grid',
  '1': 'province', '2': 'city', '3': 'county', '4': 'township', '5': 'village', '6': 'grid',
  省: 'province', 市: 'city', 县: 'county', 区县: 'county', 乡: 'township', 乡镇: 'township', 镇: 'township', 街道: 'township', 村: 'village', 社区: 'village', 村社区: 'village', 网格: 'grid',
};

/** Splits CSV text into rows of fields (RFC 4180 quoting). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i] as string;
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (quoted) throw new Invalid('the CSV ends inside a quoted field', [{ field: `line ${rows.length + 1}`, message: 'unterminated quote' }]);
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

type ParsedRow = { line: number; code: string; name: string; level: Level; parent: string | null; nameEn: string | null; population: number | null };

/** Parses and validates a division CSV: code,name,level,parent[,name_en][,population]. */
export function parseRegionCsv(text: string): ParsedRow[] {
  const rows = parseCsv(text);
  const errors: FieldError[] = [];
  const out: ParsedRow[] = [];
  let start = 0;
  const header = rows[0]?.map((h) => h.trim().toLowerCase());
  if (header && header[0] === 'code') start = 1;
  for (let i = start; i < rows.length; i++) {
    const cols = (rows[i] as string[]).map((c) => c.trim());
    const line = i + 1;
    if (cols.length === 1 && cols[0] === '') continue; // blank line
    if (cols.length < 3) {
      errors.push({ field: `line ${line}`, message: 'expected at least code,name,level[,parent]' });
      continue;
    }
    const [code = '', name = '', levelWord = '', parentRaw = '', nameEn = '', pop = ''] = cols;
    const level = LEVEL_WORDS[levelWord.toLowerCase()] ?? (levelWord === '' && /^\d{12}(\d{3})?$/.test(code) ? levelOfCode(code) : undefined);
    if (!/^\d{12}(\d{3})?$/.test(code)) errors.push({ field: `line ${line}`, message: `code "${code}" is not a 12-digit division code (15 for a grid)` });
    else if (!level) errors.push({ field: `line ${line}`, message: `level "${levelWord}" is not one of ${LEVELS.join(', ')}` });
    else if (name === '' || name.length > 100) errors.push({ field: `line ${line}`, message: 'the name must have 1–100 characters' });
    else if (parentRaw !== '' && !/^\d{12}(\d{3})?$/.test(parentRaw)) errors.push({ field: `line ${line}`, message: `parent "${parentRaw}" is not a division code` });
    else if (pop !== '' && (!/^\d{1,10}$/.test(pop) || Number(pop) > 2_000_000_000)) errors.push({ field: `line ${line}`, message: `population "${pop}" is not a whole number up to 2,000,000,000` });
    else out.push({ line, code, name, level, parent: parentRaw === '' ? null : parentRaw, nameEn: nameEn || null, population: pop === '' ? null : Number(pop) });
    if (errors.length >= 100) break;
  }
  if (errors.length) throw new Invalid(`the CSV has ${errors.length}${errors.length >= 100 ? '+' : ''} invalid line(s); nothing was imported`, errors);
  if (out.length === 0) throw new Invalid('the CSV holds no regions', [{ field: 'line 1', message: 'empty' }]);
  return out;
}

/** Imports a division list: new codes are added, existing ones get the new name. All or nothing. */
export async function importRegionsCsv(deps: Deps, ctx: RequestContext, text: string, opts: { validFrom?: string; onProgress?: (done: number, total: number) => void } = {}) {
  await authorize(deps, ctx, 'region:import');
  const rows = parseRegionCsv(text);
  const validFrom = opts.validFrom ?? '1949-10-01';
  return withTransaction(deps.db, async (tx) => {
    const inFile = new Map<string, ParsedRow>();
    const errors: FieldError[] = [];
    for (const r of rows) {
      const dup = inFile.get(r.code);
      if (dup) errors.push({ field: `line ${r.line}`, message: `code ${r.code} already on line ${dup.line}` });
      inFile.set(r.code, r);
    }
    const existing = await store.currentLevels(tx, [...new Set([...rows.map((r) => r.code), ...rows.map((r) => r.parent).filter((p): p is string => p !== null)])], today());
    for (const r of rows) {
      const parentLevel = r.parent === null ? null : (inFile.get(r.parent)?.level ?? existing.get(r.parent) ?? null);
      if (r.parent !== null && parentLevel === null) {
        errors.push({ field: `line ${r.line}`, message: `parent ${r.parent} is neither in the file nor in the platform` });
        continue;
      }
      const problem = codeFitsParent(r.code, r.level, r.parent, parentLevel);
      if (problem) errors.push({ field: `line ${r.line}`, message: problem });
      const current = existing.get(r.code);
      if (current && current !== r.level) errors.push({ field: `line ${r.line}`, message: `code ${r.code} exists as a ${current}, not a ${r.level}` });
      if (errors.length >= 100) break;
    }
    if (errors.length) throw new Invalid(`the CSV has ${errors.length} invalid line(s); nothing was imported`, errors);
    const fresh = rows.filter((r) => !existing.has(r.code)).sort((a, b) => LEVELS.indexOf(a.level) - LEVELS.indexOf(b.level));
    const known = rows.filter((r) => existing.has(r.code));
    const total = rows.length;
    for (let i = 0; i < fresh.length; i += 1000) {
      await store.insertRegions(
        tx,
        fresh.slice(i, i + 1000).map((r) => ({
          code: r.code, level: r.level, parent_code: r.parent, name: r.name, name_en: r.nameEn, population: r.population,
          boundary: null, area_km2: null, centroid: null, bbox: null, valid_from: validFrom, change_id: null,
        })),
      );
      opts.onProgress?.(Math.min(i + 1000, fresh.length), total);
    }
    for (const r of known) {
      await store.updateCurrentRegion(tx, r.code, { name: r.name, ...(r.nameEn ? { name_en: r.nameEn } : {}), ...(r.population !== null ? { population: r.population } : {}) });
    }
    opts.onProgress?.(total, total);
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'region.imported', resourceType: 'region', details: { inserted: fresh.length, updated: known.length } });
    await publish(tx, { topic: 'region.imported', payload: { inserted: fresh.length, updated: known.length } });
    return { inserted: fresh.length, updated: known.length, total };
  });
}

/** Imports boundaries from a GeoJSON FeatureCollection whose features carry `properties.code`. All or nothing. */
export async function importBoundaries(deps: Deps, ctx: RequestContext, doc: unknown, opts: { onProgress?: (done: number, total: number) => void } = {}) {
  await authorize(deps, ctx, 'region:import');
  if (!doc || typeof doc !== 'object' || (doc as { type?: unknown }).type !== 'FeatureCollection' || !Array.isArray((doc as { features?: unknown }).features)) {
    throw new Invalid('expected a GeoJSON FeatureCollection', [{ field: 'type', message: 'must be "FeatureCollection" with a features array' }]);
  }
  const features = (doc as { features: unknown[] }).features;
  const errors: FieldError[] = [];
  const parsed: { code: string; geometry: BoundaryGeometry }[] = [];
  features.forEach((f, i) => {
    const props = (f as { properties?: Record<string, unknown> } | null)?.properties ?? {};
    const raw = props.code ?? props.adcode;
    const code = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : '';
    const geometry = BoundaryGeometry.safeParse((f as { geometry?: unknown } | null)?.geometry);
    if (!/^\d{12}(\d{3})?$/.test(code)) errors.push({ field: `features[${i}]`, message: `properties.code "${code}" is not a division code` });
    else if (!geometry.success) errors.push({ field: `features[${i}]`, message: 'geometry must be a GeoJSON Polygon or MultiPolygon with [lon, lat] positions' });
    else {
      const problem = boundaryProblem(geometry.data);
      if (problem) errors.push({ field: `features[${i}]`, message: problem });
      else parsed.push({ code, geometry: geometry.data });
    }
  });
  if (errors.length) throw new Invalid(`${errors.length} feature(s) are invalid; nothing was imported`, errors.slice(0, 100));
  if (parsed.length === 0) throw new Invalid('the collection holds no features', [{ field: 'features', message: 'empty' }]);
  return withTransaction(deps.db, async (tx) => {
    const existing = await store.currentLevels(tx, parsed.map((p) => p.code), today());
    const unknown = parsed.map((p, i) => ({ p, i })).filter(({ p }) => !existing.has(p.code));
    if (unknown.length) throw new Invalid(`${unknown.length} feature(s) name regions that do not exist; nothing was imported`, unknown.slice(0, 100).map(({ p, i }) => ({ field: `features[${i}]`, message: `no current region ${p.code}` })));
    let done = 0;
    for (const p of parsed) {
      await store.updateCurrentRegion(tx, p.code, { boundary: p.geometry, area_km2: areaKm2(p.geometry), centroid: centroidOf(p.geometry), bbox: boxLiteral(bboxOf(p.geometry)) });
      if (++done % 500 === 0) opts.onProgress?.(done, parsed.length);
    }
    opts.onProgress?.(parsed.length, parsed.length);
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'region.boundaries-imported', resourceType: 'region', details: { updated: parsed.length } });
    return { inserted: 0, updated: parsed.length, total: parsed.length };
  });
}
