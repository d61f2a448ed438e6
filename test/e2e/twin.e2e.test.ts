// SPDX-License-Identifier: Apache-2.0
// The twin map in the built console (web/dist), in headless Chromium: a county operator picks a type and
// sees its entities, opens an entity card with its history chart and relationship graph, drills the
// region roll-up down a level, moves the time slider back, and filters down to nothing.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Region } from '../../contracts/regions.ts';
import { type ConsoleSession, startConsoleSession, UI_TIMEOUT } from '../helpers/console-server.ts';

type ConsoleServer = ConsoleSession['server'];
type Account = ConsoleServer['accounts'][number];

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = path.join(ROOT, 'test-results', 'e2e');
const FLOW_TIMEOUT = 120_000;
const DAY = 86_400_000;

let server: ConsoleServer;
let session: ConsoleSession;

// What the test puts into operator-a's county: three water-level stations in two villages of different
// townships, all mounted on one building, with observations every four days over the last year.
let county: Region;
let v0: Region; // two stations: A (rising through the year) and B
let v1: Region; // station C (falling), in another township
const SENSOR = (n: string) => `urn:ngsi-ld:WaterLevelSensor:e2e-${n}`;
const BUILDING = 'urn:ngsi-ld:Building:e2e-1';
const NAMES: Record<string, string> = { A: '测试甲水位站', B: '测试乙水位站', C: '测试丙水位站' };

function account(username: string): Account {
  const a = server.accounts.find((x) => x.username === username);
  if (!a) throw new Error(`no demo account ${username}`);
  return a;
}

