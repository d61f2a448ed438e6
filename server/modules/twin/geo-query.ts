// SPDX-License-Identifier: Apache-2.0
// NGSI-LD geo-queries (ETSI GS CIM 009, Geographical Query Language: georel, geometry, coordinates, geoproperty).
// There is no PostGIS: a GiST-indexed native `box` column narrows the candidates in SQL, then the exact relation
// is decided here with turf. The SQL part must therefore never drop a true match; it may keep false ones.
import { area, booleanContains, booleanEqual, booleanIntersects, booleanOverlap, booleanPointInPolygon, distance, feature, featureCollection, intersect } from '@turf/turf';
import type { LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon, Position } from 'geojson';

// GeometryCollection is deliberately absent: NGSI-LD geo-queries do not accept it as a query geometry.
type GeoJSONGeometry = Point | MultiPoint | LineString | MultiLineString | Polygon | MultiPolygon;
type GeometryType = GeoJSONGeometry['type'];
type Georel = GeoQuery['georel'];
type BBox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

/** A validated geo-query: the relation, optional distances in metres, the query geometry and the property it tests. */
export type GeoQuery = {
  georel: 'near' | 'within' | 'contains' | 'intersects' | 'disjoint' | 'equals' | 'overlaps';
  maxDistance?: number;
  minDistance?: number;
  /** The query geometry built from the `geometry` and `coordinates` parameters. */
  geometry: GeoJSONGeometry;
  geoproperty: string;
};

/** A missing, incomplete or malformed geo-query parameter; `parameter` names the one to blame (for a 400 response). */
export class GeoQueryError extends Error {
  readonly parameter: 'georel' | 'geometry' | 'coordinates' | 'geoproperty';
  constructor(message: string, parameter: 'georel' | 'geometry' | 'coordinates' | 'geoproperty') {
    super(message);
    this.name = 'GeoQueryError';
    this.parameter = parameter;
  }
}

const GEORELS: readonly Georel[] = ['near', 'within', 'contains', 'intersects', 'disjoint', 'equals', 'overlaps'];
const GEOMETRY_TYPES: readonly GeometryType[] = ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'];
// Attribute names are compact terms or expanded IRIs; anything outside this set cannot name a property and
// would only end up in JSON paths and error messages.
const GEOPROPERTY = /^[A-Za-z_][\w\-.:/#~%@?=&+]{0,511}$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const absent = (v: unknown): boolean => v === undefined || v === null || v === '';

/** Reads the geo-query parameters; undefined when none is given, a GeoQueryError when they are incomplete or invalid. */
export function parseGeoQuery(params: { georel?: string; geometry?: string; coordinates?: string | unknown; geoproperty?: string }): GeoQuery | undefined {
  const { georel, geometry, coordinates, geoproperty } = params;
  // Empty values count as absent: HTML forms and some clients send every field, filled or not.
  if (absent(georel) && absent(geometry) && absent(coordinates) && absent(geoproperty)) return undefined;
  if (absent(georel)) throw new GeoQueryError('georel is required for a geo-query', 'georel');
  if (absent(geometry)) throw new GeoQueryError('geometry is required for a geo-query', 'geometry');
  if (absent(coordinates)) throw new GeoQueryError('coordinates are required for a geo-query', 'coordinates');
  // A repeated query parameter arrives as an array; say so rather than "unknown value".
  if (typeof georel !== 'string') throw new GeoQueryError('georel must be given once, as text', 'georel');
  if (typeof geometry !== 'string') throw new GeoQueryError('geometry must be given once, as text', 'geometry');

  const rel = parseGeorel(georel);
  if (!(GEOMETRY_TYPES as readonly string[]).includes(geometry)) {
    throw new GeoQueryError(`geometry must be one of ${GEOMETRY_TYPES.join(', ')}`, 'geometry');
  }
  const type = geometry as GeometryType;
  if (rel.georel === 'near' && type !== 'Point') throw new GeoQueryError('georel near needs a Point geometry', 'geometry');
  const geom = buildGeometry(type, readCoordinates(coordinates));

  let prop = 'location';
  if (!absent(geoproperty)) {
    if (typeof geoproperty !== 'string' || !GEOPROPERTY.test(geoproperty)) throw new GeoQueryError('geoproperty is not a valid property name', 'geoproperty');
    prop = geoproperty;
  }
  return { ...rel, geometry: geom, geoproperty: prop };
}

function parseGeorel(text: string): Pick<GeoQuery, 'georel' | 'maxDistance' | 'minDistance'> {
  const [head = '', ...modifiers] = text.split(';').map((s) => s.trim());
  if (!(GEORELS as readonly string[]).includes(head)) throw new GeoQueryError(`georel must be one of ${GEORELS.join(', ')}`, 'georel');
  const georel = head as Georel;
  if (georel !== 'near') {
    if (modifiers.length > 0) throw new GeoQueryError(`georel ${georel} takes no modifiers`, 'georel');
    return { georel };
  }
  const out: Pick<GeoQuery, 'georel' | 'maxDistance' | 'minDistance'> = { georel };
  for (const m of modifiers) {
    const match = /^(maxDistance|minDistance)==(.*)$/.exec(m);
    const key = match?.[1] as 'maxDistance' | 'minDistance' | undefined;
    const raw = match?.[2] ?? '';
    if (!key) throw new GeoQueryError(`unknown near modifier '${m}' (expected maxDistance==<metres> or minDistance==<metres>)`, 'georel');
    if (out[key] !== undefined) throw new GeoQueryError(`${key} given twice`, 'georel');
    const value = NUMBER.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isFinite(value)) throw new GeoQueryError(`${key} must be a number of metres`, 'georel');
    if (value < 0) throw new GeoQueryError(`${key} must not be negative`, 'georel');
    out[key] = value;
  }
  if (out.maxDistance === undefined && out.minDistance === undefined) {
    throw new GeoQueryError('georel near needs maxDistance or minDistance', 'georel');
  }
  // An empty distance band can match nothing; it is almost certainly a swapped pair, so say so.
  if (out.maxDistance !== undefined && out.minDistance !== undefined && out.minDistance > out.maxDistance) {
    throw new GeoQueryError('minDistance is greater than maxDistance', 'georel');
  }
  return out;
}

