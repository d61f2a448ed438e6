// SPDX-License-Identifier: Apache-2.0
// Tasks (任务): creation by hand or routed to the responsible department of a region, the lifecycle with its
// history and evidence, and the supervision of overdue tasks. Other modules create tasks inside their own
// transaction with `createTasksIn` (plan activation creates one per step).
import { OPEN_TASK_STATUSES, type Task, type TaskAction, type TaskDetail, type TaskInput, type TaskKind, type TaskPriority, type TaskQuery, type TaskStatus } from '../../../contracts/tasks.ts';
import { ancestorCodes, inScope, scopePrefixOf } from '../../../contracts/region-codes.ts';
import type { Config } from '../../platform/config.ts';
import { type RequestContext, systemContext } from '../../platform/context.ts';
import { type Executor, executor, withTransaction } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { Conflict, type FieldError, Invalid, NotFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { publish } from '../../platform/outbox.ts';
import { type Periodic, startPeriodic } from '../../platform/periodic.ts';
import { authorize, DeferredDenial, denied, withDeferredDenials } from '../access/index.ts';
import { recordAudit } from '../audit/index.ts';
import { findCurrentRegion, locateRegionWith } from '../regions/index.ts';
import { availableActions, blockedAction, confinedToOrganization, mayAct, seesTask, TASK_TRANSITIONS } from './tasks.policy.ts';
import * as store from './tasks.store.ts';

const iso = (d: Date | null) => d?.toISOString() ?? null;
const money = (v: string | null) => (v === null ? null : Number(v));

export function presentTask(r: store.TaskRecord): Task {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    description: r.description,
    regionCode: r.region_code,
    regionName: r.region_name,
    organizationId: r.organization_id,
    organizationName: r.organization_name,
    responsibleUserId: r.responsible_user_id,
    responsibleName: r.responsible_name,
    status: r.status,
    priority: r.priority,
    deadline: iso(r.deadline),
    overdue: r.overdue,
    evidenceRequired: r.evidence_required,
    parentId: r.parent_id,
    dependsOn: r.depends_on,
    waitingOn: r.waiting_on,
    source: { kind: r.source_kind, ref: r.source_ref, key: r.source_key },
    incidentId: r.incident_id,
    trace: r.policy_id ? { policyId: r.policy_id, clauseId: r.clause_id, goalId: r.goal_id } : null,
    service: r.service && r.publisher_organization_id
      ? {
        standard: r.service.standard, budget: r.service.budget, qualifications: r.service.qualifications, bidDeadline: r.service.bidDeadline,
        publisherOrganizationId: r.publisher_organization_id, offerStatus: r.offer_status ?? 'open', awardedAmount: money(r.awarded_amount),
        paymentStatus: r.payment_status, paidAmount: money(r.paid_amount), paidAt: iso(r.paid_at),
      }
      : null,
    exercise: r.exercise,
    location: r.lon === null || r.lat === null ? null : [r.lon, r.lat],
    createdByName: r.created_by_name,
    createdAt: r.created_at.toISOString(),
    modifiedAt: r.modified_at.toISOString(),
    acceptedAt: iso(r.accepted_at),
    startedAt: iso(r.started_at),
    submittedAt: iso(r.submitted_at),
    doneAt: iso(r.done_at),
  };
}

async function presentDetail(ctx: RequestContext, db: Executor, r: store.TaskRecord): Promise<TaskDetail> {
  const [evidence, history, subtasks] = [await store.listEvidence(db, r.id), await store.listEvents(db, r.id), await store.listTasks(db, { scopePrefix: '', parentId: r.id }, 'created', 1000, 0)];
  return {
    ...presentTask(r),
    evidence: evidence.map((e) => ({
      id: e.id, kind: e.kind, content: e.content, addedByName: e.added_by_name, addedAt: e.added_at.toISOString(),
      file: e.file_name !== null ? { name: e.file_name, mediaType: e.file_media_type ?? 'application/octet-stream', size: e.file_size ?? 0 } : null,
    })),
    history: history.map((e) => ({ at: e.at.toISOString(), action: e.action, actorName: e.actor_name, fromStatus: e.from_status, toStatus: e.to_status, note: e.note, details: e.details })),
    subtasks: subtasks.rows.filter((s) => seesTask(ctx.actor, s)).map(presentTask),
    actions: availableActions(ctx.actor, r),
  };
}

