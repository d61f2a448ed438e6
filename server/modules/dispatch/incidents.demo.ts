// SPDX-License-Identifier: Apache-2.0
// A year of demo incidents for the demo province: a realistic mix by type and season (waterlogging and
// floods in June–July), most with their lifecycle completed, some open, a few overdue, a few drills.
// Deterministic in its mix from the seed; times count back from `now`.
import type { Grade, IncidentSource, IncidentStatus } from '../../../contracts/dispatch-incidents.ts';
import type { RequestContext } from '../../platform/context.ts';
import { withTransaction } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { rng } from '../regions/index.ts';
import { dueTimes, GRADE_NUMBER, leafTypes } from './incident-types.ts';
import { baseCommandLevel, commandRegion } from './incidents.policy.ts';
import { insertMany } from './incidents.store.ts';

const DAY = 86_400_000;
/** Relative frequency of each type, and its seasonal profile (a weight per month, January first). */
const MIX: Record<string, { weight: number; months?: number[] }> = {
  flood: { weight: 2, months: [0.1, 0.1, 0.3, 0.6, 1.5, 4, 4, 2, 0.8, 0.3, 0.1, 0.1] },
  'rainstorm-waterlogging': { weight: 3, months: [0.1, 0.2, 0.4, 0.8, 2, 4, 4, 2.5, 1, 0.3, 0.1, 0.1] },
  landslide: { weight: 1, months: [0.2, 0.2, 0.5, 1, 1.5, 3, 3, 2, 1, 0.4, 0.2, 0.2] },
  earthquake: { weight: 0.05 },
  typhoon: { weight: 0.5, months: [0, 0, 0, 0.2, 0.5, 1.5, 3, 4, 2.5, 0.8, 0.1, 0] },
  'forest-fire': { weight: 0.6, months: [3, 3, 2.5, 1.5, 0.5, 0.2, 0.2, 0.3, 0.5, 1, 2, 3] },
  'traffic-accident': { weight: 8, months: [1.4, 1.5, 1, 1, 1, 1, 1, 1, 1, 1.3, 1, 1.2] },
  fire: { weight: 3, months: [1.6, 1.6, 1.2, 1, 0.8, 0.7, 0.7, 0.7, 0.8, 1, 1.3, 1.6] },
  'hazardous-chemicals': { weight: 0.4 },
  'building-collapse': { weight: 0.3, months: [0.5, 0.5, 0.8, 1, 1.2, 2, 2, 1.5, 1, 0.8, 0.5, 0.5] },
  'infectious-disease': { weight: 0.8, months: [2, 2, 1.5, 1, 0.6, 0.5, 0.6, 0.6, 0.8, 1, 1.5, 2] },
  'food-poisoning': { weight: 0.6, months: [0.5, 0.5, 0.7, 1, 1.3, 1.8, 2, 2, 1.3, 0.8, 0.5, 0.5] },
  'mass-gathering': { weight: 0.5 },
  'public-order': { weight: 2 },
  'road-damage': { weight: 14, months: [1.3, 1.3, 1.2, 1, 1, 1.2, 1.4, 1.2, 1, 0.9, 0.9, 1.1] },
  'manhole-cover-missing': { weight: 5 },
  'illegal-construction': { weight: 6, months: [0.6, 0.5, 1, 1.2, 1.3, 1.2, 1.1, 1.1, 1.2, 1.2, 1, 0.7] },
  garbage: { weight: 16, months: [1.4, 1.6, 1, 1, 1, 1.1, 1.2, 1.2, 1, 1.1, 0.9, 1] },
  'street-light-out': { weight: 8, months: [1.3, 1.2, 1, 0.9, 0.8, 0.8, 0.8, 0.9, 1, 1.1, 1.2, 1.3] },
  'waterlogged-street': { weight: 8, months: [0.1, 0.2, 0.5, 0.8, 2, 4.5, 4.5, 2.5, 1, 0.3, 0.1, 0.1] },
};

const INCIDENT_COLUMNS = [
  'id', 'type_code', 'grade', 'status', 'title', 'description', 'region_code', 'command_region_code', 'escalations', 'lon', 'lat', 'address', 'source',
  'exercise', 'reporter_name', 'reporter_phone', 'reported_by_name', 'reported_at', 'due_verify_at', 'due_respond_at', 'due_resolve_at',
  'verified_at', 'responded_at', 'resolved_at', 'evaluated_at', 'closed_at', 'rating', 'updated_at',
] as const;
const TIMELINE_COLUMNS = ['incident_id', 'at', 'action', 'actor_id', 'actor_name', 'from_status', 'to_status', 'note'] as const;

