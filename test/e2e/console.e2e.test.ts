// SPDX-License-Identifier: Apache-2.0
// Browser flows through the built console (web/dist) served by a real platform, in headless Chromium.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../contracts/identity.ts';
import type { Region } from '../../contracts/regions.ts';
import { type ConsoleSession, startConsoleSession, UI_TIMEOUT } from '../helpers/console-server.ts';

type Account = { username: string; password: string; roles: readonly Role[]; scope: string | null };
type ConsoleServer = ConsoleSession['server'];

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = path.join(ROOT, 'test-results', 'e2e');

let server: ConsoleServer;
let session: ConsoleSession;

function accountWith(role: Role): Account {
  const a = server.accounts.find((x) => x.roles.includes(role));
  if (!a) throw new Error(`no demo account with role ${role}`);
  return a;
}

async function signOut(page: Page): Promise<void> {
  await page.getByTestId('logout').click();
  await page.getByTestId('login-submit').waitFor();
}

/** GET through the page's session (same cookies as the console). */
async function apiGet<T>(page: Page, url: string): Promise<T> {
  const res = await page.request.get(`${server.baseUrl}${url}`);
  expect(res.status(), url).toBe(200);
  return (await res.json()) as T;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, name) });
}

/** How many pixels of the canvas are painted (not transparent). */
async function paintedPixels(page: Page, selector: string): Promise<number> {
  return page.locator(selector).first().evaluate((el) => {
    const canvas = el as HTMLCanvasElement;
    const ctx = canvas.getContext('2d');
    if (!ctx || canvas.width === 0 || canvas.height === 0) return 0;
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 16) if ((data[i] ?? 0) > 0) painted++;
    return painted;
  });
}

const openPage = (locale?: string) => session.openPage(locale);
const signIn = (page: Page, account: Account) => session.signIn(page, account);

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  session = await startConsoleSession();
  server = session.server;
});

afterAll(async () => {
  await session?.close();
});