function readCoordinates(value: unknown): unknown {
  if (Array.isArray(value)) return value;
  if (typeof value !== 'string') throw new GeoQueryError('coordinates must be a JSON array', 'coordinates');
  try {
    return JSON.parse(value);
  } catch {
    // Some clients encode the brackets twice; decoding once more is harmless for valid JSON text.
    if (value.includes('%')) {
      try {
        return JSON.parse(decodeURIComponent(value));
      } catch {
        // fall through to the error below
      }
    }
    throw new GeoQueryError('coordinates are not valid JSON', 'coordinates');
  }
}

/** Checks nesting, ranges and ring closure; throws a GeoQueryError blaming `coordinates` with what is wrong. */
function buildGeometry(type: GeometryType, c: unknown): GeoJSONGeometry {
  const problem = geometryProblem(type, c, true);
  if (problem) throw new GeoQueryError(`coordinates for a ${type}: ${problem}`, 'coordinates');
  return { type, coordinates: c } as GeoJSONGeometry;
}

function geometryProblem(type: GeometryType, c: unknown, checkRange: boolean): string | null {
  const position = (p: unknown): string | null => {
    if (!Array.isArray(p) || p.length < 2 || p.length > 3) return 'a position must be [longitude, latitude] or [longitude, latitude, altitude]';
    if (!p.every((n) => typeof n === 'number' && Number.isFinite(n))) return 'a position must hold finite numbers';
    const [lon, lat] = p as number[];
    if (checkRange && ((lon ?? 0) < -180 || (lon ?? 0) > 180)) return `longitude ${lon} is outside [-180, 180]`;
    if (checkRange && ((lat ?? 0) < -90 || (lat ?? 0) > 90)) return `latitude ${lat} is outside [-90, 90]`;
    return null;
  };
  const list = (v: unknown, min: number, item: (x: unknown) => string | null, what: string): string | null => {
    if (!Array.isArray(v)) return `expected an array of ${what}`;
    if (v.length < min) return `expected at least ${min} ${what}`;
    for (const x of v) {
      const p = item(x);
      if (p) return p;
    }
    return null;
  };
  const line = (v: unknown) => list(v, 2, position, 'positions in a line');
  const ring = (v: unknown): string | null => {
    const p = list(v, 4, position, 'positions in a polygon ring');
    if (p) return p;
    const r = v as number[][];
    const first = r[0];
    const last = r[r.length - 1];
    if (!first || !last || first[0] !== last[0] || first[1] !== last[1]) return 'a polygon ring must end where it starts';
    return null;
  };
  const polygon = (v: unknown) => list(v, 1, ring, 'rings');
  switch (type) {
    case 'Point':
      return position(c);
    case 'MultiPoint':
      return list(c, 1, position, 'positions');
    case 'LineString':
      return line(c);
    case 'MultiLineString':
      return list(c, 1, line, 'lines');
    case 'Polygon':
      return polygon(c);
    case 'MultiPolygon':
      return list(c, 1, polygon, 'polygons');
  }
}

