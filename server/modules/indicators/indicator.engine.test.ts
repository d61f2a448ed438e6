// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { classify, rollUp, shortfall, targetGap, formulaProblems, type ComponentRow } from './indicator.engine.ts';
import type { Level } from '../../../contracts/regions.ts';

// A county (330101) with two townships; township 001 has villages 001 and 002, township 002 has village 001.
const COUNTY = '330101000000';
const T1 = '330101001000';
const T2 = '330101002000';
const V11 = '330101001001';
const V12 = '330101001002';
const V21 = '330101002001';
const regions: { code: string; level: Level }[] = [
  { code: COUNTY, level: 'county' },
  { code: T1, level: 'township' },
  { code: T2, level: 'township' },
  { code: V11, level: 'village' },
  { code: V12, level: 'village' },
  { code: V21, level: 'village' },
];
const valueAt = (out: ReturnType<typeof rollUp>, code: string, period = '2026-01') => out.find((v) => v.regionCode === code && v.period === period);

describe('rollUp', () => {
  it('recomputes a ratio from its components at every level, never averaging averages', () => {
    // village 11: 9 of 10 done (90%); village 12: 1 of 10 (10%); village 21: 1 of 100 (1%)
    const n: ComponentRow[] = [{ code: V11, period: '2026-01', v: 9 }, { code: V12, period: '2026-01', v: 1 }, { code: V21, period: '2026-01', v: 1 }];
    const d: ComponentRow[] = [{ code: V11, period: '2026-01', v: 10 }, { code: V12, period: '2026-01', v: 10 }, { code: V21, period: '2026-01', v: 100 }];
    const out = rollUp({ formula: { factor: 100, aggregation: 'recompute', hasDenominator: true }, periods: ['2026-01'], regions, numerator: n, denominator: d, required: { numerator: false, denominator: false } });
    expect(valueAt(out, V11)?.value).toBeCloseTo(90);
    expect(valueAt(out, T1)?.value).toBeCloseTo(50); // 10 / 20, which here equals the mean of 90 and 10
    expect(valueAt(out, T2)?.value).toBeCloseTo(1);
    // the county: 11 / 120 = 9.1667 %, not the mean of the townships (25.5) nor of the villages (33.67)
    expect(valueAt(out, COUNTY)?.value).toBeCloseTo(9.1667, 3);
    expect(valueAt(out, COUNTY)).toMatchObject({ numerator: 11, denominator: 120, missing: 0 });
  });

  it('gives no value where the denominator is zero, and zero counts where nothing happened', () => {
    const n: ComponentRow[] = [{ code: V11, period: '2026-01', v: 3 }];
    const ratio = rollUp({ formula: { factor: 1, aggregation: 'recompute', hasDenominator: true }, periods: ['2026-01'], regions, numerator: n, denominator: [], required: { numerator: false, denominator: false } });
    expect(valueAt(ratio, V11)?.value).toBeNull();
    const count = rollUp({ formula: { factor: 1, aggregation: 'recompute', hasDenominator: false }, periods: ['2026-01'], regions, numerator: n, denominator: null, required: { numerator: false, denominator: false } });
    expect(valueAt(count, V11)?.value).toBe(3);
    expect(valueAt(count, V21)?.value).toBe(0);
    expect(valueAt(count, COUNTY)?.value).toBe(3);
  });

  it('spreads period-less rows (population) over every period, per 10,000 people', () => {
    const n: ComponentRow[] = [{ code: V11, period: '2026-01', v: 2 }, { code: V11, period: '2026-02', v: 4 }, { code: '330101001001005', period: '2026-02', v: 1 }];
    const pop: ComponentRow[] = [{ code: V11, period: null, v: 5000 }, { code: V12, period: null, v: 5000 }];
    const out = rollUp({ formula: { factor: 10000, aggregation: 'recompute', hasDenominator: true }, periods: ['2026-01', '2026-02'], regions, numerator: n, denominator: pop, required: { numerator: false, denominator: false } });
    expect(valueAt(out, T1, '2026-01')?.value).toBeCloseTo(2); // 2 / 10,000 × 10,000
    expect(valueAt(out, T1, '2026-02')?.value).toBeCloseTo(5); // the grid's row counts in its village
    expect(valueAt(out, V11, '2026-02')?.value).toBeCloseTo(10);
    expect(valueAt(out, T2, '2026-02')?.value).toBeNull();
  });

  it('pairs reported components: a village without its report neither counts nor biases the ratio, and is missing', () => {
    // reported numerator (households covered) over population; village 12 did not report
    const n: ComponentRow[] = [{ code: V11, period: '2026-01', v: 80 }, { code: V21, period: '2026-01', v: 30 }];
    const pop: ComponentRow[] = [{ code: V11, period: null, v: 100 }, { code: V12, period: null, v: 1000 }, { code: V21, period: null, v: 100 }];
    const out = rollUp({
      formula: { factor: 100, aggregation: 'recompute', hasDenominator: true }, periods: ['2026-01'], regions, numerator: n, denominator: pop,
      required: { numerator: true, denominator: false }, expected: [V11, V12, V21],
    });
    expect(valueAt(out, T1)).toMatchObject({ value: 80, missing: 1, numerator: 80, denominator: 100 }); // not 80 / 1100
    expect(valueAt(out, COUNTY)).toMatchObject({ value: 55, missing: 1 }); // 110 / 200
    expect(valueAt(out, V12)).toMatchObject({ value: null, missing: 1 });
    expect(valueAt(out, T2)).toMatchObject({ value: 30, missing: 0 });
  });

  it('weights averages by the denominator', () => {
    // average income 100 over 1 person, 200 over 3 people → (100 + 600) / 4 = 175
    const n: ComponentRow[] = [{ code: V11, period: '2026-01', v: 100 }, { code: V12, period: '2026-01', v: 200 }];
    const w: ComponentRow[] = [{ code: V11, period: '2026-01', v: 1 }, { code: V12, period: '2026-01', v: 3 }];
    const out = rollUp({ formula: { factor: 1, aggregation: 'weighted_average', hasDenominator: true }, periods: ['2026-01'], regions, numerator: n, denominator: w, required: { numerator: true, denominator: true }, expected: [V11, V12, V21] });
    expect(valueAt(out, T1)?.value).toBeCloseTo(175);
    expect(valueAt(out, COUNTY)).toMatchObject({ missing: 1 });
    expect(valueAt(out, COUNTY)?.value).toBeCloseTo(175);
    expect(valueAt(out, T2)?.value).toBeNull();
  });

  it('sums', () => {
    const n: ComponentRow[] = [{ code: V11, period: '2026-01', v: 1.5 }, { code: V21, period: '2026-01', v: 2 }, { code: V21, period: '2025-12', v: 99 }];
    const out = rollUp({ formula: { factor: 2, aggregation: 'sum', hasDenominator: false }, periods: ['2026-01'], regions, numerator: n, denominator: null, required: { numerator: false, denominator: false } });
    expect(valueAt(out, COUNTY)?.value).toBe(7);
    expect(out).toHaveLength(6);
  });
});

