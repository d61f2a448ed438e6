// SPDX-License-Identifier: Apache-2.0
// Geometry in JS (the embedded engine has no PostGIS): bounding boxes for the GiST index, centroids, areas,
// exact point-in-polygon on the few candidates the index returns.
import { area as turfArea, booleanPointInPolygon, centroid as turfCentroid, kinks } from '@turf/turf';
import type { BoundaryGeometry } from '../../../contracts/regions.ts';

/** [minLon, minLat, maxLon, maxLat]. */
export type BBox = [number, number, number, number];

export function bboxOf(g: BoundaryGeometry): BBox {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  for (const poly of polygons)
    for (const ring of poly)
      for (const [x, y] of ring) {
        if (x < minX) minX = x;
        if (y < minY) minY = y;
        if (x > maxX) maxX = x;
        if (y > maxY) maxY = y;
      }
  return [minX, minY, maxX, maxY];
}

/** PostgreSQL box literal for a bbox. */
export function boxLiteral(b: BBox): string {
  return `((${b[0]},${b[1]}),(${b[2]},${b[3]}))`;
}

export function centroidOf(g: BoundaryGeometry): [number, number] {
  const c = turfCentroid({ type: 'Feature', properties: {}, geometry: g }).geometry.coordinates;
  return [round6(c[0] ?? 0), round6(c[1] ?? 0)];
}

/** Area in square kilometres. */
export function areaKm2(g: BoundaryGeometry): number {
  return Math.round(turfArea({ type: 'Feature', properties: {}, geometry: g }) / 10_000) / 100;
}

export function containsPoint(g: BoundaryGeometry, lon: number, lat: number): boolean {
  return booleanPointInPolygon([lon, lat], g);
}

/** Why a boundary is unusable (rings not closed, self-intersecting), or null. */
export function boundaryProblem(g: BoundaryGeometry): string | null {
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  for (const poly of polygons)
    for (const ring of poly) {
      const first = ring[0];
      const last = ring[ring.length - 1];
      if (!first || !last || first[0] !== last[0] || first[1] !== last[1]) return 'a polygon ring must end where it starts';
    }
  for (const poly of polygons) {
    if (kinks({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: poly } }).features.length > 0) return 'the polygon crosses itself';
  }
  return null;
}

function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
