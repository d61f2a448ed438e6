// SPDX-License-Identifier: Apache-2.0
// Emergency resources in the browser: a county operator finds their resources in the table and on the map
// and takes one out of service from its drawer.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Region } from '../../contracts/regions.ts';
import { type ConsoleSession, startConsoleSession, UI_TIMEOUT } from '../helpers/console-server.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = path.join(ROOT, 'test-results', 'e2e');

let session: ConsoleSession;

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

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  session = await startConsoleSession();
  const call = await apiAs('operator-a');
  const county = account('operator-a').scope as string;
  const region = await call<Region>('GET', `/api/regions/${county}`);
  const [lon, lat] = region.centroid as [number, number];
  await call('POST', '/api/resources', { name: '甲县排涝泵车1号', type: 'pump-truck', capabilities: ['drainage'], location: [lon, lat] });
  await call('POST', '/api/resources', { name: '甲县救护车1号', type: 'ambulance', capabilities: ['medical'], location: [lon + 0.02, lat + 0.01] });
  await call('POST', '/api/resources', { name: '甲县防汛物资仓库·编织袋', type: 'sandbags', quantity: 3000, location: [lon - 0.02, lat - 0.01] });
});
afterAll(async () => {
  await session?.close();
});

describe('the resources page', () => {
  it('lists, maps and changes the status of a county\'s resources', async () => {
    const { page, errors } = await session.openPage();
    await session.signIn(page, account('operator-a'));
    await page.getByTestId('nav-resources').click();
    await expect.poll(() => page.getByTestId('resource-link').count(), { timeout: UI_TIMEOUT }).toBe(3);
    await expect.poll(() => page.getByTestId('resource-map').getAttribute('data-points'), { timeout: UI_TIMEOUT }).toBe('3');
    await page.waitForTimeout(600);
    await page.screenshot({ path: path.join(SHOTS, 'resources.png') });
    await page.getByTestId('resource-link').filter({ hasText: '救护车' }).click();
    await expect.poll(() => page.getByTestId('resource-status').innerText(), { timeout: UI_TIMEOUT }).toBe('可用');
    await page.getByTestId('resource-take-offline').click();
    await expect.poll(() => page.getByTestId('resource-status').innerText(), { timeout: UI_TIMEOUT }).toBe('不可用');
    await page.screenshot({ path: path.join(SHOTS, 'resource-drawer.png') });
    expect(errors).toEqual([]);
  });
});
