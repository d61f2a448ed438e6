// SPDX-License-Identifier: Apache-2.0
// Policy → goals → task trees → indicators: a province policy with three goals on two indicators, goals
// decomposed into county and township tasks carried out by two county departments and a social
// organization, reported values — the indicators move, the goals show their progress, the five linkages
// join it all (and lead back from a task, an organization or an indicator), the cockpit shows the lagging
// townships; permissions and bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodAt } from '../../contracts/indicator-periods.ts';
import type { Cockpit, IndicatorValue } from '../../contracts/indicators.ts';
import type { Organization } from '../../contracts/identity.ts';
import type { Goal, Linkage, Policy } from '../../contracts/policies.ts';
import type { Task } from '../../contracts/tasks.ts';
import { expectProblem, ok } from '../helpers/expect.ts';
import { createTestPlatform, type TestPlatform } from '../helpers/platform.ts';

type Page<T> = { items: T[]; total: number };

let p: TestPlatform;
let province: string;
let countyA: string;
let countyB: string;
let governmentProvince: string;
let socialOrg: string;
let villagesA: string[];
let policy: Policy;
let goals: Goal[];
const month = periodAt('month', new Date());
const inAMonth = () => new Date(Date.now() + 30 * 86_400_000).toISOString();

const call = async (who: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, body?: unknown) => p.call(method, url, { as: await p.login(who), ...(body === undefined ? {} : { body }) });
const get = (who: string, url: string) => call(who, 'GET', url);
const count = async (table: string) => (await p.deps.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n;
const act = (who: string, id: string, body: Record<string, unknown>) => call(who, 'POST', `/api/tasks/${id}/actions`, body);
const valueOf = async (code: string, region: string) => ok<Page<IndicatorValue>>(await get('sysadmin', `/api/indicators/${code}/values?region=${region}&period=${month}`)).items[0];
const compute = async (code: string) => ok(await call('province-admin', 'POST', `/api/indicators/${code}/compute`, {}));

/** Carries a task out: accepted, started and submitted by `who`, approved by the province administrator. */
async function carryOut(who: string, id: string): Promise<void> {
  ok(await act(who, id, { action: 'accept' }));
  ok(await act(who, id, { action: 'start' }));
  ok(await act(who, id, { action: 'submit', evidence: [{ kind: 'text', content: '已完成入户核查' }] }));
  ok(await act('province-admin', id, { action: 'approve', note: '通过' }));
}

beforeAll(async () => {
  p = await createTestPlatform();
  province = p.account('province-admin').scope as string;
  countyA = p.account('operator-a').scope as string;
  countyB = p.account('operator-b').scope as string;
  const orgs = ok<Page<Organization>>(await get('sysadmin', `/api/organizations?regionCode=${province}&limit=1000`)).items;
  governmentProvince = (orgs.find((o) => o.regionCode === province && o.departmentType === 'government-office') as Organization).id;
  socialOrg = ok<{ organizationId: string }>(await get('social-member', '/api/auth/me')).organizationId;
  villagesA = (await p.deps.db.pool.query<{ code: string }>(`SELECT code FROM region WHERE level = 'village' AND valid_to IS NULL AND code LIKE $1 ORDER BY code`, [`${countyA.slice(0, 6)}%`])).rows.map((r) => r.code);
});
afterAll(async () => {
  await p?.stop();
});

describe('a policy carried out through goals and tasks', () => {
  it('is issued with its clauses', async () => {
    policy = ok<Policy>(await call('province-admin', 'POST', '/api/policies', {
      code: 'YZ-2026-7', title: '关于推进基层医养结合和网格化排查的实施意见', issuerOrganizationId: governmentProvince, regionCode: province, issuedOn: '2026-01-15',
      clauses: [{ number: '第三条', text: '各县组织乡镇对辖区开展网格化排查，年内完成率达到百分之百。' }, { number: '第五条', text: '65 岁以上老年人健康体检覆盖率不低于百分之八十。' }],
    }), 201);
    expect(policy).toMatchObject({ status: 'in_force', goalCount: 0, taskCount: 0, regionCode: province });
    expect(policy.clauses.map((c) => c.number)).toEqual(['第三条', '第五条']);
  });

  it('has three goals on two indicators, each written as the indicator’s target', async () => {
    ok(await call('province-admin', 'POST', '/api/indicators', {
      code: 'policy.tasks-done', name: '排查任务完成率', unit: '%', ownerOrganizationId: governmentProvince, key: true, alertLevels: ['county'],
      numerator: { kind: 'tasks', measure: 'done', periodBy: 'created', policyId: policy.id },
      denominator: { kind: 'tasks', measure: 'created', periodBy: 'created', policyId: policy.id }, factor: 100,
    }), 201);
    ok(await call('province-admin', 'POST', '/api/indicators', {
      code: 'policy.checkup', name: '老年人健康体检覆盖率', unit: '%', ownerOrganizationId: governmentProvince,
      numerator: { kind: 'reported' }, denominator: { kind: 'reported' }, factor: 100,
    }), 201);
    const goal = (clause: string, indicator: string, regionCode: string, target: number, title: string) =>
      call('province-admin', 'POST', `/api/policies/${policy.code}/goals`, { clause, indicator, regionCode, period: month, target, title });
    ok(await goal('第三条', 'policy.tasks-done', countyA, 100, '甲县网格化排查全部完成'), 201);
    ok(await goal('第五条', 'policy.checkup', countyA, 80, '甲县老年人体检覆盖率达到 80%'), 201);
    ok(await goal('第三条', 'policy.tasks-done', countyB, 100, '乙县网格化排查全部完成'), 201);
    goals = ok<Goal[]>(await get('viewer', `/api/policies/${policy.code}/goals`));
    expect(goals.map((g) => [g.clauseNumber, g.indicatorCode, g.regionCode, g.target])).toEqual([
      ['第三条', 'policy.tasks-done', countyA, 100], ['第三条', 'policy.tasks-done', countyB, 100], ['第五条', 'policy.checkup', countyA, 80],
    ]);
    // the goal is the indicator's target
    await compute('policy.tasks-done');
    expect(await valueOf('policy.tasks-done', countyA)).toMatchObject({ target: 100 });
  });

  it('decomposes goals into county and township tasks routed to two departments, each traceable to its clause', async () => {
    const [tasksA, checkupA] = [goals[0] as Goal, goals[2] as Goal];
    const r1 = ok<{ created: number; rootTaskId: string; byLevel: Record<string, number> }>(await call('province-admin', 'POST', `/api/goals/${tasksA.id}/decompose`, {
      title: '网格化排查', departmentType: 'emergency-management', levels: ['township'], deadline: inAMonth(), evidenceRequired: '排查记录',
    }), 201);
    expect(r1.byLevel.county).toBe(1);
    expect(r1.byLevel.township).toBeGreaterThan(1);
    const r2 = ok<{ created: number; rootTaskId: string }>(await call('province-admin', 'POST', `/api/goals/${checkupA.id}/decompose`, {
      title: '老年人健康体检入户动员', departmentType: 'government-office', levels: ['township'], deadline: inAMonth(),
    }), 201);
    const root = ok<Task & { subtasks: Task[] }>(await get('province-admin', `/api/tasks/${r1.rootTaskId}`));
    expect(root).toMatchObject({ regionCode: countyA, source: { kind: 'goal', ref: tasksA.id }, trace: { policyId: policy.id, clauseId: tasksA.clauseId, goalId: tasksA.id } });
    expect(root.organizationName).toContain('应急管理局');
    expect(root.subtasks).toHaveLength(r1.created - 1);
    expect(root.description).toContain('第三条');
    const tree2 = ok<Task & { subtasks: Task[] }>(await get('province-admin', `/api/tasks/${r2.rootTaskId}`));
    expect(tree2.organizationName).toContain('人民政府办公室');
    const all = ok<Page<Task>>(await get('province-admin', `/api/tasks?policyId=${policy.id}&limit=1000`));
    expect(all.total).toBe(r1.created + r2.created);
  });

  it('is carried out by both departments and a social organization, and its indicators move', async () => {
    await compute('policy.tasks-done');
    const before = (await valueOf('policy.tasks-done', countyA))?.value as number;
    expect(before).toBe(0);
    const tasks = ok<Page<Task>>(await get('province-admin', `/api/tasks?policyId=${policy.id}&limit=1000&sort=created`)).items;
    const grid = tasks.filter((t) => t.trace?.goalId === goals[0]?.id && t.parentId !== null);
    const checkups = tasks.filter((t) => t.trace?.goalId === goals[2]?.id && t.parentId !== null);
    // the emergency department does all but one township's inspection; government office one mobilisation;
    // a social organization is given another township's mobilisation and does it
    for (const t of grid.slice(0, -1)) await carryOut('operator-a', t.id);
    await carryOut('task-handler', (checkups[0] as Task).id);
    ok(await act('province-admin', (checkups[1] as Task).id, { action: 'reassign', organizationId: socialOrg, note: '委托社会组织入户' }));
    await carryOut('social-member', (checkups[1] as Task).id);

    await compute('policy.tasks-done');
    const after = await valueOf('policy.tasks-done', countyA);
    const done = grid.length - 1 + 2;
    const total = tasks.filter((t) => t.regionCode.startsWith(countyA.slice(0, 6))).length;
    expect(after).toMatchObject({ numerator: done, denominator: total });
    expect(after?.value).toBeCloseTo((100 * done) / total, 6);
    expect(after?.value as number).toBeGreaterThan(before);
    // county B has its goal but no tasks yet: no value
    expect((await valueOf('policy.tasks-done', countyB))?.value).toBeNull();

    // the villages report check-ups; the coverage goal reads them
    ok(await call('operator-a', 'POST', '/api/indicators/policy.checkup/reports', {
      items: villagesA.slice(0, 3).flatMap((v, i) => [{ regionCode: v, period: month, value: 60 + 10 * i }, { regionCode: v, period: month, component: 'denominator', value: 100 }]),
    }));
    await compute('policy.checkup');
    const g = ok<Goal[]>(await get('viewer', `/api/policies/${policy.code}/goals`));
    expect(g.find((x) => x.indicatorCode === 'policy.checkup')).toMatchObject({ current: 70, target: 80, gap: -10, onTarget: false });
    expect(g.find((x) => x.indicatorCode === 'policy.tasks-done' && x.regionCode === countyA)?.tasks).toMatchObject({ done: grid.length - 1, total: grid.length + 1 });
  });

  it('joins the five linkages, and leads back to the policy from a task, an organization or an indicator', async () => {
    const l = ok<Linkage>(await get('province-admin', `/api/policies/${policy.code}/linkage`));
    expect(l.goals).toHaveLength(3);
    expect(l.indicators.map((i) => i.code).sort()).toEqual(['policy.checkup', 'policy.tasks-done']);
    expect(l.indicators.find((i) => i.code === 'policy.checkup')).toMatchObject({ goals: 1, behind: 1 });
    expect(l.tasks.counts.total).toBe(l.tasks.items.length);
    expect(l.tasks.byStatus.done).toBe(l.tasks.counts.done);
    const kinds = l.organizations.map((o) => o.kind);
    expect(l.organizations).toHaveLength(3);
    expect(kinds.filter((k) => k === 'social')).toHaveLength(1);
    expect(l.organizations.find((o) => o.id === socialOrg)).toMatchObject({ tasks: 1, done: 1 });
    const someTask = l.tasks.items[0] as Task;
    const fromTask = ok<{ items: Linkage[] }>(await get('operator-a', `/api/linkage?task=${someTask.id}`));
    expect(fromTask.items.map((x) => x.policy.code)).toEqual([policy.code]);
    expect(ok<{ items: Linkage[] }>(await get('viewer', `/api/linkage?organization=${socialOrg}`)).items.map((x) => x.policy.code)).toEqual([policy.code]);
    expect(ok<{ items: Linkage[] }>(await get('viewer', '/api/linkage?indicator=policy.checkup')).items.map((x) => x.policy.code)).toEqual([policy.code]);
    expectProblem(await get('viewer', '/api/linkage'), 400);
    expectProblem(await get('viewer', `/api/linkage?task=${someTask.id}&indicator=x`), 400);
    expectProblem(await get('viewer', '/api/linkage?indicator=nope'), 404);
    // a county B reader sees the policy but none of county A's tasks
    const b = ok<Linkage>(await get('operator-b', `/api/policies/${policy.code}/linkage`));
    expect(b.tasks.items.filter((t) => t.regionCode.startsWith(countyA.slice(0, 6)))).toEqual([]);
  });

  it('shows progress and the lagging townships on the cockpit', async () => {
    const c = ok<Cockpit>(await get('province-admin', `/api/cockpit?region=${countyA}`));
    const key = c.indicators.find((i) => i.code === 'policy.tasks-done');
    expect(key?.current?.value).toBeGreaterThan(0);
    expect(key?.current?.target).toBe(100);
    // the lagging townships come first: those whose tasks are not all done
    const lagging = key?.lagging ?? [];
    expect(lagging.length).toBeGreaterThan(0);
    expect(lagging[0]?.value).toBeLessThan(100);
    expect(lagging.every((x, i) => i === 0 || (lagging[i - 1]?.value ?? 0) <= (x.value ?? 0))).toBe(true);
  });
});

describe('permissions and bad input', () => {
  it('refuses policies that cannot be issued, writing nothing', async () => {
    const before = await count('policy');
    const base = { code: 'YZ-BAD-1', title: 'x', issuerOrganizationId: governmentProvince, regionCode: province, issuedOn: '2026-01-01', clauses: [{ number: '一', text: 'x' }] };
    const bad = async (body: unknown, status = 400, who = 'province-admin') => expectProblem(await call(who, 'POST', '/api/policies', body), status);
    await bad({ ...base, clauses: [] });
    await bad({ ...base, clauses: [{ number: '一', text: 'a' }, { number: '一', text: 'b' }] });
    await bad({ ...base, issuedOn: '2026-02-30' });
    await bad({ ...base, regionCode: '990000000999' });
    await bad({ ...base, issuerOrganizationId: '00000000-0000-4000-8000-000000000000' });
    await bad({ ...base, code: 'has space' });
    await bad({ ...base, extra: 1 });
    await bad({ ...base, code: policy.code }, 409);
    await bad(base, 403, 'viewer');
    await bad(base, 403, 'operator-a');
    await bad(base, 403, 'social-member');
    expect(await count('policy')).toBe(before);
  });

  it('refuses goals and decompositions that cannot be, writing nothing', async () => {
    const [goalsBefore, tasksBefore] = [await count('goal'), await count('task')];
    const goal = (body: Record<string, unknown>, who = 'province-admin') =>
      call(who, 'POST', `/api/policies/${policy.code}/goals`, { clause: '第三条', indicator: 'policy.tasks-done', regionCode: countyB, period: month, target: 90, title: 't', ...body });
    expectProblem(await goal({ clause: '第九条' }), 400);
    expectProblem(await goal({ indicator: 'nope' }), 400);
    expectProblem(await goal({ period: '2026-W01' }), 400);
    expectProblem(await goal({ regionCode: '990000000999' }), 400);
    expectProblem(await goal({}), 409);
    expectProblem(await goal({ regionCode: countyA, period: '2020-01' }, 'operator-b'), 403);
    expectProblem(await goal({ target: 'high' }), 400);
    const id = (goals[1] as Goal).id;
    const decompose = (body: Record<string, unknown>, who = 'province-admin') =>
      call(who, 'POST', `/api/goals/${id}/decompose`, { title: 't', departmentType: 'emergency-management', levels: ['township'], deadline: inAMonth(), ...body });
    expectProblem(await decompose({ levels: ['city'] }), 400);
    expectProblem(await decompose({ levels: ['village', 'township'] }), 400);
    expectProblem(await decompose({ deadline: '2001-01-01T00:00:00Z' }), 400);
    expectProblem(await decompose({ departmentType: 'no-such' }), 400);
    expectProblem(await decompose({}, 'operator-a'), 403);
    expectProblem(await call('province-admin', 'POST', '/api/goals/00000000-0000-4000-8000-000000000000/decompose', { title: 't', departmentType: 'health', deadline: inAMonth() }), 404);
    expect([await count('goal'), await count('task')]).toEqual([goalsBefore, tasksBefore]);
  });

  it('shows a policy where it applies, and not to social organization members', async () => {
    expect(ok<Page<Policy>>(await get('operator-b', '/api/policies')).items.map((x) => x.code)).toContain(policy.code);
    expect(ok<Page<Policy>>(await get('viewer', '/api/policies?q=医养')).total).toBe(1);
    expectProblem(await get('social-member', '/api/policies'), 403);
    expectProblem(await get('viewer', '/api/policies/NOPE-1'), 404);
    expect(ok<Policy>(await call('province-admin', 'PATCH', `/api/policies/${policy.code}`, { status: 'expired' })).status).toBe('expired');
    expectProblem(await call('viewer', 'PATCH', `/api/policies/${policy.code}`, { status: 'draft' }), 403);
    expectProblem(await call('province-admin', 'PATCH', `/api/policies/${policy.code}`, { status: 'repealed' }), 400);
  });
});
