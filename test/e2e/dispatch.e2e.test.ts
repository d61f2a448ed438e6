// SPDX-License-Identifier: Apache-2.0
// The dispatch pages in the browser, as their users work with them: a city dispatcher reports and works an
// incident through its lifecycle (and another county's operator does not see it); edits, reviews, publishes,
// revises, compares, binds and imports a contingency plan; issues, updates and cancels a public warning and
// watches it leave the public CAP feed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Region } from '../../contracts/regions.ts';
import { type ConsoleSession, startConsoleSession, UI_TIMEOUT } from '../helpers/console-server.ts';
import { input } from '../helpers/ui.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = path.join(ROOT, 'test-results', 'e2e');

let session: ConsoleSession;
let countyA: Region;

function account(username: string) {
  const a = session.server.accounts.find((x) => x.username === username);
  if (!a) throw new Error(`no demo account ${username}`);
  return a;
}

type Call = <T>(method: string, url: string, body?: unknown) => Promise<T>;

/** Signs in over HTTP; calls the API with the session cookie (`raw` answers the body as text). */
async function apiAs(username: string): Promise<{ call: Call; raw(url: string): Promise<string> }> {
  const base = session.server.baseUrl;
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: account(username).password }) });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return {
    async call<T>(method: string, url: string, body?: unknown): Promise<T> {
      const res = await fetch(`${base}${url}`, { method, headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
      if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
    async raw(url: string): Promise<string> {
      const res = await fetch(`${base}${url}`, { headers: { cookie } });
      if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
      return res.text();
    },
  };
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, name) });
}

/** The OK button of the open modal. */
/** Clicks OK in the open dialog, once it is the only one shown (a closing dialog still matches ':visible'). */
async function clickModalOk(page: Page): Promise<void> {
  await expect.poll(() => page.locator('.ant-modal-wrap:visible').count(), { timeout: UI_TIMEOUT }).toBe(1);
  const dialog = page.locator('.ant-modal-wrap:visible');
  // click once the dialog has finished its opening animation
  await expect.poll(() => dialog.locator('.ant-modal').evaluate((el) => el.getAnimations().length), { timeout: UI_TIMEOUT }).toBe(0);
  await dialog.locator('.ant-modal-footer .ant-btn-primary').click();
}

/**
 * Clicks OK and waits for the dialog to close; an error the dialog shows fails the step with its text. On a
 * loaded machine a click can land while the dialog is still settling and do nothing: when the dialog is still
 * open, idle (not submitting) and error-free a few seconds later, OK is clicked again.
 */
async function submitModal(page: Page): Promise<void> {
  await clickModalOk(page);
  const dialog = page.locator('.ant-modal-wrap:visible');
  let lastClick = Date.now();
  await expect
    .poll(async () => {
      const error = dialog.locator('.ant-alert-error');
      if ((await error.count()) > 0) return `error: ${await error.first().innerText()}`;
      if ((await dialog.count()) === 0) return 'closed';
      const ok = dialog.locator('.ant-modal-footer .ant-btn-primary');
      // answered at once: a dialog that closes meanwhile must not hold the poll on the locator's own waits
      try {
        const idle = (await ok.count()) === 1 && !(await ok.getAttribute('class', { timeout: 200 }))?.includes('ant-btn-loading') && (await ok.isEnabled({ timeout: 200 }));
        if (idle && Date.now() - lastClick > 4000) {
          lastClick = Date.now();
          await ok.click({ timeout: 1000 });
        }
      } catch {
        // gone or busy: the next poll looks again
      }
      return 'open';
    }, { timeout: UI_TIMEOUT })
    .toBe('closed');
}

/** Picks a region in a region picker by typing part of its name. */
async function pickRegion(page: Page, picker: ReturnType<Page['locator']>, region: Region): Promise<void> {
  await picker.click();
  await picker.locator('input').fill(region.name);
  await page.locator(`.ant-select-dropdown:visible [data-testid=region-option][data-code="${region.code}"]`).click();
  await expect.poll(() => page.locator('.ant-select-dropdown:visible').count(), { timeout: UI_TIMEOUT }).toBe(0);
}

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  session = await startConsoleSession();
  const { call } = await apiAs('operator-a');
  countyA = await call<Region>('GET', `/api/regions/${account('operator-a').scope as string}`);
});
afterAll(async () => {
  await session?.close();
});

