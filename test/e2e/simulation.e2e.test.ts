// SPDX-License-Identifier: Apache-2.0
// 仿真推演 in the browser: the city dispatcher replays the year of the demo incidents with a variant of two more
// pump trucks, reads the chart and the comparison, and finds the run in the history.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoIncidents, seedDemoPlans, seedDemoResources } from '../../server/modules/dispatch/index.ts';
import { systemContext } from '../../server/platform/context.ts';
import { type ConsoleSession, startConsoleSession, UI_TIMEOUT } from '../helpers/console-server.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = path.join(ROOT, 'test-results', 'e2e');

let session: ConsoleSession;

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  session = await startConsoleSession();
  const deps = session.server.deps;
  const ctx = systemContext('test');
  const owner = (await deps.db.pool.query<{ id: string }>("SELECT id FROM organization WHERE region_code = '990000000000' AND department_type = 'emergency-management'")).rows[0]?.id as string;
  await seedDemoResources(deps, ctx, { seed: 5 });
  await seedDemoPlans(deps, ctx, { provinceCode: '990000000000', ownerOrganizationId: owner, bindRegions: [] });
  await seedDemoIncidents(deps, ctx, { seed: 5 });
}, 120_000);
afterAll(async () => {
  await session?.close();
});

describe('simulation page', () => {
  it('runs the year with a variant and shows the chart, the comparison and the run in the history', async () => {
    const { page, errors } = await session.openPage();
    const dispatcher = session.server.accounts.find((a) => a.username === 'dispatcher');
    if (!dispatcher) throw new Error('no dispatcher account');
    await session.signIn(page, dispatcher);
    await page.goto(`${session.server.baseUrl}/#/simulation`);
    await page.getByTestId('sim-setup').waitFor({ timeout: UI_TIMEOUT });
    await expect.poll(() => page.getByText('设置区域和时段后开始推演').count(), { timeout: UI_TIMEOUT }).toBe(1);
    await page.getByTestId('sim-add-variant').click();
    await page.getByTestId('sim-variant-name').locator('input').or(page.locator('input[data-testid="sim-variant-name"]')).first().fill('增加两台泵车');
    await page.screenshot({ path: path.join(SHOTS, 'simulation-setup.png') });
    await page.getByTestId('sim-run').click();
    await page.getByTestId('sim-result').waitFor({ timeout: 60_000 });
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(SHOTS, 'simulation-result.png'), fullPage: true });
    const header = page.getByTestId('sim-comparison').locator('thead th');
    await expect.poll(() => header.allInnerTexts(), { timeout: UI_TIMEOUT }).toEqual(['', '现状', '增加两台泵车']);
    // the chart has drawn: its canvas is there and not blank
    const drawn = await page.getByTestId('sim-chart').locator('canvas').first().evaluate((c) => {
      const canvas = c as HTMLCanvasElement;
      const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
      let ink = 0;
      for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) ink++;
      return ink;
    });
    expect(drawn).toBeGreaterThan(1000);
    await expect.poll(() => page.getByTestId('sim-run-link').count(), { timeout: UI_TIMEOUT }).toBe(1);
    expect(page.url()).toMatch(/#\/simulation\/[0-9a-f-]{36}$/);
    // bad input shows the server's reason
    await page.getByTestId('sim-from').fill('2026-06-01');
    await page.getByTestId('sim-to').fill('2026-05-01');
    await page.getByTestId('sim-run').click();
    await page.getByTestId('sim-error').waitFor({ timeout: UI_TIMEOUT });
    expect(await page.getByTestId('sim-error').innerText()).toContain('the period ends before it starts');
    expect(errors).toEqual([]);
  });
});
