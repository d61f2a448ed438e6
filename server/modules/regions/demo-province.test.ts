// SPDX-License-Identifier: Apache-2.0
import { booleanWithin, intersect } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import type { BoundaryGeometry } from '../../../contracts/regions.ts';
import { codeFitsParent } from '../../../contracts/region-codes.ts';
import { generateDemoProvince } from './demo-province.ts';

const feature = (g: BoundaryGeometry) => ({ type: 'Feature' as const, properties: {}, geometry: g });

describe('demo province generator', () => {
  const rows = generateDemoProvince({ villages: 600, seed: 42 });

  it('has the agreed shape under province code 99', () => {
    const count = (level: string) => rows.filter((r) => r.level === level).length;
    expect([count('province'), count('city'), count('county'), count('township'), count('village')]).toEqual([1, 3, 12, 60, 600]);
    expect(rows.every((r) => r.code.startsWith('99'))).toBe(true);
    expect(count('grid')).toBeGreaterThan(0);
  });

  it('is deterministic from its seed', () => {
    expect(generateDemoProvince({ villages: 600, seed: 42 })).toEqual(rows);
    expect(generateDemoProvince({ villages: 600, seed: 43 })[1]?.name).not.toBe(rows[1]?.name);
  });

  it('gives every code a parent it fits, and populations that add up', () => {
    const byCode = new Map(rows.map((r) => [r.code, r]));
    for (const r of rows) {
      const parent = r.parent_code ? byCode.get(r.parent_code) : undefined;
      expect(codeFitsParent(r.code, r.level, r.parent_code, parent?.level ?? null)).toBeNull();
    }
    const children = (code: string) => rows.filter((r) => r.parent_code === code && r.level !== 'grid');
    for (const r of rows.filter((x) => x.level !== 'village' && x.level !== 'grid')) {
      expect(children(r.code).reduce((a, c) => a + (c.population ?? 0), 0)).toBe(r.population);
    }
  });

  it('nests polygons inside their parents without overlapping siblings', () => {
    const byCode = new Map(rows.map((r) => [r.code, r]));
    const sample = rows.filter((r) => r.level === 'county' || r.level === 'township' || (r.level === 'village' && r.code.endsWith('1')));
    for (const r of sample) {
      const parent = byCode.get(r.parent_code as string);
      expect(booleanWithin(feature(r.boundary as BoundaryGeometry), feature(parent?.boundary as BoundaryGeometry)), r.code).toBe(true);
    }
    const counties = rows.filter((r) => r.level === 'county');
    for (let i = 0; i < counties.length; i++)
      for (let j = i + 1; j < counties.length; j++) {
        const overlap = intersect({ type: 'FeatureCollection', features: [feature(counties[i]?.boundary as BoundaryGeometry), feature(counties[j]?.boundary as BoundaryGeometry)] });
        // shared edges are fine; shared area is not
        expect(overlap === null || (overlap.geometry.type === 'Polygon' && areaOf(overlap.geometry.coordinates) < 1e-9)).toBe(true);
      }
  });
});

function areaOf(coords: number[][][]): number {
  const ring = coords[0] ?? [];
  let a = 0;
  for (let i = 0; i < ring.length - 1; i++) a += (ring[i]?.[0] ?? 0) * (ring[i + 1]?.[1] ?? 0) - (ring[i + 1]?.[0] ?? 0) * (ring[i]?.[1] ?? 0);
  return Math.abs(a / 2);
}
