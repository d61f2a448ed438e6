// SPDX-License-Identifier: Apache-2.0
// Public warnings (预警信息): issued, updated and cancelled by those allowed, each change published as a new
// CAP 1.2 message (Alert, Update, Cancel) that references the earlier ones; the public Atom feed of
// current alerts and each alert's CAP document.
import type { z } from 'zod';
import {
  type CapCategory, type CapMsgType, type CapResponseType, type CapStatus, type Warning, type WarningCancel, type WarningDetail, WarningInput,
  type WarningInputParsed, type WarningQuery, type WarningText, WarningUpdate,
} from '../../../contracts/dispatch-warnings.ts';
import { scopePrefixOf } from '../../../contracts/region-codes.ts';
import type { RequestContext } from '../../platform/context.ts';
import { type Executor, executor, withTransaction } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { Conflict, type FieldError, Invalid, NotFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { publish } from '../../platform/outbox.ts';
import { authorize, check, withDeferredDenials } from '../access/index.ts';
import { recordAudit } from '../audit/index.ts';
import { locateRegionWith } from '../regions/index.ts';
import { boundaryPolygons, type CapAlert, capCircle, capPolygon, capReference, renderAtomFeed, renderCap, simplifyRing, toSecond } from './cap.ts';
import * as incidentStore from './incidents.store.ts';
import * as store from './warnings.store.ts';

const DAY_MS = 86_400_000;
/** Significant prefix lengths by level, coarsest first (province, city, county, township, village). */
const PREFIX_LENGTHS = [2, 4, 6, 9, 12];

/** The public path of a CAP message's document. */
export const capPath = (identifier: string) => `/cap/alerts/${identifier}.xml`;

function fieldsOf(error: z.ZodError, base: string): FieldError[] {
  return error.issues.map((i) => ({ field: [base, ...i.path.map(String)].join('.'), message: i.message }));
}

function present(r: store.WarningRecord): Warning {
  return {
    id: r.id,
    regionCode: r.region_code,
    regionName: r.region_name,
    incidentId: r.incident_id,
    exercise: r.exercise,
    status: r.status === 'cancelled' ? 'cancelled' : r.expired ? 'expired' : 'active',
    categories: r.categories as CapCategory[],
    urgency: r.urgency as Warning['urgency'],
    severity: r.severity as Warning['severity'],
    certainty: r.certainty as Warning['certainty'],
    responseTypes: r.response_types as CapResponseType[],
    effective: r.effective_at.toISOString(),
    onset: r.onset_at?.toISOString() ?? null,
    expires: r.expires_at.toISOString(),
    zh: r.texts.zh,
    en: r.texts.en,
    area: r.area,
    contact: r.contact,
    issuedBy: r.issued_by_name,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    messageCount: r.message_count,
    latestIdentifier: r.latest_identifier,
    latestUrl: capPath(r.latest_identifier),
  };
}

async function presentDetail(db: Executor, r: store.WarningRecord): Promise<WarningDetail> {
  const messages = await store.messagesOf(db, r.id);
  return {
    ...present(r),
    messages: messages.map((m) => ({
      identifier: m.identifier, msgType: m.msg_type, status: m.status, sender: m.sender, sent: m.sent_at.toISOString(), references: m.references,
      note: m.note, actor: m.actor_name, url: capPath(m.identifier),
    })),
  };
}

/** The region whose subtree holds every code: the deepest common ancestor (a single code: itself). */
function commonRegion(codes: string[]): string | null {
  const prefixes = codes.map(scopePrefixOf);
  if (prefixes.length === 1 && prefixes[0]) return codes[0] ?? null;
  let common = prefixes[0] ?? '';
  for (const p of prefixes) while (!p.startsWith(common)) common = common.slice(0, -1);
  const len = [...PREFIX_LENGTHS].reverse().find((n) => n <= common.length);
  return len ? common.slice(0, len).padEnd(12, '0') : null;
}

/** The area as CAP writes it, with the region names for the default area descriptions. */
type ResolvedArea = { polygons: string[]; circles: string[]; regionCodes: string[]; namesZh: string[]; namesEn: string[]; prefixes: string[] };

async function resolveArea(db: Executor, area: store.StoredArea, field: string): Promise<ResolvedArea> {
  const out: ResolvedArea = { polygons: [], circles: [], regionCodes: [], namesZh: [], namesEn: [], prefixes: [] };
  const errors: FieldError[] = [];
  for (const [i, code] of area.regionCodes.entries()) {
    if (out.regionCodes.includes(code)) continue;
    const region = await store.regionForArea(db, code);
    if (!region) {
      errors.push({ field: `${field}.regionCodes.${i}`, message: `no current region ${code}` });
      continue;
    }
    out.regionCodes.push(code);
    out.prefixes.push(scopePrefixOf(code));
    out.namesZh.push(region.name);
    out.namesEn.push(region.name_en ?? region.name);
    if (area.regionPolygons && region.boundary) {
      for (const ring of boundaryPolygons(region.boundary)) {
        const p = capPolygon(ring);
        if (p) out.polygons.push(p);
      }
    }
  }
  for (const [i, ring] of area.polygons.entries()) {
    const p = capPolygon(simplifyRing(ring));
    if (p) out.polygons.push(p);
    else errors.push({ field: `${field}.polygons.${i}`, message: 'a polygon needs at least three distinct points' });
  }
  for (const c of area.circles) out.circles.push(capCircle(c));
  if (errors.length) throw new Invalid('the area names something that does not exist', errors);
  return out;
}

/** The state a CAP message is written from. */
export type WarningState = {
  id: string;
  exercise: boolean;
  incidentId: string | null;
  regionName: { zh: string | null; en: string | null };
  categories: CapCategory[];
  urgency: string;
  severity: string;
  certainty: string;
  responseTypes: CapResponseType[];
  effective: Date;
  onset: Date | null;
  expires: Date;
  texts: { zh: WarningText; en: WarningText };
  contact: string | null;
};

/** Writes the next CAP message of a warning inside `tx`; it references every earlier one. */
async function emit(
  deps: Deps,
  ctx: RequestContext,
  tx: Executor,
  w: WarningState,
  area: ResolvedArea,
  msgType: CapMsgType,
  note: string | null,
  at = new Date(),
): Promise<store.MessageRecord> {
  const earlier = await store.messagesOf(tx, w.id);
  const seq = earlier.length + 1;
  const status: CapStatus = w.exercise ? 'Exercise' : 'Actual';
  const identifier = `yz-${w.id}-${seq}`;
  const sent = toSecond(at);
  const references = earlier.length ? earlier.map((m) => capReference({ sender: m.sender, identifier: m.identifier, sent: m.sent_at })).join(' ') : null;
  const alert: CapAlert = {
    identifier, sender: deps.config.capSender, sent, status, msgType, source: 'Yunzheng 云政', note, references, incidents: w.incidentId,
    categories: w.categories, responseTypes: w.responseTypes, urgency: w.urgency, severity: w.severity, certainty: w.certainty,
    effective: w.effective, onset: w.onset, expires: w.expires, contact: w.contact,
    infos: [
      { language: 'zh-CN', text: w.texts.zh, senderName: w.regionName.zh, areaDesc: w.texts.zh.areaDesc ?? (area.namesZh.length ? area.namesZh.join('、') : '指定区域') },
      { language: 'en-US', text: w.texts.en, senderName: w.regionName.en, areaDesc: w.texts.en.areaDesc ?? (area.namesEn.length ? area.namesEn.join(', ') : 'the area given') },
    ],
    polygons: area.polygons, circles: area.circles, regionCodes: area.regionCodes,
  };
  const message: store.MessageRecord = {
    identifier, warning_id: w.id, seq, sender: deps.config.capSender, sent_at: sent, msg_type: msgType, status, references, note, actor_name: ctx.actor.username, xml: renderCap(alert),
  };
  await store.insertMessage(tx, message);
  return message;
}

const at = (s: string | undefined) => (s === undefined ? undefined : toSecond(new Date(s)));

/** Refuses times that make no warning: expiry not after the start, or already past. */
function checkTimes(effective: Date, expires: Date, onset: Date | null, now: Date): void {
  if (expires <= effective) throw new Invalid('the warning must expire after it takes effect', [{ field: 'body.expires', message: 'must be after effective' }]);
  if (expires <= now) throw new Invalid('the warning would already have expired', [{ field: 'body.expires', message: 'must be in the future' }]);
  if (onset && onset >= expires) throw new Invalid('the onset must come before the expiry', [{ field: 'body.onset', message: 'must be before expires' }]);
}

async function regionNames(db: Executor, code: string): Promise<{ zh: string | null; en: string | null }> {
  const r = await store.regionForArea(db, code);
  return { zh: r?.name ?? null, en: r?.name_en ?? r?.name ?? null };
}

/**
 * Issues a warning and publishes its CAP Alert. Plan activation calls this with the incident it acts on:
 * a drill incident's warnings are exercises (CAP status Exercise).
 */
export async function issueWarning(deps: Deps, ctx: RequestContext, raw: WarningInput): Promise<WarningDetail> {
  const parsed = WarningInput.safeParse(raw);
  if (!parsed.success) throw new Invalid('the warning is not valid', fieldsOf(parsed.error, 'body'));
  const input: WarningInputParsed = parsed.data;
  await authorize(deps, ctx, 'warning:issue');
  const db = executor(deps.db);
  let exercise = input.exercise;
  let incidentRegion: string | null = null;
  if (input.incidentId) {
    const incident = await incidentStore.findIncident(db, input.incidentId);
    if (!incident) throw new Invalid('no such incident', [{ field: 'body.incidentId', message: `no incident ${input.incidentId}` }]);
    await authorize(deps, ctx, 'incident:read', { regionCode: incident.region_code, type: 'incident', id: incident.id });
    exercise ||= incident.exercise;
    incidentRegion = incident.region_code;
  }
  const unknown: FieldError[] = [];
  for (const [i, code] of input.area.regionCodes.entries()) {
    if (!(await store.regionForArea(db, code))) unknown.push({ field: `body.area.regionCodes.${i}`, message: `no current region ${code}` });
  }
  if (unknown.length) throw new Invalid('the area names regions that do not exist', unknown);
  // where it belongs: the given region, the regions' common ancestor, the incident's region, or where its shapes lie
  let regionCode = input.regionCode ?? null;
  if (!regionCode && input.area.regionCodes.length) regionCode = commonRegion(input.area.regionCodes);
  regionCode ??= incidentRegion;
  if (!regionCode) {
    const c = input.area.circles[0];
    const p = input.area.polygons[0]?.[0];
    const point = c ? [c.lon, c.lat] : p;
    const located = point ? await locateRegionWith(db, point[0] ?? 0, point[1] ?? 0) : undefined;
    regionCode = located?.code ?? null;
  }
  if (!regionCode) throw new Invalid('say which region the warning belongs to', [{ field: 'body.regionCode', message: 'required: the area lies in no single region of the platform' }]);
  if (!(await store.regionForArea(db, regionCode))) throw new Invalid('no such region', [{ field: 'body.regionCode', message: `no current region ${regionCode}` }]);
  await authorize(deps, ctx, 'warning:issue', { regionCode, type: 'warning' });
  for (const code of input.area.regionCodes) await authorize(deps, ctx, 'warning:issue', { regionCode: code, type: 'warning' });

  const now = new Date();
  const effective = at(input.effective) ?? toSecond(now);
  const expires = at(input.expires) ?? new Date(effective.getTime() + DAY_MS);
  const onset = at(input.onset) ?? null;
  checkTimes(effective, expires, onset, now);
  const area: store.StoredArea = { regionCodes: input.area.regionCodes, regionPolygons: input.area.regionPolygons, polygons: input.area.polygons, circles: input.area.circles };
  const id = newId();
  return withTransaction(deps.db, async (tx) => {
    const resolved = await resolveArea(tx, area, 'body.area');
    const state: WarningState = {
      id, exercise, incidentId: input.incidentId ?? null, regionName: await regionNames(tx, regionCode), categories: input.categories, urgency: input.urgency,
      severity: input.severity, certainty: input.certainty, responseTypes: input.responseTypes, effective, onset, expires, texts: { zh: input.zh, en: input.en },
      contact: input.contact ?? null,
    };
    await store.insertWarning(tx, {
      id, region_code: regionCode, incident_id: state.incidentId, exercise, categories: state.categories, urgency: state.urgency, severity: state.severity,
      certainty: state.certainty, response_types: state.responseTypes, effective_at: effective, onset_at: onset, expires_at: expires, texts: state.texts, area,
      area_prefixes: [...new Set([scopePrefixOf(regionCode), ...resolved.prefixes])], contact: state.contact, issued_by_id: ctx.actor.userId, issued_by_name: ctx.actor.username,
    });
    const message = await emit(deps, ctx, tx, state, resolved, 'Alert', null);
    await recordAudit(tx, ctx, deps.config.auditHash, {
      action: 'warning.issued', resourceType: 'warning', resourceId: id, regionCode,
      details: { identifier: message.identifier, status: message.status, incidentId: state.incidentId, event: input.zh.event },
    });
    await publish(tx, {
      topic: 'warning.issued', aggregateId: id, regionCode,
      payload: { id, identifier: message.identifier, msgType: 'Alert', status: message.status, incidentId: state.incidentId, expires: expires.toISOString() },
    });
    return presentDetail(tx, (await store.findWarning(tx, id)) as store.WarningRecord);
  });
}

/** Loads a warning for a change inside `tx`: in the caller's scope and not cancelled. */
async function forChange(ctx: RequestContext, tx: Executor, id: string): Promise<store.WarningRecord> {
  const r = await store.findWarning(tx, id, true);
  if (!r) throw new NotFound(`no warning ${id}`);
  check(ctx, 'warning:issue', { regionCode: r.region_code, type: 'warning', id });
  if (r.status === 'cancelled') throw new Conflict('the warning was cancelled: issue a new one', 'warning-cancelled');
  return r;
}

function stateOf(r: store.WarningRecord, names: { zh: string | null; en: string | null }): WarningState {
  return {
    id: r.id, exercise: r.exercise, incidentId: r.incident_id, regionName: names, categories: r.categories as CapCategory[], urgency: r.urgency, severity: r.severity,
    certainty: r.certainty, responseTypes: r.response_types as CapResponseType[], effective: r.effective_at, onset: r.onset_at, expires: r.expires_at, texts: r.texts, contact: r.contact,
  };
}

/** Changes a warning and publishes a CAP Update referencing its earlier messages. */
export async function updateWarning(deps: Deps, ctx: RequestContext, id: string, raw: WarningUpdate): Promise<WarningDetail> {
  const parsed = WarningUpdate.safeParse(raw);
  if (!parsed.success) throw new Invalid('the update is not valid', fieldsOf(parsed.error, 'body'));
  const input = parsed.data;
  const { note, ...changes } = input;
  if (Object.values(changes).every((v) => v === undefined)) throw new Invalid('nothing to change', [{ field: 'body', message: 'give at least one field to change' }]);
  await authorize(deps, ctx, 'warning:issue');
  return withDeferredDenials(deps, ctx, () => withTransaction(deps.db, async (tx) => {
    const r = await forChange(ctx, tx, id);
    const area: store.StoredArea = input.area
      ? { regionCodes: input.area.regionCodes, regionPolygons: input.area.regionPolygons, polygons: input.area.polygons, circles: input.area.circles }
      : r.area;
    for (const code of input.area?.regionCodes ?? []) check(ctx, 'warning:issue', { regionCode: code, type: 'warning', id });
    const state = stateOf(r, await regionNames(tx, r.region_code));
    if (input.categories) state.categories = input.categories;
    if (input.urgency) state.urgency = input.urgency;
    if (input.severity) state.severity = input.severity;
    if (input.certainty) state.certainty = input.certainty;
    if (input.responseTypes) state.responseTypes = input.responseTypes;
    if (input.effective) state.effective = toSecond(new Date(input.effective));
    if (input.onset !== undefined) state.onset = input.onset === null ? null : toSecond(new Date(input.onset));
    if (input.expires) state.expires = toSecond(new Date(input.expires));
    if (input.zh) state.texts = { ...state.texts, zh: input.zh };
    if (input.en) state.texts = { ...state.texts, en: input.en };
    if (input.contact !== undefined) state.contact = input.contact;
    checkTimes(state.effective, state.expires, state.onset, new Date());
    const resolved = await resolveArea(tx, area, 'body.area');
    await store.updateWarning(tx, id, {
      categories: state.categories, urgency: state.urgency, severity: state.severity, certainty: state.certainty, response_types: state.responseTypes,
      effective_at: state.effective, onset_at: state.onset, expires_at: state.expires, texts: state.texts, area, contact: state.contact,
      area_prefixes: [...new Set([scopePrefixOf(r.region_code), ...resolved.prefixes])],
    });
    const message = await emit(deps, ctx, tx, state, resolved, 'Update', note ?? null);
    await recordAudit(tx, ctx, deps.config.auditHash, {
      action: 'warning.updated', resourceType: 'warning', resourceId: id, regionCode: r.region_code,
      details: { identifier: message.identifier, references: message.references, changed: Object.keys(changes).filter((k) => changes[k as keyof typeof changes] !== undefined) },
    });
    await publish(tx, {
      topic: 'warning.updated', aggregateId: id, regionCode: r.region_code,
      payload: { id, identifier: message.identifier, msgType: 'Update', status: message.status, references: message.references },
    });
    return presentDetail(tx, (await store.findWarning(tx, id)) as store.WarningRecord);
  }));
}

/** Cancels a warning and publishes a CAP Cancel referencing its earlier messages. */
export async function cancelWarning(deps: Deps, ctx: RequestContext, id: string, input: WarningCancel): Promise<WarningDetail> {
  await authorize(deps, ctx, 'warning:issue');
  return withDeferredDenials(deps, ctx, () => withTransaction(deps.db, async (tx) => {
    const r = await forChange(ctx, tx, id);
    const resolved = await resolveArea(tx, r.area, 'area');
    const message = await emit(deps, ctx, tx, stateOf(r, await regionNames(tx, r.region_code)), resolved, 'Cancel', input.note ?? null);
    await store.updateWarning(tx, id, { status: 'cancelled', cancelled_at: message.sent_at });
    await recordAudit(tx, ctx, deps.config.auditHash, {
      action: 'warning.cancelled', resourceType: 'warning', resourceId: id, regionCode: r.region_code, details: { identifier: message.identifier, note: input.note ?? null },
    });
    await publish(tx, {
      topic: 'warning.cancelled', aggregateId: id, regionCode: r.region_code,
      payload: { id, identifier: message.identifier, msgType: 'Cancel', status: message.status, references: message.references },
    });
    return presentDetail(tx, (await store.findWarning(tx, id)) as store.WarningRecord);
  }));
}

/** Warnings of the caller's region subtree. */
export async function listWarnings(deps: Deps, ctx: RequestContext, q: WarningQuery) {
  await authorize(deps, ctx, 'warning:read');
  const { rows, total } = await store.listWarnings(executor(deps.db), {
    scopePrefix: ctx.actor.scopePrefix, status: q.status, regionPrefix: q.regionCode ? scopePrefixOf(q.regionCode) : undefined,
    exercise: q.exercise === undefined ? undefined : q.exercise === 'true', incidentId: q.incidentId, q: q.q,
  }, q.limit, q.offset);
  return { items: rows.map(present), total, limit: q.limit, offset: q.offset };
}

/** One warning with its CAP messages; outside the caller's scope it is a 403 (audited). */
export async function getWarning(deps: Deps, ctx: RequestContext, id: string): Promise<WarningDetail> {
  await authorize(deps, ctx, 'warning:read');
  const db = executor(deps.db);
  const r = await store.findWarning(db, id);
  if (!r) throw new NotFound(`no warning ${id}`);
  await authorize(deps, ctx, 'warning:read', { regionCode: r.region_code, type: 'warning', id });
  return presentDetail(db, r);
}

/** The CAP 1.2 document of one message (public). */
export async function capDocument(deps: Deps, identifier: string): Promise<string> {
  const m = await store.findMessage(executor(deps.db), identifier);
  if (!m) throw new NotFound(`no CAP alert ${identifier}`);
  return m.xml;
}

/** The Atom feed of current alerts (public): the latest message of each warning neither cancelled nor expired. */
export async function capFeed(deps: Deps, opts: { baseUrl: string; regionCode?: string; status?: CapStatus; limit: number }): Promise<string> {
  const prefix = opts.regionCode && opts.regionCode.length >= 12 ? scopePrefixOf(opts.regionCode) : opts.regionCode;
  const rows = await store.currentAlerts(executor(deps.db), { prefix, status: opts.status, limit: opts.limit });
  const query = new URLSearchParams();
  if (opts.regionCode) query.set('regionCode', opts.regionCode);
  if (opts.status) query.set('status', opts.status);
  const qs = query.toString();
  return renderAtomFeed({
    selfUrl: `${opts.baseUrl}/cap/alerts${qs ? `?${qs}` : ''}`,
    title: '云政 预警信息 · Yunzheng public warnings',
    sender: deps.config.capSender,
    updated: rows[0]?.sent_at ?? new Date(),
    entries: rows.map((m) => ({
      identifier: m.identifier, url: `${opts.baseUrl}${capPath(m.identifier)}`, title: m.texts.zh.headline, summary: `${m.texts.zh.description}\n\n${m.texts.en.headline}`,
      sent: m.created_at, updated: m.sent_at, expires: m.expires_at, status: m.status, msgType: m.msg_type, categories: m.categories,
    })),
  });
}

/** One step of a warning's history as the demo writes it: the message, when, and what changed before it. */
export type PastStep = { msgType: CapMsgType; at: Date; note?: string; changes?: Partial<Omit<WarningState, 'id' | 'exercise' | 'incidentId' | 'regionName'>> };

/**
 * Writes a warning with a history of messages sent in the past, inside `tx` (the demo province's past
 * warnings). Live warnings go through issueWarning, updateWarning and cancelWarning, which send now.
 */
export async function writePastWarning(
  deps: Deps,
  ctx: RequestContext,
  tx: Executor,
  spec: { regionCode: string; exercise: boolean; state: Omit<WarningState, 'id' | 'exercise' | 'incidentId' | 'regionName'>; area: store.StoredArea; steps: PastStep[] },
): Promise<string> {
  const id = newId();
  const resolved = await resolveArea(tx, spec.area, 'area');
  let state: WarningState = { ...spec.state, id, exercise: spec.exercise, incidentId: null, regionName: await regionNames(tx, spec.regionCode) };
  const prefixes = [...new Set([scopePrefixOf(spec.regionCode), ...resolved.prefixes])];
  await store.insertWarning(tx, {
    id, region_code: spec.regionCode, incident_id: null, exercise: spec.exercise, categories: state.categories, urgency: state.urgency, severity: state.severity,
    certainty: state.certainty, response_types: state.responseTypes, effective_at: state.effective, onset_at: state.onset, expires_at: state.expires, texts: state.texts,
    area: spec.area, area_prefixes: prefixes, contact: state.contact, issued_by_id: ctx.actor.userId, issued_by_name: ctx.actor.username,
  });
  for (const step of spec.steps) {
    state = { ...state, ...(step.changes ?? {}) };
    const m = await emit(deps, ctx, tx, state, resolved, step.msgType, step.note ?? null, step.at);
    await store.updateWarning(tx, id, {
      categories: state.categories, urgency: state.urgency, severity: state.severity, certainty: state.certainty, response_types: state.responseTypes,
      effective_at: state.effective, onset_at: state.onset, expires_at: state.expires, texts: state.texts, contact: state.contact,
      ...(step.msgType === 'Cancel' ? { status: 'cancelled' as const, cancelled_at: m.sent_at } : {}),
    });
  }
  await tx.query('UPDATE warning SET created_at = $2, updated_at = $3 WHERE id = $1', [id, spec.steps[0]?.at ?? new Date(), spec.steps.at(-1)?.at ?? new Date()]);
  return id;
}
