// SPDX-License-Identifier: Apache-2.0
// The simulation's replay, pure and deterministic: incidents in time order, each requirement of its plan
// level matched to the nearest free resources by travel time (the county first, then borrowing from the
// neighbouring counties and the parent region), each unit busy for the way there, the time on scene and the
// way back. Reports how long until the last unit requested was on scene, what could not be sent and what
// was borrowed.
import { byTravelTime, cover, distanceKm, type Scored, travelMinutes } from './resources.matching.ts';

export type SimResource = { id: string; type: string; capabilities: readonly string[]; regionCode: string; lon: number; lat: number; isStock: boolean; quantity: number };
export type SimRequirement = { type: string; capability: string | null; quantity: number; maxTravelMinutes: number };
export type SimIncident = {
  id: string;
  /** Report time, ms since the epoch. */
  at: number;
  lon: number;
  lat: number;
  /** The significant prefix of the county matching starts from. */
  homePrefix: string;
  /** Prefixes borrowed from when the county lacks something (neighbouring counties, the parent region). */
  borrowPrefixes: readonly string[];
  requirements: readonly SimRequirement[];
  onSceneMinutes: number;
};

export type SimOutcome = {
  incidentsWithRequests: number;
  /** Minutes until the last unit requested was on scene, for each incident fully served. */
  responseMinutes: number[];
  unmetIncidents: number;
  unmetUnits: Map<string, number>;
  borrowedIncidents: number;
  /** Units borrowed, by the lending resource's region code. */
  borrowedUnits: Map<string, number>;
  dispatched: Map<string, number>;
};

type Hold = { until: number; resourceId: string; quantity: number };

const add = (m: Map<string, number>, k: string, n: number) => m.set(k, (m.get(k) ?? 0) + n);

/** Replays `incidents` (sorted by time) against `resources`; `speeds` gives each type's km/h. */
export function replay(incidents: readonly SimIncident[], resources: readonly SimResource[], speeds: ReadonlyMap<string, number>): SimOutcome {
  const byType = new Map<string, SimResource[]>();
  for (const r of resources) {
    const list = byType.get(r.type);
    if (list) list.push(r);
    else byType.set(r.type, [r]);
  }
  const free = new Map(resources.map((r) => [r.id, r.quantity]));
  let holds: Hold[] = [];
  const out: SimOutcome = {
    incidentsWithRequests: 0, responseMinutes: [], unmetIncidents: 0, unmetUnits: new Map(), borrowedIncidents: 0, borrowedUnits: new Map(), dispatched: new Map(),
  };
  for (const incident of incidents) {
    // units whose work ended come back
    if (holds.some((h) => h.until <= incident.at)) {
      for (const h of holds) if (h.until <= incident.at) free.set(h.resourceId, (free.get(h.resourceId) ?? 0) + h.quantity);
      holds = holds.filter((h) => h.until > incident.at);
    }
    if (incident.requirements.length === 0) continue;
    out.incidentsWithRequests++;
    let slowest = 0;
    let unmet = false;
    let borrowed = false;
    for (const req of incident.requirements) {
      const speed = speeds.get(req.type);
      const pool = byType.get(req.type) ?? [];
      if (!speed) {
        unmet = true;
        add(out.unmetUnits, req.type, req.quantity);
        continue;
      }
      const score = (r: SimResource): Scored & { r: SimResource } => {
        const km = distanceKm([incident.lon, incident.lat], [r.lon, r.lat]);
        return { id: r.id, km, minutes: travelMinutes(km, speed), available: free.get(r.id) ?? 0, r };
      };
      const eligible = (r: SimResource) => (free.get(r.id) ?? 0) > 0 && (req.capability === null || r.capabilities.includes(req.capability));
      const within = (c: Scored) => c.minutes <= req.maxTravelMinutes;
      const local = pool.filter((r) => eligible(r) && r.regionCode.startsWith(incident.homePrefix)).map(score).filter(within).sort(byTravelTime);
      const first = cover(local, req.quantity);
      let picks = first.picks;
      let shortfall = first.shortfall;
      if (shortfall > 0 && incident.borrowPrefixes.length) {
        const away = pool
          .filter((r) => eligible(r) && !r.regionCode.startsWith(incident.homePrefix) && incident.borrowPrefixes.some((p) => r.regionCode.startsWith(p)))
          .map(score).filter(within).sort(byTravelTime);
        const second = cover(away, shortfall);
        picks = [...picks, ...second.picks];
        shortfall = second.shortfall;
        for (const p of second.picks) add(out.borrowedUnits, p.candidate.r.regionCode, p.take);
        if (second.picks.length) borrowed = true;
      }
      for (const p of picks) {
        free.set(p.candidate.id, (free.get(p.candidate.id) ?? 0) - p.take);
        holds.push({ until: incident.at + (2 * p.candidate.minutes + incident.onSceneMinutes) * 60_000, resourceId: p.candidate.id, quantity: p.take });
        add(out.dispatched, req.type, p.take);
        slowest = Math.max(slowest, p.candidate.minutes);
      }
      if (shortfall > 0) {
        unmet = true;
        add(out.unmetUnits, req.type, shortfall);
      }
    }
    if (unmet) out.unmetIncidents++;
    else out.responseMinutes.push(slowest);
    if (borrowed) out.borrowedIncidents++;
  }
  return out;
}

/** Nearest-rank percentile of an ascending list, or null when empty. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

/** The response-time buckets of the histogram, in minutes (the last one open). */
export const BUCKETS = [0, 15, 30, 45, 60, 90, 120] as const;

export function histogram(values: readonly number[]): { fromMinutes: number; toMinutes: number | null; count: number }[] {
  return BUCKETS.map((from, i) => {
    const to = BUCKETS[i + 1] ?? null;
    return { fromMinutes: from, toMinutes: to, count: values.filter((v) => v >= from && (to === null || v < to)).length };
  });
}