/**
 * The responsible organization for work of `departmentType` in `regionCode`: the active government
 * department of that type in the region, else the nearest one up the region's path.
 */
export async function routeToDepartment(db: Executor, regionCode: string, departmentType: string): Promise<store.OrganizationRecord | undefined> {
  const path = [regionCode, ...ancestorCodes(regionCode)];
  const found = await store.departmentsIn(db, path, departmentType);
  return found.sort((a, b) => path.indexOf(a.region_code) - path.indexOf(b.region_code))[0];
}

/** A task another module creates inside its own transaction, its organization already decided. */
export type TaskSpec = {
  /** Refers to the task within the batch (dependencies name keys). */
  key: string;
  title: string;
  description?: string;
  kind?: TaskKind;
  regionCode: string;
  organizationId: string;
  priority?: TaskPriority;
  deadline?: Date | null;
  evidenceRequired?: string;
  dependsOnKeys?: readonly string[];
  /** the task in the same batch this one is a subtask of */
  parentKey?: string;
  source: { kind: 'activation' | 'indicator_alert' | 'goal'; ref: string };
  /** the policy, clause and goal a decomposed task serves */
  trace?: { policyId: string; clauseId: string | null; goalId: string | null };
  incidentId?: string | null;
  exercise?: boolean;
  location?: [number, number] | null;
};

/**
 * Creates tasks inside `tx` (one history entry and one `task.created` event each, one audit record for the
 * batch). Dependencies between them are given by key. Returns the ids by key.
 */
export async function createTasksIn(tx: Executor, ctx: RequestContext, config: Pick<Config, 'auditHash'>, specs: readonly TaskSpec[]): Promise<Map<string, string>> {
  const ids = new Map(specs.map((s) => [s.key, newId()]));
  const rows: store.NewTask[] = specs.map((s) => ({
    id: ids.get(s.key) as string,
    kind: s.kind ?? 'governance',
    title: s.title,
    description: s.description ?? '',
    region_code: s.regionCode,
    organization_id: s.organizationId,
    responsible_user_id: null,
    priority: s.priority ?? 'high',
    deadline: s.deadline ?? null,
    evidence_required: s.evidenceRequired ?? '',
    parent_id: s.parentKey !== undefined ? (ids.get(s.parentKey) ?? null) : null,
    depends_on: (s.dependsOnKeys ?? []).map((k) => ids.get(k)).filter((v): v is string => v !== undefined),
    source_kind: s.source.kind,
    source_ref: s.source.ref,
    source_key: s.key,
    incident_id: s.incidentId ?? null,
    policy_id: s.trace?.policyId ?? null,
    clause_id: s.trace?.clauseId ?? null,
    goal_id: s.trace?.goalId ?? null,
    exercise: s.exercise ?? false,
    lon: s.location?.[0] ?? null,
    lat: s.location?.[1] ?? null,
    created_by: ctx.actor.userId,
    created_by_name: ctx.actor.username,
  }));
  await store.insertTasks(tx, rows);
  await store.addEvents(tx, [...ids.values()], { action: 'created', actor_id: ctx.actor.userId, actor_name: ctx.actor.username, to_status: 'assigned', details: { source: specs[0]?.source ?? null } });
  for (const r of rows) {
    await publish(tx, { topic: 'task.created', aggregateId: r.id, regionCode: r.region_code, payload: { id: r.id, organizationId: r.organization_id, source: { kind: r.source_kind, ref: r.source_ref, key: r.source_key } } });
  }
  if (rows.length) {
    await recordAudit(tx, ctx, config.auditHash, {
      action: 'task.created', resourceType: 'task', resourceId: rows.length === 1 ? (rows[0] as store.NewTask).id : null, regionCode: rows[0]?.region_code ?? null,
      details: { count: rows.length, source: specs[0]?.source ?? null },
    });
  }
  return ids;
}

