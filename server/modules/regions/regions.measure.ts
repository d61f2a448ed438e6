// SPDX-License-Identifier: Apache-2.0
// Regions as an indicator source — their population or their number at a level, which hold for every
// period — and the list of current regions an indicator is computed for.
import type { Level } from '../../../contracts/regions.ts';
import type { Executor } from '../../platform/db.ts';
import type { Params } from '../../platform/measure.ts';

/** The measure's rows (see server/platform/measure.ts): `at` is NULL, the value holds for every period. */
export function regionMeasureSql(m: { kind: 'population' | 'regions'; level: Level }, p: Params): string {
  const v = m.kind === 'population' ? 'population::float8' : '1::float8';
  const where = [`valid_to IS NULL`, `level = ${p.param(m.level)}`, ...(m.kind === 'population' ? ['population IS NOT NULL'] : [])];
  return `SELECT code AS region_code, NULL::timestamptz AS at, ${v} AS v, updated_at AS changed_at FROM region WHERE ${where.join(' AND ')}`;
}

/** A current region an indicator is computed for. */
export type RollupRegion = { code: string; level: Level; name: string };

/** The current regions of the given levels, optionally under a code prefix. */
export async function currentRegionsAt(db: Executor, levels: readonly Level[], prefix = ''): Promise<RollupRegion[]> {
  const { rows } = await db.query<RollupRegion>(
    `SELECT code, level, name FROM region WHERE valid_to IS NULL AND level = ANY ($1::text[]) AND code LIKE $2 ORDER BY code`,
    [levels, `${prefix}%`],
  );
  return rows;
}
