// SPDX-License-Identifier: Apache-2.0
// 政策、服务市场 in the browser: the province admin issues a policy with three clauses, sets three goals and
// decomposes one into township tasks; one is given to a social organization, whose member sees only its own
// tasks and the market; a city department publishes a service task, the member bids, the department awards,
// the member accepts, starts, uploads a file and submits, the department accepts it criterion by criterion
// and pays; the policy's five linkages draw the graph with the social organization among those doing it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodAt } from '../../contracts/indicator-periods.ts';
import type { Organization } from '../../contracts/identity.ts';
import type { Goal, Linkage } from '../../contracts/policies.ts';
import type { Region } from '../../contracts/regions.ts';
import type { Task, TaskDetail } from '../../contracts/tasks.ts';
import { seedDemoResources } from '../../server/modules/dispatch/index.ts';
import { systemContext } from '../../server/platform/context.ts';
import { type ConsoleSession, startConsoleSession, UI_TIMEOUT } from '../helpers/console-server.ts';
import { dialogSettled, idle, ink, input, settled, submitModal } from '../helpers/ui.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = path.join(ROOT, 'test-results', 'e2e');
const CODE = 'YZ-2026-11';
const month = periodAt('month', new Date());

let session: ConsoleSession;
let countyA: Region;
let countyB: Region;
let socialOrg: Organization;
let serviceTaskId: string;
let reassignedId: string;

function account(username: string): { username: string; password: string; scope: string | null } {
  const a = session.server.accounts.find((x) => x.username === username);
  if (!a) throw new Error(`no demo account ${username}`);
  return a;
}

/** Calls the API as `username` (signed in with its own cookie). */
async function apiAs(username: string) {
  const base = session.server.baseUrl;
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: account(username).password }) });
  if (!login.ok) throw new Error(`login ${username}: ${login.status}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}${url}`, { method, headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
}

async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, name), fullPage });
}

/** Picks a region in a region picker by typing part of its name. */
async function pickRegion(page: Page, picker: Locator, region: Region): Promise<void> {
  await picker.click();
  await picker.locator('input').fill(region.name);
  await page.locator(`.ant-select-dropdown:visible [data-testid=region-option][data-code="${region.code}"]`).click();
  await expect.poll(() => page.locator('.ant-select-dropdown:visible').count(), { timeout: UI_TIMEOUT }).toBe(0);
}

/** Opens the select marked `testId` under `scope` and picks the option with `text` (or matching `option`). */
async function pick(page: Page, scope: Page | Locator, testId: string, option: { text?: string; css?: string }): Promise<void> {
  await scope.getByTestId(testId).click();
  const dropdown = page.locator('.ant-select-dropdown:visible');
  await (option.css ? dropdown.locator(option.css) : dropdown.locator('.ant-select-item-option', { hasText: option.text ?? '' })).first().click();
  await expect.poll(() => page.locator('.ant-select-dropdown:visible').count(), { timeout: UI_TIMEOUT }).toBe(0);
}

/** Opens the task drawer's action `a` and waits for its dialog. */
async function startAction(page: Page, drawer: Locator, a: string): Promise<Locator> {
  await drawer.getByTestId(`task-action-${a}`).click();
  return dialogSettled(page);
}

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  session = await startConsoleSession();
  const deps = session.server.deps;
  await seedDemoResources(deps, systemContext('test'), { seed: 5 });
  const admin = await apiAs('province-admin');
  countyA = await admin<Region>('GET', `/api/regions/${account('operator-a').scope as string}`);
  countyB = await admin<Region>('GET', `/api/regions/${account('operator-b').scope as string}`);
  const owner = (await deps.db.pool.query<{ id: string }>("SELECT id FROM organization WHERE region_code = '990000000000' AND department_type = 'government-office'")).rows[0]?.id as string;
  // two indicators the goals are set on: the share of goal tasks done, and a reported check-up coverage
  await admin('POST', '/api/indicators', {
    code: 'policy.grid-done', name: '网格化排查任务完成率', unit: '%', ownerOrganizationId: owner, alertLevels: ['county'],
    numerator: { kind: 'tasks', measure: 'done', periodBy: 'created', source: 'goal' }, denominator: { kind: 'tasks', measure: 'created', periodBy: 'created', source: 'goal' }, factor: 100,
  });
  await admin('POST', '/api/indicators', {
    code: 'policy.checkup', name: '老年人健康体检覆盖率', unit: '%', ownerOrganizationId: owner,
    numerator: { kind: 'reported' }, denominator: { kind: 'reported' }, factor: 100,
  });
  const member = await apiAs('social-member');
  const me = await member<{ organizationId: string }>('GET', '/api/auth/me');
  socialOrg = await member<Organization>('GET', `/api/organizations/${me.organizationId}`);
}, 180_000);
afterAll(async () => {
  await session?.close();
});