/** Creates a task by hand: for the given organization, or routed to the region's department of a type. */
export async function createTask(deps: Deps, ctx: RequestContext, input: TaskInput): Promise<TaskDetail> {
  await authorize(deps, ctx, 'task:write');
  const db = executor(deps.db);
  const errors: FieldError[] = [];
  let regionCode = input.regionCode;
  if (regionCode) {
    if (!(await findCurrentRegion(db, regionCode))) errors.push({ field: 'body.regionCode', message: `no current region ${regionCode}` });
  } else if (input.location) {
    regionCode = (await locateRegionWith(db, input.location[0], input.location[1]))?.code;
    if (!regionCode) errors.push({ field: 'body.location', message: 'the point lies in no known region: give regionCode' });
  }
  if (errors.length || !regionCode) throw new Invalid('the task cannot be created', errors);
  await authorize(deps, ctx, 'task:write', { regionCode, type: 'task' });

  let org: store.OrganizationRecord | undefined;
  if (input.organizationId) {
    org = await store.findOrganization(db, input.organizationId);
    if (!org) errors.push({ field: 'body.organizationId', message: `no organization ${input.organizationId}` });
    else if (!org.active) errors.push({ field: 'body.organizationId', message: `${org.name} is inactive` });
  } else if (input.departmentType) {
    org = await routeToDepartment(db, regionCode, input.departmentType);
    if (!org) errors.push({ field: 'body.departmentType', message: `no active ${input.departmentType} department in ${regionCode} or above it` });
  }
  if (input.responsibleUserId && org) {
    const u = await store.findUser(db, input.responsibleUserId);
    if (!u || !u.active) errors.push({ field: 'body.responsibleUserId', message: `no active user ${input.responsibleUserId}` });
    else if (u.organization_id !== org.id) errors.push({ field: 'body.responsibleUserId', message: `the user is not a member of ${org.name}` });
  }
  let parent: store.TaskRecord | undefined;
  if (input.parentId) {
    parent = await store.findTask(db, input.parentId);
    if (!parent || !seesTask(ctx.actor, parent)) errors.push({ field: 'body.parentId', message: `no task ${input.parentId}` });
  }
  const deps_ = input.dependsOn.length ? await store.findTasks(db, input.dependsOn) : [];
  input.dependsOn.forEach((id, i) => {
    if (!deps_.some((d) => d.id === id && seesTask(ctx.actor, d))) errors.push({ field: `body.dependsOn[${i}]`, message: `no task ${id}` });
  });
  if (input.deadline && new Date(input.deadline) <= new Date()) errors.push({ field: 'body.deadline', message: 'the deadline has passed' });
  if (errors.length || !org) throw new Invalid('the task cannot be created', errors);

  const id = newId();
  const organization = org;
  return withTransaction(deps.db, async (tx) => {
    await store.insertTasks(tx, [{
      id, kind: input.kind, title: input.title, description: input.description, region_code: regionCode, organization_id: organization.id,
      responsible_user_id: input.responsibleUserId ?? null, priority: input.priority, deadline: input.deadline ? new Date(input.deadline) : null,
      evidence_required: input.evidenceRequired, parent_id: input.parentId ?? null, depends_on: input.dependsOn, source_kind: 'manual', source_ref: null, source_key: null,
      incident_id: null, exercise: parent?.exercise ?? false, lon: input.location?.[0] ?? null, lat: input.location?.[1] ?? null,
      created_by: ctx.actor.userId, created_by_name: ctx.actor.username,
    }]);
    await store.addEvents(tx, [id], {
      action: 'created', actor_id: ctx.actor.userId, actor_name: ctx.actor.username, to_status: 'assigned',
      details: { organizationId: organization.id, organizationName: organization.name, routed: !input.organizationId },
    });
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'task.created', resourceType: 'task', resourceId: id, regionCode, details: { title: input.title, organizationId: organization.id } });
    await publish(tx, { topic: 'task.created', aggregateId: id, regionCode, payload: { id, organizationId: organization.id, source: { kind: 'manual' } } });
    return presentDetail(ctx, tx, (await store.findTask(tx, id)) as store.TaskRecord);
  });
}