describe('the incidents page', () => {
  it('reports an incident and works it from verification to resolution; another county does not see it', async () => {
    const { page, errors } = await session.openPage();
    await session.signIn(page, account('dispatcher'));
    await page.getByTestId('nav-incidents').click();
    // the empty queue says so
    await page.getByTestId('incident-table').getByText('暂无事件').waitFor();
    await shot(page, 'incidents-empty.png');

    // report through the dialog: type (category → type), grade, description, location
    const [lon, lat] = countyA.centroid as [number, number];
    await page.getByTestId('incident-report').click();
    const form = page.getByTestId('incident-report-form');
    await form.waitFor();
    await form.locator('.ant-cascader').click();
    await page.locator('.ant-cascader-dropdown:visible .ant-cascader-menu-item', { hasText: '自然灾害' }).click();
    await page.locator('.ant-cascader-dropdown:visible .ant-cascader-menu-item', { hasText: '洪涝灾害' }).click();
    await form.locator('[data-testid=incident-form-grade]').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'Ⅲ级 较大' }).click();
    await input(page, 'incident-form-description').fill('河道水位超警戒，沿河村庄部分农田被淹');
    await input(page, 'incident-form-lon').fill(lon.toFixed(5));
    await input(page, 'incident-form-lat').fill(lat.toFixed(5));
    await shot(page, 'incidents-report-dialog.png');
    await clickModalOk(page);

    // the new incident opens in the drawer, reported, with one timeline entry
    const drawer = page.getByTestId('incident-drawer');
    await expect.poll(() => drawer.getByTestId('incident-status').first().getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('reported');
    await expect.poll(() => drawer.getByTestId('incident-timeline-entry').count(), { timeout: UI_TIMEOUT }).toBe(1);
    expect(await drawer.getByText('河道水位超警戒').count()).toBeGreaterThan(0);
    const id = (await page.evaluate(() => window.location.hash)).split('/').pop() ?? '';
    expect(id).not.toBe('');
    // and in the queue behind it
    await expect.poll(() => page.locator(`[data-testid=incident-link][data-id="${id}"]`).count(), { timeout: UI_TIMEOUT }).toBe(1);
    await page.waitForTimeout(400); // the drawer's opening animation, for the picture only
    await shot(page, 'incidents-drawer-reported.png');

    // verify → respond → resolve; resolve needs a note
    const act = async (action: string, status: string, entries: number, note?: string) => {
      await drawer.getByTestId(`incident-action-${action}`).click();
      if (note) await input(page, 'incident-action-note').fill(note);
      await submitModal(page);
      await expect.poll(() => drawer.getByTestId('incident-status').first().getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe(status);
      await expect.poll(() => drawer.getByTestId('incident-timeline-entry').count(), { timeout: UI_TIMEOUT }).toBe(entries);
    };
    await act('verify', 'verified', 2);
    await act('respond', 'responding', 3);
    await drawer.getByTestId('incident-action-resolve').click();
    await clickModalOk(page);
    // (a first click can land before the dialog acts on it: click again until the check answers)
    let clicked = Date.now();
    await expect
      .poll(async () => {
        const shown = await page.locator('.ant-modal-wrap:visible').getByText('请填写说明').count();
        if (shown === 0 && Date.now() - clicked > 4000) {
          clicked = Date.now();
          await page.locator('.ant-modal-wrap:visible .ant-modal-footer .ant-btn-primary').click();
        }
        return shown;
      }, { timeout: UI_TIMEOUT })
      .toBe(1);
    await shot(page, 'incidents-resolve-note-required.png');
    await input(page, 'incident-action-note').fill('已加固堤防，积水排除，群众已返回');
    await clickModalOk(page);
    await expect.poll(() => drawer.getByTestId('incident-status').first().getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('resolved');
    await expect.poll(() => drawer.getByTestId('incident-timeline-entry').count(), { timeout: UI_TIMEOUT }).toBe(4);
    expect(await drawer.locator('[data-testid=incident-timeline-entry][data-action=resolve]').innerText()).toContain('已加固堤防');
    await page.locator('.ant-modal-wrap').first().waitFor({ state: 'hidden' });
    await shot(page, 'incidents-drawer-resolved.png');
    await drawer.locator('.ant-drawer-close').click();
    await drawer.waitFor({ state: 'hidden' });

    // a second incident of another type, from the API; the filters narrow the queue
    const { call } = await apiAs('dispatcher');
    await call('POST', '/api/incidents', { typeCode: 'traffic-accident', grade: 'IV', description: '两车追尾，无人员伤亡', regionCode: countyA.code });
    await page.reload();
    await page.getByTestId('incident-table').waitFor();
    await expect.poll(() => page.getByTestId('incident-link').count(), { timeout: UI_TIMEOUT }).toBe(2);
    await page.getByTestId('incident-filter-status').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '已处置' }).click();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('incident-link').count(), { timeout: UI_TIMEOUT }).toBe(1);
    expect(await page.getByTestId('incident-link').getAttribute('data-id')).toBe(id);
    await shot(page, 'incidents-filter-status.png');
    await page.getByTestId('incident-filter-status').locator('.ant-select-clear').click();
    await expect.poll(() => page.getByTestId('incident-link').count(), { timeout: UI_TIMEOUT }).toBe(2);
    await page.getByTestId('incident-filter-type').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-tree-title', { hasText: '事故灾难' }).click();
    await expect.poll(() => page.getByTestId('incident-link').count(), { timeout: UI_TIMEOUT }).toBe(1);
    expect(await page.getByTestId('incident-link').getAttribute('data-id')).not.toBe(id);
    await input(page, 'incident-search').fill('不存在的事件');
    await page.getByTestId('incident-table').getByText('暂无事件').waitFor();
    await shot(page, 'incidents-filter-none.png');
    expect(errors).toEqual([]);

    // an operator of another county sees neither the queue entry nor the incident itself
    const other = await session.openPage();
    await session.signIn(other.page, account('operator-b'));
    await other.page.getByTestId('nav-incidents').click();
    await other.page.getByTestId('incident-table').getByText('暂无事件').waitFor();
    expect(await other.page.getByTestId('incident-link').count()).toBe(0);
    await other.page.evaluate((x) => { window.location.hash = `#/incidents/${x}`; }, id);
    await expect.poll(() => other.page.locator('.ant-drawer .ant-result-title').innerText(), { timeout: UI_TIMEOUT }).toMatch(/^(事件不存在|该事件不在您的辖区内)$/);
    await other.page.waitForTimeout(400); // the drawer's opening animation, for the picture only
    await shot(other.page, 'incidents-other-county.png');
    expect(await other.page.getByTestId('incident-drawer-title').count()).toBe(0);
    expect(other.errors).toEqual([]);
  });
});

