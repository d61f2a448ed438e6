// SPDX-License-Identifier: Apache-2.0
// Plan activation in the browser, the closed loop as its people work it: the city dispatcher finds a grade III
// flood in county A at the top of the dispatch center's queue, activates the flood plan through the wizard at
// level III, sees orders from two counties on the board and moves one order through to release; the county's
// emergency bureau accepts its task under 任务 › 我的任务; the dispatcher stands the response down, then
// resolves and evaluates the incident. Then the conflicts the wizard explains, and who sees which buttons.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident, ReportOutcome } from '../../contracts/dispatch-incidents.ts';
import type { Resource } from '../../contracts/dispatch-resources.ts';
import type { Organization } from '../../contracts/identity.ts';
import type { Region } from '../../contracts/regions.ts';
import { seedDemoPlans, seedDemoResources } from '../../server/modules/dispatch/index.ts';
import { systemContext } from '../../server/platform/context.ts';
import { type ConsoleSession, startConsoleSession, UI_TIMEOUT } from '../helpers/console-server.ts';
import { dialogSettled, idle, input, submitModal } from '../helpers/ui.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = path.join(ROOT, 'test-results', 'e2e');

let session: ConsoleSession;
let countyA: Region;
let flood: Incident;
let fire: Incident;
let drill: Incident;

function account(username: string) {
  const a = session.server.accounts.find((x) => x.username === username);
  if (!a) throw new Error(`no demo account ${username}`);
  return a;
}

