// SPDX-License-Identifier: Apache-2.0
// Back-flow in the browser: a county operator reads their villages' rows of the province's data set with
// lineage and proposes a correction; the province accepts it into a new version.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Region } from '../../contracts/regions.ts';
import { type ConsoleSession, startConsoleSession, UI_TIMEOUT } from '../helpers/console-server.ts';

type ConsoleServer = ConsoleSession['server'];

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = path.join(ROOT, 'test-results', 'e2e');
const DEMO = 'village-population';

let server: ConsoleServer;
let session: ConsoleSession;

function account(username: string) {
  const a = server.accounts.find((x) => x.username === username);
  if (!a) throw new Error(`no demo account ${username}`);
  return a;
}

/** A screenshot once no table is loading any more (and the fade of its overlay has ended). */
async function shot(page: Page, name: string): Promise<void> {
  await expect.poll(() => page.locator('.ant-spin-spinning').count(), { timeout: UI_TIMEOUT }).toBe(0);
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(SHOTS, name) });
}

const openPage = (locale?: string) => session.openPage(locale);
const signIn = (page: Page, username: string) => session.signIn(page, account(username));

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  session = await startConsoleSession();
  server = session.server;
});

afterAll(async () => {
  await session?.close();
});

describe('data back-flow in the console', () => {
  let proposedKey = '';

  it('shows a county operator only their villages, with lineage, and takes a correction', async () => {
    const { page, errors } = await openPage();
    const county = account('operator-a').scope as string;
    await signIn(page, 'operator-a');
    await page.getByTestId('nav-datasets').click();
    const link = page.locator(`[data-testid=dataset-link][data-code="${DEMO}"]`);
    await link.waitFor();
    await shot(page, 'datasets-list.png');
    await link.click();
    await page.getByTestId('dataset-title').waitFor();
    await expect.poll(() => page.getByTestId('dataset-current-version').innerText()).toContain('2');

    // every row shown lies in the operator's county, and says where it comes from
    const villages = (await (await page.request.get(`${server.baseUrl}/api/regions/${county}/subtree?level=village&limit=1000`)).json()) as { items: Region[]; total: number };
    await expect.poll(() => page.locator('[data-testid=row-table] [data-testid=row-key]').count(), { timeout: UI_TIMEOUT }).toBe(Math.min(20, villages.total));
    const keys = await page.locator('[data-testid=row-table] [data-testid=row-key]').allInnerTexts();
    expect(keys.filter((k) => !k.startsWith(county.slice(0, 6)))).toEqual([]);
    expect(await page.getByTestId('row-lineage').first().innerText()).toMatch(/省人口综合库/);
    await expect.poll(() => page.getByTestId('row-lineage-banner').innerText()).toMatch(/第 2 版/);
    await shot(page, 'datasets-rows.png');

    // an earlier version is one choice away
    await page.getByTestId('row-version').click();
    await page.locator('.ant-select-item-option', { hasText: '第 1 版' }).click();
    await expect.poll(() => page.getByTestId('row-lineage-banner').innerText()).toMatch(/历史版本：第 1 版/);
    expect(await page.getByTestId('row-propose').count()).toBe(0); // corrections apply to the current version
    await page.getByRole('button', { name: '回到当前版本' }).click();
    await expect.poll(() => page.getByTestId('row-lineage-banner').innerText()).toMatch(/当前版本：第 2 版/);

    // propose a correction of the first row
    proposedKey = keys[0] as string;
    await page.getByTestId('row-propose').first().click();
    const population = page.getByTestId('correction-field-population');
    await population.waitFor();
    await population.fill('4321');
    await page.getByTestId('correction-reason').fill('村委会入户核实');
    await shot(page, 'datasets-correction-dialog.png');
    await page.getByTestId('correction-submit').click();
    await page.getByTestId('correction-submit').waitFor({ state: 'hidden' });

    await page.getByTestId('dataset-tab-corrections').click();
    const status = page.locator('[data-testid=correction-table] [data-testid=correction-status]').first();
    await expect.poll(() => status.getAttribute('data-status')).toBe('pending');
    expect(errors).toEqual([]);
  });

  it('lets the province accept the correction into a new version', async () => {
    const { page, errors } = await openPage();
    await signIn(page, 'province-admin');
    await page.goto(`${server.baseUrl}/#/datasets/${DEMO}/corrections`);
    const row = page.locator('[data-testid=correction-table] tr', { hasText: proposedKey });
    await row.getByTestId('correction-accept').click();
    await page.getByTestId('decision-note').fill('已与户籍数据核对');
    await page.getByTestId('decision-submit').click();
    await page.getByTestId('decision-submit').waitFor({ state: 'hidden' });
    await page.getByTestId('correction-filter').getByText('全部').click();
    const status = page.locator('[data-testid=correction-table] tr', { hasText: proposedKey }).getByTestId('correction-status');
    await expect.poll(() => status.getAttribute('data-status')).toBe('accepted');
    await expect.poll(() => page.getByTestId('dataset-current-version').innerText()).toContain('3');
    await shot(page, 'datasets-corrections.png');

    // the row now carries the correction as its lineage
    await page.getByTestId('dataset-tab-rows').click();
    await page.locator('[data-testid=row-search] input').fill(proposedKey);
    const lineage = page.locator('[data-testid=row-table] [data-testid=row-lineage]');
    await expect.poll(() => lineage.count()).toBe(1);
    await expect.poll(() => lineage.first().getAttribute('data-version')).toBe('3');
    expect(await lineage.first().innerText()).toMatch(/correction #/);

    // an unknown data set is a clear "not found", not a broken page
    await page.goto(`${server.baseUrl}/#/datasets/no-such-set`);
    await page.getByTestId('dataset-unavailable').waitFor();
    expect(errors).toEqual([]);
  });

  it('keeps the page from a social organization member (no data set grants)', async () => {
    const { page, errors } = await openPage();
    await signIn(page, 'social-member');
    expect(await page.getByTestId('nav-datasets').count()).toBe(0);
    await page.goto(`${server.baseUrl}/#/datasets`);
    await page.getByTestId('forbidden').waitFor();
    expect(errors).toEqual([]);
  });
});