/** Tasks the caller sees, filtered and sorted (deadline first by default). */
export async function listTasks(deps: Deps, ctx: RequestContext, q: TaskQuery) {
  await authorize(deps, ctx, 'task:read');
  const statuses: TaskStatus[] | undefined = q.status === 'open' ? [...OPEN_TASK_STATUSES] : q.status ? [q.status] : undefined;
  const own = confinedToOrganization(ctx.actor);
  const { rows, total } = await store.listTasks(
    executor(deps.db),
    {
      scopePrefix: own === undefined ? ctx.actor.scopePrefix : '',
      onlyOrganizationId: own,
      alsoOrganizationId: ctx.actor.organizationId,
      alsoUserId: ctx.actor.userId,
      statuses, kind: q.kind, regionPrefix: q.regionCode ? scopePrefixOf(q.regionCode) : undefined, organizationId: q.organizationId,
      mine: q.mine && ctx.actor.userId ? { userId: ctx.actor.userId, organizationId: ctx.actor.organizationId } : undefined,
      incidentId: q.incidentId, sourceRef: q.sourceRef, policyId: q.policyId, goalId: q.goalId, overdue: q.overdue, exercise: q.exercise, dueBefore: q.dueBefore, q: q.q,
    },
    q.sort,
    q.limit,
    q.offset,
  );
  return { items: rows.map(presentTask), total, limit: q.limit, offset: q.offset };
}

/** Tasks decomposed from a policy's goals (no scope check: the caller decides), most urgent first. */
export async function tasksOfPolicy(db: Executor, policyId: string, limit: number): Promise<Task[]> {
  const { rows } = await store.listTasks(db, { scopePrefix: '', policyId }, 'deadline', limit, 0);
  return rows.map(presentTask);
}

/** Tasks of a source (e.g. one activation), for the module that created them. */
export async function tasksOfSource(db: Executor, sourceRef: string): Promise<Task[]> {
  return (await store.listTasks(db, { scopePrefix: '', sourceRef }, 'created', 1000, 0)).rows.map(presentTask);
}

/** One task with its evidence, history, subtasks and the caller's possible actions. */
export async function getTask(deps: Deps, ctx: RequestContext, id: string): Promise<TaskDetail> {
  await authorize(deps, ctx, 'task:read');
  const db = executor(deps.db);
  const r = await store.findTask(db, id);
  if (!r) throw new NotFound(`no task ${id}`);
  if (!seesTask(ctx.actor, r)) throw await denied(deps, ctx, 'not allowed: the task is outside your scope', { type: 'task', id, regionCode: r.region_code, requested: 'task:read' });
  return presentDetail(ctx, db, r);
}

const PAST: Record<TaskAction['action'], string> = {
  accept: 'accepted', start: 'started', submit: 'submitted', approve: 'approved', return: 'returned', reassign: 'reassigned', delegate: 'delegated', cancel: 'cancelled', comment: 'commented on', pay: 'paid',
};

const STAMP: Partial<Record<TaskStatus, keyof store.TaskPatch>> = { accepted: 'accepted_at', in_progress: 'started_at', submitted: 'submitted_at', done: 'done_at' };