describe('the plans page', () => {
  it('edits, reviews, publishes, revises, compares, binds and imports a plan', async () => {
    const { call, raw } = await apiAs('dispatcher');
    const city = account('dispatcher').scope as string;
    const cityRegion = await call<Region>('GET', `/api/regions/${city}`);
    const neighbour = (await call<{ items: Region[] }>('GET', `/api/regions/${city}/children`)).items.find((r) => r.code !== countyA.code);
    if (!neighbour) throw new Error(`no second county in ${city}`);
    const created = await call<{ id: string }>('POST', '/api/plans', {
      code: 'e2e-flood',
      scenarioType: 'flood',
      regionCode: city,
      name: '县域防汛应急预案',
      applicableRegions: [countyA.code],
      triggers: [{ kind: 'incident', typeCode: 'flood', minGrade: 'IV' }],
      levels: [{
        level: 'IV',
        steps: [
          { key: 'monitor', title: '加密监测雨情水情', roleKey: 'water-resources-bureau', deadlineMinutes: 60, dependsOn: [] },
          { key: 'consult', title: '会商研判，发布响应命令', roleKey: 'county-emergency-bureau', deadlineMinutes: 90, dependsOn: ['monitor'] },
        ],
        resources: [{ resourceType: 'pump-truck', capability: null, quantity: 1, maxTravelMinutes: 90 }],
        notifications: [],
      }],
    });
    const yaml = await raw(`/api/plans/${created.id}/versions/1/export?format=yaml`);
    expect(yaml).toContain('yunzheng.plan-package/1');

    const { page, errors } = await session.openPage();
    await session.signIn(page, account('dispatcher'));
    await page.getByTestId('nav-plans').click();
    await expect.poll(() => page.getByTestId('plan-link').count(), { timeout: UI_TIMEOUT }).toBe(1);
    await shot(page, 'plans-list.png');

    // edit the draft: add a step
    await page.getByTestId('plan-link').click();
    const drawer = page.getByTestId('plan-drawer');
    await drawer.getByTestId('plan-edit').click();
    const editor = drawer.getByTestId('plan-editor');
    // the applicable regions show by name, not by code
    const applicable = editor.getByTestId('plan-applicable-regions');
    await expect.poll(() => applicable.innerText(), { timeout: UI_TIMEOUT }).toContain(countyA.name);
    expect(await applicable.innerText()).not.toContain(countyA.code);
    await editor.getByRole('button', { name: '添加步骤' }).click();
    const stepRows = editor.locator('.ant-table').first().locator('tbody tr.ant-table-row');
    await expect.poll(() => stepRows.count(), { timeout: UI_TIMEOUT }).toBe(3);
    const newRow = stepRows.nth(2);
    await newRow.locator('input').nth(0).fill('patrol');
    await newRow.locator('input').nth(1).fill('组织巡堤查险');
    await page.waitForTimeout(400); // the drawer's opening animation, for the picture only
    await shot(page, 'plans-editor.png');
    await editor.getByTestId('plan-save').click();
    await editor.waitFor({ state: 'hidden' });
    await drawer.getByText('组织巡堤查险').waitFor();
    // the content names roles and resource types, not their codes
    await expect.poll(() => drawer.locator('.ant-table').first().innerText(), { timeout: UI_TIMEOUT }).toContain('水利局');
    expect(await drawer.locator('.ant-table').nth(1).innerText()).toContain('排涝泵车');
    // with one version there is nothing to compare, and the tab says so
    await drawer.getByRole('tab', { name: '版本对比' }).click();
    await expect.poll(() => drawer.getByTestId('plan-diff').innerText(), { timeout: UI_TIMEOUT }).toContain('只有一个版本，无可对比');
    await shot(page, 'plans-diff-single.png');
    await drawer.getByRole('tab', { name: '预案内容' }).click();

    // review and publish
    const transition = async (action: string, status: string) => {
      await drawer.getByTestId(`plan-action-${action}`).click();
      await submitModal(page);
      await expect.poll(() => drawer.getByTestId('plan-version-select').innerText(), { timeout: UI_TIMEOUT }).toContain(status);
      await expect.poll(() => page.locator('.ant-modal-wrap:visible').count(), { timeout: UI_TIMEOUT }).toBe(0);
    };
    await transition('review', '已审核');
    await transition('publish', '已发布');
    await shot(page, 'plans-published.png');
    await drawer.getByRole('tab', { name: '变更记录' }).click();
    await expect.poll(() => drawer.locator('.ant-timeline').innerText(), { timeout: UI_TIMEOUT }).toContain('发布 (已审核 → 已发布)');
    expect(await drawer.locator('.ant-timeline').innerText()).toContain('创建 (— → 草稿)');
    await shot(page, 'plans-history.png');

    // revise: a new draft, where one step's title changes and another county becomes applicable too (chosen by name)
    await drawer.getByTestId('plan-action-revise').click();
    await clickModalOk(page);
    await expect.poll(() => drawer.getByTestId('plan-version-select').innerText(), { timeout: UI_TIMEOUT }).toContain('v2');
    await drawer.getByTestId('plan-edit').click();
    await editor.locator('.ant-table').first().locator('tbody tr.ant-table-row').first().locator('input').nth(1).fill('加密监测雨情水情，滚动预报');
    await pickRegion(page, editor.getByTestId('plan-applicable-region-picker'), neighbour);
    await expect.poll(() => applicable.locator('.ant-tag[data-code]').count(), { timeout: UI_TIMEOUT }).toBe(2);
    await expect.poll(() => applicable.innerText(), { timeout: UI_TIMEOUT }).toContain(neighbour.name);
    expect(await editor.getByTestId('plan-applicable-region-picker').innerText()).toContain('添加适用区划');
    await shot(page, 'plans-editor-regions.png');
    await editor.getByTestId('plan-save').click();
    await editor.waitFor({ state: 'hidden' });

    // the diff between v1 and v2 names the changed step and the regions, with translated labels and plain values
    await drawer.getByRole('tab', { name: '版本对比' }).click();
    const diff = drawer.getByTestId('plan-diff');
    await expect.poll(() => diff.innerText(), { timeout: UI_TIMEOUT }).toContain('monitor');
    expect(await diff.innerText()).toContain('步骤名称 加密监测雨情水情 → 加密监测雨情水情，滚动预报');
    await expect.poll(() => diff.innerText(), { timeout: UI_TIMEOUT }).toContain(`${countyA.name} → `);
    const diffText = await diff.innerText();
    expect(diffText).toContain('适用区划');
    expect(diffText).toContain(neighbour.name);
    expect(diffText).toContain('、');
    expect(diffText).not.toContain('"');
    expect(diffText).not.toMatch(/\btitle\b|applicableRegions/);
    await shot(page, 'plans-diff.png');

    // bindings: every role unbound and highlighted, then bound by proposal
    await drawer.getByRole('tab', { name: '角色绑定' }).click();
    const binding = drawer.getByTestId('plan-binding');
    await expect.poll(() => binding.locator('tr[data-unbound=true]').count(), { timeout: UI_TIMEOUT }).toBe(2);
    await binding.getByText('2 个角色未绑定').waitFor();
    await shot(page, 'plans-binding-unbound.png');
    await binding.getByRole('button', { name: '自动建议绑定' }).click();
    await binding.getByText('角色已全部绑定').waitFor();
    expect(await binding.locator('tr[data-unbound=true]').count()).toBe(0);
    expect(await binding.locator('tbody').innerText()).toContain('自动');
    await page.waitForTimeout(400); // the tag's colour transition, for the picture only
    await shot(page, 'plans-binding-bound.png');
    await drawer.locator('.ant-drawer-close').click();
    await drawer.waitFor({ state: 'hidden' });

    // import the exported package into the county under a new code: checked first, then imported
    await page.getByTestId('plan-import-open').click();
    const dialog = page.getByTestId('plan-import');
    await dialog.locator('input[type=file]').setInputFiles({ name: 'e2e-flood.yaml', mimeType: 'application/yaml', buffer: Buffer.from(yaml) });
    await dialog.getByText('e2e-flood.yaml').waitFor();
    expect(await dialog.locator('label[for=plan-import-region]').innerText()).toBe('导入到区划');
    expect(await dialog.locator('label[for=plan-import-code]').innerText()).toBe('新预案编码');
    await pickRegion(page, dialog.locator('.ant-select').first(), countyA);
    await dialog.locator('input:not([type=file]):not([role=combobox])').fill('e2e-flood-county');
    await dialog.getByRole('button', { name: /^检\s*查$/ }).click();
    await dialog.locator('.ant-descriptions').waitFor();
    expect(await dialog.locator('.ant-descriptions-row', { hasText: '未绑定角色' }).locator('.ant-descriptions-item-content').innerText()).toBe('—');
    await shot(page, 'plans-import-check.png');
    await dialog.getByRole('button', { name: '导入预案' }).click();
    await expect.poll(() => drawer.locator('.ant-drawer-title').innerText(), { timeout: UI_TIMEOUT }).toContain('e2e-flood-county');
    await expect.poll(() => page.getByTestId('plan-link').count(), { timeout: UI_TIMEOUT }).toBe(2);
    // the copy names the region it came from, with the code in small text
    await expect.poll(() => drawer.getByTestId('plan-imported-from').innerText(), { timeout: UI_TIMEOUT }).toContain(cityRegion.name);
    expect(await drawer.getByTestId('plan-imported-from').innerText()).toContain(`${city} · e2e-flood v1`);
    await page.waitForTimeout(400); // the drawer's opening animation, for the picture only
    await shot(page, 'plans-imported.png');
    expect(errors).toEqual([]);
  });
});