describe('policies, goals and the five linkages; the service market', () => {
  it('lets the province admin issue a policy with three clauses, set three goals and decompose one into township tasks', async () => {
    const { page, errors } = await session.openPage();
    await session.signIn(page, account('province-admin'));
    await page.getByTestId('nav-policies').click();
    await page.getByTestId('policy-empty').waitFor();

    // issue the policy: three clauses in rows added one by one
    await page.getByTestId('policy-create').click();
    const form = page.getByTestId('policy-form');
    await input(form, 'policy-form-code').fill(CODE);
    await input(form, 'policy-form-title').fill('关于推进网格化排查和医养结合的实施意见');
    await input(form, 'policy-form-summary').fill('以网格化排查摸清底数，以医养结合提升老年人健康服务水平。');
    await form.getByTestId('policy-form-clause-add').click();
    await form.getByTestId('policy-form-clause-add').click();
    const rows = form.getByTestId('policy-form-clause');
    await expect.poll(() => rows.count()).toBe(3);
    // the numbers are offered in order
    expect(await form.locator('input[data-testid=policy-form-clause-number]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).toEqual(['第一条', '第二条', '第三条']);
    const texts = [
      '各县组织乡镇对辖区开展网格化排查，年内完成率达到百分之百。',
      '65 岁以上老年人健康体检覆盖率不低于百分之八十。',
      '乙县参照甲县做法同步推进网格化排查。',
    ];
    for (const [i, text] of texts.entries()) await rows.nth(i).locator('textarea[data-testid=policy-form-clause-text]').fill(text);
    // a clause without text is refused before anything is sent
    await input(rows.nth(2), 'policy-form-clause-text').fill('');
    await form.getByTestId('policy-form-submit').click();
    await expect.poll(() => form.getByText('请填写条款内容').count()).toBe(1);
    await input(rows.nth(2), 'policy-form-clause-text').fill(texts[2] as string);
    await form.getByTestId('policy-form-submit').click();
    await expect.poll(() => page.url(), { timeout: UI_TIMEOUT }).toContain(`#/policies/${CODE}`);
    await expect.poll(() => page.getByTestId('policy-title').innerText()).toBe('关于推进网格化排查和医养结合的实施意见');
    await expect.poll(() => page.getByTestId('policy-clause').evaluateAll((els) => els.map((e) => e.getAttribute('data-number')))).toEqual(['第一条', '第二条', '第三条']);
    expect(await page.getByTestId('clause-no-goals').count()).toBe(3);

    // three goals, each set from its clause
    const goals: Array<[string, string, Region, number, string]> = [
      ['第一条', 'policy.grid-done', countyA, 100, '甲县网格化排查全部完成'],
      ['第二条', 'policy.checkup', countyA, 80, '甲县老年人体检覆盖率达到 80%'],
      ['第三条', 'policy.grid-done', countyB, 100, '乙县网格化排查全部完成'],
    ];
    for (const [clause, indicator, region, target, title] of goals) {
      await page.locator(`[data-testid=policy-clause][data-number="${clause}"] [data-testid=clause-goal-create]`).click();
      const dialog = await dialogSettled(page);
      expect(await dialog.getByTestId('goal-form-clause').innerText()).toContain(clause);
      await pick(page, dialog, 'goal-form-indicator', { css: `[data-testid=goal-form-indicator-option][data-code="${indicator}"]` });
      await expect.poll(() => dialog.getByTestId('goal-form-period').innerText()).toBe(month);
      await pickRegion(page, dialog.getByTestId('goal-form-region'), region);
      await input(dialog, 'goal-form-target').fill(String(target));
      await input(dialog, 'goal-form-title').fill(title);
      await submitModal(page);
      await page.locator(`[data-testid=policy-clause][data-number="${clause}"] [data-testid=goal-title]`, { hasText: title }).waitFor();
    }
    expect(await page.getByTestId('goal-row').count()).toBe(3);
    // a second goal on the same target is refused with the server's reason
    await page.locator('[data-testid=policy-clause][data-number="第三条"] [data-testid=clause-goal-create]').click();
    let dialog = await dialogSettled(page);
    await pick(page, dialog, 'goal-form-indicator', { css: '[data-testid=goal-form-indicator-option][data-code="policy.grid-done"]' });
    await pickRegion(page, dialog.getByTestId('goal-form-region'), countyB);
    await input(dialog, 'goal-form-target').fill('90');
    await input(dialog, 'goal-form-title').fill('重复的目标');
    await dialog.locator('.ant-modal-footer .ant-btn-primary').click();
    await expect.poll(() => dialog.getByTestId('error-alert').innerText(), { timeout: UI_TIMEOUT }).toContain('与现有数据冲突');
    await dialog.locator('.ant-modal-footer .ant-btn', { hasText: '取' }).click();
    await expect.poll(() => page.locator('.ant-modal-wrap:visible').count()).toBe(0);

    // the first goal decomposed into the county's task and one per township, for the emergency departments
    const first = page.locator('[data-testid=goal-row]', { hasText: '甲县网格化排查全部完成' });
    await first.getByTestId('goal-decompose').click();
    dialog = await dialogSettled(page);
    expect(await input(dialog, 'decompose-title').inputValue()).toBe('甲县网格化排查全部完成');
    await input(dialog, 'decompose-title').fill('网格化排查');
    await pick(page, dialog, 'decompose-department', { text: '应急管理' });
    expect(await dialog.locator('.ant-checkbox-wrapper-checked [data-testid=decompose-level-option]').evaluateAll((els) => els.map((e) => e.getAttribute('data-level')))).toEqual(['township']);
    await input(dialog, 'decompose-evidence').fill('排查记录');
    await dialog.getByTestId('decompose-submit').click();
    const result = dialog.getByTestId('decompose-result');
    await result.waitFor({ timeout: UI_TIMEOUT });
    const created = Number(await result.getAttribute('data-created'));
    expect(created).toBeGreaterThan(2);
    expect(await dialog.locator('[data-testid=decompose-level][data-level=county]').innerText()).toBe('1 项任务');
    expect(await dialog.locator('[data-testid=decompose-level][data-level=township]').innerText()).toBe(`${created - 1} 项任务`);
    await shot(page, 'policy-decompose.png');
    await dialog.getByTestId('decompose-close').click();
    await expect.poll(() => first.getByTestId('goal-progress').getAttribute('data-total'), { timeout: UI_TIMEOUT }).toBe(String(created));

    // the indicators are computed (no township task done yet) and the villages report check-ups
    const admin = await apiAs('province-admin');
    const goalsNow = await admin<Goal[]>('GET', `/api/policies/${CODE}/goals`);
    const grid = goalsNow.find((g) => g.title === '甲县网格化排查全部完成') as Goal;
    const villages = (await session.server.deps.db.pool.query<{ code: string }>(`SELECT code FROM region WHERE level = 'village' AND valid_to IS NULL AND code LIKE $1 ORDER BY code LIMIT 3`, [`${countyA.code.slice(0, 6)}%`])).rows.map((r) => r.code);
    await (await apiAs('operator-a'))('POST', '/api/indicators/policy.checkup/reports', {
      items: villages.flatMap((v, i) => [{ regionCode: v, period: month, value: 85 + 5 * i }, { regionCode: v, period: month, component: 'denominator', value: 100 }]),
    });
    await admin('POST', '/api/indicators/policy.grid-done/compute', {});
    await admin('POST', '/api/indicators/policy.checkup/compute', {});
    // one township's task is given to the social organization
    const tasks = await admin<{ items: Task[] }>('GET', `/api/tasks?goalId=${grid.id}&limit=100&sort=created`);
    const township = tasks.items.find((x) => x.parentId !== null) as Task;
    await admin('POST', `/api/tasks/${township.id}/actions`, { action: 'reassign', organizationId: socialOrg.id, note: '委托社会组织协助排查' });
    reassignedId = township.id;

    await page.reload();
    await expect.poll(() => page.locator('[data-testid=goal-row]', { hasText: '甲县老年人体检' }).getByTestId('goal-standing').getAttribute('data-standing'), { timeout: UI_TIMEOUT }).toBe('onTarget');
    expect(await first.getByTestId('goal-standing').getAttribute('data-standing')).toBe('behind');
    expect(await page.locator('[data-testid=goal-row]', { hasText: '乙县' }).getByTestId('goal-standing').getAttribute('data-standing')).toBe('none');
    expect(await first.getByTestId('goal-current').innerText()).toBe('0%');
    await settled(page, '[data-testid=policy-clauses]');
    await shot(page, 'policy-page.png', true);

    // the list: found by its number, not by another; the status filter
    await page.getByTestId('policy-back').click();
    const row = page.locator(`[data-testid=policy-row][data-code="${CODE}"]`);
    await row.waitFor();
    expect(await row.getByTestId('policy-counts').innerText()).toBe(`3 条 · 3 个目标 · ${created} 项任务`);
    await page.locator('[data-testid=policy-search] input').fill('2026-11');
    await expect.poll(() => page.getByTestId('policy-row').count(), { timeout: UI_TIMEOUT }).toBe(1);
    await page.locator('[data-testid=policy-search] input').fill('没有这个政策');
    await page.getByTestId('policy-empty').waitFor();
    await page.locator('[data-testid=policy-search] input').fill('');
    await pick(page, page, 'policy-filter-status', { text: '已失效' });
    await page.getByTestId('policy-empty').waitFor();
    await pick(page, page, 'policy-filter-status', { text: '施行中' });
    await row.waitFor();
    await settled(page, '[data-testid=policy-table]');
    await shot(page, 'policy-list.png');
    expect(errors).toEqual([]);
  });

  it('shows the social organization’s member only its own tasks and the market', async () => {
    const { page, errors } = await session.openPage();
    await session.signIn(page, account('social-member'));
    await page.getByTestId('nav-service-market').waitFor();
    expect(await page.getByTestId('nav-policies').count()).toBe(0);
    await page.getByTestId('nav-tasks').click();
    const links = page.getByTestId('task-table').getByTestId('task-link');
    await expect.poll(() => links.evaluateAll((els) => els.map((e) => e.getAttribute('data-id'))), { timeout: UI_TIMEOUT }).toEqual([reassignedId]);
    await page.getByTestId('tasks-all').click();
    await expect.poll(() => links.evaluateAll((els) => els.map((e) => e.getAttribute('data-id'))), { timeout: UI_TIMEOUT }).toEqual([reassignedId]);
    // its drawer names no policy the member may not read
    await links.first().click();
    const drawer = page.getByTestId('task-drawer');
    await expect.poll(() => drawer.getByTestId('task-drawer-title').innerText(), { timeout: UI_TIMEOUT }).toContain('网格化排查');
    expect(await drawer.getByTestId('task-policy-link').count()).toBe(0);
    await page.goto(`${session.server.baseUrl}/#/policies`);
    await page.getByTestId('forbidden').waitFor();
    await page.getByTestId('nav-service-market').click();
    await page.getByTestId('market-empty').waitFor();
    expect(await page.getByTestId('market-empty').innerText()).toBe('暂无本组织可以投标的服务任务');
    expect(await page.getByTestId('market-publish').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('lets a department publish a service task, the member bid on it and the department award the bid', async () => {
    const dept = await session.openPage();
    await session.signIn(dept.page, account('dispatcher'));
    await dept.page.getByTestId('nav-service-market').click();
    await dept.page.getByTestId('market-empty').waitFor();
    await dept.page.getByTestId('market-publish').click();
    const form = dept.page.getByTestId('publish-form');
    await input(form, 'publish-form-title').fill('社区独居老人探访服务');
    await input(form, 'publish-form-description').fill('每周上门探访独居老人，记录健康状况并及时报告异常。');
    await pickRegion(dept.page, form.getByTestId('publish-form-region'), countyA);
    await input(form, 'publish-form-budget').fill('50000');
    await input(form, 'publish-form-deliverables-item').fill('每周探访记录');
    await form.getByTestId('publish-form-deliverables-add').click();
    await form.locator('input[data-testid=publish-form-deliverables-item]').nth(1).fill('月度服务报告');
    await input(form, 'publish-form-criteria-item').fill('探访覆盖全部独居老人');
    await form.getByTestId('publish-form-criteria-add').click();
    await form.locator('input[data-testid=publish-form-criteria-item]').nth(1).fill('记录完整可追溯');
    const qualification = socialOrg.qualifications[0] as string;
    await form.getByTestId('publish-form-qualifications').click();
    await form.getByTestId('publish-form-qualifications').locator('input').fill(qualification);
    await form.getByTestId('publish-form-qualifications').locator('input').press('Enter');
    await input(form, 'publish-form-evidence').fill('探访记录');
    await shot(dept.page, 'service-publish.png');
    await form.getByTestId('publish-form-submit').click();
    const row = dept.page.getByTestId('market-row').first();
    await expect.poll(() => dept.page.getByTestId('market-row').count(), { timeout: UI_TIMEOUT }).toBe(1);
    serviceTaskId = (await row.getAttribute('data-id')) as string;
    expect(await row.getByTestId('market-budget').getAttribute('data-amount')).toBe('50000');
    expect(await row.getByTestId('market-bid-count').getAttribute('data-count')).toBe('0');
    expect(await row.getByTestId('standard-criteria').innerText()).toContain('记录完整可追溯');
    expect(await row.getByTestId('market-qualifications').innerText()).toContain(qualification);

    // the member sees the offer and bids — over the budget first, which is refused before sending
    const member = await session.openPage();
    await session.signIn(member.page, account('social-member'));
    await member.page.getByTestId('nav-service-market').click();
    const offer = member.page.locator(`[data-testid=market-row][data-id="${serviceTaskId}"]`);
    await offer.waitFor();
    expect(await offer.getByTestId('market-my-bid').innerText()).toContain('尚未投标');
    await offer.getByTestId('market-bid').click();
    let dialog = await dialogSettled(member.page);
    await input(dialog, 'bid-amount').fill('60000');
    await input(dialog, 'bid-proposal').fill('组建 6 人探访队，每周上门一次，配备血压计和随访记录表。');
    await dialog.locator('.ant-modal-footer .ant-btn-primary').click();
    await expect.poll(() => dialog.getByText('报价须大于 0 且不超过预算 50,000 元').count()).toBe(1);
    await input(dialog, 'bid-amount').fill('45000');
    await submitModal(member.page);
    await expect.poll(() => offer.getByTestId('market-my-bid').getAttribute('data-amount'), { timeout: UI_TIMEOUT }).toBe('45000');
    expect(await offer.getByTestId('bid-status').innerText()).toBe('已投标');
    await settled(member.page, '[data-testid=market-table]');
    await expect.poll(() => member.page.locator('.ant-message-notice').count(), { timeout: UI_TIMEOUT }).toBe(0);
    await shot(member.page, 'service-market.png');

    // the department sees the bid and awards it
    await dept.page.reload();
    const deptRow = dept.page.locator(`[data-testid=market-row][data-id="${serviceTaskId}"]`);
    await expect.poll(() => deptRow.getByTestId('market-bid-count').getAttribute('data-count'), { timeout: UI_TIMEOUT }).toBe('1');
    await deptRow.getByTestId('market-bid-count').click();
    const bids = dept.page.locator(`[data-testid=bids][data-task="${serviceTaskId}"]`);
    await bids.getByTestId('bid-row').first().waitFor();
    expect(await bids.getByTestId('bid-org').innerText()).toBe(socialOrg.name);
    expect(await bids.getByTestId('bid-amount-value').getAttribute('data-amount')).toBe('45000');
    await settled(dept.page, '[data-testid=market-table]');
    await dept.page.mouse.move(0, 0);
    await expect.poll(() => dept.page.locator('.ant-tooltip:visible').count()).toBe(0);
    await shot(dept.page, 'service-bids.png');
    await bids.getByTestId('bid-award').click();
    dialog = await dialogSettled(dept.page);
    expect(await dialog.innerText()).toContain(socialOrg.name);
    await input(dialog, 'award-note').fill('价格合理、方案完整');
    await submitModal(dept.page);
    await dept.page.getByTestId('market-empty').waitFor({ timeout: UI_TIMEOUT });
    await dept.page.getByTestId('market-offer-awarded').click();
    await expect.poll(() => deptRow.getAttribute('data-offer'), { timeout: UI_TIMEOUT }).toBe('awarded');
    expect(await deptRow.getByTestId('market-awarded').innerText()).toContain(socialOrg.name);
    expect(dept.errors).toEqual([]);
    expect(member.errors).toEqual([]);
  });

  it('lets the member deliver with a file, and the department accept it criterion by criterion and pay', async () => {
    const member = await session.openPage();
    await session.signIn(member.page, account('social-member'));
    await member.page.getByTestId('nav-tasks').click();
    const links = member.page.getByTestId('task-table').getByTestId('task-link');
    await expect.poll(() => links.evaluateAll((els) => els.map((e) => e.getAttribute('data-id')).sort()), { timeout: UI_TIMEOUT }).toEqual([reassignedId, serviceTaskId].sort());
    await member.page.locator(`[data-testid=task-link][data-id="${serviceTaskId}"]`).click();
    const drawer = member.page.getByTestId('task-drawer');
    await expect.poll(() => drawer.getByTestId('task-drawer-title').innerText(), { timeout: UI_TIMEOUT }).toBe('社区独居老人探访服务');
    expect(await drawer.getByTestId('task-service').getAttribute('data-offer')).toBe('awarded');
    expect(await drawer.getByTestId('task-service-awarded').getAttribute('data-amount')).toBe('45000');
    await startAction(member.page, drawer, 'accept');
    await submitModal(member.page);
    await expect.poll(() => drawer.getByTestId('task-status').first().getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('accepted');
    await startAction(member.page, drawer, 'start');
    await submitModal(member.page);
    await expect.poll(() => drawer.getByTestId('task-status').first().getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('in_progress');

    // files as evidence: one too large and one empty are refused with their reasons, the record is kept
    const file = drawer.locator('[data-testid=task-evidence-upload] input[type=file]');
    await file.setInputFiles({ name: 'big.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(10 * 1024 * 1024 + 1) });
    await expect.poll(() => drawer.getByTestId('task-upload-error').innerText(), { timeout: UI_TIMEOUT }).toContain('文件超过 10 MB 上限');
    await file.setInputFiles({ name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) });
    await expect.poll(() => drawer.getByTestId('task-upload-error').innerText(), { timeout: UI_TIMEOUT }).toContain('the file is empty');
    await drawer.getByTestId('task-upload-error').scrollIntoViewIfNeeded();
    await shot(member.page, 'task-upload-error.png');
    const content = '%PDF-1.4\n探访记录 独居老人 12 户\n';
    await file.setInputFiles({ name: '探访记录.pdf', mimeType: 'application/pdf', buffer: Buffer.from(content) });
    const kept = drawer.getByTestId('task-evidence-file');
    await expect.poll(() => kept.getAttribute('data-name'), { timeout: UI_TIMEOUT }).toBe('探访记录.pdf');
    expect(await drawer.getByTestId('task-upload-error').count()).toBe(0);
    const href = (await kept.getAttribute('href')) as string;
    const down = await member.page.request.get(`${session.server.baseUrl}${href}`);
    expect(down.status()).toBe(200);
    expect(await down.text()).toBe(content);
    const submit = await startAction(member.page, drawer, 'submit');
    expect(await submit.innerText()).toContain('已上传 1 个文件作为佐证');
    await input(submit, 'task-action-note').fill('11 月探访服务完成');
    await submitModal(member.page);
    await expect.poll(() => drawer.getByTestId('task-status').first().getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('submitted');
    expect(member.errors).toEqual([]);

    // the department accepts against each criterion: not before both are ticked
    const dept = await session.openPage();
    await session.signIn(dept.page, account('dispatcher'));
    await dept.page.goto(`${session.server.baseUrl}/#/service-market/${serviceTaskId}`);
    const deptDrawer = dept.page.getByTestId('task-drawer');
    await expect.poll(() => deptDrawer.getByTestId('task-drawer-title').innerText(), { timeout: UI_TIMEOUT }).toBe('社区独居老人探访服务');
    const approve = await startAction(dept.page, deptDrawer, 'approve');
    const criteria = approve.getByTestId('task-criterion');
    expect(await criteria.allInnerTexts()).toEqual(['探访覆盖全部独居老人', '记录完整可追溯']);
    const ok = approve.locator('.ant-modal-footer .ant-btn-primary');
    expect(await ok.isDisabled()).toBe(true);
    await criteria.nth(0).locator('.ant-checkbox-wrapper').click();
    await expect.poll(() => approve.getByTestId('task-criteria-unmet').innerText()).toContain('还有 1 项验收标准未勾选达标');
    expect(await approve.getByTestId('task-criteria-return').count()).toBe(1);
    await shot(dept.page, 'service-approve.png');
    expect(await ok.isDisabled()).toBe(true);
    await criteria.nth(1).locator('.ant-checkbox-wrapper').click();
    await input(criteria.nth(1), 'task-criterion-note').fill('抽查 10 户记录完整');
    await expect.poll(() => ok.isDisabled()).toBe(false);
    await submitModal(dept.page);
    await expect.poll(() => deptDrawer.getByTestId('task-status').first().getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('done');
    expect(await deptDrawer.getByTestId('task-payment').getAttribute('data-status')).toBe('unpaid');
    expect(await deptDrawer.locator('[data-testid=task-history-entry][data-action=approve]').innerText()).toContain('2 项验收标准全部达标');

    // and pays: at most the awarded amount, which it offers
    const pay = await startAction(dept.page, deptDrawer, 'pay');
    expect(await input(pay, 'task-pay-amount').inputValue()).toBe('45000.00');
    await input(pay, 'task-pay-amount').fill('50000');
    await pay.locator('.ant-modal-footer .ant-btn-primary').click();
    await expect.poll(() => pay.getByText('付款金额须大于 0 且不超过中标金额 45,000 元').count()).toBe(1);
    await input(pay, 'task-pay-amount').fill('45000');
    await input(pay, 'task-action-note').fill('财政直接支付');
    await submitModal(dept.page);
    await expect.poll(() => deptDrawer.getByTestId('task-payment').getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('paid');
    expect(await deptDrawer.getByTestId('task-paid-amount').getAttribute('data-amount')).toBe('45000');
    expect(await deptDrawer.locator('[data-testid=task-history-entry][data-action=pay]').innerText()).toContain('付款 45,000 元');
    expect(await deptDrawer.getByTestId('task-upload-error').count()).toBe(0);
    // closed: no more files
    expect(await deptDrawer.getByTestId('task-evidence-upload').count()).toBe(0);
    const task = await (await apiAs('dispatcher'))<TaskDetail>('GET', `/api/tasks/${serviceTaskId}`);
    expect(task.service).toMatchObject({ paymentStatus: 'paid', paidAmount: 45_000 });
    // for the picture: the confirmations have faded
    await expect.poll(() => dept.page.locator('.ant-message-notice').count(), { timeout: UI_TIMEOUT }).toBe(0);
    await shot(dept.page, 'task-drawer-service.png');
    expect(dept.errors).toEqual([]);
  });

  it('draws the policy’s five linkages with the social organization, and leads from a task back to its policy', async () => {
    const { page, errors } = await session.openPage();
    await session.signIn(page, account('province-admin'));
    await page.goto(`${session.server.baseUrl}/#/policies/${CODE}`);
    await page.getByTestId('policy-tab-linkage').click();
    await expect.poll(() => page.url()).toContain(`#/policies/${CODE}/linkage`);
    const graph = page.getByTestId('linkage-graph');
    await graph.locator('canvas').first().waitFor();
    await expect.poll(() => ink(page, '[data-testid=linkage-graph]'), { timeout: UI_TIMEOUT }).toBeGreaterThan(3000);
    const linkage = await (await apiAs('province-admin'))<Linkage>('GET', `/api/policies/${CODE}/linkage`);
    expect(Number(await graph.getAttribute('data-goals'))).toBe(3);
    expect(Number(await graph.getAttribute('data-organizations'))).toBe(linkage.organizations.length);
    expect(linkage.organizations.length).toBe(2);
    const social = page.locator('[data-testid=linkage-org-row][data-kind=social]');
    await expect.poll(() => social.innerText(), { timeout: UI_TIMEOUT }).toContain(socialOrg.name);
    expect(await social.innerText()).toContain('社会组织');
    expect(await page.getByTestId('linkage-summary').innerText()).toContain('社会组织 1');
    // clicking an organization narrows the tasks to its own
    await social.getByTestId('linkage-org-name').click();
    await expect.poll(() => page.getByTestId('linkage-tasks').getByTestId('linkage-task-link').evaluateAll((els) => els.map((e) => e.getAttribute('data-id'))), { timeout: UI_TIMEOUT }).toEqual([reassignedId]);
    await page.getByTestId('linkage-tasks-org').locator('.ant-tag-close-icon').click();
    await expect.poll(() => page.getByTestId('linkage-tasks').getByTestId('linkage-task-link').count(), { timeout: UI_TIMEOUT }).toBeGreaterThan(1);
    // the picture from a fresh load, at the top of the page
    await page.reload();
    await expect.poll(() => ink(page, '[data-testid=linkage-graph]'), { timeout: UI_TIMEOUT }).toBeGreaterThan(3000);
    await settled(page, '[data-testid=linkage-view]');
    await shot(page, 'policy-linkage.png', true);

    // a task of the policy names it in its drawer; from the task list the link leads to the policy
    await page.goto(`${session.server.baseUrl}/#/tasks/${reassignedId}`);
    const drawer = page.getByTestId('task-drawer');
    const link = drawer.getByTestId('task-policy-link');
    await expect.poll(() => link.getAttribute('data-code'), { timeout: UI_TIMEOUT }).toBe(CODE);
    expect(await drawer.innerText()).toContain('第一条');
    await link.click();
    await expect.poll(() => page.url(), { timeout: UI_TIMEOUT }).toMatch(new RegExp(`#/policies/${CODE}$`));
    await page.getByTestId('policy-title').waitFor();
    expect(await page.locator('.ant-drawer-open').count()).toBe(0);

    // the same page in English
    await page.getByTestId('lang-en').click();
    await expect.poll(async () => (await page.getByTestId('policy-tab-linkage').innerText()).trim()).toBe('Five linkages');
    expect((await page.getByTestId('policy-tab-goals').innerText()).trim()).toBe('Clauses and goals (3 clauses · 3 goals)');
    expect(await page.locator('[data-testid=goal-row]', { hasText: '甲县老年人体检' }).getByTestId('goal-standing').innerText()).toBe('On target');
    await page.getByTestId('policy-tab-linkage').click();
    await expect.poll(() => ink(page, '[data-testid=linkage-graph]'), { timeout: UI_TIMEOUT }).toBeGreaterThan(3000);
    await settled(page, '[data-testid=linkage-view]');
    await shot(page, 'policy-linkage-en.png');
    expect(errors).toEqual([]);
  });

  it('leads back to the policy from an indicator and from an organization', async () => {
    const { page, errors } = await session.openPage();
    await session.signIn(page, account('province-admin'));
    const linkage = await (await apiAs('province-admin'))<Linkage>('GET', `/api/policies/${CODE}/linkage`);
    const indicator = linkage.indicators[0]?.code as string;
    await page.goto(`${session.server.baseUrl}/#/indicators/${encodeURIComponent(indicator)}`);
    await page.getByTestId('indicator-policies-tab').click();
    const fromIndicator = page.getByTestId('related-policy-link');
    await expect.poll(() => fromIndicator.count(), { timeout: UI_TIMEOUT }).toBe(1);
    expect(await page.getByTestId('related-policies').innerText()).toContain(CODE);
    await page.goto(`${session.server.baseUrl}/#/organizations`);
    const row = page.getByTestId('org-table').locator('tr', { hasText: socialOrg.name }).first();
    await row.locator('.ant-table-row-expand-icon').click();
    const fromOrg = page.getByTestId('org-policies').getByTestId('related-policy-link');
    await expect.poll(() => fromOrg.count(), { timeout: UI_TIMEOUT }).toBe(1);
    await fromOrg.click();
    await expect.poll(() => page.url(), { timeout: UI_TIMEOUT }).toContain(`#/policies/${CODE}/linkage`);
    expect(errors).toEqual([]);
  });

  it('lets the member withdraw a bid and the department withdraw an offer not yet awarded', async () => {
    const admin = await apiAs('province-admin');
    const day = 86_400_000;
    const t = await admin<TaskDetail>('POST', '/api/service-tasks', {
      title: '社区助餐服务', regionCode: account('operator-a').scope, budget: 30_000, qualifications: [socialOrg.qualifications[0] as string],
      standard: { deliverables: ['每日午餐配送'], acceptanceCriteria: ['按时送达'] }, bidDeadline: new Date(Date.now() + 3 * day).toISOString(), deadline: new Date(Date.now() + 30 * day).toISOString(),
    });
    await (await apiAs('social-member'))('POST', `/api/service-tasks/${t.id}/bids`, { amount: 28_000, proposal: '中央厨房配送' });

    const member = await session.openPage();
    await session.signIn(member.page, account('social-member'));
    await member.page.goto(`${session.server.baseUrl}/#/service-market`);
    const offer = member.page.locator(`[data-testid=market-row][data-id="${t.id}"]`);
    await offer.getByTestId('market-withdraw-bid').click();
    // the confirmation pops up with an animation: press its OK until the bid reads withdrawn
    const confirm = member.page.locator('.ant-popconfirm:visible .ant-btn-primary');
    await expect
      .poll(async () => {
        const status = await offer.getByTestId('bid-status').innerText();
        if (status !== '已撤回' && (await confirm.count()) === 1 && (await idle(confirm))) await confirm.click({ timeout: 1000 }).catch(() => undefined);
        return status;
      }, { timeout: UI_TIMEOUT })
      .toBe('已撤回');
    expect(await offer.getByTestId('market-withdraw-bid').count()).toBe(0);

    const dept = await session.openPage();
    await session.signIn(dept.page, account('province-admin'));
    await dept.page.goto(`${session.server.baseUrl}/#/service-market`);
    const row = dept.page.locator(`[data-testid=market-row][data-id="${t.id}"]`);
    await row.getByTestId('market-withdraw-offer').click();
    const dialog = await dialogSettled(dept.page);
    expect(await dialog.locator('.ant-modal-footer .ant-btn-dangerous').isDisabled()).toBe(true);
    await input(dialog, 'market-withdraw-note').fill('预算调整，暂停采购');
    await submitModal(dept.page);
    await expect.poll(() => row.count(), { timeout: UI_TIMEOUT }).toBe(0);
    const after = await admin<TaskDetail>('GET', `/api/tasks/${t.id}`);
    expect(after).toMatchObject({ status: 'cancelled', service: { offerStatus: 'withdrawn' } });
    expect([...member.errors, ...dept.errors]).toEqual([]);
  });
});
