// SPDX-License-Identifier: Apache-2.0
// What policies need of indicators: the indicator a goal names, its target written as the goal is set,
// and the current values of goals.
import type { Direction } from '../../../contracts/indicators.ts';
import { isPeriodKey, type PeriodKind } from '../../../contracts/indicator-periods.ts';
import type { Executor } from '../../platform/db.ts';
import * as store from './indicators.store.ts';

export type GoalIndicator = { id: string; code: string; name: string; unit: string; period: PeriodKind; direction: Direction; isPeriod(key: string): boolean };

/** The indicator of a goal by code or id, or undefined. */
export async function goalIndicator(db: Executor, codeOrId: string): Promise<GoalIndicator | undefined> {
  const r = await store.findIndicator(db, codeOrId);
  return r && { id: r.id, code: r.code, name: r.name, unit: r.unit, period: r.period, direction: r.direction, isPeriod: (key) => isPeriodKey(r.period, key) };
}

/** Writes goals' targets as the indicator's targets, in the caller's transaction. */
export async function setGoalTargetsIn(tx: Executor, indicatorId: string, items: readonly { regionCode: string; period: string; target: number }[], by: string): Promise<void> {
  await store.setTargets(tx, indicatorId, items, by);
}

/** Current values for (indicator, region, period) triples, keyed `indicatorId|region|period`. */
export async function goalValues(db: Executor, keys: readonly { indicatorId: string; regionCode: string; period: string }[]): Promise<Map<string, number | null>> {
  if (!keys.length) return new Map();
  const { rows } = await db.query<{ indicator_id: string; region_code: string; period: string; value: number | null }>(
    `SELECT v.indicator_id, v.region_code, v.period, v.value FROM indicator_value v
       JOIN unnest($1::uuid[], $2::text[], $3::text[]) AS k(indicator_id, region_code, period)
         ON v.indicator_id = k.indicator_id AND v.region_code = k.region_code AND v.period = k.period`,
    [keys.map((k) => k.indicatorId), keys.map((k) => k.regionCode), keys.map((k) => k.period)],
  );
  return new Map(rows.map((r) => [`${r.indicator_id}|${r.region_code}|${r.period}`, r.value]));
}