describe('the warnings page', () => {
  it('issues a warning in both languages, updates and cancels it; the public feed drops it', async () => {
    const { page, errors } = await session.openPage();
    await session.signIn(page, account('dispatcher'));
    await page.getByTestId('nav-warnings').click();
    await page.getByTestId('warning-table').getByText('暂无预警').waitFor();

    await page.getByTestId('warning-issue').click();
    await page.getByTestId('warning-form').waitFor();
    await input(page, 'warning-form-zh-event').fill('暴雨');
    await input(page, 'warning-form-zh-headline').fill('暴雨橙色预警');
    await input(page, 'warning-form-zh-description').fill('未来6小时内降雨量将达50毫米以上');
    await input(page, 'warning-form-en-event').fill('Rainstorm');
    await input(page, 'warning-form-en-headline').fill('Orange rainstorm warning');
    await input(page, 'warning-form-en-description').fill('More than 50 mm of rain expected within 6 hours');
    await pickRegion(page, page.getByTestId('warning-form-region'), countyA);
    await shot(page, 'warnings-issue-form.png');
    await clickModalOk(page);

    // the drawer of the new warning, and the list behind it
    const title = page.locator('.ant-drawer-title');
    await expect.poll(() => title.innerText(), { timeout: UI_TIMEOUT }).toBe('暴雨橙色预警');
    const id = (await page.evaluate(() => window.location.hash)).split('/').pop() ?? '';
    await expect.poll(() => page.locator(`[data-testid=warning-link][data-id="${id}"]`).count(), { timeout: UI_TIMEOUT }).toBe(1);
    await page.getByTestId('warning-show-xml').first().click();
    const xml = page.locator('pre.yz-cap-xml');
    await expect.poll(() => xml.innerText(), { timeout: UI_TIMEOUT }).toContain('<msgType>Alert</msgType>');
    const first = await xml.innerText();
    expect(first).toContain('<language>zh-CN</language>');
    expect(first).toContain('<language>en-US</language>');
    expect(first).toContain('Orange rainstorm warning');
    expect(first).toContain(`<value>${countyA.code}</value>`);
    expect(await page.locator('.ant-drawer-body').innerText()).toContain('气象 · 预期 · 中等 · 很可能');
    await page.waitForTimeout(400); // the drawer's opening animation, for the picture only
    await shot(page, 'warnings-drawer-xml.png');
    const identifier = /<identifier>([^<]+)<\/identifier>/.exec(first)?.[1] ?? '';
    expect(identifier).toMatch(/^yz-/);
    const feed = async () => (await fetch(`${session.server.baseUrl}/cap/alerts`)).text();
    expect(await feed()).toContain(identifier);

    // update: a new message that references the first
    await page.getByTestId('warning-update').click();
    await expect.poll(() => input(page, 'warning-form-zh-headline').inputValue(), { timeout: UI_TIMEOUT }).toBe('暴雨橙色预警');
    await input(page, 'warning-form-zh-headline').fill('暴雨红色预警');
    await input(page, 'warning-form-en-headline').fill('Red rainstorm warning');
    await page.getByTestId('warning-form').locator('input#note, input[id$=note]').fill('雨势加强，预警升级');
    await clickModalOk(page);
    await expect.poll(() => title.innerText(), { timeout: UI_TIMEOUT }).toBe('暴雨红色预警');
    await expect.poll(() => page.getByTestId('warning-show-xml').count(), { timeout: UI_TIMEOUT }).toBe(2);
    await page.getByTestId('warning-show-xml').nth(1).click();
    await expect.poll(() => xml.innerText(), { timeout: UI_TIMEOUT }).toContain('<msgType>Update</msgType>');
    expect(await xml.innerText()).toContain(`,${identifier},`);
    await shot(page, 'warnings-updated.png');

    // cancel: the warning is cancelled and leaves the public feed
    // (the update form's dialog must be gone first: while it fades out it still matches ':visible')
    await expect.poll(() => page.locator('.ant-modal-wrap:visible').count(), { timeout: UI_TIMEOUT }).toBe(0);
    await page.getByTestId('warning-cancel').click();
    await expect.poll(() => page.locator('.ant-modal-wrap:visible').count(), { timeout: UI_TIMEOUT }).toBe(1);
    await page.locator('.ant-modal-wrap:visible textarea').fill('降雨减弱，解除预警');
    await clickModalOk(page);
    await expect.poll(() => page.locator('.ant-drawer-body').innerText(), { timeout: UI_TIMEOUT }).toContain('已解除');
    await expect.poll(() => page.getByTestId('warning-show-xml').count(), { timeout: UI_TIMEOUT }).toBe(3);
    expect(await page.getByTestId('warning-cancel').count()).toBe(0);
    await shot(page, 'warnings-cancelled.png');
    const after = await feed();
    expect(after).not.toContain(`yz-${id}-`);
    await page.locator('.ant-drawer-close').click();
    // the drawer keeps its warning while it closes
    expect(await page.locator('.ant-drawer-title').innerText()).toBe('暴雨红色预警');
    await expect.poll(() => page.locator('.ant-drawer-close:visible').count(), { timeout: UI_TIMEOUT }).toBe(0);
    await expect.poll(() => page.locator(`[data-testid=warning-link][data-id="${id}"]`).locator('xpath=ancestor::tr').innerText(), { timeout: UI_TIMEOUT }).toContain('已解除');
    await shot(page, 'warnings-list.png');
    expect(errors).toEqual([]);
  });
});
