// SPDX-License-Identifier: Apache-2.0
// Service tasks (服务型任务) outsourced to social organizations: a department publishes one with its service
// standard, budget, required qualifications and a bid deadline; qualified social organizations whose region
// meets the task's see it on the market and bid; the publisher awards one bid and the task passes to that
// organization, which delivers it with evidence; the publisher accepts it against the standard and pays.
// Files kept as evidence are here too.
import { createHash } from 'node:crypto';
import type { AwardInput, Bid, BidInput, MarketItem, MarketQuery, ServiceTaskInput, TaskDetail } from '../../../contracts/tasks.ts';
import { inScope, scopePrefixOf } from '../../../contracts/region-codes.ts';
import type { RequestContext } from '../../platform/context.ts';
import { executor, withTransaction } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { publish } from '../../platform/outbox.ts';
import { authorize, DeferredDenial, withDeferredDenials } from '../access/index.ts';
import { recordAudit } from '../audit/index.ts';
import { findCurrentRegion } from '../regions/index.ts';
import { confinedToOrganization, managesTask, seesTask } from './tasks.policy.ts';
import { getTask, presentTask } from './tasks.service.ts';
import * as store from './tasks.store.ts';

/** Service tasks one market listing looks at most (narrow it with q). */
const MARKET_SCAN = 5000;
/** The largest file kept as evidence. */
export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;

type SocialOrg = { id: string; name: string; region_code: string; qualifications: string[]; kind: string; active: boolean };

async function socialOrgOf(deps: Deps, ctx: RequestContext): Promise<SocialOrg | undefined> {
  if (!ctx.actor.organizationId) return undefined;
  const { rows } = await executor(deps.db).query<SocialOrg>(`SELECT id, name, region_code, qualifications, kind, active FROM organization WHERE id = $1`, [ctx.actor.organizationId]);
  const org = rows[0];
  return org?.kind === 'social' && org.active ? org : undefined;
}

/** Whether a social organization may take a service task: its region meets the task's, it holds every qualification. */
function qualifies(org: SocialOrg, t: { region_code: string; service: store.TaskRecord['service'] }): boolean {
  const meets = org.region_code.startsWith(scopePrefixOf(t.region_code)) || t.region_code.startsWith(scopePrefixOf(org.region_code));
  return meets && (t.service?.qualifications ?? []).every((q) => org.qualifications.includes(q));
}

/** Publishes a service task: it stays with the publishing department until a bid is awarded. */
export async function publishServiceTask(deps: Deps, ctx: RequestContext, input: ServiceTaskInput): Promise<TaskDetail> {
  await authorize(deps, ctx, 'task:write', { type: 'task' });
  const db = executor(deps.db);
  const region = await findCurrentRegion(db, input.regionCode);
  if (!region) throw new Invalid('no such region', [{ field: 'body.regionCode', message: `no current region ${input.regionCode}` }]);
  await authorize(deps, ctx, 'task:write', { type: 'task', regionCode: input.regionCode });
  const publisherId = input.publisherOrganizationId ?? ctx.actor.organizationId;
  if (!publisherId) throw new Invalid('say which department publishes the task', [{ field: 'body.publisherOrganizationId', message: 'required for an account without an organization' }]);
  const publisher = await store.findOrganization(db, publisherId);
  if (!publisher || !publisher.active || publisher.kind !== 'government') {
    throw new Invalid('a service task is published by a government department', [{ field: 'body.publisherOrganizationId', message: `no active government organization ${publisherId}` }]);
  }
  if (!inScope(ctx.actor.scopePrefix, publisher.region_code) && publisher.id !== ctx.actor.organizationId) throw new Forbidden('the publishing department is outside your region');
  const now = Date.now();
  const bidBy = new Date(input.bidDeadline).getTime();
  const dueBy = new Date(input.deadline).getTime();
  if (bidBy <= now) throw new Invalid('the bid deadline has passed', [{ field: 'body.bidDeadline', message: 'must be in the future' }]);
  if (dueBy <= bidBy) throw new Invalid('the task is due after bidding closes', [{ field: 'body.deadline', message: 'must be after bidDeadline' }]);
  const id = newId();
  await withTransaction(deps.db, async (tx) => {
    await store.insertTasks(tx, [{
      id, kind: 'service', title: input.title, description: input.description, region_code: input.regionCode, organization_id: publisher.id, responsible_user_id: null,
      priority: 'normal', deadline: new Date(input.deadline), evidence_required: input.evidenceRequired, parent_id: null, depends_on: [], source_kind: 'manual', source_ref: null,
      source_key: null, incident_id: null, exercise: false, lon: region.centroid?.x ?? null, lat: region.centroid?.y ?? null, created_by: ctx.actor.userId, created_by_name: ctx.actor.username,
      service: { standard: { ...input.standard }, budget: input.budget, qualifications: input.qualifications, bidDeadline: new Date(input.bidDeadline).toISOString() },
      publisher_organization_id: publisher.id, offer_status: 'open', payment_status: null,
    }]);
    await store.addEvents(tx, [id], { action: 'published', actor_id: ctx.actor.userId, actor_name: ctx.actor.username, to_status: 'assigned', details: { budget: input.budget, bidDeadline: input.bidDeadline } });
    await publish(tx, { topic: 'service-task.published', aggregateId: id, regionCode: input.regionCode, payload: { id, budget: input.budget, qualifications: input.qualifications } });
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'task.published', resourceType: 'task', resourceId: id, regionCode: input.regionCode, details: { kind: 'service', budget: input.budget } });
  });
  return getTask(deps, ctx, id);
}

