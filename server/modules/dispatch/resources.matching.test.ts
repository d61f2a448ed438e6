// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { byTravelTime, cover, coveredAt, distanceKm, kmLowerBound, type Scored, travelMinutes } from './resources.matching.ts';

describe('matching arithmetic', () => {
  it('measures straight-line distance and travel time', () => {
    // one degree of latitude is 111.19 km on the mean sphere
    expect(distanceKm([113, 28], [113, 29])).toBeCloseTo(111.195, 2);
    // one degree of longitude at 28° N: 111.195 · cos 28° = 98.18 km
    expect(distanceKm([113, 28], [114, 28])).toBeCloseTo(98.18, 1);
    expect(travelMinutes(20, 40)).toBe(30);
  });
  it('never bounds above the true distance', () => {
    for (const [dx, dy] of [[0.1, 0], [0, 0.1], [0.3, 0.4], [1, 1]] as const) {
      const deg = Math.hypot(dx, dy);
      expect(kmLowerBound(deg, 28.5)).toBeLessThanOrEqual(distanceKm([113, 28.5], [113 + dx, 28.5 + dy]));
    }
  });
  it('covers a need nearest first, stocks by what they hold', () => {
    const c = (id: string, minutes: number, available: number): Scored => ({ id, km: minutes, minutes, available });
    const sorted = [c('b', 5, 30), c('a', 5, 10), c('c', 9, 100)].sort(byTravelTime);
    expect(sorted.map((x) => x.id)).toEqual(['a', 'b', 'c']);
    expect(cover(sorted, 50).picks.map((p) => [p.candidate.id, p.take])).toEqual([['a', 10], ['b', 30], ['c', 10]]);
    expect(cover(sorted, 500).shortfall).toBe(360);
    expect(coveredAt(sorted, 40)).toBe(5);
    expect(coveredAt(sorted, 41)).toBe(9);
    expect(coveredAt(sorted, 141)).toBe(Infinity);
  });
});