/** Takes an action on a task: accept, start, submit (with evidence), approve, return, reassign, delegate, cancel, comment. */
export async function actOnTask(deps: Deps, ctx: RequestContext, id: string, input: TaskAction): Promise<TaskDetail> {
  await authorize(deps, ctx, 'task:read');
  const db = executor(deps.db);
  // validate referenced organizations and users before the transaction (the embedded engine has one connection)
  let target: store.OrganizationRecord | undefined;
  let user: store.UserRecord | undefined;
  if (input.action === 'reassign') {
    target = await store.findOrganization(db, input.organizationId);
    if (!target || !target.active) throw new Invalid('no such organization', [{ field: 'body.organizationId', message: `no active organization ${input.organizationId}` }]);
  }
  if ((input.action === 'reassign' || input.action === 'delegate') && input.responsibleUserId) {
    user = await store.findUser(db, input.responsibleUserId);
    if (!user || !user.active) throw new Invalid('no such user', [{ field: 'body.responsibleUserId', message: `no active user ${input.responsibleUserId}` }]);
  }
  return withDeferredDenials(deps, ctx, () => withTransaction(deps.db, async (tx) => {
    const r = await store.findTask(tx, id, true);
    if (!r) throw new NotFound(`no task ${id}`);
    if (!seesTask(ctx.actor, r)) throw new DeferredDenial('the task is outside your scope', 'task:read', { type: 'task', id, regionCode: r.region_code });
    if (!mayAct(ctx.actor, r, input.action)) {
      const who = TASK_TRANSITIONS[input.action].by === 'manager' ? 'only a task manager of its region' : 'only its organization or responsible person';
      throw new DeferredDenial(`${who} may ${input.action} this task`, TASK_TRANSITIONS[input.action].by === 'manager' ? 'task:write' : 'task:execute', { type: 'task', id, regionCode: r.region_code });
    }
    const t = TASK_TRANSITIONS[input.action];
    if (!t.from.includes(r.status)) throw new Conflict(`a task that is ${r.status.replace('_', ' ')} cannot be ${PAST[input.action]}`, 'invalid-transition');
    const blocked = blockedAction(r, input.action);
    if (blocked) throw new Conflict(blocked, input.action === 'pay' ? 'not-payable' : 'offer-open');
    const to: TaskStatus = t.to === 'unchanged' ? r.status : t.to;
    const patch: store.TaskPatch = {};
    const details: Record<string, unknown> = {};
    if (input.action === 'start' && r.waiting_on.length) {
      throw new Conflict(`the task waits on ${r.waiting_on.length} task(s) not yet done`, 'waiting-on-dependencies');
    }
    if (input.action === 'accept' && r.responsible_user_id === null && ctx.actor.userId && r.organization_id === ctx.actor.organizationId) patch.responsible_user_id = ctx.actor.userId;
    if (input.action === 'submit') {
      const had = (await store.listEvidence(tx, id)).length;
      if (r.evidence_required && had + input.evidence.length === 0) {
        throw new Invalid('this task needs evidence', [{ field: 'body.evidence', message: `required: ${r.evidence_required}` }]);
      }
      await store.addEvidence(tx, id, input.evidence.map((e) => ({ id: newId(), kind: e.kind, content: e.content })), { id: ctx.actor.userId, name: ctx.actor.username });
      details.evidence = input.evidence.length;
    }
    if (input.action === 'approve' && r.service) {
      // 验收: a service task is accepted against its standard, criterion by criterion
      const given = new Map((input.criteria ?? []).map((c) => [c.criterion, c]));
      const missing = r.service.standard.acceptanceCriteria.filter((c) => !given.has(c));
      if (missing.length) throw new Invalid('accept a service task against every criterion of its standard', missing.map((c) => ({ field: 'body.criteria', message: `not assessed: ${c}` })));
      const unmet = r.service.standard.acceptanceCriteria.filter((c) => given.get(c)?.met !== true);
      if (unmet.length) throw new Invalid('criteria not met: return the task instead', unmet.map((c) => ({ field: 'body.criteria', message: `not met: ${c}` })));
      details.acceptance = r.service.standard.acceptanceCriteria.map((c) => ({ criterion: c, met: true, note: given.get(c)?.note ?? null }));
      patch.payment_status = 'unpaid';
    }
    if (input.action === 'pay') {
      const awarded = money(r.awarded_amount) ?? 0;
      if (input.amount > awarded) throw new Invalid('more than the awarded amount', [{ field: 'body.amount', message: `at most ${awarded}` }]);
      Object.assign(patch, { payment_status: 'paid', paid_amount: String(input.amount), paid_at: new Date() });
      details.amount = input.amount;
    }
    if (input.action === 'reassign' && target) {
      if (user && user.organization_id !== target.id) throw new Invalid('the user is not a member of that organization', [{ field: 'body.responsibleUserId', message: `not a member of ${target.name}` }]);
      if (!inScope(ctx.actor.scopePrefix, target.region_code) && !ancestorCodes(r.region_code).includes(target.region_code)) {
        throw new Invalid('the organization is outside your scope', [{ field: 'body.organizationId', message: `${target.name} is neither in your scope nor above the task's region` }]);
      }
      patch.organization_id = target.id;
      patch.responsible_user_id = user?.id ?? null;
      Object.assign(details, { fromOrganizationId: r.organization_id, toOrganizationId: target.id, toOrganizationName: target.name, responsibleUserId: user?.id ?? null });
    }
    if (input.action === 'delegate' && user) {
      if (user.organization_id !== r.organization_id) throw new Invalid('a task is delegated within its organization', [{ field: 'body.responsibleUserId', message: `not a member of ${r.organization_name}` }]);
      patch.responsible_user_id = user.id;
      Object.assign(details, { from: r.responsible_user_id, to: user.id, toName: user.display_name });
    }
    if (to !== r.status) {
      patch.status = to;
      const stamp = STAMP[to];
      if (stamp) Object.assign(patch, { [stamp]: new Date() });
    }
    if (Object.keys(patch).length) await store.updateTask(tx, id, patch);
    await store.addEvents(tx, [id], { action: input.action, actor_id: ctx.actor.userId, actor_name: ctx.actor.username, from_status: r.status, to_status: to === r.status ? null : to, note: input.note ?? null, details });
    if (input.action !== 'comment') {
      await recordAudit(tx, ctx, deps.config.auditHash, { action: `task.${input.action}`, resourceType: 'task', resourceId: id, regionCode: r.region_code, details: { from: r.status, to, ...details } });
      await publish(tx, { topic: 'task.status-changed', aggregateId: id, regionCode: r.region_code, payload: { id, action: input.action, from: r.status, to, source: { kind: r.source_kind, ref: r.source_ref, key: r.source_key } } });
    }
    return presentDetail(ctx, tx, (await store.findTask(tx, id)) as store.TaskRecord);
  }));
}