/**
 * The market: service tasks on offer (or awarded) — for a social organization's member, those its
 * organization qualifies for and those it bid on; for departments, those in their region.
 */
export async function listMarket(deps: Deps, ctx: RequestContext, q: MarketQuery): Promise<{ items: MarketItem[]; total: number; limit: number; offset: number }> {
  await authorize(deps, ctx, 'task:read', { type: 'task' });
  const db = executor(deps.db);
  const social = await socialOrgOf(deps, ctx);
  if (confinedToOrganization(ctx.actor) !== undefined && !social) return { items: [], total: 0, limit: q.limit, offset: q.offset };
  const values: unknown[] = [];
  const where = [`t.service IS NOT NULL`];
  const add = (sql: (n: string) => string, v: unknown) => where.push(sql(`$${values.push(v)}`));
  if (q.offer !== 'all') add((n) => `t.offer_status = ${n}`, q.offer);
  if (q.q) add((n) => `(t.title ILIKE ${n} OR t.description ILIKE ${n})`, `%${q.q.replace(/[%_\\]/g, '\\$&')}%`);
  if (social) {
    const org = `$${values.push(social.id)}::uuid`;
    where.push(`(t.offer_status = 'open' OR t.organization_id = ${org} OR EXISTS (SELECT 1 FROM service_bid b WHERE b.task_id = t.id AND b.organization_id = ${org}))`);
  } else {
    const inRegion = `$${values.push(`${ctx.actor.scopePrefix.replace(/[%_\\]/g, '\\$&')}%`)}`;
    const own = `$${values.push(ctx.actor.organizationId)}::uuid`;
    where.push(`(t.region_code LIKE ${inRegion} OR t.publisher_organization_id = ${own})`);
  }
  const { rows } = await db.query<store.TaskRecord & { bid_count: number }>(
    `${store.TASK_SELECT.replace('FROM task t', ', (SELECT count(*)::int FROM service_bid b WHERE b.task_id = t.id AND b.status <> \'withdrawn\') AS bid_count FROM task t')}
      WHERE ${where.join(' AND ')} ORDER BY (t.offer_status = 'open') DESC, (t.service ->> 'bidDeadline'), t.id LIMIT ${MARKET_SCAN}`,
    values,
  );
  const mine = social
    ? new Map((await db.query<{ task_id: string; id: string; amount: string; status: string }>(`SELECT task_id, id, amount, status FROM service_bid WHERE organization_id = $1`, [social.id])).rows.map((b) => [b.task_id, b]))
    : new Map<string, { id: string; amount: string; status: string }>();
  const visible = rows.filter((r) => !social || mine.has(r.id) || r.organization_id === social.id || (r.offer_status === 'open' && qualifies(social, r)));
  const page = visible.slice(q.offset, q.offset + q.limit);
  return {
    items: page.map((r) => {
      const b = mine.get(r.id);
      return { ...presentTask(r), bidCount: r.bid_count, myBid: b ? { id: b.id, amount: Number(b.amount), status: b.status } : null };
    }),
    total: visible.length,
    limit: q.limit,
    offset: q.offset,
  };
}

