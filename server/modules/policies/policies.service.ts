// SPDX-License-Identifier: Apache-2.0
// Policies (政策): issued with their clauses; goals — an indicator's target for a region and period, set by a
// clause (the target is written to the indicator in the same transaction); goals decomposed into a task
// tree routed to the responsible departments, each task traceable to its clause; and the five linkages.
import type { DecomposeInput, Goal, GoalInput, Linkage, Policy, PolicyInput, PolicyQuery } from '../../../contracts/policies.ts';
import { inScope, levelIndex, levelOfCode, scopePrefixOf } from '../../../contracts/region-codes.ts';
import type { Level } from '../../../contracts/regions.ts';
import { type RequestContext, systemContext } from '../../platform/context.ts';
import { executor, withTransaction } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { Conflict, type FieldError, Forbidden, Invalid, NotFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { publish } from '../../platform/outbox.ts';
import { authorize } from '../access/index.ts';
import { recordAudit } from '../audit/index.ts';
import { resourceCountsOf } from '../dispatch/index.ts';
import { getOrganization } from '../identity/index.ts';
import { goalIndicator, goalValues, setGoalTargetsIn } from '../indicators/index.ts';
import { findCurrentRegion } from '../regions/index.ts';
import { createTasksIn, policiesOfTasks, policyTaskStats, routeToDepartment, type TaskSpec, tasksOfPolicy } from '../tasks/index.ts';
import * as store from './policies.store.ts';

/** Tasks one decomposition creates at most. */
const MAX_DECOMPOSED = 2000;
/** Tasks a linkage lists at most (the counts cover all of them). */
const LINKAGE_TASKS = 200;
const NO_COUNTS = { total: 0, open: 0, done: 0, overdue: 0 };

function presentPolicy(r: store.PolicyRecord, clauses: readonly store.ClauseRecord[]): Policy {
  return {
    id: r.id,
    code: r.code,
    title: r.title,
    summary: r.summary,
    issuerOrganizationId: r.issuer_organization_id,
    issuerOrganizationName: r.issuer_organization_name,
    regionCode: r.region_code,
    regionName: r.region_name,
    issuedOn: r.issued_on,
    status: r.status,
    clauses: clauses.filter((c) => c.policy_id === r.id).map((c) => ({ id: c.id, number: c.number, text: c.text })),
    goalCount: r.goal_count,
    taskCount: r.task_count,
    createdAt: r.created_at.toISOString(),
    modifiedAt: r.modified_at.toISOString(),
  };
}

/** A policy reaches the regions below its own: readers in it, or above it, see it. */
function sees(ctx: RequestContext, policyRegion: string): boolean {
  return inScope(ctx.actor.scopePrefix, policyRegion) || (ctx.actor.scopeCode !== null && ctx.actor.scopeCode.startsWith(scopePrefixOf(policyRegion)));
}

async function visiblePolicy(deps: Deps, ctx: RequestContext, code: string, action: 'policy:read' | 'policy:write'): Promise<store.PolicyRecord> {
  await authorize(deps, ctx, action, { type: 'policy' });
  const p = await store.findPolicy(executor(deps.db), code);
  if (!p || !sees(ctx, p.region_code)) throw new NotFound(`no policy ${code}`);
  return p;
}

export async function createPolicy(deps: Deps, ctx: RequestContext, input: PolicyInput): Promise<Policy> {
  await authorize(deps, ctx, 'policy:write', { type: 'policy' });
  const issuer = await getOrganization(deps, systemContext(ctx.requestId), input.issuerOrganizationId).catch((err: unknown) => {
    if (err instanceof NotFound) throw new Invalid('no such organization', [{ field: 'body.issuerOrganizationId', message: `no organization ${input.issuerOrganizationId}` }]);
    throw err;
  });
  const region = await findCurrentRegion(executor(deps.db), input.regionCode);
  if (!region) throw new Invalid('no such region', [{ field: 'body.regionCode', message: `no current region ${input.regionCode}` }]);
  if (!input.regionCode.startsWith(scopePrefixOf(issuer.regionCode))) {
    throw new Invalid('a policy applies in its issuer’s region or below', [{ field: 'body.regionCode', message: `outside ${issuer.name}’s region ${issuer.regionCode}` }]);
  }
  await authorize(deps, ctx, 'policy:write', { type: 'policy', regionCode: input.regionCode });
  const numbers = input.clauses.map((c) => c.number);
  const dup = numbers.findIndex((n, i) => numbers.indexOf(n) !== i);
  if (dup >= 0) throw new Invalid('clause numbers repeat', [{ field: `body.clauses.${dup}.number`, message: `${numbers[dup]} appears twice` }]);
  const id = newId();
  await withTransaction(deps.db, async (tx) => {
    if (await store.findPolicy(tx, input.code)) throw new Conflict(`a policy ${input.code} exists`, 'policy-exists');
    await store.insertPolicy(
      tx,
      { id, code: input.code, title: input.title, summary: input.summary, issuer_organization_id: issuer.id, region_code: input.regionCode, issued_on: input.issuedOn, status: input.status, created_by_name: ctx.actor.username },
      input.clauses.map((c) => ({ id: newId(), number: c.number, text: c.text })),
    );
    await publish(tx, { topic: 'policy.created', aggregateId: id, regionCode: input.regionCode, payload: { id, code: input.code } });
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'policy.created', resourceType: 'policy', resourceId: id, regionCode: input.regionCode, details: { code: input.code, clauses: input.clauses.length } });
  });
  return getPolicy(deps, ctx, id);
}

