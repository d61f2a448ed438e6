// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { isPeriodKey, lastPeriods, nextPeriod, periodAt, periodBounds, periodOfDate, periodRange, previousPeriod } from './indicator-periods.ts';

describe('indicator periods', () => {
  it('names the period of an instant in China Standard Time', () => {
    // 2026-11-30T17:00Z is 2026-12-01 01:00 in Beijing
    const at = new Date('2026-11-30T17:00:00Z');
    expect(periodAt('day', at)).toBe('2026-12-01');
    expect(periodAt('month', at)).toBe('2026-12');
    expect(periodAt('quarter', at)).toBe('2026-Q4');
    expect(periodAt('year', new Date('2026-12-31T16:00:00Z'))).toBe('2027');
    expect(periodAt('week', new Date('2026-11-27T04:00:00Z'))).toBe('2026-W48');
  });

  it('follows ISO weeks across years', () => {
    expect(periodOfDate('week', '2021-01-03')).toBe('2020-W53');
    expect(periodOfDate('week', '2024-12-30')).toBe('2025-W01');
    expect(isPeriodKey('week', '2020-W53')).toBe(true);
    expect(isPeriodKey('week', '2021-W53')).toBe(false);
    expect(nextPeriod('week', '2020-W53')).toBe('2021-W01');
  });

  it('bounds a period by local midnights', () => {
    expect(periodBounds('month', '2026-02')).toEqual({ start: new Date('2026-01-31T16:00:00Z'), end: new Date('2026-02-28T16:00:00Z') });
    expect(periodBounds('quarter', '2026-Q4').end).toEqual(new Date('2026-12-31T16:00:00Z'));
    expect(() => periodBounds('month', '2026-13')).toThrow(RangeError);
    expect(isPeriodKey('day', '2026-02-30')).toBe(false);
  });

  it('ranges, steps and counts back', () => {
    expect(periodRange('month', '2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(periodRange('quarter', '2026-Q3', '2026-Q2')).toEqual([]);
    expect(() => periodRange('day', '2000-01-01', '2026-01-01')).toThrow(RangeError);
    expect(previousPeriod('year', '2026')).toBe('2025');
    expect(lastPeriods('month', '2026-02', 3)).toEqual(['2025-12', '2026-01', '2026-02']);
  });
});
