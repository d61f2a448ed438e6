// SPDX-License-Identifier: Apache-2.0
// The rules of an incident's life: which action is allowed in which status, and where command sits.
import type { Grade, IncidentAction, IncidentStatus } from '../../../contracts/dispatch-incidents.ts';
import { levelIndex, levelOfCode, prefixOf } from '../../../contracts/region-codes.ts';
import { LEVELS, type Level } from '../../../contracts/regions.ts';

/** For each action: the statuses it may be taken in, and the status it leads to (null: unchanged). */
export const TRANSITIONS: Record<IncidentAction['action'], { from: readonly IncidentStatus[]; to: IncidentStatus | null }> = {
  verify: { from: ['reported'], to: 'verified' },
  reject: { from: ['reported'], to: 'rejected' },
  respond: { from: ['verified'], to: 'responding' },
  resolve: { from: ['responding'], to: 'resolved' },
  evaluate: { from: ['resolved'], to: 'evaluated' },
  close: { from: ['evaluated'], to: 'closed' },
  regrade: { from: ['reported', 'verified', 'responding'], to: null },
  comment: { from: ['reported', 'verified', 'responding', 'resolved', 'evaluated', 'closed', 'rejected'], to: null },
};

/** The status an action leads to from `status`, or an explanation why it cannot be taken now. */
export function nextStatus(status: IncidentStatus, action: IncidentAction['action']): { to: IncidentStatus } | { refused: string } {
  const t = TRANSITIONS[action];
  if (!t.from.includes(status)) return { refused: `the incident is ${status}: "${action}" applies only to ${t.from.join(', ')} incidents` };
  return { to: t.to ?? status };
}

/** The level that commands an incident of `grade`: the county for IV, the city for III, the province for II and I. */
export function baseCommandLevel(grade: Grade): Level {
  return grade === 'IV' ? 'county' : grade === 'III' ? 'city' : 'province';
}

/**
 * The region commanding an incident in `regionCode` at `level` (a region above that level commands itself).
 * Region codes nest by prefix, so the ancestor is the code cut to the level's prefix and padded with zeros.
 */
export function commandRegion(regionCode: string, level: Level): string {
  const own = levelOfCode(regionCode);
  if (levelIndex(own) <= levelIndex(level)) return regionCode;
  return prefixOf(regionCode, level).padEnd(12, '0');
}

/** The level one step above `code`'s level (a province stays where it is). */
export function levelAbove(code: string): Level {
  return LEVELS[Math.max(0, levelIndex(levelOfCode(code)) - 1)] as Level;
}

/** Where command sits after raising the grade: the higher of the new grade's level and one above the current command. */
export function commandAfterRaise(regionCode: string, currentCommand: string, newGrade: Grade): string {
  const byGrade = commandRegion(regionCode, baseCommandLevel(newGrade));
  const oneUp = commandRegion(regionCode, levelAbove(currentCommand));
  return levelIndex(levelOfCode(byGrade)) <= levelIndex(levelOfCode(oneUp)) ? byGrade : oneUp;
}

/** Great-circle distance in metres (haversine), for "the same thing nearby". */
export function metresBetween(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Reports of the same type within this distance and time of an open incident are linked to it. */
export const DUPLICATE_RADIUS_M = 200;
export const DUPLICATE_WINDOW_H = 24;
