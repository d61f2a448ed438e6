// SPDX-License-Identifier: Apache-2.0
// Incidents (事件): reporting (with duplicates nearby linked, not multiplied), the queue, the lifecycle with its
// timeline, SLA deadlines and supervision (督办) of overdue work with escalation of command.
import {
  type Grade, type Incident, type IncidentAction, type IncidentDetail, type IncidentInput, type IncidentQuery, type IncidentSource,
  type IncidentStatus, type IncidentType, OPEN_STATUSES, type Reporter, type ReportOutcome, type SweepResult,
} from '../../../contracts/dispatch-incidents.ts';
import { scopePrefixOf } from '../../../contracts/region-codes.ts';
import { type RequestContext, systemContext } from '../../platform/context.ts';
import { type Executor, executor, withTransaction } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { Conflict, Invalid, NotFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { publish } from '../../platform/outbox.ts';
import { type Periodic, startPeriodic } from '../../platform/periodic.ts';
import { authorize, check, type ClassificationRules, decide, loadClassificationRules, maskRecord, withDeferredDenials } from '../access/index.ts';
import { recordAudit } from '../audit/index.ts';
import { findCurrentRegion, locateRegionWith } from '../regions/index.ts';
import { categoryOf, dueTimes, findLeafType, GRADE_NUMBER, GRADE_OF, listIncidentTypes, typeCodesUnder } from './incident-types.ts';
import {
  baseCommandLevel, commandAfterRaise, commandRegion, DUPLICATE_RADIUS_M, DUPLICATE_WINDOW_H, levelAbove, metresBetween, nextStatus,
} from './incidents.policy.ts';
import * as store from './incidents.store.ts';

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** A reporter's contact, masked for an actor without clearance (the reporter sees their own). */
function presentReporter(ctx: RequestContext, rules: ClassificationRules, r: { name: string | null; phone: string | null; email: string | null }, self: boolean): Reporter {
  const masked = maskRecord(ctx.actor, rules, 'incident', { reporterName: r.name, reporterPhone: r.phone, reporterEmail: r.email }, self);
  return { name: masked.reporterName, phone: masked.reporterPhone, email: masked.reporterEmail };
}

/** An incident as the caller sees it. */
export function presentIncident(ctx: RequestContext, rules: ClassificationRules, r: store.IncidentRecord): Incident {
  const type = findLeafType(r.type_code);
  const self = r.reporter_user_id !== null && r.reporter_user_id === ctx.actor.userId;
  return {
    id: r.id,
    typeCode: r.type_code,
    typeName: type?.name ?? r.type_code,
    typeNameEn: type?.nameEn ?? r.type_code,
    categoryCode: type?.parent ?? '',
    grade: GRADE_OF[r.grade] ?? 'IV',
    status: r.status,
    title: r.title,
    description: r.description,
    regionCode: r.region_code,
    regionName: r.region_name,
    commandRegionCode: r.command_region_code,
    commandRegionName: r.command_region_name,
    escalations: r.escalations,
    lon: r.lon,
    lat: r.lat,
    address: r.address,
    source: r.source,
    exercise: r.exercise,
    reporter: presentReporter(ctx, rules, { name: r.reporter_name, phone: r.reporter_phone, email: r.reporter_email }, self),
    reportedBy: r.reported_by_name,
    reportedAt: r.reported_at.toISOString(),
    dueVerifyAt: r.due_verify_at.toISOString(),
    dueRespondAt: r.due_respond_at.toISOString(),
    dueResolveAt: r.due_resolve_at.toISOString(),
    verifiedAt: iso(r.verified_at),
    respondedAt: iso(r.responded_at),
    resolvedAt: iso(r.resolved_at),
    evaluatedAt: iso(r.evaluated_at),
    closedAt: iso(r.closed_at),
    rating: r.rating,
    overdue: r.overdue,
    supervisedStage: r.supervised_stage,
    duplicateCount: r.duplicate_count,
    attributes: r.attributes,
    mediaUrl: r.media_url,
    updatedAt: r.updated_at.toISOString(),
  };
}

async function presentDetail(ctx: RequestContext, db: Executor, r: store.IncidentRecord): Promise<IncidentDetail> {
  const rules = await loadClassificationRules(db);
  const timeline = await store.timelineOf(db, r.id);
  return {
    ...presentIncident(ctx, rules, r),
    timeline: timeline.map((e) => {
      // a linked duplicate report carries its reporter's contact: masked like the incident's own
      const reporter = e.details.reporter as { name: string | null; phone: string | null; email: string | null } | undefined;
      const details = reporter ? { ...e.details, reporter: presentReporter(ctx, rules, reporter, false) } : e.details;
      return { id: e.id, at: e.at.toISOString(), action: e.action, actor: e.actor_name, fromStatus: e.from_status, toStatus: e.to_status, note: e.note, details };
    }),
  };
}

/** The incident type catalogue (for those who read or report incidents). */
export async function incidentTypes(deps: Deps, ctx: RequestContext): Promise<IncidentType[]> {
  if (!decide(ctx.actor, 'incident:report').allow) await authorize(deps, ctx, 'incident:read');
  return listIncidentTypes();
}

/** A report from any source: the console, the API, Open311, twin subscriptions or indicator alerts. */
export type ReportInput = IncidentInput & { source: IncidentSource; reportedAt?: Date };

/** Where a report lies: the explicit region, else the smallest region containing its point. */
async function placeReport(deps: Deps, input: ReportInput): Promise<{ regionCode: string; regionName: string }> {
  const hasLon = input.lon !== undefined;
  if (hasLon !== (input.lat !== undefined)) {
    throw new Invalid('give both lon and lat, or neither', [{ field: hasLon ? 'body.lat' : 'body.lon', message: 'required with the other coordinate' }]);
  }
  const db = executor(deps.db);
  if (input.regionCode) {
    const region = await findCurrentRegion(db, input.regionCode);
    if (!region) throw new Invalid('no such region', [{ field: 'body.regionCode', message: `no current region ${input.regionCode}` }]);
    return { regionCode: region.code, regionName: region.name };
  }
  if (input.lon === undefined || input.lat === undefined) {
    throw new Invalid('say where it is: a location (lon, lat) or a region code', [{ field: 'body.regionCode', message: 'required without lon and lat' }]);
  }
  const region = await locateRegionWith(db, input.lon, input.lat);
  if (!region) throw new Invalid('the location lies in no region of the platform', [{ field: 'body.lon', message: `no region contains ${input.lon}, ${input.lat}` }]);
  return { regionCode: region.code, regionName: region.name };
}

/**
 * Reports an incident. A report of the same type within 200 m and 24 h of an open incident is linked to
 * it (its timeline records the report, its duplicate count rises) and the answer is that incident.
 * Other modules call this with their own `source` (twin subscriptions, indicator alerts).
 */
export async function reportIncident(deps: Deps, ctx: RequestContext, input: ReportInput): Promise<ReportOutcome> {
  const type = findLeafType(input.typeCode);
  if (!type) {
    const under = typeCodesUnder(input.typeCode);
    throw new Invalid(under.length ? `${input.typeCode} is a category: report one of its types` : `no incident type ${input.typeCode}`, [
      { field: 'body.typeCode', message: under.length ? `choose one of ${under.join(', ')}` : 'unknown type (see GET /api/incident-types)' },
    ]);
  }
  const place = await placeReport(deps, input);
  await authorize(deps, ctx, 'incident:report', { regionCode: place.regionCode, type: 'incident' });
  const reportedAt = input.reportedAt ?? new Date();
  const grade: Grade = input.grade;
  return withTransaction(deps.db, async (tx) => {
    const rules = await loadClassificationRules(tx);
    const reporter = { name: input.reporter?.name ?? null, phone: input.reporter?.phone ?? null, email: input.reporter?.email ?? null };
    if (input.lon !== undefined && input.lat !== undefined) {
      await store.lockType(tx, type.code);
      const primary = await findDuplicateOf(tx, ctx.actor.scopePrefix, type.code, input.exercise, input.lon, input.lat, reportedAt);
      if (primary) {
        await store.updateIncident(tx, primary.id, { duplicate_count: primary.duplicate_count + 1 });
        await store.addTimeline(tx, primary.id, {
          action: 'duplicate-linked', actor_id: ctx.actor.userId, actor_name: ctx.actor.username, note: input.description || null,
          details: { source: input.source, lon: input.lon, lat: input.lat, address: input.address ?? null, reporter, attributes: input.attributes ?? {}, mediaUrl: input.mediaUrl ?? null },
        });
        await recordAudit(tx, ctx, deps.config.auditHash, {
          action: 'incident.duplicate-linked', resourceType: 'incident', resourceId: primary.id, regionCode: primary.region_code, details: { source: input.source, typeCode: type.code },
        });
        await publish(tx, { topic: 'incident.duplicate-linked', aggregateId: primary.id, regionCode: primary.region_code, payload: { id: primary.id, source: input.source } });
        return { duplicate: true, incident: presentIncident(ctx, rules, (await store.findIncident(tx, primary.id)) as store.IncidentRecord) };
      }
    }
    const id = newId();
    const due = dueTimes(type, grade, reportedAt);
    const command = commandRegion(place.regionCode, baseCommandLevel(grade));
    await store.insertIncident(tx, {
      id, type_code: type.code, grade: GRADE_NUMBER[grade], title: input.title ?? `${place.regionName}${type.name}`, description: input.description,
      region_code: place.regionCode, command_region_code: command, lon: input.lon ?? null, lat: input.lat ?? null, address: input.address ?? null,
      source: input.source, exercise: input.exercise, reporter_user_id: ctx.actor.userId, reporter_name: reporter.name, reporter_phone: reporter.phone,
      reporter_email: reporter.email, reported_by_name: ctx.actor.username, attributes: input.attributes ?? {}, media_url: input.mediaUrl ?? null,
      reported_at: reportedAt, due_verify_at: due.verify, due_respond_at: due.respond, due_resolve_at: due.resolve,
    });
    await store.addTimeline(tx, id, {
      action: 'reported', actor_id: ctx.actor.userId, actor_name: ctx.actor.username, to_status: 'reported', note: input.description || null, at: reportedAt,
      details: { source: input.source, grade, commandRegionCode: command, exercise: input.exercise },
    });
    await recordAudit(tx, ctx, deps.config.auditHash, {
      action: 'incident.reported', resourceType: 'incident', resourceId: id, regionCode: place.regionCode,
      details: { typeCode: type.code, grade, source: input.source, exercise: input.exercise, commandRegionCode: command },
    });
    await publish(tx, {
      topic: 'incident.reported', aggregateId: id, regionCode: place.regionCode,
      payload: { id, typeCode: type.code, category: categoryOf(type.code)?.code ?? null, grade, source: input.source, exercise: input.exercise, commandRegionCode: command },
    });
    return { duplicate: false, incident: presentIncident(ctx, rules, (await store.findIncident(tx, id)) as store.IncidentRecord) };
  });
}

/**
 * The open incident a report duplicates: same type, within the radius and the window, nearest first — among
 * those the reporter may see (one just across the border of their region is not shown to them: theirs opens
 * a new incident in their own region).
 */
async function findDuplicateOf(tx: Executor, scopePrefix: string, typeCode: string, exercise: boolean, lon: number, lat: number, at: Date): Promise<store.IncidentRecord | undefined> {
  const dLat = DUPLICATE_RADIUS_M / 111_000;
  const dLon = dLat / Math.max(0.01, Math.cos((lat * Math.PI) / 180));
  const since = new Date(at.getTime() - DUPLICATE_WINDOW_H * 3_600_000);
  const candidates = await store.openNearby(tx, typeCode, exercise, since, [lon - dLon, lat - dLat, lon + dLon, lat + dLat], scopePrefix);
  const nearest = candidates
    .map((c) => ({ c, m: metresBetween(lon, lat, c.lon, c.lat) }))
    .filter((x) => x.m <= DUPLICATE_RADIUS_M)
    .sort((a, b) => a.m - b.m)[0];
  return nearest ? store.findIncident(tx, nearest.c.id, true) : undefined;
}

/** The incident queue of the caller's region subtree. */
export async function listIncidents(deps: Deps, ctx: RequestContext, q: IncidentQuery) {
  await authorize(deps, ctx, 'incident:read');
  const typeCodes = q.type ? typeCodesUnder(q.type) : undefined;
  if (q.type && typeCodes?.length === 0) throw new Invalid(`no incident type ${q.type}`, [{ field: 'querystring.type', message: 'unknown type' }]);
  const db = executor(deps.db);
  const { rows, total } = await store.listIncidents(db, {
    scopePrefix: ctx.actor.scopePrefix,
    statuses: q.status?.split(','),
    typeCodes,
    grade: q.grade ? GRADE_NUMBER[q.grade] : undefined,
    regionPrefix: q.regionCode ? scopePrefixOf(q.regionCode) : undefined,
    overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
    exercise: q.exercise === undefined ? undefined : q.exercise === 'true',
    source: q.source,
    q: q.q,
    from: q.from,
    to: q.to,
  }, q.sort, q.limit, q.offset);
  const rules = await loadClassificationRules(db);
  return { items: rows.map((r) => presentIncident(ctx, rules, r)), total, limit: q.limit, offset: q.offset };
}

/** One incident with its timeline; outside the caller's scope it is a 403 (audited). */
export async function getIncident(deps: Deps, ctx: RequestContext, id: string): Promise<IncidentDetail> {
  await authorize(deps, ctx, 'incident:read');
  const db = executor(deps.db);
  const r = await store.findIncident(db, id);
  if (!r) throw new NotFound(`no incident ${id}`);
  await authorize(deps, ctx, 'incident:read', { regionCode: r.region_code, type: 'incident', id });
  return presentDetail(ctx, db, r);
}

const STAMP: Partial<Record<IncidentStatus, keyof store.IncidentPatch>> = {
  verified: 'verified_at', responding: 'responded_at', resolved: 'resolved_at', evaluated: 'evaluated_at', closed: 'closed_at', rejected: 'closed_at',
};

/** Changes the grade inside `tx`: new deadlines from the report time; a raise escalates command one level up. */
async function regrade(ctx: RequestContext, tx: Executor, r: store.IncidentRecord, grade: Grade, note: string | null): Promise<store.IncidentPatch> {
  const type = findLeafType(r.type_code);
  const due = type ? dueTimes(type, grade, r.reported_at) : undefined;
  const patch: store.IncidentPatch = { grade: GRADE_NUMBER[grade], due_verify_at: due?.verify, due_respond_at: due?.respond, due_resolve_at: due?.resolve };
  const from = GRADE_OF[r.grade] ?? 'IV';
  await store.addTimeline(tx, r.id, { action: 'regraded', actor_id: ctx.actor.userId, actor_name: ctx.actor.username, note, details: { from, to: grade } });
  await publish(tx, { topic: 'incident.regraded', aggregateId: r.id, regionCode: r.region_code, payload: { id: r.id, from, to: grade } });
  if (GRADE_NUMBER[grade] < r.grade) {
    const command = commandAfterRaise(r.region_code, r.command_region_code, grade);
    if (command !== r.command_region_code) {
      patch.command_region_code = command;
      patch.escalations = r.escalations + 1;
      await escalationEntry(tx, ctx, r, command, `grade raised from ${from} to ${grade}`);
    }
  }
  return patch;
}

async function escalationEntry(tx: Executor, ctx: RequestContext, r: store.IncidentRecord, to: string, reason: string): Promise<void> {
  await store.addTimeline(tx, r.id, { action: 'escalated', actor_id: ctx.actor.userId, actor_name: ctx.actor.username, note: reason, details: { from: r.command_region_code, to } });
  await publish(tx, { topic: 'incident.escalated', aggregateId: r.id, regionCode: r.region_code, payload: { id: r.id, from: r.command_region_code, to, reason } });
}

/** Takes an action on an incident (verify, reject, respond, resolve, evaluate, close, regrade, comment). */
export async function actOnIncident(deps: Deps, ctx: RequestContext, id: string, input: IncidentAction): Promise<IncidentDetail> {
  await authorize(deps, ctx, 'incident:manage');
  return withDeferredDenials(deps, ctx, () => withTransaction(deps.db, async (tx) => {
    const r = await store.findIncident(tx, id, true);
    if (!r) throw new NotFound(`no incident ${id}`);
    check(ctx, 'incident:manage', { regionCode: r.region_code, type: 'incident', id });
    const next = nextStatus(r.status, input.action);
    if ('refused' in next) throw new Conflict(next.refused, 'invalid-transition');
    const note = input.note ?? null;
    let patch: store.IncidentPatch = {};
    if ((input.action === 'regrade' || input.action === 'verify') && input.grade !== undefined) {
      if (input.action === 'regrade' && GRADE_NUMBER[input.grade] === r.grade) throw new Invalid(`the incident is already grade ${input.grade}`, [{ field: 'body.grade', message: 'unchanged' }]);
      if (GRADE_NUMBER[input.grade] !== r.grade) patch = await regrade(ctx, tx, r, input.grade, note);
    }
    if (next.to !== r.status) {
      const stamp = STAMP[next.to];
      patch.status = next.to;
      if (stamp) patch = { ...patch, [stamp]: new Date() };
      if (input.action === 'evaluate') patch.rating = input.rating;
      await store.addTimeline(tx, id, {
        action: input.action, actor_id: ctx.actor.userId, actor_name: ctx.actor.username, from_status: r.status, to_status: next.to, note,
        details: input.action === 'evaluate' ? { rating: input.rating } : {},
      });
      await publish(tx, { topic: 'incident.status-changed', aggregateId: id, regionCode: r.region_code, payload: { id, from: r.status, to: next.to, action: input.action } });
    } else if (input.action === 'comment') {
      await store.addTimeline(tx, id, { action: 'comment', actor_id: ctx.actor.userId, actor_name: ctx.actor.username, note });
    }
    await store.updateIncident(tx, id, patch);
    await recordAudit(tx, ctx, deps.config.auditHash, {
      action: `incident.${input.action}`, resourceType: 'incident', resourceId: id, regionCode: r.region_code,
      details: { from: r.status, to: next.to, ...(patch.grade !== undefined ? { grade: GRADE_OF[patch.grade] } : {}), ...(patch.command_region_code ? { commandRegionCode: patch.command_region_code } : {}) },
    });
    return presentDetail(ctx, tx, (await store.findIncident(tx, id)) as store.IncidentRecord);
  }));
}

/**
 * Supervision (督办): every open incident whose current stage passed its deadline by `now` and is not yet
 * supervised for that stage is flagged (timeline, `incident.overdue` event) and its command escalated one
 * level up (timeline, `incident.escalated` event). Each stage is flagged once.
 */
export async function sweepOverdue(deps: Deps, opts: { now?: Date; limit?: number } = {}): Promise<SweepResult> {
  const now = opts.now ?? new Date();
  const ctx = systemContext('supervision');
  const ids = await store.overdueUnsupervised(executor(deps.db), now, opts.limit ?? 500);
  const done: string[] = [];
  let escalated = 0;
  for (const id of ids) {
    await withTransaction(deps.db, async (tx) => {
      const r = await store.findIncident(tx, id, true);
      if (!r || !OPEN_STATUSES.includes(r.status) || r.supervised_stage === r.status) return;
      const due = r.status === 'reported' ? r.due_verify_at : r.status === 'verified' ? r.due_respond_at : r.due_resolve_at;
      if (due >= now) return;
      const patch: store.IncidentPatch = { supervised_stage: r.status, supervised_at: now };
      await store.addTimeline(tx, id, {
        action: 'supervised', actor_id: null, actor_name: ctx.actor.username, note: `overdue: the ${r.status} stage was due ${due.toISOString()}`,
        details: { stage: r.status, dueAt: due.toISOString() },
      });
      await publish(tx, { topic: 'incident.overdue', aggregateId: id, regionCode: r.region_code, payload: { id, stage: r.status, dueAt: due.toISOString(), commandRegionCode: r.command_region_code } });
      const up = commandRegion(r.region_code, levelAbove(r.command_region_code));
      if (up !== r.command_region_code) {
        patch.command_region_code = up;
        patch.escalations = r.escalations + 1;
        await escalationEntry(tx, ctx, r, up, `overdue in the ${r.status} stage`);
        escalated++;
      }
      await store.updateIncident(tx, id, patch);
      await recordAudit(tx, ctx, deps.config.auditHash, {
        action: 'incident.supervised', resourceType: 'incident', resourceId: id, regionCode: r.region_code,
        details: { stage: r.status, dueAt: due.toISOString(), commandRegionCode: patch.command_region_code ?? r.command_region_code },
      });
      done.push(id);
    });
  }
  return { supervised: done.length, escalated, ids: done };
}

/** Runs the supervision sweep every `intervalMs` in the background; stop() waits for a sweep in flight. */
export function startIncidentSupervision(deps: Deps, opts: { intervalMs?: number; onError?: (err: unknown) => void } = {}): Periodic {
  return startPeriodic(() => sweepOverdue(deps), opts.intervalMs ?? 60_000, opts.onError);
}
