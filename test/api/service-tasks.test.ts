// SPDX-License-Identifier: Apache-2.0
// Service tasks (服务型任务): published with a service standard, budget and qualifications; on offer only to
// qualified social organizations of the region; bid, awarded, delivered with a file as evidence, accepted
// criterion by criterion and paid. Reminders before a deadline. Permissions and bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Organization } from '../../contracts/identity.ts';
import type { Bid, MarketItem, Task, TaskDetail } from '../../contracts/tasks.ts';
import { sweepReminders } from '../../server/modules/tasks/index.ts';
import { expectProblem, ok } from '../helpers/expect.ts';
import { createTestPlatform, type TestPlatform } from '../helpers/platform.ts';

type Page<T> = { items: T[]; total: number };

let p: TestPlatform;
let countyA: string;
let socialOrg: Organization;
let task: TaskDetail;
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();

const call = async (who: string, method: 'GET' | 'POST', url: string, body?: unknown, headers?: Record<string, string>) =>
  p.call(method, url, { as: await p.login(who), ...(body === undefined ? {} : { body }), ...(headers ? { headers } : {}) });
const get = (who: string, url: string) => call(who, 'GET', url);
const act = (who: string, id: string, body: Record<string, unknown>) => call(who, 'POST', `/api/tasks/${id}/actions`, body);
const count = async (table: string) => (await p.deps.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n;

const offer = (qualification: string, over: Record<string, unknown> = {}) => ({
  title: '社区独居老人探访服务', description: '每周上门探访独居老人并记录健康状况', regionCode: countyA, budget: 50_000, qualifications: [qualification],
  standard: { deliverables: ['每周探访记录', '月度服务报告'], acceptanceCriteria: ['探访覆盖全部独居老人', '记录完整可追溯'], indicators: [] },
  bidDeadline: inDays(3), deadline: inDays(30), evidenceRequired: '探访记录', ...over,
});

beforeAll(async () => {
  p = await createTestPlatform();
  countyA = p.account('operator-a').scope as string;
  const me = ok<{ organizationId: string }>(await get('social-member', '/api/auth/me'));
  socialOrg = ok<Organization>(await get('sysadmin', `/api/organizations/${me.organizationId}`));
  expect(socialOrg.kind).toBe('social');
  expect(socialOrg.qualifications.length).toBeGreaterThan(0);
});
afterAll(async () => {
  await p?.stop();
});

describe('a service task from offer to payment', () => {
  it('is published with its standard and stays with the publishing department while on offer', async () => {
    task = ok<TaskDetail>(await call('dispatcher', 'POST', '/api/service-tasks', offer(socialOrg.qualifications[0] as string)), 201);
    expect(task).toMatchObject({ kind: 'service', status: 'assigned', service: { offerStatus: 'open', budget: 50_000, awardedAmount: null, paymentStatus: null } });
    expect(task.organizationName).toContain('应急管理局');
    expect(task.history.map((h) => h.action)).toEqual(['published']);
    // nobody carries it out while it is on offer
    expectProblem(await act('dispatcher', task.id, { action: 'accept' }), 409, 'offer-open');
  });

  it('is on offer only to qualified social organizations of the region', async () => {
    const unqualified = ok<TaskDetail>(await call('dispatcher', 'POST', '/api/service-tasks', offer('危险化学品处置资质', { title: '危化品仓库巡检' })), 201);
    const market = ok<Page<MarketItem>>(await get('social-member', '/api/service-tasks'));
    expect(market.items.map((m) => m.id)).toEqual([task.id]);
    expect(market.items[0]).toMatchObject({ bidCount: 0, myBid: null });
    // not among its tasks before the award
    expect(ok<Page<Task>>(await get('social-member', '/api/tasks')).items.map((t) => t.id)).not.toContain(task.id);
    expectProblem(await call('social-member', 'POST', `/api/service-tasks/${unqualified.id}/bids`, { amount: 1000, proposal: '可以做' }), 404);
    // departments see what is published in their region
    expect(ok<Page<MarketItem>>(await get('dispatcher', '/api/service-tasks')).total).toBe(2);
    expect(ok<Page<MarketItem>>(await get('operator-b', '/api/service-tasks')).total).toBe(0);
  });

  it('takes bids from social organizations only, within the budget, a new bid replacing the earlier', async () => {
    const before = await count('service_bid');
    expectProblem(await call('social-member', 'POST', `/api/service-tasks/${task.id}/bids`, { amount: 60_000, proposal: '超预算' }), 400);
    expectProblem(await call('social-member', 'POST', `/api/service-tasks/${task.id}/bids`, { amount: 0, proposal: 'x' }), 400);
    expectProblem(await call('social-member', 'POST', `/api/service-tasks/${task.id}/bids`, { amount: 1000 }), 400);
    expectProblem(await call('operator-a', 'POST', `/api/service-tasks/${task.id}/bids`, { amount: 1000, proposal: '政府部门不投标' }), 403);
    expectProblem(await call('viewer', 'POST', `/api/service-tasks/${task.id}/bids`, { amount: 1000, proposal: 'x' }), 403);
    expect(await count('service_bid')).toBe(before);
    ok<Bid>(await call('social-member', 'POST', `/api/service-tasks/${task.id}/bids`, { amount: 48_000, proposal: '组建 6 人探访队' }), 201);
    const again = ok<Bid>(await call('social-member', 'POST', `/api/service-tasks/${task.id}/bids`, { amount: 45_000, proposal: '组建 6 人探访队，含心理疏导' }), 201);
    expect(again).toMatchObject({ amount: 45_000, status: 'submitted', organizationId: socialOrg.id });
    expect(ok<Bid[]>(await get('dispatcher', `/api/service-tasks/${task.id}/bids`))).toHaveLength(1);
    expect(ok<Page<MarketItem>>(await get('social-member', '/api/service-tasks')).items[0]?.myBid).toMatchObject({ amount: 45_000 });
  });

  it('is awarded: the task passes to the organization at its bid', async () => {
    const [bid] = ok<Bid[]>(await get('dispatcher', `/api/service-tasks/${task.id}/bids`));
    expectProblem(await call('operator-b', 'POST', `/api/service-tasks/${task.id}/award`, { bidId: bid?.id }), 403);
    expectProblem(await call('dispatcher', 'POST', `/api/service-tasks/${task.id}/award`, { bidId: '00000000-0000-4000-8000-000000000000' }), 400);
    task = ok<TaskDetail>(await call('dispatcher', 'POST', `/api/service-tasks/${task.id}/award`, { bidId: bid?.id, note: '价格合理、方案完整' }));
    expect(task).toMatchObject({ organizationId: socialOrg.id, status: 'assigned', service: { offerStatus: 'awarded', awardedAmount: 45_000 } });
    expectProblem(await call('dispatcher', 'POST', `/api/service-tasks/${task.id}/award`, { bidId: bid?.id }), 409, 'offer-closed');
    expectProblem(await call('social-member', 'POST', `/api/service-tasks/${task.id}/bids`, { amount: 40_000, proposal: '再降价' }), 409, 'offer-closed');
    expect(ok<Page<Task>>(await get('social-member', '/api/tasks')).items.map((t) => t.id)).toContain(task.id);
  });

  it('is delivered with a file as evidence', async () => {
    ok(await act('social-member', task.id, { action: 'accept' }));
    ok(await act('social-member', task.id, { action: 'start' }));
    const content = '%PDF-1.4\n探访记录 2026-11\n';
    const up = await p.call('POST', `/api/tasks/${task.id}/evidence?name=${encodeURIComponent('探访记录.pdf')}`, { as: await p.login('social-member'), body: content, headers: { 'content-type': 'application/pdf' } });
    const withFile = ok<TaskDetail>(up, 201);
    const evidence = withFile.evidence.find((e) => e.kind === 'file');
    expect(evidence?.file).toMatchObject({ name: '探访记录.pdf', mediaType: 'application/pdf' });
    const down = await p.call('GET', `/api/tasks/${task.id}/evidence/${evidence?.id}/file`, { as: await p.login('dispatcher') });
    expect(down.status).toBe(200);
    expect(down.text).toBe(content);
    expect(evidence?.file?.size).toBe(Buffer.byteLength(content));
    expect(String(down.headers['content-type'])).toContain('application/pdf');
    expect(String(down.headers['content-disposition'])).toContain(encodeURIComponent('探访记录.pdf'));
    expectProblem(await p.call('GET', `/api/tasks/${task.id}/evidence/${evidence?.id}/file`, { as: await p.login('operator-b') }), 404);
    expectProblem(await p.call('POST', `/api/tasks/${task.id}/evidence?name=x.bin`, { as: await p.login('operator-b'), body: 'abc', headers: { 'content-type': 'application/octet-stream' } }), 404);
    expectProblem(await p.call('POST', `/api/tasks/${task.id}/evidence?name=a/b`, { as: await p.login('social-member'), body: 'abc', headers: { 'content-type': 'text/plain' } }), 400);
    expectProblem(await p.call('POST', `/api/tasks/${task.id}/evidence`, { as: await p.login('social-member'), body: 'abc', headers: { 'content-type': 'text/plain' } }), 400);
    expect((await p.call('POST', `/api/tasks/${task.id}/evidence?name=big.bin`, { as: await p.login('social-member'), body: 'x'.repeat(10 * 1024 * 1024 + 1), headers: { 'content-type': 'application/octet-stream' } })).status).toBe(413);
    ok(await act('social-member', task.id, { action: 'submit', note: '11 月服务完成' }));
  });

  it('is accepted against every criterion of its standard, then paid at most the awarded amount', async () => {
    expectProblem(await act('dispatcher', task.id, { action: 'approve' }), 400);
    expectProblem(await act('dispatcher', task.id, { action: 'approve', criteria: [{ criterion: '探访覆盖全部独居老人', met: true }, { criterion: '记录完整可追溯', met: false }] }), 400);
    const done = ok<TaskDetail>(await act('dispatcher', task.id, { action: 'approve', criteria: [{ criterion: '探访覆盖全部独居老人', met: true }, { criterion: '记录完整可追溯', met: true, note: '抽查 10 户' }] }));
    expect(done).toMatchObject({ status: 'done', service: { paymentStatus: 'unpaid' } });
    expect(done.history.at(-1)?.details).toMatchObject({ acceptance: [{ criterion: '探访覆盖全部独居老人', met: true }, { criterion: '记录完整可追溯', met: true, note: '抽查 10 户' }] });
    expect(done.actions).toContain('pay');
    expectProblem(await act('social-member', task.id, { action: 'pay', amount: 45_000 }), 403);
    expectProblem(await act('dispatcher', task.id, { action: 'pay', amount: 50_000 }), 400);
    const paid = ok<TaskDetail>(await act('dispatcher', task.id, { action: 'pay', amount: 45_000, note: '财政直接支付' }));
    expect(paid.service).toMatchObject({ paymentStatus: 'paid', paidAmount: 45_000 });
    expect(paid.actions).not.toContain('pay');
    expectProblem(await act('dispatcher', task.id, { action: 'pay', amount: 1 }), 409, 'not-payable');
  });

  it('lets a bidder withdraw its bid, and the publisher withdraw an offer not yet awarded', async () => {
    const q = socialOrg.qualifications[0] as string;
    const other = ok<TaskDetail>(await call('dispatcher', 'POST', '/api/service-tasks', offer(q, { title: '社区助餐服务' })), 201);
    ok<Bid>(await call('social-member', 'POST', `/api/service-tasks/${other.id}/bids`, { amount: 30_000, proposal: '中央厨房配送' }), 201);
    const withdrawn = ok<Bid>(await call('social-member', 'POST', `/api/service-tasks/${other.id}/bids/withdraw`));
    expect(withdrawn.status).toBe('withdrawn');
    expectProblem(await call('social-member', 'POST', `/api/service-tasks/${other.id}/bids/withdraw`), 409, 'bid-not-submitted');
    expectProblem(await call('operator-a', 'POST', `/api/service-tasks/${other.id}/bids/withdraw`), 403);
    const mine = ok<Page<MarketItem>>(await get('social-member', '/api/service-tasks')).items.find((m) => m.id === other.id);
    expect(mine).toMatchObject({ bidCount: 0, myBid: { status: 'withdrawn' } });
    // a withdrawn bid cannot be awarded; the bidder may bid again while the offer is open
    const [gone] = ok<Bid[]>(await get('dispatcher', `/api/service-tasks/${other.id}/bids`));
    expectProblem(await call('dispatcher', 'POST', `/api/service-tasks/${other.id}/award`, { bidId: gone?.id }), 400);
    ok<Bid>(await call('social-member', 'POST', `/api/service-tasks/${other.id}/bids`, { amount: 29_000, proposal: '中央厨房配送，含送餐上门' }), 201);
    expectProblem(await call('dispatcher', 'POST', `/api/service-tasks/${other.id}/withdraw`, {}), 400);
    expectProblem(await call('operator-b', 'POST', `/api/service-tasks/${other.id}/withdraw`, { note: '预算调整' }), 403);
    const cancelled = ok<TaskDetail>(await call('dispatcher', 'POST', `/api/service-tasks/${other.id}/withdraw`, { note: '预算调整，暂停采购' }));
    expect(cancelled).toMatchObject({ status: 'cancelled', service: { offerStatus: 'withdrawn' } });
    expect(ok<Bid[]>(await get('dispatcher', `/api/service-tasks/${other.id}/bids`)).map((b) => b.status)).toEqual(['rejected']);
    expectProblem(await call('social-member', 'POST', `/api/service-tasks/${other.id}/bids`, { amount: 1, proposal: 'x' }), 409, 'offer-closed');
    expectProblem(await call('dispatcher', 'POST', `/api/service-tasks/${other.id}/withdraw`, { note: 'again' }), 409, 'offer-closed');
    // an awarded task is not withdrawn (cancel it as a task instead)
    expectProblem(await call('dispatcher', 'POST', `/api/service-tasks/${task.id}/withdraw`, { note: 'x' }), 409, 'offer-closed');
  });

  it('refuses service tasks that cannot be published, writing nothing', async () => {
    const before = await count('task');
    const bad = async (body: unknown, status = 400, who = 'dispatcher') => expectProblem(await call(who, 'POST', '/api/service-tasks', body), status);
    const q = socialOrg.qualifications[0] as string;
    await bad(offer(q, { bidDeadline: inDays(-1) }));
    await bad(offer(q, { deadline: inDays(2) }));
    await bad(offer(q, { budget: -5 }));
    await bad(offer(q, { standard: { deliverables: [], acceptanceCriteria: ['x'] } }));
    await bad(offer(q, { regionCode: '990000000999' }));
    await bad(offer(q, { publisherOrganizationId: socialOrg.id }));
    await bad(offer(q, { colour: 'red' }));
    await bad(offer(q), 403, 'operator-a');
    await bad(offer(q), 403, 'social-member');
    await bad(offer(q, { regionCode: p.account('operator-b').scope }), 403);
    expect(await count('task')).toBe(before);
  });
});

describe('reminders', () => {
  it('remind once of open tasks due soon', async () => {
    const orgs = ok<Page<Organization>>(await get('sysadmin', `/api/organizations?regionCode=${countyA}&limit=1000`)).items;
    const water = orgs.find((o) => o.regionCode === countyA && o.departmentType === 'water-resources') as Organization;
    const soon = ok<TaskDetail>(await call('dispatcher', 'POST', '/api/tasks', { title: '汛前堤防巡查', regionCode: countyA, organizationId: water.id, deadline: new Date(Date.now() + 5 * 3_600_000).toISOString() }), 201);
    const later = ok<TaskDetail>(await call('dispatcher', 'POST', '/api/tasks', { title: '年度演练计划', regionCode: countyA, organizationId: water.id, deadline: inDays(20) }), 201);
    const first = await sweepReminders(p.deps, { withinHours: 24 });
    expect(first.ids).toContain(soon.id);
    expect(first.ids).not.toContain(later.id);
    expect(ok<TaskDetail>(await get('dispatcher', `/api/tasks/${soon.id}`)).history.map((h) => h.action)).toEqual(['created', 'reminded']);
    expect((await sweepReminders(p.deps, { withinHours: 24 })).ids).not.toContain(soon.id);
  });
});
