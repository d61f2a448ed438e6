// SPDX-License-Identifier: Apache-2.0
// Tasks (任务): created by hand or routed to the responsible department of a region, the lifecycle with
// evidence and history, return, delegation and reassignment, visibility (a social organization's member
// sees only its organization's tasks), supervision of overdue tasks, permissions and bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Organization, User } from '../../contracts/identity.ts';
import type { Region } from '../../contracts/regions.ts';
import type { Task, TaskDetail } from '../../contracts/tasks.ts';
import { sweepOverdueTasks } from '../../server/modules/tasks/index.ts';
import { expectProblem, ok } from '../helpers/expect.ts';
import { createTestPlatform, type TestPlatform } from '../helpers/platform.ts';

type Page<T> = { items: T[]; total: number };

let p: TestPlatform;
let countyA: string;
let countyB: string;
let centreA: [number, number];
let emergencyA: string;
let waterA: Organization;
let socialOrg: string;
let operatorA: User;

const as = (who: string) => p.login(who);
const post = async (who: string, url: string, body: unknown) => p.call('POST', url, { as: await as(who), body });
const get = async (who: string, url: string) => p.call('GET', url, { as: await as(who) });
const act = (who: string, id: string, body: Record<string, unknown>) => post(who, `/api/tasks/${id}/actions`, body);
const inAWeek = () => new Date(Date.now() + 7 * 86_400_000).toISOString();

beforeAll(async () => {
  p = await createTestPlatform();
  countyA = p.account('operator-a').scope as string;
  countyB = p.account('operator-b').scope as string;
  centreA = ok<Region>(await get('sysadmin', `/api/regions/${countyA}`)).centroid as [number, number];
  const orgs = ok<Page<Organization>>(await get('sysadmin', `/api/organizations?regionCode=${countyA}&limit=1000`)).items;
  emergencyA = (orgs.find((o) => o.regionCode === countyA && o.departmentType === 'emergency-management') as Organization).id;
  waterA = orgs.find((o) => o.regionCode === countyA && o.departmentType === 'water-resources') as Organization;
  socialOrg = ok<{ organizationId: string }>(await get('social-member', '/api/auth/me')).organizationId;
  operatorA = ok<Page<User>>(await get('sysadmin', '/api/users?q=operator-a')).items.find((u) => u.username === 'operator-a') as User;
});
afterAll(async () => {
  await p?.stop();
});