describe('web console', () => {
  it('shows the sign-in page and rejects a wrong password with the server’s message', async () => {
    const { page, errors } = await openPage();
    await page.goto(`${server.baseUrl}/`);
    await page.getByTestId('login-username').fill(accountWith('system-admin').username);
    await page.getByTestId('login-password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    const alert = page.getByTestId('login-error');
    await alert.waitFor();
    expect(await alert.getAttribute('data-code')).toBe('invalid-credentials');
    await shot(page, 'login-error.png');
    expect(errors).toEqual([]);
  });

  it('lets the system admin explore regions on a map drawn from their boundaries', async () => {
    const { page, errors } = await openPage();
    await signIn(page, accountWith('system-admin'));
    await page.getByTestId('nav-regions').click();

    const roots = await apiGet<{ items: Region[] }>(page, '/api/regions/roots');
    const root = roots.items[0];
    if (!root) throw new Error('the system admin sees no region');
    const children = await apiGet<{ items: Region[] }>(page, `/api/regions/${root.code}/children`);
    expect(children.items.length).toBeGreaterThan(0);

    // The map draws one area per child region, on a canvas that is actually painted.
    const map = page.getByTestId('region-map');
    await map.locator('canvas').first().waitFor();
    await expect.poll(() => map.getAttribute('data-features'), { timeout: UI_TIMEOUT }).toBe(String(children.items.length));
    await expect.poll(() => paintedPixels(page, '[data-testid=region-map] canvas'), { timeout: UI_TIMEOUT }).toBeGreaterThan(1000);

    // The tree opens the root and lists its children by name.
    const tree = page.getByTestId('region-tree');
    for (const child of children.items) {
      await tree.locator(`[data-testid=region-tree-node][data-code="${child.code}"]`).waitFor();
      await expect.poll(() => tree.locator(`[data-code="${child.code}"]`).innerText()).toContain(child.name);
    }
    await expect.poll(() => page.getByTestId('region-details-code').innerText()).toContain(root.code);
    await page.waitForTimeout(600); // let the map's entry animation finish before the screenshot
    await shot(page, 'region-explorer.png');

    // Choosing a child in the tree drills in: the breadcrumb and the details follow.
    const first = children.items[0];
    if (!first) throw new Error('unreachable: children were checked above');
    await tree.locator(`[data-testid=region-tree-node][data-code="${first.code}"]`).click();
    await expect.poll(() => page.getByTestId('region-details-name').innerText()).toBe(first.name);
    await expect.poll(() => page.getByTestId('region-breadcrumb').innerText()).toContain(root.name);
    expect(page.url()).toContain(`#/regions/${first.code}`);
    expect(errors).toEqual([]);
  });

  it('switches the console between Chinese and English and remembers the choice', async () => {
    const { page } = await openPage();
    await signIn(page, accountWith('system-admin'));
    await page.getByTestId('lang-en').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    await expect.poll(() => page.getByTestId('nav-regions').innerText()).toBe('Regions');
    await page.reload();
    await page.getByTestId('header-user').waitFor();
    await expect.poll(() => page.getByTestId('nav-regions').innerText()).toBe('Regions');
    await page.getByTestId('lang-zh-CN').click();
    await expect.poll(() => page.getByTestId('nav-regions').innerText()).toBe('区划浏览');
  });

  it('records a user created by the system admin in the audit log, whose chain verifies', async () => {
    const { page, errors } = await openPage();
    const username = `e2e-${Date.now().toString(36)}`;

    await signIn(page, accountWith('system-admin'));
    // The audit log is the audit admin's alone: no menu entry, and the address itself is refused.
    expect(await page.getByTestId('nav-audit').count()).toBe(0);
    await page.goto(`${server.baseUrl}/#/audit`);
    await page.getByTestId('forbidden').waitFor();
    await page.getByTestId('nav-users').click();
    await page.getByTestId('user-create').click();
    await page.getByTestId('user-form-username').fill(username);
    await page.getByTestId('user-form-display-name').fill('浏览器测试用户');
    await page.getByTestId('user-form-password').fill('Yz-e2e-Passw0rd-2026');
    // Open the organization picker, wait for its options, take the first one with the keyboard.
    const organization = page.getByTestId('user-form-organization');
    await organization.click();
    await page.locator('[data-testid=org-option]').first().waitFor();
    await page.keyboard.press('Enter');
    await organization.locator('[data-testid=org-option]').waitFor();
    await page.getByTestId('role-option-operator').check();
    // The system admin may not hand out the separated administrator roles (三员分立).
    expect(await page.getByTestId('role-option-security-admin').isDisabled()).toBe(true);
    await shot(page, 'user-form.png');
    await page.getByTestId('user-form-submit').click();

    // The drawer closes and the new account is listed.
    await page.getByTestId('user-form-submit').waitFor({ state: 'hidden' });
    await page.locator('[data-testid=user-search] input').fill(username);
    await expect.poll(() => page.locator('[data-testid=user-row-username]').allInnerTexts(), { timeout: UI_TIMEOUT }).toEqual([username]);
    await shot(page, 'user-created.png');
    await signOut(page);

    await signIn(page, accountWith('audit-admin'));
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-action-filter').fill('user.created');
    const row = page.locator('[data-testid=audit-table] tr', { hasText: username });
    await row.first().waitFor();
    await expect.poll(() => row.first().getByTestId('audit-action').innerText()).toBe('user.created');

    await page.getByTestId('audit-verify').click();
    const result = page.getByTestId('audit-verify-result');
    await result.waitFor();
    expect(await result.getAttribute('data-ok')).toBe('true');
    await shot(page, 'audit-verified.png');
    expect(errors).toEqual([]);
  });

  it('lets the security admin grant only one of the separated administrator roles (三员分立)', async () => {
    const { page, errors } = await openPage();
    const auditAdmin = accountWith('audit-admin');
    await signIn(page, accountWith('security-admin'));
    await page.getByTestId('nav-users').click();
    await page.locator('[data-testid=user-search] input').fill(auditAdmin.username);
    const row = page.locator('[data-testid=user-table] tr', { has: page.locator('[data-testid=user-row-username]', { hasText: auditAdmin.username }) });
    await row.getByTestId('user-edit-button').click();
    await page.getByTestId('role-separation-hint').waitFor();
    expect(await page.getByTestId('role-option-audit-admin').isChecked()).toBe(true);
    for (const role of ['system-admin', 'security-admin']) {
      expect(await page.getByTestId(`role-option-${role}`).isDisabled(), role).toBe(true);
      expect(await page.getByTestId(`role-option-${role}`).getAttribute('data-conflict'), role).toBe('true');
    }
    // Business roles stay available to add.
    expect(await page.getByTestId('role-option-viewer').isDisabled()).toBe(false);
    await shot(page, 'role-separation.png');
    expect(errors).toEqual([]);
  });

  it('confines a county operator to their own county', async () => {
    const operators = server.accounts.filter((a) => a.roles.includes('operator') && a.scope);
    const [mine, other] = operators;
    if (!mine?.scope || !other?.scope) throw new Error('the demo data needs two county operators');
    expect(mine.scope).not.toBe(other.scope);
    const myScope = mine.scope;

    // The other county's name, as the platform-wide administrator sees it.
    const admin = await openPage();
    await signIn(admin.page, accountWith('system-admin'));
    const otherCounty = await apiGet<Region>(admin.page, `/api/regions/${other.scope}`);
    const myCounty = await apiGet<Region>(admin.page, `/api/regions/${mine.scope}`);

    const { page, errors } = await openPage();
    await signIn(page, mine);
    await expect.poll(() => page.getByTestId('header-scope').innerText()).toContain(myCounty.name);
    await page.getByTestId('nav-regions').click();

    // The tree holds their county at the top and nothing outside it.
    const tree = page.getByTestId('region-tree');
    await tree.locator(`[data-testid=region-tree-node][data-code="${mine.scope}"]`).waitFor();
    await tree.locator('[data-testid=region-tree-node]').nth(1).waitFor();
    const codes = await tree.locator('[data-testid=region-tree-node]').evaluateAll((els) => els.map((e) => e.getAttribute('data-code') ?? ''));
    const prefix = myScope.slice(0, 6);
    expect(codes.length).toBeGreaterThan(1);
    expect(codes.filter((c) => !c.startsWith(prefix))).toEqual([]);
    expect(codes).not.toContain(other.scope);

    // Searching finds their own county, but not the other operator's.
    const search = page.locator('[data-testid=region-search] input');
    await search.fill(myCounty.name);
    await page.locator(`[data-testid=region-search-result][data-code="${mine.scope}"]`).waitFor();
    await search.fill(otherCounty.name);
    await page.getByTestId('region-search-empty').waitFor();
    expect(await page.getByTestId('region-search-result').count()).toBe(0);
    await shot(page, 'operator-search.png');
    expect(errors).toEqual([]);
  });
});