/** Cancels the open tasks of a source inside `tx` (an activation stood down), with a history entry each. */
export async function cancelTasksOfSource(tx: Executor, ctx: RequestContext, sourceRef: string, note: string): Promise<number> {
  const open = (await store.listTasks(tx, { scopePrefix: '', sourceRef, statuses: OPEN_TASK_STATUSES }, 'created', 1000, 0)).rows;
  for (const r of open) {
    await store.updateTask(tx, r.id, { status: 'cancelled' });
    await store.addEvents(tx, [r.id], { action: 'cancel', actor_id: ctx.actor.userId, actor_name: ctx.actor.username, from_status: r.status, to_status: 'cancelled', note });
  }
  return open.length;
}

/**
 * Supervision of tasks: every open task past its deadline is flagged once (history, audit, `task.overdue`
 * event naming the superior region whose command is told).
 */
export async function sweepOverdueTasks(deps: Deps, opts: { now?: Date; limit?: number } = {}): Promise<{ flagged: number; ids: string[] }> {
  const now = opts.now ?? new Date();
  const ctx = systemContext('task-supervision');
  return withTransaction(deps.db, async (tx) => {
    const rows = await store.overdueUnflagged(tx, now, opts.limit ?? 500);
    for (const r of rows) {
      const superior = ancestorCodes(r.organization_region_code)[0] ?? r.organization_region_code;
      await store.updateTask(tx, r.id, { overdue_flagged_at: now });
      await store.addEvents(tx, [r.id], {
        action: 'overdue', actor_id: null, actor_name: ctx.actor.username, note: `overdue: due ${r.deadline?.toISOString() ?? ''}`,
        details: { deadline: iso(r.deadline), escalatedTo: superior },
      });
      await publish(tx, { topic: 'task.overdue', aggregateId: r.id, regionCode: r.region_code, payload: { id: r.id, deadline: iso(r.deadline), organizationId: r.organization_id, escalatedTo: superior } });
    }
    if (rows.length) {
      await recordAudit(tx, ctx, deps.config.auditHash, { action: 'task.overdue', resourceType: 'task', resourceId: null, regionCode: null, details: { count: rows.length, ids: rows.map((r) => r.id) } });
    }
    return { flagged: rows.length, ids: rows.map((r) => r.id) };
  });
}