describe('creating tasks', () => {
  it('routes a task for a location to the department of that type in its region', async () => {
    const t = ok<TaskDetail>(await post('dispatcher', '/api/tasks', { title: '排查河堤隐患', departmentType: 'water-resources', location: centreA, deadline: inAWeek(), evidenceRequired: '巡查照片和记录' }), 201);
    expect(t).toMatchObject({ organizationId: waterA.id, status: 'assigned', kind: 'governance', source: { kind: 'manual' }, evidenceRequired: '巡查照片和记录' });
    expect(t.regionCode.slice(0, 6)).toBe(countyA.slice(0, 6));
    expect(t.history.map((h) => h.action)).toEqual(['created']);
    expect(t.history[0]?.details).toMatchObject({ routed: true, organizationId: waterA.id });
  });

  it('refuses what cannot be created, writing nothing', async () => {
    const before = (await p.deps.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM task')).rows[0]?.n;
    expectProblem(await post('dispatcher', '/api/tasks', { title: 'x' }), 400);
    expectProblem(await post('dispatcher', '/api/tasks', { title: 'x', regionCode: countyA }), 400);
    expectProblem(await post('dispatcher', '/api/tasks', { title: 'x', regionCode: '999999999999', organizationId: emergencyA }), 400);
    expectProblem(await post('dispatcher', '/api/tasks', { title: 'x', regionCode: countyA, organizationId: '00000000-0000-4000-8000-000000000000' }), 400);
    expectProblem(await post('dispatcher', '/api/tasks', { title: 'x', regionCode: countyA, organizationId: emergencyA, deadline: '2001-01-01T00:00:00Z' }), 400);
    expectProblem(await post('dispatcher', '/api/tasks', { title: 'x', regionCode: countyA, organizationId: emergencyA, responsibleUserId: '00000000-0000-4000-8000-000000000000' }), 400);
    expectProblem(await post('dispatcher', '/api/tasks', { title: 'x', regionCode: countyA, organizationId: emergencyA, dependsOn: ['00000000-0000-4000-8000-000000000000'] }), 400);
    expectProblem(await post('dispatcher', '/api/tasks', { title: '', regionCode: countyA, organizationId: emergencyA }), 400);
    expectProblem(await post('dispatcher', '/api/tasks', { title: 'x', regionCode: countyA, organizationId: emergencyA, priority: 'whenever' }), 400);
    // a task handler carries tasks out but does not create them; a county operator-b cannot create in county A
    expectProblem(await post('task-handler', '/api/tasks', { title: 'x', regionCode: countyA, organizationId: emergencyA }), 403);
    expectProblem(await post('operator-b', '/api/tasks', { title: 'x', regionCode: countyA, organizationId: emergencyA }), 403);
    expect((await p.deps.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM task')).rows[0]?.n).toBe(before);
  });
});

describe('the lifecycle', () => {
  let task: TaskDetail;

  it('is accepted (the accepting member becomes responsible), started, submitted with evidence, returned, resubmitted and approved', async () => {
    task = ok<TaskDetail>(await post('dispatcher', '/api/tasks', { title: '组织防汛物资盘点', regionCode: countyA, organizationId: emergencyA, deadline: inAWeek(), evidenceRequired: '盘点清单' }), 201);
    const accepted = ok<TaskDetail>(await act('operator-a', task.id, { action: 'accept' }));
    expect(accepted).toMatchObject({ status: 'accepted', responsibleUserId: operatorA.id });
    expect(accepted.acceptedAt).toBeTruthy();
    expectProblem(await act('operator-a', task.id, { action: 'submit' }), 409, 'invalid-transition');
    ok(await act('operator-a', task.id, { action: 'start' }));
    expectProblem(await act('operator-a', task.id, { action: 'submit' }), 400);
    const submitted = ok<TaskDetail>(await act('operator-a', task.id, { action: 'submit', evidence: [{ content: '沙袋 2000 条' }, { kind: 'link', content: 'https://files.example.gov/checklist.pdf' }] }));
    expect(submitted.status).toBe('submitted');
    expect(submitted.evidence.map((e) => e.kind)).toEqual(['text', 'link']);
    // only a manager approves or returns
    expectProblem(await act('operator-a', task.id, { action: 'approve' }), 403);
    expectProblem(await act('dispatcher', task.id, { action: 'return' }), 400);
    expect(ok<TaskDetail>(await act('dispatcher', task.id, { action: 'return', note: '缺少编织袋数量' })).status).toBe('returned');
    ok(await act('operator-a', task.id, { action: 'start' }));
    // evidence already given counts: resubmitting needs no more
    ok(await act('operator-a', task.id, { action: 'submit', note: '已补充' }));
    const done = ok<TaskDetail>(await act('dispatcher', task.id, { action: 'approve' }));
    expect(done.status).toBe('done');
    expect(done.doneAt).toBeTruthy();
    expect(done.history.map((h) => `${h.action}:${h.toStatus ?? ''}`)).toEqual([
      'created:assigned', 'accept:accepted', 'start:in_progress', 'submit:submitted', 'return:returned', 'start:in_progress', 'submit:submitted', 'approve:done',
    ]);
    expect(done.actions).toEqual(['comment']);
    expectProblem(await act('dispatcher', task.id, { action: 'cancel', note: 'x' }), 409, 'invalid-transition');
  });

  it('is delegated within its organization and reassigned to another by a manager', async () => {
    const t = ok<TaskDetail>(await post('dispatcher', '/api/tasks', { title: '核查避难场所', regionCode: countyA, organizationId: emergencyA }), 201);
    const colleague = ok<User>(await post('sysadmin', '/api/users', {
      username: 'colleague-a', displayName: '应急局同事', organizationId: emergencyA, roles: ['task-handler'], scopeCode: countyA, password: 'Colleague-Passw0rd-2026!',
    }), 201);
    const handler = ok<Page<User>>(await get('sysadmin', '/api/users?q=task-handler')).items.find((u) => u.username === 'task-handler') as User;
    ok(await act('operator-a', t.id, { action: 'accept' }));
    // delegation stays within the organization
    expectProblem(await act('operator-a', t.id, { action: 'delegate', responsibleUserId: handler.id }), 400);
    const delegated = ok<TaskDetail>(await act('operator-a', t.id, { action: 'delegate', responsibleUserId: colleague.id, note: '请同事跟进' }));
    expect(delegated).toMatchObject({ responsibleUserId: colleague.id, responsibleName: '应急局同事', status: 'accepted' });
    const cookie = await p.login('colleague-a', 'Colleague-Passw0rd-2026!');
    expect(ok<TaskDetail>(await p.call('POST', `/api/tasks/${t.id}/actions`, { as: cookie, body: { action: 'start' } })).status).toBe('in_progress');
    const moved = ok<TaskDetail>(await act('dispatcher', t.id, { action: 'reassign', organizationId: waterA.id, note: '职责调整' }));
    expect(moved).toMatchObject({ organizationId: waterA.id, status: 'assigned', responsibleUserId: null });
    // operator-a's organization no longer holds it
    expectProblem(await act('operator-a', t.id, { action: 'accept' }), 403);
    expect(ok<TaskDetail>(await act('dispatcher', t.id, { action: 'cancel', note: '不再需要' })).status).toBe('cancelled');
  });

  it('waits on its dependencies', async () => {
    const first = ok<TaskDetail>(await post('dispatcher', '/api/tasks', { title: '先行', regionCode: countyA, organizationId: emergencyA }), 201);
    const second = ok<TaskDetail>(await post('dispatcher', '/api/tasks', { title: '后续', regionCode: countyA, organizationId: emergencyA, dependsOn: [first.id] }), 201);
    expect(second.waitingOn).toEqual([first.id]);
    ok(await act('operator-a', second.id, { action: 'accept' }));
    expectProblem(await act('operator-a', second.id, { action: 'start' }), 409, 'waiting-on-dependencies');
    for (const action of ['accept', 'start', 'submit']) ok(await act('operator-a', first.id, { action }));
    ok(await act('dispatcher', first.id, { action: 'approve' }));
    expect(ok<TaskDetail>(await act('operator-a', second.id, { action: 'start' })).status).toBe('in_progress');
  });
});

describe('who sees and does what', () => {
  it('a social organization member sees only its organization\'s tasks and carries them out', async () => {
    const theirs = ok<TaskDetail>(await post('dispatcher', '/api/tasks', { title: '社区志愿巡查', regionCode: countyA, organizationId: socialOrg }), 201);
    const list = ok<Page<Task>>(await get('social-member', '/api/tasks?limit=1000'));
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((t) => t.organizationId === socialOrg)).toBe(true);
    const other = ok<Page<Task>>(await get('dispatcher', `/api/tasks?organizationId=${emergencyA}&limit=1`)).items[0] as Task;
    expectProblem(await get('social-member', `/api/tasks/${other.id}`), 403);
    expect(ok<TaskDetail>(await act('social-member', theirs.id, { action: 'accept' })).status).toBe('accepted');
    expectProblem(await act('social-member', theirs.id, { action: 'cancel', note: 'x' }), 403);
  });

  it('scopes lists by region; mine lists the caller\'s own', async () => {
    const b = ok<Page<Task>>(await get('operator-b', '/api/tasks?limit=1000'));
    expect(b.items.every((t) => t.regionCode.startsWith(countyB.slice(0, 6)))).toBe(true);
    const mine = ok<Page<Task>>(await get('operator-a', '/api/tasks?mine=true&status=open&limit=1000'));
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((t) => t.responsibleUserId === operatorA.id || (t.responsibleUserId === null && t.organizationId === emergencyA))).toBe(true);
    expect(mine.items.every((t) => !['done', 'cancelled'].includes(t.status))).toBe(true);
    const sorted = ok<Page<Task>>(await get('dispatcher', '/api/tasks?sort=-created&limit=5')).items.map((t) => t.createdAt);
    expect([...sorted].sort().reverse()).toEqual(sorted);
    expectProblem(await get('dispatcher', '/api/tasks?status=lost'), 400);
    expectProblem(await get('auditadmin', '/api/tasks'), 403);
    expectProblem(await get('dispatcher', '/api/tasks/00000000-0000-4000-8000-000000000000'), 404);
  });
});

describe('supervision', () => {
  it('flags an overdue task once, with its history, event and escalation to the superior region', async () => {
    const t = ok<TaskDetail>(await post('dispatcher', '/api/tasks', { title: '限期整改', regionCode: countyA, organizationId: emergencyA, deadline: new Date(Date.now() + 60_000).toISOString() }), 201);
    const later = new Date(Date.now() + 120_000);
    const first = await sweepOverdueTasks(p.deps, { now: later });
    expect(first.ids).toContain(t.id);
    expect((await sweepOverdueTasks(p.deps, { now: later })).ids).not.toContain(t.id);
    const detail = ok<TaskDetail>(await get('dispatcher', `/api/tasks/${t.id}`));
    const entry = detail.history.find((h) => h.action === 'overdue');
    expect(entry?.details).toMatchObject({ escalatedTo: `${countyA.slice(0, 4)}00000000` });
    const events = await p.deps.db.pool.query<{ topic: string }>(`SELECT topic FROM outbox WHERE aggregate_id = $1 ORDER BY id`, [t.id]);
    expect(events.rows.map((e) => e.topic)).toEqual(['task.created', 'task.overdue']);
  });
});