/** A qualified social organization bids (again, replacing its bid) while the offer is open. */
export async function bid(deps: Deps, ctx: RequestContext, taskId: string, input: BidInput): Promise<Bid> {
  await authorize(deps, ctx, 'task:execute', { type: 'task', id: taskId });
  const org = await socialOrgOf(deps, ctx);
  if (!org) throw new Forbidden('only a social organization’s members bid for service tasks');
  const db = executor(deps.db);
  const t = await store.findTask(db, taskId);
  if (!t || !t.service || (!qualifies(org, t) && t.organization_id !== org.id)) throw new NotFound(`no service task ${taskId} on offer to you`);
  if (t.offer_status !== 'open') throw new Conflict('the offer is closed', 'offer-closed');
  if (Date.parse(t.service.bidDeadline) <= Date.now()) throw new Conflict('bidding closed at the bid deadline', 'bidding-closed');
  if (input.amount > t.service.budget) throw new Invalid('the bid is over the budget', [{ field: 'body.amount', message: `at most ${t.service.budget}` }]);
  const id = newId();
  await withTransaction(deps.db, async (tx) => {
    await tx.query(
      `INSERT INTO service_bid (id, task_id, organization_id, amount, proposal, submitted_by, submitted_by_name) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (task_id, organization_id) DO UPDATE SET amount = EXCLUDED.amount, proposal = EXCLUDED.proposal, status = 'submitted',
         submitted_by = EXCLUDED.submitted_by, submitted_by_name = EXCLUDED.submitted_by_name, submitted_at = now()`,
      [id, taskId, org.id, input.amount, input.proposal, ctx.actor.userId, ctx.actor.username],
    );
    await store.addEvents(tx, [taskId], { action: 'bid', actor_id: ctx.actor.userId, actor_name: ctx.actor.username, details: { organizationId: org.id, organizationName: org.name, amount: input.amount } });
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'task.bid', resourceType: 'task', resourceId: taskId, regionCode: t.region_code, details: { organizationId: org.id, amount: input.amount } });
  });
  return (await bidsOf(deps, taskId, org.id))[0] as Bid;
}

async function bidsOf(deps: Deps, taskId: string, organizationId?: string): Promise<Bid[]> {
  const { rows } = await executor(deps.db).query<{ id: string; task_id: string; organization_id: string; organization_name: string; qualifications: string[]; amount: string; proposal: string; status: Bid['status']; submitted_by_name: string; submitted_at: Date }>(
    `SELECT b.*, o.name AS organization_name, o.qualifications FROM service_bid b JOIN organization o ON o.id = b.organization_id
      WHERE b.task_id = $1 AND ($2::uuid IS NULL OR b.organization_id = $2::uuid) ORDER BY b.amount, b.submitted_at`,
    [taskId, organizationId ?? null],
  );
  return rows.map((b) => ({
    id: b.id, taskId: b.task_id, organizationId: b.organization_id, organizationName: b.organization_name, qualifications: b.qualifications, amount: Number(b.amount),
    proposal: b.proposal, status: b.status, submittedByName: b.submitted_by_name, submittedAt: b.submitted_at.toISOString(),
  }));
}

/** The bids of a service task: all of them for its managers, its own for a bidding organization. */
export async function listBids(deps: Deps, ctx: RequestContext, taskId: string): Promise<Bid[]> {
  await authorize(deps, ctx, 'task:read', { type: 'task', id: taskId });
  const t = await store.findTask(executor(deps.db), taskId);
  if (!t?.service) throw new NotFound(`no service task ${taskId}`);
  if (managesTask(ctx.actor, t)) return bidsOf(deps, taskId);
  const org = await socialOrgOf(deps, ctx);
  if (org) return bidsOf(deps, taskId, org.id);
  if (seesTask(ctx.actor, t)) return bidsOf(deps, taskId);
  throw new NotFound(`no service task ${taskId}`);
}