// ---------------------------------------------------------------------------------------------------------------
// SQL pre-filter on the native box column (x = longitude, y = latitude).

// The smallest radius of curvature of the WGS84 ellipsoid (meridional, at the equator) is about 6 335 439 m;
// a radius below it makes a metre worth more degrees than any distance formula would, so the box can only be too big.
const CONSERVATIVE_EARTH_RADIUS_M = 6_335_000;
const METRES_PER_DEGREE = (CONSERVATIVE_EARTH_RADIUS_M * Math.PI) / 180;
// turf's boundary tests and PostgreSQL's fuzzy box comparisons both work to about 1e-6 degrees; a margin ten times
// that keeps containment pre-filters from dropping a geometry that touches the query box edge.
const BOX_MARGIN_DEG = 1e-5;

/** A SQL condition on the box column keeping every true match (and maybe more); null where no box test is safe. */
export function geoPrefilter(q: GeoQuery, bboxColumn: string, firstParam: number): { sql: string; values: unknown[] } | null {
  const box = bboxOf(q.geometry);
  const p = `$${firstParam}::box`;
  switch (q.georel) {
    case 'near':
      // Only an upper bound on the distance confines the matches; minDistance alone leaves the whole world.
      if (q.maxDistance === undefined) return null;
      return { sql: `${bboxColumn} && ${p}`, values: [boxLiteral(expandByMetres(box, q.maxDistance))] };
    case 'within':
      return { sql: `${bboxColumn} <@ ${p}`, values: [boxLiteral(grow(box, BOX_MARGIN_DEG))] };
    case 'contains':
      return { sql: `${bboxColumn} @> ${p}`, values: [boxLiteral(grow(box, -BOX_MARGIN_DEG))] };
    case 'intersects':
    case 'overlaps':
      // Overlapping geometries share points, so their boxes meet.
      return { sql: `${bboxColumn} && ${p}`, values: [boxLiteral(grow(box, BOX_MARGIN_DEG))] };
    case 'equals':
      // Equal geometries have equal boxes: the entity box lies between the query box shrunk and grown a little.
      return {
        sql: `(${bboxColumn} @> ${p} AND ${bboxColumn} <@ $${firstParam + 1}::box)`,
        values: [boxLiteral(grow(box, -BOX_MARGIN_DEG)), boxLiteral(grow(box, BOX_MARGIN_DEG))],
      };
    case 'disjoint':
      // Everything outside a box is a match, and a box index cannot express "not overlapping" usefully.
      return null;
  }
}

function bboxOf(g: GeoJSONGeometry): BBox {
  const b: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x = 0, y = 0] of positionsOf(g)) {
    if (x < b[0]) b[0] = x;
    if (y < b[1]) b[1] = y;
    if (x > b[2]) b[2] = x;
    if (y > b[3]) b[3] = y;
  }
  return b;
}

function positionsOf(g: GeoJSONGeometry): Position[] {
  switch (g.type) {
    case 'Point':
      return [g.coordinates];
    case 'MultiPoint':
    case 'LineString':
      return g.coordinates;
    case 'MultiLineString':
    case 'Polygon':
      return g.coordinates.flat();
    case 'MultiPolygon':
      return g.coordinates.flat(2);
  }
}

/** Grows (or, negative, shrinks without inverting) a box by `d` degrees on every side. */
function grow(b: BBox, d: number): BBox {
  const [x1, y1, x2, y2] = b;
  const shrinkX = d < 0 && x2 - x1 < -2 * d;
  const shrinkY = d < 0 && y2 - y1 < -2 * d;
  return [
    shrinkX ? (x1 + x2) / 2 : x1 - d,
    shrinkY ? (y1 + y2) / 2 : y1 - d,
    shrinkX ? (x1 + x2) / 2 : x2 + d,
    shrinkY ? (y1 + y2) / 2 : y2 + d,
  ];
}