/** Seeds about five incidents per village over the year before `now` (300–4,000); returns how many. */
export async function seedDemoIncidents(deps: Deps, ctx: RequestContext, opts: { seed: number; now?: Date; count?: number }): Promise<number> {
  const rand = rng(opts.seed + 311);
  const now = (opts.now ?? new Date()).getTime();
  const { rows: villages } = await deps.db.pool.query<{ code: string; name: string; x: number; y: number }>(
    `SELECT code, name, centroid[0] AS x, centroid[1] AS y FROM region WHERE code LIKE '99%' AND level = 'village' AND valid_to IS NULL AND centroid IS NOT NULL ORDER BY code`,
  );
  if (villages.length === 0) return 0;
  const count = opts.count ?? Math.min(4000, Math.max(300, villages.length * 5));
  const types = leafTypes();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  // day-of-year weights per type: choose a month by season, then a type by its weight in that month
  const weightIn = (code: string, month: number) => (MIX[code]?.weight ?? 1) * (MIX[code]?.months?.[month] ?? 1);
  const incidents: unknown[][] = [];
  const timeline: unknown[][] = [];
  const surnames = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗';
  const given = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平';
  const monthTotal = Array.from({ length: 12 }, (_, m) => types.reduce((s, t) => s + weightIn(t.code, m), 0));
  const busiest = Math.max(...monthTotal);
  for (let n = 0; n < count; n++) {
    // busier months (the flood season) get more incidents: keep a random day with its month's share
    let reportedAt = now;
    let month = 0;
    do {
      reportedAt = now - Math.floor(rand() * 365 * DAY);
      month = new Date(reportedAt + 8 * 3_600_000).getUTCMonth(); // local month (Asia/Shanghai)
    } while (rand() * busiest > (monthTotal[month] ?? busiest));
    const total = monthTotal[month] ?? busiest;
    let r = rand() * total;
    const type = types.find((t) => (r -= weightIn(t.code, month)) < 0) ?? (types[0] as (typeof types)[number]);
    const citizen = type.citizen === true;
    const g = rand();
    const grade: Grade = citizen ? (g < 0.97 ? 'IV' : 'III') : g < 0.8 ? 'IV' : g < 0.94 ? 'III' : g < 0.99 ? 'II' : 'I';
    const v = pick(villages);
    const lon = Math.round((v.x + (rand() - 0.5) * 0.004) * 1e6) / 1e6;
    const lat = Math.round((v.y + (rand() - 0.5) * 0.004) * 1e6) / 1e6;
    const source: IncidentSource = citizen ? (rand() < 0.55 ? 'open311' : 'console') : type.code === 'rainstorm-waterlogging' && rand() < 0.4 ? 'twin' : rand() < 0.8 ? 'console' : 'api';
    const due = dueTimes(type, grade, new Date(reportedAt));
    const age = now - reportedAt;
    // how far along: old incidents are almost all finished, recent ones are still being worked on
    const q = rand();
    let stage: IncidentStatus;
    if (q < 0.04) stage = 'rejected';
    else if (age > 14 * DAY) stage = q < 0.985 ? 'closed' : pick(['reported', 'verified', 'responding'] as const);
    else if (age > 3 * DAY) stage = q < 0.6 ? 'closed' : q < 0.75 ? 'evaluated' : q < 0.85 ? 'resolved' : q < 0.95 ? 'responding' : 'verified';
    else stage = q < 0.2 ? 'resolved' : q < 0.5 ? 'responding' : q < 0.75 ? 'verified' : 'reported';
    const id = newId();
    const reporter = source === 'open311' || (citizen && rand() < 0.5)
      ? { name: `${pick([...surnames])}${pick([...given])}`, phone: `1${3 + Math.floor(rand() * 7)}${String(Math.floor(rand() * 1e9)).padStart(9, '0')}` }
      : { name: null, phone: null };
    const actor = source === 'open311' ? 'open311' : source === 'twin' ? 'twin' : 'operator';
    timeline.push([id, new Date(reportedAt), 'reported', null, actor, null, 'reported', `${v.name}${type.name}`]);
    // each step takes a share of its SLA; about one in eight runs late
    const stamps: Partial<Record<IncidentStatus, Date>> = {};
    let at = reportedAt;
    const step = (to: IncidentStatus, dueAt: Date, action: string, note: string | null) => {
      const late = rand() < 0.12;
      const target = late ? dueAt.getTime() + rand() * (dueAt.getTime() - reportedAt) * 0.5 : at + rand() * Math.max(60_000, dueAt.getTime() - at);
      at = Math.min(now - 60_000, Math.max(at + 60_000, target));
      stamps[to] = new Date(at);
      timeline.push([id, new Date(at), action, null, 'dispatcher', null, to, note]);
    };
    const order: IncidentStatus[] = ['verified', 'responding', 'resolved', 'evaluated', 'closed'];
    if (stage === 'rejected') {
      step('rejected', due.verify, 'reject', '核实为误报');
    } else {
      const upto = order.indexOf(stage);
      if (upto >= 0) step('verified', due.verify, 'verify', '已核实');
      if (upto >= 1) step('responding', due.respond, 'respond', '已派出处置力量');
      if (upto >= 2) step('resolved', due.resolve, 'resolve', '处置完毕');
      if (upto >= 3) step('evaluated', new Date(at + 3 * DAY), 'evaluate', '群众满意');
      if (upto >= 4) step('closed', new Date(at + 2 * DAY), 'close', null);
    }
    const command = commandRegion(v.code, baseCommandLevel(grade));
    incidents.push([
      id, type.code, GRADE_NUMBER[grade], stage, `${v.name}${type.name}`, `${v.name}附近${type.description}`, v.code, command, 0, lon, lat, null, source,
      rand() < 0.02, reporter.name, reporter.phone, actor, new Date(reportedAt), due.verify, due.respond, due.resolve,
      stamps.verified ?? null, stamps.responding ?? null, stamps.resolved ?? null, stamps.evaluated ?? null, stamps.closed ?? stamps.rejected ?? null,
      stamps.evaluated ? 3 + Math.floor(rand() * 3) : null, new Date(at),
    ]);
  }
  await withTransaction(deps.db, async (tx) => {
    await insertMany(tx, 'incident', INCIDENT_COLUMNS, incidents);
    await insertMany(tx, 'incident_timeline', TIMELINE_COLUMNS, timeline);
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'demo.incidents-seeded', resourceType: 'incident', regionCode: '990000000000', details: { incidents: incidents.length } });
  });
  return incidents.length;
}
