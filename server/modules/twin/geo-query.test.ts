// SPDX-License-Identifier: Apache-2.0
import { bbox as turfBbox, destination, distance, pointToLineDistance } from '@turf/turf';
import type { Geometry, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { rng } from '../regions/index.ts';
import { openMemoryDatabase } from '../../platform/db.ts';
import { geoMatches, geoPrefilter, GeoQueryError, parseGeoQuery, type GeoQuery } from './geo-query.ts';

type G = GeoQuery['geometry'];

// 1 km along a meridian: 1000 / 6 371 008.8 m (turf's mean radius) in degrees.
const KM_LAT = 0.0089932;
const HD: Position = [8.68, 49.41];

const query = (georel: string, geometry: string, coordinates: unknown, geoproperty?: string): GeoQuery => {
  const q = parseGeoQuery({ georel, geometry, coordinates: typeof coordinates === 'string' ? coordinates : JSON.stringify(coordinates), geoproperty });
  if (!q) throw new Error('expected a geo-query');
  return q;
};
const pt = (c: Position): G => ({ type: 'Point', coordinates: c });
const square = (x1: number, y1: number, x2: number, y2: number): Position[][] => [[[x1, y1], [x2, y1], [x2, y2], [x1, y2], [x1, y1]]];
const poly = (x1: number, y1: number, x2: number, y2: number): G => ({ type: 'Polygon', coordinates: square(x1, y1, x2, y2) });

function blame(params: Parameters<typeof parseGeoQuery>[0]): string {
  try {
    parseGeoQuery(params);
  } catch (err) {
    if (err instanceof GeoQueryError) return err.parameter;
    throw err;
  }
  return 'no error';
}

describe('parseGeoQuery', () => {
  it('returns undefined when no geo parameter is given (empty values count as absent)', () => {
    expect(parseGeoQuery({})).toBeUndefined();
    expect(parseGeoQuery({ georel: '', geometry: '', coordinates: '', geoproperty: '' })).toBeUndefined();
  });

  it('reads near with either or both distances and defaults geoproperty to location', () => {
    expect(parseGeoQuery({ georel: 'near;maxDistance==2000', geometry: 'Point', coordinates: '[8.68,49.41]' })).toEqual({
      georel: 'near',
      maxDistance: 2000,
      geometry: { type: 'Point', coordinates: [8.68, 49.41] },
      geoproperty: 'location',
    });
    expect(query('near;minDistance==100', 'Point', [8.68, 49.41])).toMatchObject({ minDistance: 100 });
    const both = query('near;maxDistance==2000;minDistance==100.5', 'Point', [8.68, 49.41]);
    expect([both.maxDistance, both.minDistance]).toEqual([2000, 100.5]);
    expect(query('near;maxDistance==0', 'Point', [0, 0]).maxDistance).toBe(0);
  });

  it('accepts coordinates already parsed (POST body), still URL-encoded, and a custom geoproperty', () => {
    const q = parseGeoQuery({ georel: 'within', geometry: 'Polygon', coordinates: square(8, 49, 9, 50), geoproperty: 'observationSpace' });
    expect(q).toEqual({ georel: 'within', geometry: poly(8, 49, 9, 50), geoproperty: 'observationSpace' });
    expect(parseGeoQuery({ georel: 'intersects', geometry: 'Point', coordinates: '%5B8.68%2C49.41%5D' })?.geometry).toEqual(pt(HD));
    expect(query('equals', 'Point', [1, 2], 'https://uri.etsi.org/ngsi-ld/location').geoproperty).toBe('https://uri.etsi.org/ngsi-ld/location');
  });

  it('accepts every geometry type with its own nesting, altitude included', () => {
    expect(query('intersects', 'Point', [8, 49, 120]).geometry.type).toBe('Point');
    expect(query('intersects', 'MultiPoint', [[8, 49], [9, 50]]).geometry.type).toBe('MultiPoint');
    expect(query('intersects', 'LineString', [[8, 49], [9, 50]]).geometry.type).toBe('LineString');
    expect(query('intersects', 'MultiLineString', [[[8, 49], [9, 50]]]).geometry.type).toBe('MultiLineString');
    expect(query('intersects', 'Polygon', square(8, 49, 9, 50)).geometry.type).toBe('Polygon');
    expect(query('intersects', 'MultiPolygon', [square(8, 49, 9, 50), square(10, 49, 11, 50)]).geometry.type).toBe('MultiPolygon');
    expect(query('disjoint', 'Point', [-180, -90]).geometry).toEqual(pt([-180, -90]));
  });

  it('blames the parameter that is missing or wrong', () => {
    const p = { geometry: 'Point', coordinates: '[8.68,49.41]' };
    const cases: [Parameters<typeof parseGeoQuery>[0], string][] = [
      // incomplete
      [{ georel: 'near;maxDistance==10' }, 'geometry'],
      [{ ...p }, 'georel'],
      [{ georel: 'within', geometry: 'Point' }, 'coordinates'],
      [{ geoproperty: 'location' }, 'georel'],
      // georel
      [{ ...p, georel: 'near' }, 'georel'],
      [{ ...p, georel: 'near;maxDistance==-5' }, 'georel'],
      [{ ...p, georel: 'near;minDistance==-0.1' }, 'georel'],
      [{ ...p, georel: 'near;maxDistance==abc' }, 'georel'],
      [{ ...p, georel: 'near;maxDistance==' }, 'georel'],
      [{ ...p, georel: 'near;maxDistance==Infinity' }, 'georel'],
      [{ ...p, georel: 'near;maxDistance=10' }, 'georel'],
      [{ ...p, georel: 'near;distance==10' }, 'georel'],
      [{ ...p, georel: 'near;maxDistance==1;maxDistance==2' }, 'georel'],
      [{ ...p, georel: 'near;maxDistance==10;minDistance==20' }, 'georel'],
      [{ ...p, georel: 'within;maxDistance==10' }, 'georel'],
      [{ ...p, georel: 'nearby' }, 'georel'],
      [{ ...p, georel: 'Within' }, 'georel'],
      // geometry
      [{ georel: 'near;maxDistance==10', geometry: 'Polygon', coordinates: JSON.stringify(square(8, 49, 9, 50)) }, 'geometry'],
      [{ georel: 'near;maxDistance==10', geometry: 'MultiPoint', coordinates: '[[8,49]]' }, 'geometry'],
      [{ ...p, georel: 'within', geometry: 'Circle' }, 'geometry'],
      [{ ...p, georel: 'within', geometry: 'point' }, 'geometry'],
      [{ ...p, georel: 'within', geometry: 'GeometryCollection' }, 'geometry'],
      // coordinates
      [{ ...p, georel: 'within', coordinates: '[8.68,49.41' }, 'coordinates'],
      [{ ...p, georel: 'within', coordinates: 42 }, 'coordinates'],
      [{ ...p, georel: 'within', coordinates: { lon: 8, lat: 49 } }, 'coordinates'],
      [{ ...p, georel: 'within', coordinates: '[[8.68,49.41]]' }, 'coordinates'],
      [{ ...p, georel: 'within', coordinates: '[8.68]' }, 'coordinates'],
      [{ ...p, georel: 'within', coordinates: '["8.68","49.41"]' }, 'coordinates'],
      [{ ...p, georel: 'within', coordinates: '[181,49]' }, 'coordinates'],
      [{ ...p, georel: 'within', coordinates: '[8,-91]' }, 'coordinates'],
      [{ georel: 'within', geometry: 'LineString', coordinates: '[[8,49]]' }, 'coordinates'],
      [{ georel: 'within', geometry: 'LineString', coordinates: '[8,49]' }, 'coordinates'],
      [{ georel: 'within', geometry: 'MultiPoint', coordinates: '[]' }, 'coordinates'],
      [{ georel: 'within', geometry: 'MultiLineString', coordinates: '[[8,49],[9,50]]' }, 'coordinates'],
      [{ georel: 'within', geometry: 'Polygon', coordinates: '[[[8,49],[9,49],[9,50],[8,50]]]' }, 'coordinates'],
      [{ georel: 'within', geometry: 'Polygon', coordinates: '[[[8,49],[9,49],[8,49]]]' }, 'coordinates'],
      [{ georel: 'within', geometry: 'Polygon', coordinates: square(8, 49, 9, 50)[0] }, 'coordinates'],
      [{ georel: 'within', geometry: 'MultiPolygon', coordinates: square(8, 49, 9, 50) }, 'coordinates'],
      [{ ...p, georel: ['within', 'near;maxDistance==1'] as unknown as string }, 'georel'],
      [{ ...p, georel: 'within', geometry: ['Point', 'Point'] as unknown as string }, 'geometry'],
      // geoproperty
      [{ ...p, georel: 'within', geoproperty: 'loc ation' }, 'geoproperty'],
      [{ ...p, georel: 'within', geoproperty: "x'; drop table e; --" }, 'geoproperty'],
    ];
    for (const [params, parameter] of cases) expect([params, blame(params)]).toEqual([params, parameter]);
  });

  it('throws a real Error with a helpful message', () => {
    try {
      parseGeoQuery({ georel: 'near;maxDistance==-1', geometry: 'Point', coordinates: '[0,0]' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(Error);
      expect(err).toBeInstanceOf(GeoQueryError);
      expect((err as Error).name).toBe('GeoQueryError');
      expect((err as Error).message).toMatch(/negative/);
    }
  });
});

describe('geoMatches', () => {
  const north1km: Position = [HD[0] ?? 0, (HD[1] ?? 0) + KM_LAT];

  it('near between points: 1 km apart on one meridian', () => {
    expect(distance(HD, north1km, { units: 'meters' })).toBeCloseTo(1000, 0);
    const near = (georel: string) => geoMatches(query(georel, 'Point', HD), pt(north1km));
    expect(near('near;maxDistance==1100')).toBe(true);
    expect(near('near;maxDistance==900')).toBe(false);
    expect(near('near;minDistance==900')).toBe(true);
    expect(near('near;minDistance==1100')).toBe(false);
    expect(near('near;maxDistance==1100;minDistance==900')).toBe(true);
    expect(near('near;maxDistance==2000;minDistance==1100')).toBe(false);
    expect(geoMatches(query('near;maxDistance==0', 'Point', HD), pt(HD))).toBe(true);
  });

  it('near measures to the nearest point of lines, polygons and multi-geometries', () => {
    const [x = 0, y = 0] = HD;
    const q = (rel: string) => query(rel, 'Point', HD);
    // An east-west line 1 km north: the nearest point is straight north, mid-segment.
    const line: G = { type: 'LineString', coordinates: [[x - 0.1, y + KM_LAT], [x + 0.1, y + KM_LAT]] };
    expect(geoMatches(q('near;maxDistance==1010'), line)).toBe(true);
    expect(geoMatches(q('near;maxDistance==990'), line)).toBe(false);
    // Polygon whose southern edge is 1 km north.
    const north = poly(x - 0.01, y + KM_LAT, x + 0.01, y + 0.05);
    expect(geoMatches(q('near;maxDistance==1010'), north)).toBe(true);
    expect(geoMatches(q('near;maxDistance==990'), north)).toBe(false);
    expect(geoMatches(q('near;minDistance==990'), north)).toBe(true);
    // Inside a polygon the distance is 0: any maxDistance matches, any positive minDistance does not.
    const around = poly(x - 0.01, y - 0.01, x + 0.01, y + 0.01);
    expect(geoMatches(q('near;maxDistance==1'), around)).toBe(true);
    expect(geoMatches(q('near;minDistance==1'), around)).toBe(false);
    // Inside a hole it is the distance to the hole's edge (hole reaching 1 km north of the point).
    const holed: G = { type: 'Polygon', coordinates: [...square(x - 0.2, y - 0.1, x + 0.2, y + 0.1), ...square(x - 0.1, y - 0.05, x + 0.1, y + KM_LAT)] };
    expect(geoMatches(q('near;maxDistance==1010'), holed)).toBe(true);
    expect(geoMatches(q('near;maxDistance==990'), holed)).toBe(false);
    // Multi-geometries: the nearest part counts.
    const multi: G = { type: 'MultiPoint', coordinates: [[x, y + 5 * KM_LAT], north1km] };
    expect(geoMatches(q('near;maxDistance==1010'), multi)).toBe(true);
    expect(geoMatches(q('near;minDistance==1010'), multi)).toBe(false);
    const multiPoly: G = { type: 'MultiPolygon', coordinates: [square(x + 0.1, y, x + 0.2, y + 0.1), square(x - 0.01, y + KM_LAT, x + 0.01, y + 0.05)] };
    expect(geoMatches(q('near;maxDistance==1010'), multiPoly)).toBe(true);
    expect(geoMatches(q('near;maxDistance==990'), multiPoly)).toBe(false);
    const mls: G = { type: 'MultiLineString', coordinates: [[[x + 1, y], [x + 2, y]], [[x - 0.1, y + KM_LAT], [x + 0.1, y + KM_LAT]]] };
    expect(geoMatches(q('near;maxDistance==1010'), mls)).toBe(true);
  });

  it('near to a slanted line at high latitude: segments are straight in lon/lat, as RFC 7946 draws them', () => {
    const p: Position = [25, 69.5];
    const [a = [], b = []]: Position[] = [[24.9, 69.45], [25.2, 69.53]];
    let nearest = Infinity;
    for (let i = 0; i <= 20_000; i++) {
      const t = i / 20_000;
      nearest = Math.min(nearest, distance(p, [(a[0] ?? 0) + t * ((b[0] ?? 0) - (a[0] ?? 0)), (a[1] ?? 0) + t * ((b[1] ?? 0) - (a[1] ?? 0))], { units: 'meters' }));
    }
    const g: G = { type: 'LineString', coordinates: [a, b] };
    expect(geoMatches(query(`near;maxDistance==${nearest * 1.001}`, 'Point', p), g)).toBe(true);
    expect(geoMatches(query(`near;maxDistance==${nearest * 0.999}`, 'Point', p), g)).toBe(false);
    // turf's great-circle segment bulges towards the pole, i.e. out of the box the entity is indexed by.
    expect(pointToLineDistance(p, g, { units: 'meters' })).toBeLessThan(nearest * 0.998);
  });

  describe('a square and points inside, outside, on its edge', () => {
    const sq = square(8.6, 49.4, 8.7, 49.5);
    const inside = pt([8.65, 49.45]);
    const outside = pt([8.75, 49.45]);
    const edge = pt([8.6, 49.45]);
    const vertex = pt([8.6, 49.4]);
    const rel = (georel: string) => query(georel, 'Polygon', sq);

    it('within: only the inside point (the boundary is not the interior)', () => {
      expect([inside, outside, edge, vertex].map((g) => geoMatches(rel('within'), g))).toEqual([true, false, false, false]);
    });
    it('intersects and disjoint: the boundary counts as touching', () => {
      expect([inside, outside, edge, vertex].map((g) => geoMatches(rel('intersects'), g))).toEqual([true, false, true, true]);
      expect([inside, outside, edge, vertex].map((g) => geoMatches(rel('disjoint'), g))).toEqual([false, true, false, false]);
    });
    it('contains: the entity square contains an inside query point, not an edge or outside one', () => {
      const entity = poly(8.6, 49.4, 8.7, 49.5);
      expect(geoMatches(query('contains', 'Point', [8.65, 49.45]), entity)).toBe(true);
      expect(geoMatches(query('contains', 'Point', [8.6, 49.45]), entity)).toBe(false);
      expect(geoMatches(query('contains', 'Point', [8.75, 49.45]), entity)).toBe(false);
      // A point entity cannot contain a polygon.
      expect(geoMatches(rel('contains'), inside)).toBe(false);
    });
    it('polygons within and containing each other', () => {
      const small = poly(8.62, 49.42, 8.68, 49.48);
      const big = poly(8.5, 49.3, 8.8, 49.6);
      expect(geoMatches(rel('within'), small)).toBe(true);
      expect(geoMatches(rel('within'), big)).toBe(false);
      expect(geoMatches(rel('contains'), big)).toBe(true);
      expect(geoMatches(rel('contains'), small)).toBe(false);
      expect(geoMatches(rel('within'), poly(8.6, 49.4, 8.7, 49.5))).toBe(true);
    });
  });

  it('a line crossing a polygon intersects it but neither lies within nor overlaps it (different dimensions)', () => {
    const q = (georel: string) => query(georel, 'Polygon', square(8.6, 49.4, 8.7, 49.5));
    const crossing: G = { type: 'LineString', coordinates: [[8.55, 49.45], [8.75, 49.45]] };
    const insideLine: G = { type: 'LineString', coordinates: [[8.62, 49.45], [8.68, 49.46]] };
    const away: G = { type: 'LineString', coordinates: [[9.55, 49.45], [9.75, 49.45]] };
    expect(['intersects', 'within', 'overlaps', 'disjoint'].map((r) => geoMatches(q(r), crossing))).toEqual([true, false, false, false]);
    expect(['intersects', 'within', 'overlaps', 'disjoint'].map((r) => geoMatches(q(r), insideLine))).toEqual([true, true, false, false]);
    expect(['intersects', 'within', 'overlaps', 'disjoint'].map((r) => geoMatches(q(r), away))).toEqual([false, false, false, true]);
    // A query line and an entity polygon: the polygon contains a line running inside it.
    expect(geoMatches(query('contains', 'LineString', [[8.62, 49.45], [8.68, 49.46]]), poly(8.6, 49.4, 8.7, 49.5))).toBe(true);
    expect(geoMatches(query('intersects', 'LineString', [[8.55, 49.45], [8.75, 49.45]]), poly(8.6, 49.4, 8.7, 49.5))).toBe(true);
  });

  it('overlaps: shared interior, neither inside the other, same dimension', () => {
    const q = query('overlaps', 'Polygon', square(0, 0, 2, 2));
    expect(geoMatches(q, poly(1, 1, 3, 3))).toBe(true);
    expect(geoMatches(q, { type: 'MultiPolygon', coordinates: [square(1, 1, 3, 3), square(5, 5, 6, 6)] })).toBe(true);
    expect(geoMatches(q, poly(0.5, 0.5, 1.5, 1.5))).toBe(false);
    expect(geoMatches(q, poly(0, 0, 2, 2))).toBe(false);
    expect(geoMatches(q, poly(5, 5, 6, 6))).toBe(false);
    expect(geoMatches(q, pt([1, 1]))).toBe(false);
    // turf alone says yes to these: nested with a shared edge, and neighbours touching along an edge or a corner.
    expect(geoMatches(q, poly(0, 0, 1, 1))).toBe(false);
    expect(geoMatches(q, poly(2, 0, 3, 2))).toBe(false);
    expect(geoMatches(q, poly(2, 2, 3, 3))).toBe(false);
    const lines = query('overlaps', 'LineString', [[0, 0], [1, 0], [2, 0]]);
    expect(geoMatches(lines, { type: 'LineString', coordinates: [[1, 0], [2, 0], [3, 0]] })).toBe(true);
    expect(geoMatches(lines, { type: 'LineString', coordinates: [[1, 0], [1.5, 0]] })).toBe(false);
    expect(geoMatches(lines, { type: 'LineString', coordinates: [[1, -1], [1, 1]] })).toBe(false);
    const points = query('overlaps', 'MultiPoint', [[0, 0], [1, 1]]);
    expect(geoMatches(points, { type: 'MultiPoint', coordinates: [[1, 1], [2, 2]] })).toBe(true);
    expect(geoMatches(points, { type: 'MultiPoint', coordinates: [[1, 1]] })).toBe(false);
  });

  it('equals: same type and coordinates', () => {
    expect(geoMatches(query('equals', 'Point', HD), pt(HD))).toBe(true);
    expect(geoMatches(query('equals', 'Point', HD), pt(north1km))).toBe(false);
    expect(geoMatches(query('equals', 'Polygon', square(8, 49, 9, 50)), poly(8, 49, 9, 50))).toBe(true);
    expect(geoMatches(query('equals', 'Polygon', square(8, 49, 9, 50)), poly(8, 49, 9, 50.1))).toBe(false);
    expect(geoMatches(query('equals', 'Polygon', square(8, 49, 9, 50)), { type: 'MultiPolygon', coordinates: [square(8, 49, 9, 50)] })).toBe(false);
  });

  it('MultiPolygon queries and entities', () => {
    const two = [square(0, 0, 1, 1), square(2, 0, 3, 1)];
    const q = (georel: string) => query(georel, 'MultiPolygon', two);
    expect(geoMatches(q('within'), pt([2.5, 0.5]))).toBe(true);
    expect(geoMatches(q('within'), pt([1.5, 0.5]))).toBe(false);
    expect(geoMatches(q('within'), poly(2.2, 0.2, 2.8, 0.8))).toBe(true);
    expect(geoMatches(q('within'), poly(0.5, 0.2, 2.5, 0.8))).toBe(false);
    expect(geoMatches(q('intersects'), poly(0.5, 0.2, 2.5, 0.8))).toBe(true);
    expect(geoMatches(q('disjoint'), poly(1.2, 0.2, 1.8, 0.8))).toBe(true);
    expect(geoMatches(q('equals'), { type: 'MultiPolygon', coordinates: two })).toBe(true);
    expect(geoMatches(query('contains', 'Point', [2.5, 0.5]), { type: 'MultiPolygon', coordinates: two })).toBe(true);
    expect(geoMatches(query('contains', 'MultiPoint', [[0.5, 0.5], [2.5, 0.5]]), { type: 'MultiPolygon', coordinates: two })).toBe(true);
  });

  it('pairs turf lacks are decomposed into parts', () => {
    const mls: G = { type: 'MultiLineString', coordinates: [[[0.1, 0.1], [0.9, 0.9]], [[0.2, 0.8], [0.8, 0.2]]] };
    expect(geoMatches(query('within', 'Polygon', square(0, 0, 1, 1)), mls)).toBe(true);
    expect(geoMatches(query('within', 'Polygon', square(0, 0, 0.85, 1)), mls)).toBe(false);
    expect(geoMatches(query('contains', 'Point', [0.5, 0.5]), mls)).toBe(true);
    expect(geoMatches(query('contains', 'Point', [0.5, 0.6]), mls)).toBe(false);
    expect(geoMatches(query('contains', 'MultiPoint', [[1, 1], [1, 1]]), pt([1, 1]))).toBe(true);
    expect(geoMatches(query('within', 'MultiPoint', [[1, 1], [2, 2]]), pt([2, 2]))).toBe(true);
    expect(geoMatches(query('contains', 'Polygon', square(0, 0, 1, 1)), { type: 'LineString', coordinates: [[0, 0], [1, 1]] })).toBe(false);
  });

  it('an unreadable entity geometry matches nothing, not even disjoint', () => {
    const bad = [
      { type: 'GeometryCollection', geometries: [] },
      { type: 'Point', coordinates: ['8', '49'] },
      { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1]]] },
      null,
    ] as unknown as G[];
    for (const g of bad) for (const rel of ['intersects', 'disjoint', 'within']) expect(geoMatches(query(rel, 'Polygon', square(0, 0, 1, 1)), g)).toBe(false);
  });
});