/** The publisher awards a bid: the task passes to that organization at the bid's amount; the other bids are declined. */
export async function award(deps: Deps, ctx: RequestContext, taskId: string, input: AwardInput): Promise<TaskDetail> {
  await authorize(deps, ctx, 'task:write', { type: 'task', id: taskId });
  await withDeferredDenials(deps, ctx, () => withTransaction(deps.db, async (tx) => {
    const t = await store.findTask(tx, taskId, true);
    if (!t?.service) throw new NotFound(`no service task ${taskId}`);
    if (!managesTask(ctx.actor, t)) throw new DeferredDenial('only a task manager of its region awards a service task', 'task:write', { type: 'task', id: taskId, regionCode: t.region_code });
    if (t.offer_status !== 'open') throw new Conflict('the offer is closed', 'offer-closed');
    const { rows } = await tx.query<{ id: string; organization_id: string; amount: string; status: string; name: string }>(
      `SELECT b.id, b.organization_id, b.amount, b.status, o.name FROM service_bid b JOIN organization o ON o.id = b.organization_id WHERE b.id = $1 AND b.task_id = $2`,
      [input.bidId, taskId],
    );
    const chosen = rows[0];
    if (!chosen || chosen.status !== 'submitted') throw new Invalid('no such bid on this task', [{ field: 'body.bidId', message: `no submitted bid ${input.bidId}` }]);
    await tx.query(`UPDATE service_bid SET status = CASE WHEN id = $2 THEN 'awarded' ELSE 'rejected' END WHERE task_id = $1 AND status = 'submitted'`, [taskId, chosen.id]);
    await store.updateTask(tx, taskId, { organization_id: chosen.organization_id, responsible_user_id: null, offer_status: 'awarded', awarded_amount: chosen.amount, status: 'assigned' });
    await store.addEvents(tx, [taskId], {
      action: 'awarded', actor_id: ctx.actor.userId, actor_name: ctx.actor.username, note: input.note ?? null,
      details: { bidId: chosen.id, toOrganizationId: chosen.organization_id, toOrganizationName: chosen.name, amount: Number(chosen.amount) },
    });
    await publish(tx, { topic: 'service-task.awarded', aggregateId: taskId, regionCode: t.region_code, payload: { id: taskId, organizationId: chosen.organization_id, amount: Number(chosen.amount) } });
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'task.awarded', resourceType: 'task', resourceId: taskId, regionCode: t.region_code, details: { bidId: chosen.id, organizationId: chosen.organization_id, amount: Number(chosen.amount) } });
  }));
  return getTask(deps, ctx, taskId);
}

/** A bidding organization withdraws its bid while the offer is open. */
export async function withdrawBid(deps: Deps, ctx: RequestContext, taskId: string): Promise<Bid> {
  await authorize(deps, ctx, 'task:execute', { type: 'task', id: taskId });
  const org = await socialOrgOf(deps, ctx);
  if (!org) throw new Forbidden('only a social organization’s members withdraw bids');
  await withTransaction(deps.db, async (tx) => {
    const t = await store.findTask(tx, taskId, true);
    const { rows } = await tx.query<{ id: string; status: string }>(`SELECT id, status FROM service_bid WHERE task_id = $1 AND organization_id = $2 FOR UPDATE`, [taskId, org.id]);
    const mine = rows[0];
    if (!t?.service || !mine) throw new NotFound(`no bid of yours on service task ${taskId}`);
    if (t.offer_status !== 'open') throw new Conflict('the offer is closed', 'offer-closed');
    if (mine.status !== 'submitted') throw new Conflict(`the bid is ${mine.status}`, 'bid-not-submitted');
    await tx.query(`UPDATE service_bid SET status = 'withdrawn' WHERE id = $1`, [mine.id]);
    await store.addEvents(tx, [taskId], { action: 'bid-withdrawn', actor_id: ctx.actor.userId, actor_name: ctx.actor.username, details: { organizationId: org.id, organizationName: org.name } });
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'task.bid-withdrawn', resourceType: 'task', resourceId: taskId, regionCode: t.region_code, details: { organizationId: org.id } });
  });
  return (await bidsOf(deps, taskId, org.id))[0] as Bid;
}