/**
 * Every point within `metres` (great-circle) of the box. Latitude: an arc of length r changes latitude by at most r.
 * Longitude: along that arc |latitude| never exceeds the expanded box's, where a degree of longitude is shortest, so
 * dividing by cos of that latitude bounds the longitude change. A box reaching a pole or the antimeridian cannot be
 * expressed as one box, so it widens to all longitudes instead.
 */
function expandByMetres(b: BBox, metres: number): BBox {
  const dLat = metres / METRES_PER_DEGREE;
  const minLat = Math.max(-90, b[1] - dLat);
  const maxLat = Math.min(90, b[3] + dLat);
  const worstLat = Math.max(Math.abs(minLat), Math.abs(maxLat));
  const cos = Math.cos((worstLat * Math.PI) / 180);
  const dLon = cos > 1e-9 ? dLat / cos : Infinity;
  if (!Number.isFinite(dLon) || b[0] - dLon < -180 || b[2] + dLon > 180) return [-180, minLat, 180, maxLat];
  return [b[0] - dLon, minLat, b[2] + dLon, maxLat];
}

function boxLiteral(b: BBox): string {
  return `((${b[0]},${b[1]}),(${b[2]},${b[3]}))`;
}

// ---------------------------------------------------------------------------------------------------------------
// Exact test.

/** Whether an entity's geometry satisfies the query; malformed or unsupported entity geometries match nothing. */
export function geoMatches(q: GeoQuery, entityGeometry: GeoJSONGeometry): boolean {
  // Stored values come from jsonb: a geometry this module cannot read matches no query (not even disjoint),
  // as NGSI-LD treats an entity without a usable geoproperty.
  const e = entityGeometry as unknown;
  if (typeof e !== 'object' || e === null) return false;
  const { type, coordinates } = e as { type?: unknown; coordinates?: unknown };
  if (typeof type !== 'string' || !(GEOMETRY_TYPES as readonly string[]).includes(type)) return false;
  if (geometryProblem(type as GeometryType, coordinates, false)) return false;

  const g = q.geometry;
  switch (q.georel) {
    case 'near': {
      if (g.type !== 'Point') return false;
      const d = distanceToGeometry(g.coordinates, entityGeometry);
      if (q.maxDistance !== undefined && d > q.maxDistance) return false;
      if (q.minDistance !== undefined && d < q.minDistance) return false;
      return true;
    }
    case 'within':
      return contains(g, entityGeometry);
    case 'contains':
      return contains(entityGeometry, g);
    case 'intersects':
      return booleanIntersects(entityGeometry, g);
    case 'disjoint':
      return !booleanIntersects(entityGeometry, g);
    case 'equals':
      return booleanEqual(entityGeometry, g);
    case 'overlaps':
      return overlaps(entityGeometry, g);
  }
}

const dimension = (t: GeometryType): number => (t === 'Point' || t === 'MultiPoint' ? 0 : t === 'LineString' || t === 'MultiLineString' ? 1 : 2);

/**
 * OGC overlaps: same dimension, interiors meet, neither contains the other. turf's booleanOverlap only checks that
 * boundaries cross, so it also says yes for nested geometries sharing an edge and for polygons that merely touch
 * (adjacent parcels); those are filtered out here. turf also misses lines sharing only part of a segment.
 */
function overlaps(a: GeoJSONGeometry, b: GeoJSONGeometry): boolean {
  // turf throws where overlap is undefined (mixed dimensions, single points); by definition those never overlap.
  if (a.type === 'Point' || b.type === 'Point' || dimension(a.type) !== dimension(b.type)) return false;
  if (!booleanOverlap(a, b)) return false;
  if (contains(a, b) || contains(b, a)) return false;
  if (a.type !== 'Polygon' && a.type !== 'MultiPolygon') return true;
  if (b.type !== 'Polygon' && b.type !== 'MultiPolygon') return true;
  const shared = intersect(featureCollection([feature(a), feature(b)]));
  // Clipping touching polygons can leave a numerical sliver; a shared area that small is contact, not overlap.
  return shared !== null && area(shared) > 1e-9 * Math.min(area(a), area(b));
}

