// SPDX-License-Identifier: Apache-2.0
// 指标 and 驾驶舱 in the browser: the city dispatcher reads the cockpit, drills into a county and climbs back
// by the breadcrumb, searches the catalog and opens an indicator (trend drawn, children ranked worst first,
// on the map); the province admin computes an indicator on demand and acknowledges an alert; the viewer may
// read but not compute; a social organization's member sees none of it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndicatorAlert } from '../../contracts/indicators.ts';
import { seedDemoIncidents } from '../../server/modules/dispatch/index.ts';
import { seedDemoIndicators } from '../../server/modules/indicators/index.ts';
import { systemContext } from '../../server/platform/context.ts';
import { type ConsoleSession, startConsoleSession, UI_TIMEOUT } from '../helpers/console-server.ts';
import { dialogSettled, ink, settled, submitModal } from '../helpers/ui.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = path.join(ROOT, 'test-results', 'e2e');
const KEY_INDICATORS = ['health.checkup-coverage', 'incident.on-time-share', 'incident.per-10k'];

let session: ConsoleSession;

function account(username: string): { username: string; password: string; scope: string | null } {
  const a = session.server.accounts.find((x) => x.username === username);
  if (!a) throw new Error(`no demo account ${username}`);
  return a;
}

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  session = await startConsoleSession();
  const deps = session.server.deps;
  const ctx = systemContext('test');
  const org = async (dept: string) =>
    (await deps.db.pool.query<{ id: string }>("SELECT id FROM organization WHERE region_code = '990000000000' AND department_type = $1", [dept])).rows[0]?.id as string;
  await seedDemoIncidents(deps, ctx, { seed: 5 });
  await seedDemoIndicators(deps, ctx, { seed: 5, provinceCode: '990000000000', ownerOrganizationId: await org('big-data'), healthOrganizationId: await org('government-office') });
}, 180_000);
afterAll(async () => {
  await session?.close();
});