export async function getPolicy(deps: Deps, ctx: RequestContext, code: string): Promise<Policy> {
  const p = await visiblePolicy(deps, ctx, code, 'policy:read');
  return presentPolicy(p, await store.clausesOf(executor(deps.db), [p.id]));
}

export async function listPolicies(deps: Deps, ctx: RequestContext, q: PolicyQuery): Promise<{ items: Policy[]; total: number; limit: number; offset: number }> {
  await authorize(deps, ctx, 'policy:read', { type: 'policy' });
  const db = executor(deps.db);
  const { rows, total } = await store.listPolicies(db, { scopePrefix: ctx.actor.scopePrefix, q: q.q, status: q.status, regionPrefix: q.regionCode ? scopePrefixOf(q.regionCode) : undefined }, q.limit, q.offset);
  const clauses = await store.clausesOf(db, rows.map((r) => r.id));
  return { items: rows.map((r) => presentPolicy(r, clauses)), total, limit: q.limit, offset: q.offset };
}

export async function setPolicyStatus(deps: Deps, ctx: RequestContext, code: string, status: Policy['status']): Promise<Policy> {
  const p = await visiblePolicy(deps, ctx, code, 'policy:write');
  await authorize(deps, ctx, 'policy:write', { type: 'policy', id: p.id, regionCode: p.region_code });
  await withTransaction(deps.db, async (tx) => {
    await store.setPolicyStatus(tx, p.id, status);
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'policy.status-changed', resourceType: 'policy', resourceId: p.id, regionCode: p.region_code, details: { from: p.status, to: status } });
  });
  return getPolicy(deps, ctx, p.id);
}

// ---------------------------------------------------------------- goals

async function presentGoals(deps: Deps, goals: readonly store.GoalRecord[], counts: Map<string, { total: number; open: number; done: number; overdue: number }>): Promise<Goal[]> {
  const values = await goalValues(executor(deps.db), goals.map((g) => ({ indicatorId: g.indicator_id, regionCode: g.region_code, period: g.period })));
  return goals.map((g) => {
    const current = values.get(`${g.indicator_id}|${g.region_code}|${g.period}`) ?? null;
    return {
      id: g.id, policyId: g.policy_id, clauseId: g.clause_id, clauseNumber: g.clause_number, indicatorCode: g.indicator_code, indicatorName: g.indicator_name, unit: g.unit,
      direction: g.direction, regionCode: g.region_code, regionName: g.region_name, period: g.period, target: g.target, title: g.title, current,
      gap: current === null ? null : current - g.target,
      onTarget: current === null ? null : g.direction === 'higher_better' ? current >= g.target : current <= g.target,
      tasks: counts.get(g.id) ?? NO_COUNTS,
    };
  });
}

/** Sets a goal of a policy: the clause it carries out, the indicator's target for a region and period. */
export async function addGoal(deps: Deps, ctx: RequestContext, code: string, input: GoalInput): Promise<Goal> {
  const p = await visiblePolicy(deps, ctx, code, 'policy:write');
  const db = executor(deps.db);
  const errors: FieldError[] = [];
  const clause = (await store.clausesOf(db, [p.id])).find((c) => c.number === input.clause);
  if (!clause) errors.push({ field: 'body.clause', message: `the policy has no clause ${input.clause}` });
  const indicator = await goalIndicator(db, input.indicator);
  if (!indicator) errors.push({ field: 'body.indicator', message: `no indicator ${input.indicator}` });
  else if (!indicator.isPeriod(input.period)) errors.push({ field: 'body.period', message: `a ${indicator.period} of ${indicator.code}` });
  const region = await findCurrentRegion(db, input.regionCode);
  if (!region) errors.push({ field: 'body.regionCode', message: `no current region ${input.regionCode}` });
  else if (!input.regionCode.startsWith(scopePrefixOf(p.region_code))) errors.push({ field: 'body.regionCode', message: `outside the policy's region ${p.region_code}` });
  await authorize(deps, ctx, 'policy:write', { type: 'policy', id: p.id, regionCode: input.regionCode });
  if (errors.length || !clause || !indicator) throw new Invalid('the goal cannot be set', errors);
  const id = newId();
  await withTransaction(deps.db, async (tx) => {
    if (await store.goalTaken(tx, indicator.id, input.regionCode, input.period)) throw new Conflict(`a goal for ${indicator.code} in ${input.regionCode} for ${input.period} exists`, 'goal-exists');
    await store.insertGoal(tx, { id, policy_id: p.id, clause_id: clause.id, indicator_id: indicator.id, region_code: input.regionCode, period: input.period, target: input.target, title: input.title, created_by_name: ctx.actor.username });
    await setGoalTargetsIn(tx, indicator.id, [{ regionCode: input.regionCode, period: input.period, target: input.target }], ctx.actor.username);
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'policy.goal-set', resourceType: 'goal', resourceId: id, regionCode: input.regionCode, details: { policy: p.code, clause: input.clause, indicator: indicator.code, period: input.period, target: input.target } });
  });
  const [goal] = await presentGoals(deps, [(await store.findGoal(db, id)) as store.GoalRecord], new Map());
  return goal as Goal;
}

