// SPDX-License-Identifier: Apache-2.0
// Public surface of the regions module.
import { today } from '../../platform/clock.ts';
import type { Executor } from '../../platform/db.ts';
import { deepestContaining, findRegion, findRegions, insertRegions, type RegionRow } from './regions.store.ts';
import { containsPoint } from './geo.ts';
import { generateDemoProvince } from './demo-province.ts';

export * from './regions.service.ts';
export { importBoundaries, importRegionsCsv, parseCsv } from './region-import.service.ts';
export { DEMO_BOUNDS, demoShape, generateDemoProvince, rng } from './demo-province.ts';
export { regionRoutes } from './regions.routes.ts';

/** The current row of a region, for other modules' validation (no scope check: callers decide). */
export function findCurrentRegion(db: Executor, code: string): Promise<RegionRow | undefined> {
  return findRegion(db, code, today());
}

/** The current rows of several regions at once (codes without a current region are left out; no scope check). */
export function findCurrentRegions(db: Executor, codes: string[]): Promise<RegionRow[]> {
  return findRegions(db, codes, today());
}

/** The smallest current region containing a point, platform-wide (for placing things; no scope check). */
export async function locateRegionWith(db: Executor, lon: number, lat: number): Promise<RegionRow | undefined> {
  return deepestContaining(db, lon, lat, today(), '', (g) => containsPoint(g, lon, lat));
}

/** Writes the generated demo province (caller holds the transaction). */
export async function insertDemoProvince(tx: Executor, opts: Parameters<typeof generateDemoProvince>[0], onProgress?: (done: number, total: number) => void): Promise<number> {
  const rows = generateDemoProvince(opts);
  for (let i = 0; i < rows.length; i += 2000) {
    await insertRegions(tx, rows.slice(i, i + 2000));
    onProgress?.(Math.min(i + 2000, rows.length), rows.length);
  }
  return rows.length;
}
export { currentRegionsAt, regionMeasureSql, type RollupRegion } from './regions.measure.ts';