describe('cockpit and indicators', () => {
  it('shows the city dispatcher the cockpit of the city, drills into a county and back by the breadcrumb', async () => {
    const { page, errors } = await session.openPage();
    const dispatcher = account('dispatcher');
    const city = dispatcher.scope as string;
    await session.signIn(page, dispatcher);
    // the cockpit leads the menu, so it is the page a signed-in user lands on
    await page.getByTestId('cockpit').waitFor();
    expect(await page.getByTestId('cockpit').getAttribute('data-region')).toBe(city);
    await page.getByTestId('nav-cockpit').waitFor();

    const cards = page.getByTestId('cockpit-indicator');
    await expect.poll(() => cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-code')).sort()), { timeout: UI_TIMEOUT }).toEqual(KEY_INDICATORS);
    for (const value of await page.getByTestId('cockpit-indicator-value').allInnerTexts()) expect(value).toMatch(/\d/);
    const coverage = page.locator('[data-testid=cockpit-indicator][data-code="health.checkup-coverage"]');
    expect(await coverage.getAttribute('data-status')).toMatch(/^(normal|warn|alarm)$/);
    expect(await coverage.innerText()).toContain('目标 80%');
    expect(Number(await page.getByTestId('cockpit-kpi-alerts-value').innerText())).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('cockpit-lagging-list').count()).toBe(3);
    await expect.poll(() => ink(page, '[data-testid=cockpit-map]'), { timeout: UI_TIMEOUT }).toBeGreaterThan(1000);
    await expect.poll(() => ink(page, '[data-testid=cockpit-incidents-chart]'), { timeout: UI_TIMEOUT }).toBeGreaterThan(100);
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(SHOTS, 'cockpit.png'), fullPage: true });

    // drill into the county with the most alarms
    const children = await page.getByTestId('cockpit-child').evaluateAll((els) => els.map((e) => ({ code: e.getAttribute('data-code') ?? '', alarms: Number(e.getAttribute('data-alarms')) })));
    expect(children.length).toBeGreaterThan(1);
    const county = [...children].sort((a, b) => b.alarms - a.alarms)[0] as { code: string; alarms: number };
    await page.locator(`[data-testid=cockpit-child][data-code="${county.code}"]`).click();
    await expect.poll(() => page.getByTestId('cockpit').getAttribute('data-region'), { timeout: UI_TIMEOUT }).toBe(county.code);
    expect(page.url()).toContain(`#/cockpit/${county.code}`);
    const crumbs = page.getByTestId('cockpit-crumb');
    await expect.poll(() => crumbs.evaluateAll((els) => els.map((e) => e.getAttribute('data-code')))).toEqual([city, county.code]);
    await expect.poll(() => cards.count()).toBe(3);
    await expect.poll(() => ink(page, '[data-testid=cockpit-map]'), { timeout: UI_TIMEOUT }).toBeGreaterThan(1000);
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(SHOTS, 'cockpit-drill.png'), fullPage: true });

    // back up by the breadcrumb
    await page.locator(`[data-testid=cockpit-crumb][data-code="${city}"]`).click();
    await expect.poll(() => page.getByTestId('cockpit').getAttribute('data-region'), { timeout: UI_TIMEOUT }).toBe(city);
    expect(page.url()).toContain(`#/cockpit/${city}`);
    expect(errors).toEqual([]);
  });

  it('lets the dispatcher search the catalog and open an indicator with its trend, ranking and map', async () => {
    const { page, errors } = await session.openPage();
    const dispatcher = account('dispatcher');
    await session.signIn(page, dispatcher);
    await page.getByTestId('nav-indicators').click();
    const rows = page.getByTestId('indicator-link');
    await expect.poll(() => rows.count(), { timeout: UI_TIMEOUT }).toBe(5);
    // key indicators first, each with its latest value in the city
    expect((await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-code')))).slice(0, 3).sort()).toEqual(KEY_INDICATORS);
    const latest = await page.getByTestId('indicator-latest-value').allInnerTexts();
    expect(latest.filter((v) => /\d/.test(v)).length).toBeGreaterThanOrEqual(3);
    await settled(page, '[data-testid=indicator-table]');
    await page.screenshot({ path: path.join(SHOTS, 'indicator-catalog.png') });

    await page.locator('[data-testid=indicator-search] input').fill('体检');
    await expect.poll(() => rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-code'))), { timeout: UI_TIMEOUT }).toEqual(['health.checkup-coverage']);
    await page.locator('[data-testid=indicator-search] input').fill('没有这个指标');
    await page.getByTestId('indicator-empty').waitFor();
    await page.locator('[data-testid=indicator-search] input').fill('coverage');
    await expect.poll(() => rows.count(), { timeout: UI_TIMEOUT }).toBe(1);
    await rows.first().click();

    await expect.poll(() => page.url()).toContain(`#/indicators/health.checkup-coverage/${dispatcher.scope}`);
    await expect.poll(() => page.getByTestId('indicator-title').innerText()).toBe('老年人健康体检覆盖率');
    expect(await page.getByTestId('indicator-formula').innerText()).toBe('分子 ÷ 分母 × 100');
    await page.getByTestId('indicator-trend-chart').locator('canvas').first().waitFor();
    await expect.poll(() => ink(page, '[data-testid=indicator-trend-chart]'), { timeout: UI_TIMEOUT }).toBeGreaterThan(1000);

    // the counties of the city, worst first: the gaps to the (common) target rise down the table
    const ranking = page.getByTestId('ranking-row');
    await expect.poll(() => ranking.count(), { timeout: UI_TIMEOUT }).toBeGreaterThan(1);
    const values = (await page.getByTestId('ranking-value').allInnerTexts()).map((v) => Number.parseFloat(v));
    expect(values.every((v) => Number.isFinite(v))).toBe(true);
    expect([...values].sort((a, b) => a - b)).toEqual(values);
    expect(await ranking.first().getAttribute('data-status')).toMatch(/^(warn|alarm)$/);
    await expect.poll(() => ink(page, '[data-testid=indicator-ranking-chart]'), { timeout: UI_TIMEOUT }).toBeGreaterThan(500);
    await settled(page, '[data-testid=indicator-ranking]');
    await page.screenshot({ path: path.join(SHOTS, 'indicator-page.png'), fullPage: true });

    // the children on the map
    await page.getByTestId('indicator-view-map').click();
    await expect.poll(() => ink(page, '[data-testid=indicator-map]'), { timeout: UI_TIMEOUT }).toBeGreaterThan(1000);

    // the city may set targets in the city, but computing is for the province that owns the indicator
    expect(await page.getByTestId('indicator-targets').isEnabled()).toBe(true);
    await expect.poll(() => page.getByTestId('indicator-compute').isDisabled()).toBe(true);

    // a county from the ranking opens its own trend
    const first = await ranking.first().getAttribute('data-code');
    await page.getByTestId('ranking-region').first().click();
    await expect.poll(() => page.url()).toContain(`#/indicators/health.checkup-coverage/${first}`);
    await expect.poll(() => ink(page, '[data-testid=indicator-trend-chart]'), { timeout: UI_TIMEOUT }).toBeGreaterThan(1000);
    expect(errors).toEqual([]);
  });

  it('lets the province admin compute an indicator now, and acknowledge an alert and see its analysis plan', async () => {
    const { page, errors } = await session.openPage();
    await session.signIn(page, account('province-admin'));
    await page.getByTestId('cockpit').waitFor();
    await page.goto(`${session.server.baseUrl}/#/indicators/incident.on-time-share`);
    await expect.poll(() => ink(page, '[data-testid=indicator-trend-chart]'), { timeout: UI_TIMEOUT }).toBeGreaterThan(1000);
    await expect.poll(() => page.getByTestId('indicator-compute').isEnabled(), { timeout: UI_TIMEOUT }).toBe(true);
    await page.getByTestId('indicator-compute').click();
    const result = page.getByTestId('indicator-compute-result');
    await result.waitFor({ timeout: 60_000 });
    expect(await result.innerText()).toMatch(/写入 \d+ 个数值/);

    await page.getByTestId('nav-indicator-alerts').click();
    const rows = page.getByTestId('alert-row');
    await expect.poll(() => rows.count(), { timeout: UI_TIMEOUT }).toBeGreaterThan(0);
    // alarms first; those that opened the analysis plan link to their tasks
    await expect.poll(() => page.getByTestId('alert-task-link').count()).toBeGreaterThan(0);
    await settled(page, '[data-testid=alert-table]');
    await page.screenshot({ path: path.join(SHOTS, 'indicator-alerts.png') });

    const open = page.locator('[data-testid=alert-row][data-status=open]').first();
    const id = (await open.getAttribute('data-id')) as string;
    await open.getByTestId('alert-acknowledge').click();
    const dialog = await dialogSettled(page);
    await dialog.getByTestId('alert-action-note').fill('已安排乡镇卫生院补检');
    await submitModal(page);
    await expect.poll(() => page.locator(`[data-testid=alert-row][data-id="${id}"]`).getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('acknowledged');
    const res = await page.request.get(`${session.server.baseUrl}/api/indicator-alerts/${id}`);
    const alert = (await res.json()) as IndicatorAlert;
    expect(alert.status).toBe('acknowledged');
    expect(alert.notes.map((n) => n.note)).toContain('已安排乡镇卫生院补检');

    // the drawer tells the whole story
    await page.locator(`[data-testid=alert-link][data-id="${id}"]`).click();
    await page.getByTestId('alert-drawer-title').waitFor();
    await expect.poll(() => page.getByTestId('alert-notes').innerText()).toContain('已安排乡镇卫生院补检');
    expect(page.url()).toContain(`#/indicator-alerts/${id}`);
    expect(errors).toEqual([]);
  });

  it('lets the viewer read indicators without computing, and shows a social member none of it', async () => {
    const viewer = await session.openPage();
    await session.signIn(viewer.page, account('viewer'));
    await viewer.page.getByTestId('cockpit').waitFor();
    await expect.poll(() => viewer.page.getByTestId('cockpit-indicator').count(), { timeout: UI_TIMEOUT }).toBe(3);
    await viewer.page.getByTestId('nav-indicators').click();
    await viewer.page.locator('[data-testid=indicator-link][data-code="incident.on-time-share"]').click();
    await expect.poll(() => ink(viewer.page, '[data-testid=indicator-trend-chart]'), { timeout: UI_TIMEOUT }).toBeGreaterThan(1000);
    expect(await viewer.page.getByTestId('indicator-compute').count()).toBe(0);
    expect(await viewer.page.getByTestId('indicator-targets').count()).toBe(0);
    await viewer.page.getByTestId('nav-indicator-alerts').click();
    await expect.poll(() => viewer.page.getByTestId('alert-row').count(), { timeout: UI_TIMEOUT }).toBeGreaterThan(0);
    expect(await viewer.page.getByTestId('alert-acknowledge').count()).toBe(0);
    expect(viewer.errors).toEqual([]);

    const member = await session.openPage();
    await session.signIn(member.page, account('social-member'));
    await member.page.getByTestId('nav-menu').waitFor();
    for (const key of ['cockpit', 'indicators', 'indicator-alerts']) expect(await member.page.getByTestId(`nav-${key}`).count(), key).toBe(0);
    await member.page.goto(`${session.server.baseUrl}/#/cockpit`);
    await member.page.getByTestId('forbidden').waitFor();
    expect(member.errors).toEqual([]);
  });
});