describe('geoPrefilter', () => {
  const parseBox = (text: unknown): number[] => {
    const nums = String(text).match(/-?[\d.]+(e-?\d+)?/g) ?? [];
    return nums.map(Number);
  };

  it('numbers its parameters from firstParam and casts them to box', () => {
    const f = geoPrefilter(query('near;maxDistance==2000', 'Point', HD), 'e.bbox', 3);
    expect(f?.sql).toBe('e.bbox && $3::box');
    expect(f?.values).toHaveLength(1);
    expect(String(f?.values[0])).toMatch(/^\(\(-?[\d.e-]+,-?[\d.e-]+\),\(-?[\d.e-]+,-?[\d.e-]+\)\)$/);
    expect(geoPrefilter(query('within', 'Polygon', square(0, 0, 1, 1)), 'bbox', 1)?.sql).toBe('bbox <@ $1::box');
    expect(geoPrefilter(query('contains', 'Point', [0, 0]), 'bbox', 1)?.sql).toBe('bbox @> $1::box');
    expect(geoPrefilter(query('intersects', 'Point', [0, 0]), 'bbox', 1)?.sql).toBe('bbox && $1::box');
    const eq = geoPrefilter(query('equals', 'Point', [0, 0]), 'bbox', 5);
    expect(eq?.sql).toBe('(bbox @> $5::box AND bbox <@ $6::box)');
    expect(eq?.values).toHaveLength(2);
  });

  it('has no prefilter for disjoint or near with only minDistance', () => {
    expect(geoPrefilter(query('disjoint', 'Point', [0, 0]), 'bbox', 1)).toBeNull();
    expect(geoPrefilter(query('near;minDistance==10', 'Point', [0, 0]), 'bbox', 1)).toBeNull();
  });

  it('expands near by metres: latitude by distance, longitude by distance / cos(worst latitude)', () => {
    const [x1 = 0, y1 = 0, x2 = 0, y2 = 0] = parseBox(geoPrefilter(query('near;maxDistance==2000', 'Point', HD), 'b', 1)?.values[0]);
    const dLat = (y2 - y1) / 2;
    expect(dLat).toBeGreaterThanOrEqual(2 * KM_LAT);
    expect(dLat).toBeLessThan(2 * KM_LAT * 1.01);
    const worst = ((HD[1] ?? 0) + dLat) * (Math.PI / 180);
    expect((x2 - x1) / 2).toBeCloseTo(dLat / Math.cos(worst), 9);
  });

  it('widens to all longitudes across the antimeridian or a pole', () => {
    const anti = parseBox(geoPrefilter(query('near;maxDistance==5000', 'Point', [179.99, 10]), 'b', 1)?.values[0]);
    expect([anti[0], anti[2]]).toEqual([-180, 180]);
    const pole = parseBox(geoPrefilter(query('near;maxDistance==5000', 'Point', [10, 89.99]), 'b', 1)?.values[0]);
    expect([pole[0], pole[2], pole[3]]).toEqual([-180, 180, 90]);
  });

  it('never excludes a true match (random entities, real box index)', async () => {
    const rand = rng(20240611);
    const between = (a: number, b: number) => a + (b - a) * rand();
    const entities: G[] = [];
    const queries: GeoQuery[] = [];

    for (const [center, maxD] of [[HD, 2000], [[25, 69.5], 5000]] as [Position, number][]) {
      const [cx = 0, cy = 0] = center;
      const ring = (x: number, y: number, r: number, n: number): Position[] => {
        const pts: Position[] = [];
        for (let i = 0; i < n; i++) {
          const a = (i / n) * 2 * Math.PI + between(0, 0.5);
          const rr = r * between(0.5, 1);
          pts.push([x + rr * Math.cos(a), y + rr * Math.sin(a)]);
        }
        pts.push(pts[0] ?? [x, y]);
        return pts;
      };
      const area: G = { type: 'Polygon', coordinates: [ring(cx, cy, 0.03, 7)] };
      const line: G = { type: 'LineString', coordinates: [[cx - 0.04, cy - 0.01], [cx, cy + 0.005], [cx + 0.04, cy - 0.02]] };
      const twoParts: G = { type: 'MultiPolygon', coordinates: [[ring(cx - 0.02, cy, 0.012, 5)], [ring(cx + 0.02, cy, 0.012, 6)]] };
      queries.push(
        query(`near;maxDistance==${maxD}`, 'Point', center),
        query(`near;maxDistance==${maxD};minDistance==${maxD / 4}`, 'Point', center),
        query('within', 'Polygon', area.coordinates),
        query('contains', 'Point', center),
        query('intersects', 'Polygon', area.coordinates),
        query('overlaps', 'Polygon', area.coordinates),
        query('equals', 'Polygon', area.coordinates),
        query('intersects', 'LineString', line.coordinates),
        query('within', 'MultiPolygon', twoParts.coordinates),
      );
      entities.push(area, line, twoParts);
      // Points a hair inside maxDistance due north, south, east and west touch the box edges exactly.
      for (const bearing of [0, 45, 90, 135, 180, -135, -90, -45]) entities.push(destination(center, maxD * 0.99999, bearing, { units: 'meters' }).geometry);
      for (let i = 0; i < 250; i++) {
        const kind = rand();
        if (kind < 0.35) {
          entities.push(pt([cx + between(-0.06, 0.06), cy + between(-0.04, 0.04)]));
        } else if (kind < 0.55) {
          // Points just inside maxDistance, in every direction: the box edges must not cut them off.
          entities.push(destination(center, maxD * between(0.97, 0.9999), between(-180, 180), { units: 'meters' }).geometry);
        } else if (kind < 0.85) {
          const r = between(0.001, rand() < 0.2 ? 0.04 : 0.01);
          entities.push({ type: 'Polygon', coordinates: [ring(cx + between(-0.06, 0.06), cy + between(-0.04, 0.04), r, 3 + Math.floor(rand() * 5))] });
        } else {
          const x = cx + between(-0.06, 0.06);
          const y = cy + between(-0.04, 0.04);
          entities.push({ type: 'LineString', coordinates: [[x, y], [x + between(-0.02, 0.02), y + between(-0.02, 0.02)], [x + between(-0.02, 0.02), y + between(-0.02, 0.02)]] });
        }
      }
    }

    const db = await openMemoryDatabase();
    try {
      await db.pool.query('CREATE TABLE ent (id int PRIMARY KEY, bbox box NOT NULL)');
      await db.pool.query('CREATE INDEX ent_bbox ON ent USING gist (bbox)');
      const boxes = entities.map((g) => {
        const [a, b, c, d] = turfBbox(g as Geometry);
        return `((${a},${b}),(${c},${d}))`;
      });
      // box arrays use ';' as their delimiter, so the boxes travel as text[] and are cast row by row.
      await db.pool.query('INSERT INTO ent (id, bbox) SELECT i, b::box FROM unnest($1::int[], $2::text[]) AS t(i, b)', [entities.map((_, i) => i), boxes]);
      await db.pool.query('ANALYZE ent');

      for (const seqscan of ['on', 'off']) {
        // Off forces the GiST index, whose comparisons are not the fuzzy ones of a plain scan.
        await db.pool.query(`SET enable_seqscan = ${seqscan}`);
        for (const q of queries) {
          const truth = entities.flatMap((g, i) => (geoMatches(q, g) ? [i] : []));
          expect(truth.length, `${q.georel} has matches`).toBeGreaterThan(0);
          const f = geoPrefilter(q, 'bbox', 2);
          expect(f).not.toBeNull();
          if (!f) continue;
          const { rows } = await db.pool.query<{ id: number }>(`SELECT id FROM ent WHERE id >= $1 AND ${f.sql}`, [0, ...f.values]);
          const kept = new Set(rows.map((r) => r.id));
          expect(truth.filter((i) => !kept.has(i)), `${q.georel} ${JSON.stringify(q.geometry).slice(0, 60)}`).toEqual([]);
          // A filter keeping everything would pass trivially.
          expect(kept.size).toBeLessThan(entities.length);
        }
      }
      // Disjoint and minDistance-only have no prefilter but still match in JS.
      expect(entities.some((g) => geoMatches(query('disjoint', 'Point', HD), g))).toBe(true);
    } finally {
      await db.close();
    }
  });
});
