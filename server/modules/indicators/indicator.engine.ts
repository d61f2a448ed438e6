// SPDX-License-Identifier: Apache-2.0
// The indicator formula, pure: numerator and denominator rows placed in regions and periods are paired at
// their leaf region, summed up the hierarchy by code prefix, and each region's value computed by the
// indicator's aggregation —
//   recompute         factor × Σnumerator / Σdenominator (ratios are recomputed from their components,
//                     never averaged averages)
//   weighted_average  Σ(factor × numerator × denominator) / Σdenominator — the numerator is a value per
//                     leaf (an average income), the denominator its weight (the population)
//   sum               factor × Σnumerator
// Missing data: when a component is reported by organizations, a leaf counts only when every reported
// component is there (a ratio is not biased by a missing report), and each region says how many of its
// reporting regions are missing; a region none of whose reporting regions reported has no value.
import type { Aggregation, Direction, ValueStatus } from '../../../contracts/indicators.ts';
import { type Level, PREFIX_LENGTH } from '../../../contracts/regions.ts';

/** A row of a component at a leaf region; `period` null holds for every period (population). */
export type ComponentRow = { code: string; period: string | null; v: number };

export type Formula = { factor: number; aggregation: Aggregation; hasDenominator: boolean };

export type RollupInput = {
  formula: Formula;
  periods: readonly string[];
  /** the regions to give values for */
  regions: readonly { code: string; level: Level }[];
  numerator: readonly ComponentRow[];
  denominator: readonly ComponentRow[] | null;
  /** components that are reported: a leaf without one of them is missing */
  required: { numerator: boolean; denominator: boolean };
  /** the regions expected to report (the reporting level), when a component is reported */
  expected?: readonly string[];
};

export type ComputedValue = {
  regionCode: string;
  level: Level;
  period: string;
  numerator: number;
  denominator: number | null;
  value: number | null;
  missing: number;
};

type Acc = { n: number; d: number; nd: number; leaves: number };

/** Values of every region in `regions` for every period in `periods`. */
export function rollUp(input: RollupInput): ComputedValue[] {
  const { formula, periods } = input;
  const inPeriods = new Set(periods);
  // 1. leaves: (period, code) → components
  const leaves = new Map<string, { period: string; code: string; n: number; d: number; hasN: boolean; hasD: boolean }>();
  const add = (rows: readonly ComponentRow[], which: 'n' | 'd') => {
    for (const r of rows) {
      for (const period of r.period === null ? periods : inPeriods.has(r.period) ? [r.period] : []) {
        const key = `${period}|${r.code}`;
        let leaf = leaves.get(key);
        if (!leaf) leaves.set(key, (leaf = { period, code: r.code, n: 0, d: 0, hasN: false, hasD: false }));
        if (which === 'n') {
          leaf.n += r.v;
          leaf.hasN = true;
        } else {
          leaf.d += r.v;
          leaf.hasD = true;
        }
      }
    }
  };
  add(input.numerator, 'n');
  if (input.denominator) add(input.denominator, 'd');

  // 2. sums by (period, prefix) for every prefix length the regions need
  const lengths = [...new Set(input.regions.map((r) => PREFIX_LENGTH[r.level]))];
  const sums = new Map<string, Acc>();
  for (const leaf of leaves.values()) {
    if ((input.required.numerator && !leaf.hasN) || (input.required.denominator && !leaf.hasD)) continue;
    for (const len of lengths) {
      if (leaf.code.length < len) continue;
      const key = `${leaf.period}|${leaf.code.slice(0, len)}`;
      let acc = sums.get(key);
      if (!acc) sums.set(key, (acc = { n: 0, d: 0, nd: 0, leaves: 0 }));
      acc.n += leaf.n;
      acc.d += leaf.d;
      acc.nd += leaf.n * leaf.d;
      acc.leaves += 1;
    }
  }

  // 3. how many reporting regions each region has
  const reported = input.required.numerator || input.required.denominator;
  const expected = new Map<string, number>();
  if (reported) {
    for (const code of input.expected ?? []) {
      for (const len of lengths) {
        if (code.length < len) continue;
        const key = code.slice(0, len);
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
    }
  }

  // 4. values
  const out: ComputedValue[] = [];
  for (const region of input.regions) {
    const prefix = region.code.slice(0, PREFIX_LENGTH[region.level]);
    for (const period of periods) {
      const acc = sums.get(`${period}|${prefix}`) ?? { n: 0, d: 0, nd: 0, leaves: 0 };
      const missing = reported ? Math.max(0, (expected.get(prefix) ?? 0) - acc.leaves) : 0;
      out.push({
        regionCode: region.code,
        level: region.level,
        period,
        numerator: acc.n,
        denominator: formula.hasDenominator ? acc.d : null,
        value: reported && acc.leaves === 0 ? null : valueOf(formula, acc),
        missing,
      });
    }
  }
  return out;
}

function valueOf(f: Formula, acc: Acc): number | null {
  switch (f.aggregation) {
    case 'sum':
      return f.factor * acc.n;
    case 'weighted_average':
      return acc.d !== 0 ? (f.factor * acc.nd) / acc.d : null;
    case 'recompute':
      if (!f.hasDenominator) return f.factor * acc.n;
      return acc.d !== 0 ? (f.factor * acc.n) / acc.d : null;
  }
}

export type Thresholds = { direction: Direction; warn: number | null; alarm: number | null };

/** A value's status against thresholds: alarm/warn when strictly worse than the threshold, none without a value. */
export function classify(value: number | null, t: Thresholds): ValueStatus {
  if (value === null) return 'none';
  const worse = (limit: number | null) => limit !== null && (t.direction === 'higher_better' ? value < limit : value > limit);
  if (worse(t.alarm)) return 'alarm';
  if (worse(t.warn)) return 'warn';
  return 'normal';
}

/** The gap to a target (value − target) and whether the value meets it. */
export function targetGap(value: number | null, target: number | null, direction: Direction): { gap: number | null; onTarget: boolean | null } {
  if (value === null || target === null) return { gap: null, onTarget: null };
  return { gap: value - target, onTarget: direction === 'higher_better' ? value >= target : value <= target };
}

/** How far behind a value is (larger is further behind): behind its target, else simply worse. */
export function shortfall(value: number | null, target: number | null, direction: Direction): number {
  if (value === null) return Number.POSITIVE_INFINITY;
  const sign = direction === 'higher_better' ? -1 : 1;
  return target === null ? sign * value : sign * (value - target);
}

/** Problems with a definition's formula and thresholds, as field errors (empty when it is sound). */
export function formulaProblems(def: {
  aggregation: Aggregation;
  hasDenominator: boolean;
  direction: Direction;
  warn: number | null;
  alarm: number | null;
}): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  if (def.aggregation === 'sum' && def.hasDenominator) out.push({ field: 'body.aggregation', message: 'a ratio cannot be summed up the hierarchy: use recompute' });
  if (def.aggregation === 'weighted_average' && !def.hasDenominator) out.push({ field: 'body.denominator', message: 'a weighted average needs the weight as denominator' });
  if (def.warn !== null && def.alarm !== null) {
    const ordered = def.direction === 'higher_better' ? def.alarm <= def.warn : def.alarm >= def.warn;
    if (!ordered) out.push({ field: 'body.alarm', message: def.direction === 'higher_better' ? 'alarm must not be above warn when higher is better' : 'alarm must not be below warn when lower is better' });
  }
  return out;
}