export async function listGoals(deps: Deps, ctx: RequestContext, code: string): Promise<Goal[]> {
  const p = await visiblePolicy(deps, ctx, code, 'policy:read');
  const db = executor(deps.db);
  const goals = (await store.goalsOf(db, { policyId: p.id })).filter((g) => sees(ctx, g.region_code) || inScope(ctx.actor.scopePrefix, g.region_code));
  return presentGoals(deps, goals, (await policyTaskStats(db, [p.id])).byGoal);
}

/**
 * Decomposes a goal into a task tree: one task for the goal's region and one for each region of the given
 * levels below it, under the task of its nearest ancestor in the tree, each routed to the department of the
 * type responsible for its region. All or nothing.
 */
export async function decomposeGoal(deps: Deps, ctx: RequestContext, goalId: string, input: DecomposeInput): Promise<{ created: number; rootTaskId: string; byLevel: Record<string, number> }> {
  await authorize(deps, ctx, 'policy:write', { type: 'goal', id: goalId });
  const db = executor(deps.db);
  const goal = await store.findGoal(db, goalId);
  if (!goal || !inScope(ctx.actor.scopePrefix, goal.region_code)) throw new NotFound(`no goal ${goalId}`);
  await authorize(deps, ctx, 'task:write', { type: 'goal', id: goalId, regionCode: goal.region_code });
  if (new Date(input.deadline).getTime() <= Date.now()) throw new Invalid('the deadline has passed', [{ field: 'body.deadline', message: 'must be in the future' }]);
  const rootLevel = levelOfCode(goal.region_code);
  let previous = levelIndex(rootLevel);
  for (const [i, l] of input.levels.entries()) {
    if (levelIndex(l) <= previous || l === 'grid') throw new Invalid('levels go down from the goal’s region, one after another', [{ field: `body.levels.${i}`, message: `${l} is not below ${i === 0 ? rootLevel : input.levels[i - 1]}` }]);
    previous = levelIndex(l);
  }
  const root = (await findCurrentRegion(db, goal.region_code)) as NonNullable<Awaited<ReturnType<typeof findCurrentRegion>>>;
  type Node = { key: string; code: string; name: string; level: Level; parentKey?: string; location: [number, number] | null };
  const nodes: Node[] = [{ key: goal.region_code, code: goal.region_code, name: root.name, level: rootLevel, location: root.centroid ? [root.centroid.x, root.centroid.y] : null }];
  for (const level of input.levels) {
    const regions = await store.regionsAtLevel(db, scopePrefixOf(goal.region_code), level);
    for (const r of regions) {
      // the nearest region above it that is already in the tree
      const parent = [...nodes].reverse().find((n) => r.code.startsWith(scopePrefixOf(n.code)) && n.code !== r.code);
      nodes.push({ key: r.code, code: r.code, name: r.name, level, ...(parent ? { parentKey: parent.key } : {}), location: r.lon !== null && r.lat !== null ? [r.lon, r.lat] : null });
    }
    if (nodes.length > MAX_DECOMPOSED) throw new Invalid(`more than ${MAX_DECOMPOSED} tasks: decompose fewer levels or a smaller region`, [{ field: 'body.levels', message: 'too many regions' }]);
  }
  const byLevel: Record<string, number> = {};
  const specs: TaskSpec[] = [];
  const unrouted: string[] = [];
  for (const n of nodes) {
    const org = await routeToDepartment(db, n.code, input.departmentType);
    if (!org) {
      unrouted.push(n.code);
      continue;
    }
    byLevel[n.level] = (byLevel[n.level] ?? 0) + 1;
    specs.push({
      key: n.key,
      title: n.level === rootLevel ? input.title : `${input.title}（${n.name}）`,
      description: `${input.description}${input.description ? '\n\n' : ''}依据 ${goal.clause_number}：${goal.title}（${goal.indicator_name} ${goal.period} 目标 ${goal.target}${goal.unit}）`,
      kind: 'governance',
      regionCode: n.code,
      organizationId: org.id,
      priority: 'normal',
      deadline: new Date(input.deadline),
      evidenceRequired: input.evidenceRequired,
      ...(n.parentKey ? { parentKey: n.parentKey } : {}),
      source: { kind: 'goal', ref: goal.id },
      trace: { policyId: goal.policy_id, clauseId: goal.clause_id, goalId: goal.id },
      location: n.location,
    });
  }
  if (unrouted.length) {
    throw new Invalid(`no ${input.departmentType} department is responsible for ${unrouted.length} region(s)`, unrouted.slice(0, 20).map((c) => ({ field: 'body.departmentType', message: `none for ${c}` })));
  }
  const ids = await withTransaction(deps.db, async (tx) => {
    const created = await createTasksIn(tx, ctx, deps.config, specs);
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'policy.goal-decomposed', resourceType: 'goal', resourceId: goal.id, regionCode: goal.region_code, details: { tasks: specs.length, byLevel } });
    return created;
  });
  return { created: specs.length, rootTaskId: ids.get(goal.region_code) as string, byLevel };
}