/** The session cookie of `username`, for setting up data through the API. */
async function cookieOf(username: string): Promise<string> {
  const a = account(username);
  const res = await fetch(`${server.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: a.username, password: a.password }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('yz_session='));
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0] ?? '';
}

async function call<T>(cookie: string, method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${server.baseUrl}${url}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Station levels on day `d` before yesterday: A rises from 2 m to 5 m over the year, B holds near 3 m, C falls. */
function level(sensor: string, d: number): number {
  const f = 1 - d / 360;
  const v = sensor === 'A' ? 2 + 3 * f : sensor === 'B' ? 3 + 0.3 * Math.sin(d / 20) : 6 - 2 * f;
  return Math.round(v * 100) / 100;
}

async function seedTwin(): Promise<void> {
  const op = await cookieOf('operator-a');
  const scope = account('operator-a').scope;
  if (!scope) throw new Error('operator-a has no scope');
  county = (await call<Region>(op, 'GET', `/api/regions/${scope}`)).body;
  const villages = (await call<{ items: Region[] }>(op, 'GET', `/api/regions/${scope}/subtree?level=village&limit=200`)).body.items;
  const first = villages.find((v) => v.centroid);
  const second = villages.find((v) => v.centroid && first && v.parentCode !== first.parentCode);
  if (!first?.centroid || !second?.centroid) throw new Error('the county needs villages in two townships');
  v0 = first;
  v1 = second;
  const at = (v: Region, dx: number): [number, number] => {
    const c = v.centroid ?? [0, 0];
    return [Math.round((c[0] + dx) * 1e6) / 1e6, c[1]];
  };
  const point = (c: [number, number]) => ({ type: 'GeoProperty', value: { type: 'Point', coordinates: c } });
  const sensor = (n: string, v: Region, dx: number) => ({
    id: SENSOR(n),
    type: 'WaterLevelSensor',
    name: { type: 'Property', value: NAMES[n] },
    warningLevel: { type: 'Property', value: 6.5, unitCode: 'MTR' },
    mountedOn: { type: 'Relationship', object: BUILDING },
    location: point(at(v, dx)),
  });
  const created = await call<unknown>(op, 'POST', '/ngsi-ld/v1/entityOperations/upsert', [
    { id: BUILDING, type: 'Building', name: { type: 'Property', value: '测试综合楼' }, floors: { type: 'Property', value: 5 }, location: point(at(v0, 0)) },
    sensor('A', v0, -0.002),
    sensor('B', v0, 0.002),
    sensor('C', v1, 0),
  ]);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const now = new Date();
  const yesterday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - DAY;
  const observations = [];
  for (let d = 360; d >= 0; d -= 4) {
    const observedAt = new Date(yesterday - d * DAY).toISOString();
    for (const n of ['A', 'B', 'C']) {
      observations.push({ id: SENSOR(n), type: 'WaterLevelSensor', waterLevel: { type: 'Property', value: level(n, d), unitCode: 'MTR', observedAt } });
    }
  }
  const observed = await call<unknown>(op, 'POST', '/ngsi-ld/v1/entityOperations/upsert?options=update', observations);
  expect(observed.status, JSON.stringify(observed.body)).toBe(204);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, name) });
}

/** How many pixels of the first canvas under `selector` are painted. */
async function paintedPixels(page: Page, selector: string): Promise<number> {
  return page.locator(`${selector} canvas`).first().evaluate((el) => {
    const canvas = el as HTMLCanvasElement;
    const ctx = canvas.getContext('2d');
    if (!ctx || canvas.width === 0 || canvas.height === 0) return 0;
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 16) if ((data[i] ?? 0) > 0) painted++;
    return painted;
  });
}

/** Where on the canvas under `selector` a pixel of colour `rgb` is (page coordinates), if anywhere. */
async function findColor(page: Page, selector: string, rgb: [number, number, number]): Promise<{ x: number; y: number } | null> {
  const canvas = page.locator(`${selector} canvas`).first();
  const box = await canvas.boundingBox();
  const at = await canvas.evaluate((el, [r, g, b]) => {
    const c = el as HTMLCanvasElement;
    const ctx = c.getContext('2d');
    if (!ctx) return null;
    const data = ctx.getImageData(0, 0, c.width, c.height).data;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs((data[i] ?? 0) - r) < 6 && Math.abs((data[i + 1] ?? 0) - g) < 6 && Math.abs((data[i + 2] ?? 0) - b) < 6) {
        const p = i / 4;
        return { x: ((p % c.width) / c.width) * c.clientWidth, y: (Math.floor(p / c.width) / c.height) * c.clientHeight };
      }
    }
    return null;
  }, rgb);
  return at && box ? { x: box.x + at.x, y: box.y + at.y } : null;
}

/** Opens the twin map on the water-level stations. */
async function openStations(page: Page): Promise<void> {
  await page.getByTestId('nav-twin').click();
  await page.getByTestId('twin-toolbar').waitFor();
  await page.getByTestId('twin-type').click();
  await page.locator('.ant-select-dropdown [data-testid=twin-type-option][data-type=WaterLevelSensor]').click();
  await expect.poll(() => page.getByTestId('twin-entity-item').count(), { timeout: UI_TIMEOUT }).toBe(3);
}

/** Colours the stations by their water level. */
async function colorByLevel(page: Page): Promise<void> {
  await page.getByTestId('twin-attr').click();
  await page.locator('.ant-select-dropdown [data-testid=twin-attr-option][data-attr=waterLevel]').click();
}

/** The value shown beside an item of the side list. */
function itemValue(page: Page, selector: string): Promise<string> {
  return page.locator(selector).locator('.yz-twin-item-value').innerText();
}

const openPage = (locale?: string) => session.openPage(locale);
const signIn = (page: Page, account: Account) => session.signIn(page, account);

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  session = await startConsoleSession();
  server = session.server;
  await seedTwin();
});

afterAll(async () => {
  await session?.close();
});

describe('twin map', () => {
  it('shows the entities of a type on the map and opens an entity card with history and relationships', async () => {
    const { page, errors } = await openPage();
    await signIn(page, account('operator-a'));
    await openStations(page);

    // Three markers in the stations' colour on a painted map; clicking one on the map opens its card.
    const map = page.getByTestId('twin-map');
    await expect.poll(() => map.getAttribute('data-layer')).toBe('entities');
    await expect.poll(() => map.getAttribute('data-count')).toBe('3');
    await expect.poll(() => paintedPixels(page, '[data-testid=twin-map]'), { timeout: UI_TIMEOUT }).toBeGreaterThan(1000);
    // the markers appear after the map's entry animation
    await expect.poll(async () => (await findColor(page, '[data-testid=twin-map]', [0x13, 0xa8, 0xa8])) !== null, { timeout: UI_TIMEOUT }).toBe(true);
    await page.waitForTimeout(300);
    const marker = await findColor(page, '[data-testid=twin-map]', [0x13, 0xa8, 0xa8]);
    if (!marker) throw new Error('no station marker drawn on the map');
    await page.mouse.click(marker.x + 1, marker.y + 2);
    await expect.poll(() => page.getByTestId('twin-card-name').innerText()).toMatch(/^测试[甲乙丙]水位站$/);
    await page.locator('.ant-drawer-close').click();
    await page.getByTestId('twin-card-name').waitFor({ state: 'hidden' });

    // Coloured by level: the county as the breadcrumb, values with their unit in the list.
    await colorByLevel(page);
    await expect.poll(() => page.getByTestId('twin-breadcrumb').innerText()).toContain(county.name);
    await expect.poll(() => itemValue(page, `[data-testid=twin-entity-item][data-id="${SENSOR('A')}"]`)).toBe(`${level('A', 0)} m`);
    await expect.poll(() => page.getByTestId('twin-legend').innerText()).toContain('水位');
    await page.waitForTimeout(600); // the map's entry animation
    await shot(page, 'twin-entities.png');

    // The card: name, region, attributes with units, the history chart, the relationship graph.
    await page.locator(`[data-testid=twin-entity-item][data-id="${SENSOR('A')}"]`).click();
    const card = page.getByTestId('twin-card');
    await expect.poll(() => page.getByTestId('twin-card-name').innerText()).toBe(NAMES.A);
    await expect.poll(() => page.getByTestId('twin-card-region').innerText()).toContain(v0.name);
    const waterLevel = card.locator('tr', { has: page.locator('[data-testid=twin-card-attr][data-attr=waterLevel]') });
    await expect.poll(() => waterLevel.innerText()).toContain(`${level('A', 0)} m`);
    // The relationship is shown by the name of the entity it points at.
    await expect.poll(() => card.getByTestId('twin-card-link').innerText()).toBe('测试综合楼');
    const history = page.getByTestId('twin-history-chart');
    await history.waitFor();
    expect(await history.getAttribute('data-series')).toBe('1');
    await expect.poll(() => paintedPixels(page, '[data-testid=twin-history-chart]'), { timeout: UI_TIMEOUT }).toBeGreaterThan(500);
    const graph = page.getByTestId('twin-graph');
    await graph.waitFor();
    expect(await graph.getAttribute('data-nodes')).toBe('2');
    await expect.poll(() => paintedPixels(page, '[data-testid=twin-graph]'), { timeout: UI_TIMEOUT }).toBeGreaterThan(200);
    await page.waitForTimeout(1200); // let the force layout settle before the screenshot
    await shot(page, 'twin-card.png');

    // Two hops reach the other stations on the same building; a related entity opens in the card, and back.
    await page.getByTestId('twin-graph-hops').getByText('2 跳').click();
    await expect.poll(() => graph.getAttribute('data-nodes'), { timeout: UI_TIMEOUT }).toBe('4');
    await page.locator(`[data-testid=twin-graph-item][data-id="${BUILDING}"]`).click();
    await expect.poll(() => page.getByTestId('twin-card-name').innerText()).toBe('测试综合楼');
    // The building's one numeric attribute never changed: no series to draw, and the card says so.
    await page.getByTestId('twin-history-empty').waitFor();
    await page.getByTestId('twin-card-back').click();
    await expect.poll(() => page.getByTestId('twin-card-name').innerText()).toBe(NAMES.A);
    expect(errors).toEqual([]);
  }, FLOW_TIMEOUT);

  it('rolls a value up to the county’s townships, drills down to villages and looks back in time', async () => {
    const { page, errors } = await openPage();
    await signIn(page, account('operator-a'));
    await openStations(page);
    await colorByLevel(page);

    await page.getByTestId('twin-layer-regions').click();
    const map = page.getByTestId('twin-map');
    await expect.poll(() => map.getAttribute('data-layer')).toBe('regions');
    // Two townships hold stations; the one with A and B shows their average.
    await expect.poll(() => map.getAttribute('data-count'), { timeout: UI_TIMEOUT }).toBe('2');
    const township = `[data-testid=twin-region-item][data-code="${v0.parentCode}"]`;
    const avg = Math.round(((level('A', 0) + level('B', 0)) / 2) * 100) / 100;
    await expect.poll(() => itemValue(page, township)).toBe(`${avg} m`);
    await expect.poll(() => paintedPixels(page, '[data-testid=twin-map]'), { timeout: UI_TIMEOUT }).toBeGreaterThan(1000);
    await page.waitForTimeout(600);
    await shot(page, 'twin-choropleth.png');

    // Drill down: the township's villages, with the breadcrumb back up to the county.
    await page.locator(township).click();
    await expect.poll(() => page.getByTestId('twin-crumb-current').getAttribute('data-code')).toBe(v0.parentCode);
    await expect.poll(() => page.locator(`[data-testid=twin-crumb][data-code="${county.code}"]`).innerText()).toBe(county.name);
    expect(page.url()).toContain(`#/twin/${v0.parentCode}`);
    const village = `[data-testid=twin-region-item][data-code="${v0.code}"]`;
    await expect.poll(() => itemValue(page, village), { timeout: UI_TIMEOUT }).toBe(`${avg} m`);
    await expect.poll(() => map.getAttribute('data-count')).toBe('1');
    await page.waitForTimeout(600);
    await shot(page, 'twin-drilled.png');

    // Back in time: about eight months ago station A stood lower, so the village's average did too.
    const rail = page.getByTestId('twin-time-slider').locator('.ant-slider-rail');
    const box = await rail.boundingBox();
    if (!box) throw new Error('the time slider is not visible');
    await page.mouse.click(box.x + box.width * 0.3, box.y + box.height / 2);
    await expect.poll(() => page.getByTestId('twin-asof').getAttribute('data-value')).not.toBe('now');
    await expect.poll(() => page.getByTestId('twin-asof').innerText()).toContain('截至');
    // (polled as a number: while the values of then load, the item shows no number at all)
    await expect.poll(async () => Number.parseFloat(await itemValue(page, village)), { timeout: UI_TIMEOUT }).toBeLessThan(avg);
    await expect.poll(() => page.getByTestId('twin-legend').innerText()).toContain('截至');
    await page.waitForTimeout(600);
    await shot(page, 'twin-as-of.png');

    // The entity layer follows the same time: A shows its value of then, not now.
    await page.getByTestId('twin-layer-entities').click();
    await expect.poll(async () => Number.parseFloat(await itemValue(page, `[data-testid=twin-entity-item][data-id="${SENSOR('A')}"]`)), { timeout: UI_TIMEOUT }).toBeLessThan(level('A', 0));

    // Back to now, and up to the county by the breadcrumb.
    await page.getByTestId('twin-time-now').click();
    await expect.poll(() => page.getByTestId('twin-asof').getAttribute('data-value')).toBe('now');
    await expect.poll(() => itemValue(page, `[data-testid=twin-entity-item][data-id="${SENSOR('A')}"]`)).toBe(`${level('A', 0)} m`);
    await page.locator(`[data-testid=twin-crumb][data-code="${county.code}"]`).click();
    await expect.poll(() => page.getByTestId('twin-crumb-current').getAttribute('data-code')).toBe(county.code);
    await expect.poll(() => page.getByTestId('twin-entity-item').count(), { timeout: UI_TIMEOUT }).toBe(3);
    expect(errors).toEqual([]);
  }, FLOW_TIMEOUT);

  it('filters entities by an attribute and says so when none are left', async () => {
    const { page, errors } = await openPage();
    await signIn(page, account('operator-a'));
    await openStations(page);
    await colorByLevel(page);

    await page.getByTestId('twin-filter-attr').click();
    await page.locator('.ant-select-dropdown [data-testid=twin-filter-attr-option][data-attr=waterLevel]').click();
    await page.getByTestId('twin-filter-op').click();
    await page.locator('.ant-select-dropdown:visible').getByText('大于', { exact: true }).click();
    // Above B's level but below A's current one: A stays, and C (whose level fell below) goes.
    const threshold = Math.max(level('B', 0), level('C', 0)) + 0.1;
    await page.locator('[data-testid=twin-filter-value]').fill(String(threshold));
    await page.getByTestId('twin-filter-apply').click();
    await expect.poll(() => page.getByTestId('twin-filter-tag').innerText()).toBe(`waterLevel>${threshold}`);
    await expect.poll(() => page.getByTestId('twin-entity-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-id'))), { timeout: UI_TIMEOUT }).toEqual([
      SENSOR('A'),
    ]);

    // Nothing is above 100 m: the map and the list say so.
    await page.locator('[data-testid=twin-filter-value]').fill('100');
    await page.getByTestId('twin-filter-apply').click();
    await page.getByTestId('twin-empty').waitFor();
    await expect.poll(() => page.getByTestId('twin-empty').innerText()).toContain(county.name);
    await expect.poll(() => page.getByTestId('twin-list-empty').innerText()).toContain('水位监测站');
    await page.waitForTimeout(600); // the markers fade out
    await shot(page, 'twin-empty.png');

    // English: the same page, translated.
    await page.getByTestId('lang-en').click();
    await expect.poll(() => page.getByTestId('nav-twin').innerText()).toBe('Digital twin');
    await expect.poll(() => page.getByTestId('twin-empty').innerText()).toContain('No entities of type');
    await page.locator('[data-testid=twin-filter-tag] .anticon-close').click();
    await expect.poll(() => page.getByTestId('twin-entity-item').count(), { timeout: UI_TIMEOUT }).toBe(3);
    await page.waitForTimeout(600);
    await shot(page, 'twin-entities-en.png');
    expect(errors).toEqual([]);
  }, FLOW_TIMEOUT);
});