describe('thresholds and targets', () => {
  it('classifies values strictly worse than a threshold', () => {
    const hb = { direction: 'higher_better' as const, warn: 90, alarm: 80 };
    expect(classify(95, hb)).toBe('normal');
    expect(classify(90, hb)).toBe('normal');
    expect(classify(89.9, hb)).toBe('warn');
    expect(classify(79, hb)).toBe('alarm');
    expect(classify(null, hb)).toBe('none');
    const lb = { direction: 'lower_better' as const, warn: 5, alarm: null };
    expect(classify(6, lb)).toBe('warn');
    expect(classify(5, lb)).toBe('normal');
    expect(classify(1e9, { direction: 'lower_better', warn: null, alarm: null })).toBe('normal');
  });

  it('measures the gap to the target either way', () => {
    expect(targetGap(92, 95, 'higher_better')).toEqual({ gap: -3, onTarget: false });
    expect(targetGap(3, 5, 'lower_better')).toEqual({ gap: -2, onTarget: true });
    expect(targetGap(null, 5, 'lower_better')).toEqual({ gap: null, onTarget: null });
    expect(shortfall(92, 95, 'higher_better')).toBe(3);
    expect(shortfall(92, null, 'higher_better')).toBe(-92);
    expect(shortfall(8, 5, 'lower_better')).toBe(3);
  });

  it('rejects unsound formulas', () => {
    expect(formulaProblems({ aggregation: 'sum', hasDenominator: true, direction: 'higher_better', warn: null, alarm: null })).toHaveLength(1);
    expect(formulaProblems({ aggregation: 'weighted_average', hasDenominator: false, direction: 'higher_better', warn: null, alarm: null })).toHaveLength(1);
    expect(formulaProblems({ aggregation: 'recompute', hasDenominator: true, direction: 'higher_better', warn: 80, alarm: 90 })).toHaveLength(1);
    expect(formulaProblems({ aggregation: 'recompute', hasDenominator: true, direction: 'lower_better', warn: 80, alarm: 90 })).toHaveLength(0);
  });
});