/** The publisher withdraws an offer no bid has been awarded: the task is cancelled and the bids declined. */
export async function withdrawOffer(deps: Deps, ctx: RequestContext, taskId: string, note: string): Promise<TaskDetail> {
  await authorize(deps, ctx, 'task:write', { type: 'task', id: taskId });
  await withDeferredDenials(deps, ctx, () => withTransaction(deps.db, async (tx) => {
    const t = await store.findTask(tx, taskId, true);
    if (!t?.service) throw new NotFound(`no service task ${taskId}`);
    if (!managesTask(ctx.actor, t)) throw new DeferredDenial('only a task manager of its region withdraws a service task', 'task:write', { type: 'task', id: taskId, regionCode: t.region_code });
    if (t.offer_status !== 'open') throw new Conflict('only an offer not yet awarded is withdrawn', 'offer-closed');
    await tx.query(`UPDATE service_bid SET status = 'rejected' WHERE task_id = $1 AND status = 'submitted'`, [taskId]);
    await store.updateTask(tx, taskId, { offer_status: 'withdrawn', status: 'cancelled' });
    await store.addEvents(tx, [taskId], { action: 'withdrawn', actor_id: ctx.actor.userId, actor_name: ctx.actor.username, from_status: t.status, to_status: 'cancelled', note });
    await publish(tx, { topic: 'service-task.withdrawn', aggregateId: taskId, regionCode: t.region_code, payload: { id: taskId } });
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'task.withdrawn', resourceType: 'task', resourceId: taskId, regionCode: t.region_code, details: { note } });
  }));
  return getTask(deps, ctx, taskId);
}

// ---------------------------------------------------------------- files as evidence

/** Keeps a file as evidence of a task its executor is carrying out (or its manager). */
export async function addEvidenceFile(deps: Deps, ctx: RequestContext, taskId: string, file: { name: string; mediaType: string; content: Buffer }): Promise<TaskDetail> {
  await authorize(deps, ctx, 'task:read', { type: 'task', id: taskId });
  if (file.content.length === 0) throw new Invalid('the file is empty', [{ field: 'body', message: 'empty' }]);
  if (file.content.length > MAX_EVIDENCE_BYTES) throw new Invalid(`a file of evidence is at most ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB`, [{ field: 'body', message: 'too large' }]);
  const name = file.name.trim();
  if (!name || name.length > 200 || /[/\\\u0000-\u001f]/.test(name)) throw new Invalid('give the file a name (no slashes)', [{ field: 'querystring.name', message: 'a file name of 1–200 characters' }]);
  await withDeferredDenials(deps, ctx, () => withTransaction(deps.db, async (tx) => {
    const t = await store.findTask(tx, taskId, true);
    if (!t || !seesTask(ctx.actor, t)) throw new NotFound(`no task ${taskId}`);
    const may = managesTask(ctx.actor, t) || t.organization_id === ctx.actor.organizationId || t.responsible_user_id === ctx.actor.userId;
    if (!may) throw new DeferredDenial('only its organization or a manager adds evidence', 'task:execute', { type: 'task', id: taskId, regionCode: t.region_code });
    if (t.status === 'done' || t.status === 'cancelled') throw new Conflict(`the task is ${t.status}`, 'task-closed');
    const id = newId();
    const sha256 = createHash('sha256').update(file.content).digest('hex');
    await store.addEvidence(tx, taskId, [{ id, kind: 'file', content: `${name} (sha256 ${sha256.slice(0, 16)}…)` }], { id: ctx.actor.userId, name: ctx.actor.username });
    await tx.query(`INSERT INTO task_file (evidence_id, task_id, name, media_type, size, sha256, content) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [id, taskId, name, file.mediaType, file.content.length, sha256, file.content]);
    await store.addEvents(tx, [taskId], { action: 'evidence', actor_id: ctx.actor.userId, actor_name: ctx.actor.username, details: { file: name, size: file.content.length, sha256 } });
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'task.evidence-file', resourceType: 'task', resourceId: taskId, regionCode: t.region_code, details: { name, size: file.content.length, sha256 } });
  }));
  return getTask(deps, ctx, taskId);
}

/** A file of evidence, for those who see the task. */
export async function evidenceFile(deps: Deps, ctx: RequestContext, taskId: string, evidenceId: string): Promise<{ name: string; mediaType: string; content: Buffer }> {
  await authorize(deps, ctx, 'task:read', { type: 'task', id: taskId });
  const db = executor(deps.db);
  const t = await store.findTask(db, taskId);
  if (!t || !seesTask(ctx.actor, t)) throw new NotFound(`no task ${taskId}`);
  const { rows } = await db.query<{ name: string; media_type: string; content: Buffer }>(`SELECT name, media_type, content FROM task_file WHERE evidence_id = $1 AND task_id = $2`, [evidenceId, taskId]);
  const f = rows[0];
  if (!f) throw new NotFound(`no file ${evidenceId} on task ${taskId}`);
  return { name: f.name, mediaType: f.media_type, content: Buffer.from(f.content) };
}