// The container/containee pairs turf's booleanContains implements; other pairs throw there.
const TURF_CONTAINS: Partial<Record<GeometryType, readonly GeometryType[]>> = {
  Point: ['Point'],
  MultiPoint: ['Point', 'MultiPoint'],
  LineString: ['Point', 'MultiPoint', 'LineString'],
  Polygon: ['Point', 'MultiPoint', 'LineString', 'Polygon', 'MultiPolygon'],
  MultiPolygon: ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'],
};

/**
 * `a` contains `b`. Pairs turf lacks are decomposed: a multi-part `b` is contained when each part is, a multi-part
 * `a` contains `b` when one of its parts does (exact for points; a line running across two touching parts of a
 * MultiLineString is missed). What is left pairs a lower-dimensional container with a bigger geometry: never.
 */
function contains(a: GeoJSONGeometry, b: GeoJSONGeometry): boolean {
  if (TURF_CONTAINS[a.type]?.includes(b.type)) return booleanContains(a, b);
  const bParts = partsOf(b);
  if (bParts) return bParts.every((part) => contains(a, part));
  const aParts = partsOf(a);
  if (aParts) return aParts.some((part) => contains(part, b));
  return false;
}

function partsOf(g: GeoJSONGeometry): GeoJSONGeometry[] | null {
  switch (g.type) {
    case 'MultiPoint':
      return g.coordinates.map((coordinates) => ({ type: 'Point', coordinates }));
    case 'MultiLineString':
      return g.coordinates.map((coordinates) => ({ type: 'LineString', coordinates }));
    case 'MultiPolygon':
      return g.coordinates.map((coordinates) => ({ type: 'Polygon', coordinates }));
    default:
      return null;
  }
}

/**
 * Metres from a point to the nearest point of a geometry; 0 inside a polygon (boundary included). Line segments are
 * straight in longitude/latitude as RFC 7946 defines them (turf's pointToLineDistance follows great circles instead,
 * which bulge out of the stored bounding box). The nearest point of each segment is found in a plane scaled by
 * cos(latitude) at the query point, and its distance is the great-circle one; being a real point of the geometry,
 * it keeps the box pre-filter a superset.
 */
export function distanceToGeometry(p: Position, g: GeoJSONGeometry): number {
  switch (g.type) {
    case 'Point':
      return metres(p, g.coordinates);
    case 'MultiPoint':
      return minOf(g.coordinates, (c) => metres(p, c));
    case 'LineString':
      return distanceToLine(p, g.coordinates);
    case 'MultiLineString':
      return minOf(g.coordinates, (l) => distanceToLine(p, l));
    case 'Polygon':
      return booleanPointInPolygon(p, g) ? 0 : minOf(g.coordinates, (r) => distanceToLine(p, r));
    case 'MultiPolygon':
      return booleanPointInPolygon(p, g) ? 0 : minOf(g.coordinates, (poly) => minOf(poly, (r) => distanceToLine(p, r)));
  }
}

// A loop rather than Math.min(...xs): large geometries would overflow the argument list.
function minOf<T>(items: readonly T[], f: (item: T) => number): number {
  let best = Infinity;
  for (const item of items) best = Math.min(best, f(item));
  return best;
}

function metres(a: Position, b: Position): number {
  return distance(a, b, { units: 'meters' });
}

function distanceToLine(p: Position, line: Position[]): number {
  const [px = 0, py = 0] = p;
  const k = Math.cos((py * Math.PI) / 180);
  let best = Infinity;
  // A one-position "line" (only possible in stored data) still has one segment: a degenerate one.
  for (let i = 0; i < Math.max(1, line.length - 1); i++) {
    const a = line[i];
    const b = line[i + 1] ?? a;
    if (!a || !b) continue;
    const [ax = 0, ay = 0] = a;
    const [bx = 0, by = 0] = b;
    const vx = (bx - ax) * k;
    const vy = by - ay;
    const len2 = vx * vx + vy * vy;
    const t = len2 > 0 ? Math.min(1, Math.max(0, ((px - ax) * k * vx + (py - ay) * vy) / len2)) : 0;
    const d = metres(p, [ax + t * (bx - ax), ay + t * (by - ay)]);
    if (d < best) best = d;
  }
  return best;
}
