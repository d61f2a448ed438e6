// SPDX-License-Identifier: Apache-2.0
// The twin as an indicator source: the observations of a numeric attribute of an entity type, placed in the
// period they were observed in (received, when the source gave no time) — their sum or their number.
import type { MeasureWindow, Params } from '../../platform/measure.ts';
import { CORE_CONTEXT, expand } from './ngsi-context.ts';

export type TwinMeasure = { entityType: string; attribute: string; aggregate: 'sum' | 'count' };

/** The measure's rows (see server/platform/measure.ts). */
export function twinMeasureSql(m: TwinMeasure, window: MeasureWindow, p: Params): string {
  const at = 'coalesce(h.observed_at, h.received_at)';
  const value = m.aggregate === 'count' ? '1::float8' : `(h.instance ->> 'value')::float8`;
  return `SELECT h.region_code, ${at} AS at, ${value} AS v, h.received_at AS changed_at
            FROM twin_attribute_history h JOIN twin_entity e ON e.id = h.entity_id
           WHERE e.type = ${p.param(expand(CORE_CONTEXT, m.entityType))} AND h.attr = ${p.param(expand(CORE_CONTEXT, m.attribute))}
             AND jsonb_typeof(h.instance -> 'value') = 'number'
             AND ${at} >= ${p.param(window.from)} AND ${at} < ${p.param(window.to)}`;
}