/** Signs in over HTTP and calls the API with the session cookie. */
async function apiAs(username: string) {
  const base = session.server.baseUrl;
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: account(username).password }) });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}${url}`, { method, headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, name) });
}

/** Scrolls `target` to the top of the window (below the sticky header) and takes a picture of the window. */
async function shotAt(page: Page, target: Locator, name: string): Promise<void> {
  await target.evaluate((el) => window.scrollTo({ top: el.getBoundingClientRect().top + window.scrollY - 72, behavior: 'instant' }));
  await page.waitForTimeout(300);
  await shot(page, name);
}

/**
 * Clicks `button` until `done` answers true: on a loaded machine a click can land while a dialog is still
 * settling and do nothing, so an idle button is clicked again after a few seconds.
 */
async function clickUntil(button: Locator, done: () => Promise<boolean>): Promise<void> {
  await button.click();
  let last = Date.now();
  await expect
    .poll(async () => {
      if (await done()) return true;
      if ((await idle(button)) && Date.now() - last > 4000) {
        last = Date.now();
        await button.click();
      }
      return false;
    }, { timeout: UI_TIMEOUT })
    .toBe(true);
}

/** The step the activation wizard shows. */
function wizardStep(page: Page): Promise<string | null> {
  return page.getByTestId('wizard-step').getAttribute('data-step');
}

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  session = await startConsoleSession();
  const sys = await apiAs('sysadmin');
  countyA = await sys<Region>('GET', `/api/regions/${account('operator-a').scope as string}`);
  const province = `${countyA.code.slice(0, 2)}0000000000`;
  // the demo resources of every county and the province's published plans, bound in county A
  const orgs = (await sys<{ items: Organization[] }>('GET', `/api/organizations?regionCode=${province}&limit=1000`)).items;
  const owner = orgs.find((o) => o.regionCode === province && o.departmentType === 'emergency-management');
  if (!owner) throw new Error('no emergency management department in the province');
  await seedDemoResources(session.server.deps, systemContext('test'), { seed: 11, provinceCode: province });
  await seedDemoPlans(session.server.deps, systemContext('test'), { provinceCode: province, ownerOrganizationId: owner.id, bindRegions: [countyA.code] });
  // county A keeps one pump truck available: the rest are borrowed from its neighbours
  const trucks = (await sys<{ items: Resource[] }>('GET', `/api/resources?type=pump-truck&regionCode=${countyA.code}&status=available&limit=1000`)).items;
  expect(trucks.length).toBeGreaterThan(1);
  for (const t of trucks.slice(1)) await sys('POST', `/api/resources/${t.id}/status`, { status: 'unavailable', note: '检修' });

  // the queue: a grade IV fire reported first and due first (fires are verified within 10 minutes), the grade III
  // flood after it, and a drill
  const dispatcher = await apiAs('dispatcher');
  const [lon, lat] = countyA.centroid as [number, number];
  const report = async (body: Record<string, unknown>) => (await dispatcher<ReportOutcome>('POST', '/api/incidents', body)).incident;
  fire = await report({ typeCode: 'fire', grade: 'IV', title: '甲县城郊仓库火情', lon: lon + 0.03, lat: lat - 0.02 });
  flood = await report({ typeCode: 'flood', grade: 'III', title: '甲县河段洪水漫堤', description: '上游来水，河段水位超保证水位，堤防出现管涌', lon, lat });
  drill = await report({ typeCode: 'flood', grade: 'IV', title: '防汛应急演练', exercise: true, lon: lon - 0.04, lat: lat + 0.03 });
});
afterAll(async () => {
  await session?.close();
});

describe('the dispatch center and tasks', () => {
  it('activates the flood plan, works an order to release, a county accepts its task, the response stands down and the incident is evaluated', { timeout: 300_000 }, async () => {
    const { page, errors } = await session.openPage();
    await session.signIn(page, account('dispatcher'));
    await page.getByTestId('nav-dispatch-center').click();

    // the queue: most urgent first — the grade III flood before the grade IV fire that is due sooner; drills on request
    const queue = page.getByTestId('incident-queue');
    await expect.poll(() => queue.getByTestId('queue-item').count(), { timeout: UI_TIMEOUT }).toBe(3);
    expect(fire.dueVerifyAt < flood.dueVerifyAt).toBe(true);
    expect(await queue.getByTestId('queue-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')))).toEqual([flood.id, fire.id, drill.id]);
    expect(await queue.getByTestId('queue-item').first().innerText()).toContain('Ⅲ级 较大');
    await page.getByTestId('queue-exercise').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '仅真实事件' }).click();
    await expect.poll(() => queue.getByTestId('queue-item').count(), { timeout: UI_TIMEOUT }).toBe(2);
    expect(await queue.locator(`[data-id="${drill.id}"]`).count()).toBe(0);
    expect(await queue.locator(`[data-id="${fire.id}"]`).count()).toBe(1);
    // the incidents are on the map, and nothing is selected yet
    await expect.poll(() => page.getByTestId('dispatch-map').getAttribute('data-incidents'), { timeout: UI_TIMEOUT }).toBe('2');
    await page.getByTestId('panel-empty').waitFor();
    await page.waitForTimeout(600); // the map's entry animation, for the picture only
    await shot(page, 'activation-queue.png');

    // the flood: reported, no plan running yet
    await queue.locator(`[data-id="${flood.id}"]`).click();
    const panel = page.getByTestId('incident-panel');
    await expect.poll(() => panel.getByTestId('panel-title').innerText(), { timeout: UI_TIMEOUT }).toBe('甲县河段洪水漫堤');
    expect(page.url()).toContain(`#/dispatch-center/${flood.id}`);
    await panel.getByTestId('activation-none').waitFor();
    expect(await panel.getByTestId('incident-status').first().getAttribute('data-status')).toBe('reported');

    // step 1: the level, by default the incident's grade, previews the plan, version and who takes each step
    await panel.getByTestId('panel-activate').click();
    const wizard = page.getByTestId('activation-wizard');
    await dialogSettled(page);
    const preview = wizard.getByTestId('wizard-preview');
    await expect.poll(() => preview.getByTestId('wizard-preview-level').getAttribute('data-level'), { timeout: UI_TIMEOUT }).toBe('III');
    expect(await wizard.locator('.ant-radio-button-wrapper-checked').innerText()).toBe('Ⅲ级 较大');
    expect(await preview.getByTestId('wizard-plan').innerText()).toBe('防汛应急预案');
    expect(await preview.innerText()).toContain('flood-response · v1');
    const steps = preview.getByTestId('wizard-steps').locator('tbody tr.ant-table-row');
    expect(await steps.count()).toBe(5);
    expect(await steps.nth(1).innerText()).toContain('会商研判');
    expect(await steps.nth(1).innerText()).toContain(`${countyA.name}应急管理局`);
    expect(await preview.locator('tr[data-unbound=true]').count()).toBe(0);
    expect(await wizard.getByTestId('wizard-unbound').count()).toBe(0);
    // a lower level previews fewer steps; back to III
    await wizard.getByTestId('wizard-level-IV').click();
    await expect.poll(() => wizard.getByTestId('wizard-preview-level').getAttribute('data-level'), { timeout: UI_TIMEOUT }).toBe('IV');
    expect(await wizard.getByTestId('wizard-steps').locator('tbody tr.ant-table-row').count()).toBeLessThan(5);
    await wizard.getByTestId('wizard-level-III').click();
    await expect.poll(() => wizard.getByTestId('wizard-preview-level').getAttribute('data-level'), { timeout: UI_TIMEOUT }).toBe('III');
    await expect.poll(() => wizard.getByTestId('wizard-steps').locator('tbody tr.ant-table-row').count(), { timeout: UI_TIMEOUT }).toBe(5);
    await shot(page, 'activation-wizard-1-level.png');

    // step 2: resources per requirement, ranked by travel time and chosen; county A's one truck and two borrowed
    await clickUntil(wizard.getByTestId('wizard-next'), async () => (await wizardStep(page)) === '1');
    const trucks = wizard.locator('[data-testid=wizard-request][data-type=pump-truck]');
    await trucks.waitFor();
    expect(await trucks.getByTestId('wizard-request-chosen').innerText()).toBe('已选 3 / 需 3');
    const truckRows = trucks.locator('tbody tr.ant-table-row');
    expect(await truckRows.count()).toBe(3);
    expect(await truckRows.first().innerText()).toContain(countyA.name);
    expect(await trucks.getByTestId('borrowed-tag').count()).toBe(2);
    const minutes = await trucks.getByTestId('wizard-candidate-travel').allInnerTexts();
    const numbers = minutes.map((m) => Number.parseFloat(m));
    expect(numbers.slice(1)).toEqual([...numbers.slice(1)].sort((a, b) => a - b));
    // leaving one out shows what is chosen; it is chosen again
    await truckRows.nth(2).locator('.ant-checkbox-input').click();
    await expect.poll(() => trucks.getByTestId('wizard-request-chosen').innerText(), { timeout: UI_TIMEOUT }).toBe('已选 2 / 需 3');
    await truckRows.nth(2).locator('.ant-checkbox-input').click();
    await expect.poll(() => trucks.getByTestId('wizard-request-chosen').innerText(), { timeout: UI_TIMEOUT }).toBe('已选 3 / 需 3');
    await shot(page, 'activation-wizard-2-resources.png');

    // step 3: confirm with the level's public warning and a note
    await clickUntil(wizard.getByTestId('wizard-next'), async () => (await wizardStep(page)) === '2');
    const confirm = wizard.getByTestId('wizard-confirm');
    expect(await confirm.innerText()).toContain('洪水黄色预警');
    expect(await confirm.getByTestId('wizard-confirm-request').first().innerText()).toBe('排涝泵车：已选 3 / 需 3');
    await confirm.getByTestId('wizard-warnings').click();
    await expect.poll(() => confirm.getByTestId('wizard-warnings').getAttribute('aria-checked'), { timeout: UI_TIMEOUT }).toBe('true');
    await input(page, 'wizard-note').fill('上游水位超警戒，启动Ⅲ级应急响应');
    await shot(page, 'activation-wizard-3-confirm.png');

    // the outcome: orders from several counties, the warning issued
    await clickUntil(wizard.getByTestId('wizard-activate'), async () => (await wizardStep(page)) === '3');
    const result = wizard.getByTestId('wizard-result');
    expect(await result.locator('.ant-result-title').innerText()).toBe('已启动防汛应急预案 · Ⅲ级响应');
    const sent = Number(await result.getByTestId('wizard-result-orders').getAttribute('data-count'));
    expect(sent).toBeGreaterThanOrEqual(5);
    expect(await result.getByTestId('wizard-result-orders').innerText()).toMatch(/其中借调 [1-9]\d* 条/);
    expect(await result.getByTestId('wizard-result-warnings').innerText()).toContain('已发布');
    expect(await result.getByTestId('wizard-result-warnings').innerText()).not.toContain('发布失败');
    await shot(page, 'activation-wizard-4-result.png');
    await wizard.getByTestId('wizard-done').click();
    await expect.poll(() => page.locator('.ant-modal-wrap:visible').count(), { timeout: UI_TIMEOUT }).toBe(0);

    // the panel: the running response, the incident responding, the order board with orders from two counties
    await expect.poll(() => panel.getByTestId('activation-status').getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('active');
    await expect.poll(() => panel.getByTestId('incident-status').first().getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('responding');
    expect(await panel.getByTestId('activation-version').innerText()).toBe('flood-response · v1');
    expect(await panel.getByTestId('activation-level').getAttribute('data-level')).toBe('III');
    const truckRequest = panel.locator('[data-testid=activation-request][data-type=pump-truck]');
    expect((await truckRequest.locator('td').allInnerTexts()).map((x) => x.trim()).slice(1)).toEqual(['3 辆', '3', '2', '0']);
    expect(await panel.getByTestId('activation-warnings').innerText()).toContain('洪水黄色预警');
    const board = panel.getByTestId('order-board');
    const rows = board.getByTestId('order-row');
    await expect.poll(() => rows.count(), { timeout: UI_TIMEOUT }).toBe(sent);
    const regions = new Set((await board.getByTestId('order-region').allInnerTexts()).map((x) => x.trim()));
    expect(regions.size).toBeGreaterThanOrEqual(2);
    expect(regions).toContain(countyA.name);
    expect(await board.locator('[data-testid=order-row][data-borrowed=true]').count()).toBeGreaterThanOrEqual(2);
    expect(await board.locator('[data-testid=order-row][data-status=sent]').count()).toBe(sent);
    // the queue marks the running response; the map draws the resources sent
    expect(await queue.locator(`[data-id="${flood.id}"]`).getByTestId('queue-activated').innerText()).toBe('已启动Ⅲ级响应');
    await expect.poll(() => page.getByTestId('dispatch-map').getAttribute('data-resources'), { timeout: UI_TIMEOUT }).toBe(String(sent));
    await page.evaluate(() => window.scrollTo({ top: 0, behavior: 'instant' }));
    await page.waitForTimeout(600); // the map redraw, for the picture only
    await shot(page, 'activation-map.png');
    await shotAt(page, panel.getByTestId('order-board-card'), 'activation-board.png');

    // one borrowed pump truck: acknowledged → en route → on scene → released, each step on the board and in the timeline
    const order = board.locator('[data-testid=order-row][data-type=pump-truck][data-borrowed=true]').first();
    const orderId = await order.getAttribute('data-id');
    const row = board.locator(`[data-testid=order-row][data-id="${orderId}"]`);
    const truckName = await row.getByTestId('order-resource').innerText();
    expect(await row.getByTestId('borrowed-tag').innerText()).toBe('借调');
    for (const [action, status, label] of [['acknowledge', 'acknowledged', '已接收'], ['depart', 'en_route', '在途'], ['arrive', 'on_scene', '已到场']] as const) {
      await clickUntil(row.getByTestId(`order-action-${action}`), async () => (await row.getAttribute('data-status')) === status);
      expect(await row.getByTestId('order-status').innerText()).toBe(label);
    }
    expect(await row.getByTestId('order-action-arrive').count()).toBe(0);
    expect(await row.getByTestId('order-action-depart').count()).toBe(0);
    const timeline = panel.getByTestId('panel-timeline');
    await expect.poll(() => timeline.locator('[data-testid=panel-timeline-entry][data-action=order-arrive]').innerText(), { timeout: UI_TIMEOUT }).toContain(`${truckName} → 已到场`);
    await shotAt(page, panel.getByTestId('order-board-card'), 'activation-order-on-scene.png');
    await row.getByTestId('order-action-release').click();
    await input(page, 'order-release-note').fill('排涝完成，返回驻地');
    expect(await page.getByTestId('order-release-consumed').count()).toBe(0); // a whole resource: nothing consumed
    await submitModal(page);
    await expect.poll(() => row.getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('released');
    expect(await row.getByTestId('order-status').innerText()).toBe('已释放');
    expect(await row.locator('button').count()).toBe(0);
    // a stock: released with what was used, which the board then shows
    const bags = board.locator('[data-testid=order-row][data-type=sandbags]').first();
    await bags.getByTestId('order-action-release').click();
    await input(page, 'order-release-consumed').fill('800');
    await submitModal(page);
    await expect.poll(() => bags.getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('released');
    expect(await bags.innerText()).toContain('消耗 800');
    await expect.poll(() => board.locator('[data-testid=order-count][data-status=released]').innerText(), { timeout: UI_TIMEOUT }).toBe('已释放 2');
    await shotAt(page, panel.getByTestId('order-board-card'), 'activation-order-released.png');
    expect(errors).toEqual([]);

    // the county emergency bureau: its task under 任务 › 我的任务, waiting on the monitoring step; accepted
    const county = await session.openPage();
    await session.signIn(county.page, account('operator-a'));
    await county.page.getByTestId('nav-tasks').click();
    const tasks = county.page.getByTestId('task-table');
    await expect.poll(() => tasks.getByTestId('task-link').count(), { timeout: UI_TIMEOUT }).toBe(1);
    expect(await tasks.getByTestId('task-link').innerText()).toBe('会商研判，发布响应命令');
    expect(await tasks.locator('tbody tr.ant-table-row').first().innerText()).toContain('待接收');
    expect(await tasks.locator('tbody tr.ant-table-row').first().innerText()).toContain('等待 1 项前置任务');
    // all tasks of the county's scope hold the other steps too
    await county.page.getByTestId('tasks-all').click();
    await expect.poll(() => tasks.getByTestId('task-link').count(), { timeout: UI_TIMEOUT }).toBe(5);
    await county.page.getByTestId('tasks-mine').click();
    await expect.poll(() => tasks.getByTestId('task-link').count(), { timeout: UI_TIMEOUT }).toBe(1);
    await shot(county.page, 'activation-tasks-mine.png');
    await tasks.getByTestId('task-link').click();
    const drawer = county.page.getByTestId('task-drawer');
    await expect.poll(() => drawer.getByTestId('task-drawer-title').innerText(), { timeout: UI_TIMEOUT }).toBe('会商研判，发布响应命令');
    await expect.poll(() => drawer.getByTestId('task-waiting').innerText(), { timeout: UI_TIMEOUT }).toContain('加密监测雨情水情');
    expect(await drawer.getByTestId('task-action-approve').count()).toBe(0); // an operator does not approve
    expect(await drawer.getByTestId('task-action-start').count()).toBe(0); // not before it is accepted
    await drawer.getByTestId('task-action-accept').click();
    await submitModal(county.page);
    await expect.poll(() => drawer.getByTestId('task-status').first().getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('accepted');
    await expect.poll(() => drawer.locator('[data-testid=task-history-entry][data-action=accept]').innerText(), { timeout: UI_TIMEOUT }).toContain('operator-a');
    // it cannot start while the monitoring step is open
    expect(await drawer.getByTestId('task-action-start').isDisabled()).toBe(true);
    expect(await drawer.innerText()).toContain('县级操作员甲');
    await county.page.waitForTimeout(400); // the drawer's opening animation, for the picture only
    await shot(county.page, 'activation-task-accepted.png');
    await drawer.locator('.ant-drawer-close').click();
    // the board view puts it in the accepted column
    await county.page.getByTestId('tasks-view-board').click();
    await expect.poll(() => county.page.locator('[data-testid=task-board-column][data-status=accepted] [data-testid=task-card]').count(), { timeout: UI_TIMEOUT }).toBe(1);
    expect(await county.page.locator('[data-testid=task-board-column][data-status=assigned] [data-testid=task-card]').count()).toBe(0);
    await shot(county.page, 'activation-tasks-board.png');
    expect(county.errors).toEqual([]);

    // the dispatcher sees the accepted task, and stands the response down (a reason is required)
    const consult = panel.locator('[data-testid=activation-task]', { hasText: '会商研判' });
    await expect.poll(() => consult.getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('accepted');
    await panel.getByTestId('panel-stand-down').click();
    const standDown = await dialogSettled(page);
    await clickUntil(standDown.locator('.ant-modal-footer .ant-btn-primary'), async () => (await standDown.getByText('请填写终止原因').count()) === 1);
    await input(page, 'stand-down-note').fill('水位回落至警戒线以下，险情解除');
    await submitModal(page);
    await expect.poll(() => panel.getByTestId('activation-status').getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('stood-down');
    await expect.poll(() => board.locator('[data-testid=order-row][data-status=released]').count(), { timeout: UI_TIMEOUT }).toBe(sent);
    await expect.poll(() => panel.locator('[data-testid=activation-task][data-status=cancelled]').count(), { timeout: UI_TIMEOUT }).toBe(5);
    expect(await panel.getByTestId('panel-stand-down').count()).toBe(0);
    expect(await board.locator('[data-testid=order-row] button').count()).toBe(0);
    expect(await timeline.locator('[data-testid=panel-timeline-entry][data-action=stood-down]').innerText()).toContain('水位回落至警戒线以下');
    await shotAt(page, panel, 'activation-stood-down.png');

    // resolve and evaluate the incident from its drawer; it leaves the queue of open incidents
    await panel.getByTestId('panel-open-incident').click();
    const incidentDrawer = page.getByTestId('incident-drawer');
    await incidentDrawer.getByTestId('incident-action-resolve').click();
    await input(page, 'incident-action-note').fill('堤防加固完成，群众安全返回');
    await submitModal(page);
    await expect.poll(() => incidentDrawer.getByTestId('incident-status').first().getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('resolved');
    await incidentDrawer.getByTestId('incident-action-evaluate').click();
    await submitModal(page);
    await expect.poll(() => incidentDrawer.getByTestId('incident-status').first().getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('evaluated');
    const actions = await incidentDrawer.getByTestId('incident-timeline-entry').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
    expect(actions).toEqual(expect.arrayContaining(['activated', 'order-acknowledge', 'order-depart', 'order-arrive', 'order-release', 'stood-down', 'resolve', 'evaluate']));
    const entries = await incidentDrawer.getByTestId('incident-timeline').innerText();
    expect(entries).toContain('启动预案');
    expect(entries).toMatch(/flood-response v1 · Ⅲ级响应 · 缺口 \d+/);
    expect(entries).not.toContain('响应响应');
    expect(entries).not.toMatch(/en route|on scene|level III/);
    await page.waitForTimeout(400); // the drawer's opening animation, for the picture only
    await shot(page, 'activation-incident-evaluated.png');
    await incidentDrawer.locator('.ant-drawer-close').click();
    await expect.poll(() => queue.locator(`[data-id="${flood.id}"]`).count(), { timeout: UI_TIMEOUT }).toBe(0);
    await expect.poll(() => panel.getByTestId('incident-status').first().getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('evaluated');
    expect(await panel.getByTestId('panel-activate').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('explains the conflicts: no plan applies, and a response started elsewhere meanwhile', { timeout: 120_000 }, async () => {
    const dispatcher = await apiAs('dispatcher');
    const [lon, lat] = countyA.centroid as [number, number];
    const traffic = (await dispatcher<ReportOutcome>('POST', '/api/incidents', { typeCode: 'traffic-accident', grade: 'IV', title: '甲县国道两车相撞', lon: lon + 0.05, lat })).incident;
    const { page, errors } = await session.openPage();
    await session.signIn(page, account('dispatcher'));
    // (the console opens its first page once signed in; the address is set after that)
    await page.getByTestId('nav-dispatch-center').click();
    await page.getByTestId('panel-empty').waitFor();
    await page.evaluate((id) => { window.location.hash = `#/dispatch-center/${id}`; }, traffic.id);
    const panel = page.getByTestId('incident-panel');
    await expect.poll(() => panel.getByTestId('panel-title').innerText(), { timeout: UI_TIMEOUT }).toBe('甲县国道两车相撞');
    await panel.getByTestId('panel-activate').click();
    const wizard = page.getByTestId('activation-wizard');
    await dialogSettled(page);
    const problem = wizard.getByTestId('activation-problem');
    await expect.poll(() => problem.getAttribute('data-code'), { timeout: UI_TIMEOUT }).toBe('no-applicable-plan');
    expect(await problem.innerText()).toContain('没有适用于该事件的已发布预案');
    expect(await wizard.getByTestId('wizard-next').isDisabled()).toBe(true);
    await shot(page, 'activation-no-plan.png');
    await wizard.locator('.ant-modal-close').click();
    await expect.poll(() => page.locator('.ant-modal-wrap:visible').count(), { timeout: UI_TIMEOUT }).toBe(0);

    // the drill: the wizard is at its last step when another dispatcher activates it
    await page.evaluate((id) => { window.location.hash = `#/dispatch-center/${id}`; }, drill.id);
    await expect.poll(() => panel.getByTestId('panel-title').innerText(), { timeout: UI_TIMEOUT }).toBe('防汛应急演练');
    await panel.getByTestId('panel-activate').click();
    await dialogSettled(page);
    await expect.poll(() => wizard.getByTestId('wizard-preview-level').getAttribute('data-level'), { timeout: UI_TIMEOUT }).toBe('IV');
    await clickUntil(wizard.getByTestId('wizard-next'), async () => (await wizardStep(page)) === '1');
    await clickUntil(wizard.getByTestId('wizard-next'), async () => (await wizardStep(page)) === '2');
    expect(await wizard.getByTestId('wizard-confirm').innerText()).toContain('这是演练事件');
    await dispatcher('POST', `/api/incidents/${drill.id}/activations`, {});
    await wizard.getByTestId('wizard-activate').click();
    await expect.poll(() => wizard.getByTestId('activation-problem').getAttribute('data-code'), { timeout: UI_TIMEOUT }).toBe('already-activated');
    expect(await wizard.getByTestId('activation-problem').innerText()).toContain('该事件已有正在运行的预案响应');
    expect(await wizardStep(page)).toBe('2');
    await shot(page, 'activation-already-activated.png');
    await wizard.locator('.ant-modal-close').click();
    // the page shows the response that is running
    await expect.poll(() => panel.getByTestId('activation-status').getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('active');
    expect(await panel.getByTestId('panel-activate').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('shows a county operator the running response without the dispatcher\'s buttons', { timeout: 120_000 }, async () => {
    // the drill's response, started in the test above (or here, when that one did not get so far)
    const dispatcher = await apiAs('dispatcher');
    const running = await dispatcher<{ total: number }>('GET', `/api/activations?incidentId=${drill.id}&status=active`);
    if (running.total === 0) await dispatcher('POST', `/api/incidents/${drill.id}/activations`, {});
    const { page, errors } = await session.openPage();
    await session.signIn(page, account('operator-a'));
    await page.getByTestId('nav-dispatch-center').click();
    const queue = page.getByTestId('incident-queue');
    await expect.poll(() => queue.locator(`[data-id="${drill.id}"]`).count(), { timeout: UI_TIMEOUT }).toBe(1);
    await queue.locator(`[data-id="${drill.id}"]`).click();
    const panel = page.getByTestId('incident-panel');
    await expect.poll(() => panel.getByTestId('activation-status').getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('active');
    await expect.poll(() => panel.getByTestId('order-row').count(), { timeout: UI_TIMEOUT }).toBeGreaterThan(0);
    expect(await panel.getByTestId('panel-stand-down').count()).toBe(0);
    expect(await panel.getByTestId('panel-activate').count()).toBe(0);
    // the operator's own organization's stock may be acknowledged and sent off, nothing released; other organizations' resources offer nothing
    const own = panel.locator('[data-testid=order-row][data-type=sandbags]');
    await expect.poll(() => own.getByTestId('order-action-acknowledge').count(), { timeout: UI_TIMEOUT }).toBe(1);
    expect(await own.getByTestId('order-action-depart').count()).toBe(1);
    expect(await panel.getByTestId('order-action-release').count()).toBe(0);
    expect(await panel.locator('[data-testid=order-row][data-type=pump-truck] button').count()).toBe(0);
    await shotAt(page, panel, 'activation-operator-view.png');
    expect(errors).toEqual([]);
  });
});