/** Runs the task supervision sweep every `intervalMs` in the background; stop() waits for a sweep in flight. */
export function startTaskSupervision(deps: Deps, opts: { intervalMs?: number; onError?: (err: unknown) => void } = {}): Periodic {
  return startPeriodic(async () => {
    await sweepReminders(deps, { withinHours: deps.config.taskReminderHours });
    await sweepOverdueTasks(deps);
  }, opts.intervalMs ?? 60_000, opts.onError);
}

// ---------------------------------------------------------------- reminders

/** Reminds once of open tasks due within `withinHours` (催办提醒): an event on the task and a notification event. */
export async function sweepReminders(deps: Deps, opts: { now?: Date; withinHours?: number; limit?: number } = {}): Promise<{ reminded: number; ids: string[] }> {
  const now = opts.now ?? new Date();
  const until = new Date(now.getTime() + (opts.withinHours ?? 24) * 3_600_000);
  const ctx = systemContext('task-reminders');
  return withTransaction(deps.db, async (tx) => {
    const { rows } = await tx.query<{ id: string; region_code: string; organization_id: string; responsible_user_id: string | null; deadline: Date }>(
      `SELECT id, region_code, organization_id, responsible_user_id, deadline FROM task
        WHERE status NOT IN ('done', 'cancelled', 'submitted') AND (offer_status IS NULL OR offer_status <> 'open') AND deadline IS NOT NULL
          AND deadline > $1 AND deadline <= $2 AND reminded_at IS NULL AND NOT exercise
        ORDER BY deadline LIMIT $3 FOR UPDATE SKIP LOCKED`,
      [now, until, opts.limit ?? 500],
    );
    for (const r of rows) {
      await store.updateTask(tx, r.id, { reminded_at: now });
      const hours = Math.max(1, Math.round((r.deadline.getTime() - now.getTime()) / 3_600_000));
      await store.addEvents(tx, [r.id], { action: 'reminded', actor_id: null, actor_name: ctx.actor.username, note: `due in about ${hours} h`, details: { deadline: r.deadline.toISOString() } });
      await publish(tx, { topic: 'task.reminder', aggregateId: r.id, regionCode: r.region_code, payload: { id: r.id, organizationId: r.organization_id, responsibleUserId: r.responsible_user_id, deadline: r.deadline.toISOString() } });
    }
    return { reminded: rows.length, ids: rows.map((r) => r.id) };
  });
}
