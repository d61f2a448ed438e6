// SPDX-License-Identifier: Apache-2.0
// Aggregated temporal representation (aggrMethods with aggrPeriodDuration) computed over the history.
import { Invalid } from '../../platform/errors.ts';
import type { HistoryRow } from './entities.store.ts';

/** The aggregation methods offered. */
export const AGGR_METHODS = ['sum', 'avg', 'min', 'max', 'totalCount'] as const;
export type AggrMethod = (typeof AGGR_METHODS)[number];

type Duration = { years: number; months: number; days: number; ms: number };

/** Parses an ISO 8601 duration (PnYnMnWnDTnHnMnS); P0D means one period over the whole range. */
export function parseDuration(text: string): Duration {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) throw new Invalid(`aggrPeriodDuration ${text} is not an ISO 8601 duration`, [{ field: 'aggrPeriodDuration', message: 'e.g. PT1H, P1D, P1M' }]);
  const n = (i: number) => Number(m[i] ?? 0);
  return { years: n(1), months: n(2), days: n(3) * 7 + n(4), ms: ((n(5) * 60 + n(6)) * 60 + n(7)) * 1000 };
}

function add(t: number, d: Duration): number {
  const date = new Date(t);
  if (d.years || d.months) date.setUTCMonth(date.getUTCMonth() + d.years * 12 + d.months);
  return date.getTime() + d.days * 86_400_000 + d.ms;
}

/** Parses aggrMethods=sum,avg into known methods. */
export function parseAggrMethods(text: string): AggrMethod[] {
  const list = text.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.filter((m) => !(AGGR_METHODS as readonly string[]).includes(m));
  if (bad.length || list.length === 0) throw new Invalid(`aggrMethods must be among ${AGGR_METHODS.join(', ')}`, [{ field: 'aggrMethods', message: bad.length ? `unknown: ${bad.join(', ')}` : 'empty' }]);
  return list as AggrMethod[];
}

/**
 * Aggregates each attribute's values per period, from `start` (or the first instance) to `end` (or the
 * last): `{ type, avg: [[value, periodStart, periodEnd], …], … }`. Non-numeric values count in totalCount only.
 */
export function aggregate(history: HistoryRow[], methods: AggrMethod[], period: Duration, range: { from?: string; to?: string }): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  const byAttr = new Map<string, HistoryRow[]>();
  for (const h of history) {
    if (!h.instance) continue;
    const list = byAttr.get(h.attr) ?? [];
    list.push(h);
    byAttr.set(h.attr, list);
  }
  const whole = period.years + period.months + period.days + period.ms === 0;
  for (const [attr, rows] of byAttr) {
    const at = (h: HistoryRow) => (h.observed_at ?? h.received_at).getTime();
    const times = rows.map(at);
    const start = range.from ? Date.parse(range.from) : Math.min(...times);
    const end = range.to ? Date.parse(range.to) : Math.max(...times) + 1;
    const buckets: { from: number; to: number; values: unknown[] }[] = [];
    if (whole) buckets.push({ from: start, to: end, values: [] });
    else for (let t = start; t < end && buckets.length < 10_000; t = add(t, period)) buckets.push({ from: t, to: Math.min(add(t, period), end), values: [] });
    for (const h of rows) {
      const t = at(h);
      const b = buckets.find((x) => t >= x.from && t < x.to);
      if (b) b.values.push(h.instance?.type === 'Relationship' ? h.instance.object : h.instance?.value);
    }
    const result: Record<string, unknown> = { type: rows[0]?.instance?.type ?? 'Property' };
    for (const m of methods) {
      result[m] = buckets
        .filter((b) => b.values.length > 0)
        .map((b) => {
          const nums = b.values.filter((v): v is number => typeof v === 'number');
          const value =
            m === 'totalCount' ? b.values.length
            : nums.length === 0 ? null
            : m === 'sum' ? nums.reduce((a, x) => a + x, 0)
            : m === 'avg' ? nums.reduce((a, x) => a + x, 0) / nums.length
            : m === 'min' ? Math.min(...nums)
            : Math.max(...nums);
          return [value, new Date(b.from).toISOString(), new Date(b.to).toISOString()];
        });
    }
    out.set(attr, result);
  }
  return out;
}
