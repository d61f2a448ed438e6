// SPDX-License-Identifier: Apache-2.0
// The replay against hand-computed cases: nearest first by travel time, busy until back, borrowing,
// unmet units, stocks, and percentiles.
import { describe, expect, it } from 'vitest';
import { histogram, percentile, replay, type SimIncident, type SimResource } from './simulation.engine.ts';

// On the equator one degree of longitude is 111.195 km: at 60 km/h, 0.1° takes 11.12 minutes.
const KM_PER_DEG = (6371.0088 * Math.PI) / 180;
const speeds = new Map([['truck', 60], ['bags', 30]]);
const truck = (id: string, lon: number, regionCode = '110101000000'): SimResource => ({ id, type: 'truck', capabilities: ['drainage'], regionCode, lon, lat: 0, isStock: false, quantity: 1 });
const at = (minutes: number) => Date.UTC(2026, 5, 1) + minutes * 60_000;
const incident = (id: string, minutes: number, quantity: number, extra: Partial<SimIncident> = {}): SimIncident => ({
  id, at: at(minutes), lon: 0, lat: 0, homePrefix: '110101', borrowPrefixes: [], onSceneMinutes: 60,
  requirements: [{ type: 'truck', capability: null, quantity, maxTravelMinutes: 120 }], ...extra,
});
const minutesFor = (deg: number, kmh = 60) => ((deg * KM_PER_DEG) / kmh) * 60;

describe('replay', () => {
  it('sends the nearest free units and answers when the last one is on scene', () => {
    const out = replay([incident('a', 0, 2)], [truck('far', 0.3), truck('near', 0.1), truck('mid', 0.2)], speeds);
    expect(out.responseMinutes).toHaveLength(1);
    expect(out.responseMinutes[0]).toBeCloseTo(minutesFor(0.2), 6);
    expect(out.dispatched.get('truck')).toBe(2);
    expect(out.unmetIncidents).toBe(0);
  });

  it('keeps a unit busy for the way there, the time on scene and the way back', () => {
    const trip = 2 * minutesFor(0.1) + 60;
    const busy = replay([incident('a', 0, 1), incident('b', trip - 1, 1)], [truck('near', 0.1), truck('far', 0.5)], speeds);
    expect(busy.responseMinutes[1]).toBeCloseTo(minutesFor(0.5), 6);
    const back = replay([incident('a', 0, 1), incident('b', trip + 1, 1)], [truck('near', 0.1), truck('far', 0.5)], speeds);
    expect(back.responseMinutes[1]).toBeCloseTo(minutesFor(0.1), 6);
  });

  it('borrows from the neighbouring county what the county lacks, and counts what nobody has', () => {
    const next = truck('next', 0.05, '110102000000');
    const out = replay([incident('a', 0, 3, { borrowPrefixes: ['110102'] })], [truck('home', 0.2), next], speeds);
    expect(out.borrowedIncidents).toBe(1);
    expect(out.borrowedUnits.get('110102000000')).toBe(1);
    // the county's own unit goes first although the neighbour's is nearer
    expect(out.dispatched.get('truck')).toBe(2);
    expect(out.unmetIncidents).toBe(1);
    expect(out.unmetUnits.get('truck')).toBe(1);
    expect(out.responseMinutes).toEqual([]);
    // without borrowing allowed the neighbour's unit stays home
    expect(replay([incident('a', 0, 2)], [truck('home', 0.2), next], speeds).unmetUnits.get('truck')).toBe(1);
  });

  it('leaves out units too far away and those without the capability', () => {
    const slow = incident('a', 0, 1, { requirements: [{ type: 'truck', capability: 'drainage', quantity: 1, maxTravelMinutes: minutesFor(0.15) }] });
    expect(replay([slow], [truck('far', 0.2)], speeds).unmetIncidents).toBe(1);
    const needsBoat = incident('a', 0, 1, { requirements: [{ type: 'truck', capability: 'water-rescue', quantity: 1, maxTravelMinutes: 120 }] });
    expect(replay([needsBoat], [truck('near', 0.1)], speeds).unmetIncidents).toBe(1);
  });

  it('takes stock by quantity and gives it back after the work', () => {
    const bags: SimResource = { id: 'depot', type: 'bags', capabilities: [], regionCode: '110101000000', lon: 0.1, lat: 0, isStock: true, quantity: 1000 };
    const need = (id: string, minutes: number, quantity: number) => incident(id, minutes, 0, { requirements: [{ type: 'bags', capability: null, quantity, maxTravelMinutes: 120 }] });
    const out = replay([need('a', 0, 800), need('b', 1, 300), need('c', 10_000, 300)], [bags], speeds);
    expect(out.unmetUnits.get('bags')).toBe(100);
    expect(out.dispatched.get('bags')).toBe(800 + 200 + 300);
    expect(out.responseMinutes.map((m) => Math.round(m * 100) / 100)).toEqual([minutesFor(0.1, 30), minutesFor(0.1, 30)].map((m) => Math.round(m * 100) / 100));
  });

  it('percentiles by nearest rank, and buckets', () => {
    const v = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(v, 50)).toBe(5);
    expect(percentile(v, 95)).toBe(10);
    expect(percentile([], 50)).toBeNull();
    expect(histogram([5, 14.9, 15, 130]).map((b) => b.count)).toEqual([2, 1, 0, 0, 0, 0, 1]);
  });
});
