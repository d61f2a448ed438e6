// SPDX-License-Identifier: Apache-2.0
// Pure matching logic: straight-line distance, estimated travel time, and which candidates cover a need.

const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle (straight-line) distance in kilometres between two [lon, lat] points. */
export function distanceKm(a: readonly [number, number], b: readonly [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Estimated travel time in minutes: straight-line distance at the type's average speed (no road network). */
export function travelMinutes(km: number, speedKmh: number): number {
  return (km / speedKmh) * 60;
}

/**
 * A lower bound on the kilometres to anything `deg` planar degrees from a point at latitude `lat`: a degree
 * of latitude is ~111 km, a degree of longitude shrinks with cos(latitude), and whatever lies `deg` away
 * lies no further north than |lat| + deg. The 0.99 absorbs the sphere's curvature over short distances.
 */
export function kmLowerBound(deg: number, lat: number): number {
  const latMax = Math.min(89.9, Math.abs(lat) + deg);
  return deg * 111.0 * Math.cos((latMax * Math.PI) / 180) * 0.99;
}

/** A candidate for a need: how far it is and how much it can give (1 for a whole resource). */
export type Scored = { id: string; km: number; minutes: number; available: number };

/** Orders candidates by travel time, then id (stable answers). */
export function byTravelTime(a: Scored, b: Scored): number {
  return a.minutes - b.minutes || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Picks from `sorted` (nearest first) until `need` is covered: whole resources give 1 each, stocks what
 * they have. Returns what to take from each and the shortfall.
 */
export function cover<T extends Scored>(sorted: readonly T[], need: number): { picks: { candidate: T; take: number }[]; shortfall: number } {
  const picks: { candidate: T; take: number }[] = [];
  let rest = need;
  for (const c of sorted) {
    if (rest <= 0) break;
    const take = Math.min(c.available, rest);
    if (take <= 0) continue;
    picks.push({ candidate: c, take });
    rest -= take;
  }
  return { picks, shortfall: Math.max(0, rest) };
}

/** The distance (km) at which the nearest candidates found so far cover `need`, or Infinity. */
export function coveredAt(sorted: readonly Scored[], need: number): number {
  let sum = 0;
  for (const c of sorted) {
    sum += c.available;
    if (sum >= need) return c.km;
  }
  return Infinity;
}