// ---------------------------------------------------------------- the five linkages

async function linkageOf(deps: Deps, ctx: RequestContext, p: store.PolicyRecord): Promise<Linkage> {
  const db = executor(deps.db);
  const stats = await policyTaskStats(db, [p.id]);
  const goals = await presentGoals(deps, await store.goalsOf(db, { policyId: p.id }), stats.byGoal);
  const indicators = new Map<string, Linkage['indicators'][number]>();
  for (const g of goals) {
    const i = indicators.get(g.indicatorCode) ?? { code: g.indicatorCode, name: g.indicatorName, unit: g.unit, goals: 0, onTarget: 0, behind: 0 };
    i.goals += 1;
    if (g.onTarget === true) i.onTarget += 1;
    if (g.onTarget === false) i.behind += 1;
    indicators.set(g.indicatorCode, i);
  }
  const counts = stats.byPolicy.get(p.id);
  const organizations = stats.byOrganization.map((o) => ({ id: o.organization_id, name: o.name, kind: o.kind, regionCode: o.region_code, tasks: o.tasks, done: o.done, overdue: o.overdue }));
  const resources = await resourceCountsOf(db, organizations.map((o) => o.id));
  return {
    policy: presentPolicy(p, await store.clausesOf(db, [p.id])),
    goals,
    indicators: [...indicators.values()],
    tasks: {
      counts: counts ? { total: counts.total, open: counts.open, done: counts.done, overdue: counts.overdue } : NO_COUNTS,
      byStatus: counts?.byStatus ?? {},
      items: (await tasksOfPolicy(db, p.id, LINKAGE_TASKS)).filter((t) => inScope(ctx.actor.scopePrefix, t.regionCode) || t.organizationId === ctx.actor.organizationId),
    },
    organizations,
    resources: resources.map((r) => ({ organizationId: r.organization_id, organizationName: r.organization_name, type: r.type, typeName: r.type_name, count: r.count, available: r.available })),
  };
}

/** A policy's goals, indicators (current vs target), tasks, organizations and their resources. */
export async function policyLinkage(deps: Deps, ctx: RequestContext, code: string): Promise<Linkage> {
  const p = await visiblePolicy(deps, ctx, code, 'policy:read');
  return linkageOf(deps, ctx, p);
}

/** The reverse: the linkages of the policies a task, an organization's tasks or an indicator's goals serve. */
export async function linkageFrom(deps: Deps, ctx: RequestContext, q: { task?: string | undefined; organization?: string | undefined; indicator?: string | undefined }): Promise<{ items: Linkage[] }> {
  await authorize(deps, ctx, 'policy:read', { type: 'policy' });
  const db = executor(deps.db);
  let ids: string[];
  if (q.indicator) {
    const ind = await goalIndicator(db, q.indicator);
    if (!ind) throw new NotFound(`no indicator ${q.indicator}`);
    ids = await store.policiesWithIndicator(db, ind.id);
  } else {
    ids = await policiesOfTasks(db, { taskId: q.task, organizationId: q.organization });
  }
  const items: Linkage[] = [];
  for (const id of ids.slice(0, 10)) {
    const p = await store.findPolicy(db, id);
    if (p && sees(ctx, p.region_code)) items.push(await linkageOf(deps, ctx, p));
  }
  if (q.task && items.length === 0 && ids.length > 0) throw new Forbidden('the policy of this task is outside your region');
  return { items };
}
