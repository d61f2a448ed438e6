// SPDX-License-Identifier: Apache-2.0
// A listening platform serving the built console, for browser tests.
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import type { DemoAccount } from '../../server/modules/demo/index.ts';
import type { Deps } from '../../server/platform/deps.ts';
import { createTestPlatform } from './platform.ts';

export async function startConsoleServer(): Promise<{ baseUrl: string; accounts: DemoAccount[]; deps: Deps; close(): Promise<void> }> {
  const p = await createTestPlatform();
  await p.app.listen({ port: 0, host: '127.0.0.1' });
  const address = p.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { baseUrl: `http://127.0.0.1:${port}`, accounts: p.accounts, deps: p.deps, close: () => p.stop() };
}

/** How long a browser step may wait for the console. */
export const UI_TIMEOUT = 20_000;

/** A console server and headless Chromium (Debian's) to drive it, with fresh profiles per page. */
export type ConsoleSession = {
  server: Awaited<ReturnType<typeof startConsoleServer>>;
  /** A fresh browser profile (own cookies and storage), Chinese unless told, with page errors collected. */
  openPage(locale?: string): Promise<{ page: Page; errors: string[] }>;
  /** Signs in through the login page and waits for the signed-in header. */
  signIn(page: Page, account: { username: string; password: string }): Promise<void>;
  close(): Promise<void>;
};

export async function startConsoleSession(): Promise<ConsoleSession> {
  const server = await startConsoleServer();
  const browser: Browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  const contexts: BrowserContext[] = [];
  return {
    server,
    async openPage(locale = 'zh-CN') {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(UI_TIMEOUT);
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      return { page, errors };
    },
    async signIn(page, account) {
      await page.goto(`${server.baseUrl}/`);
      await page.getByTestId('login-username').fill(account.username);
      await page.getByTestId('login-password').fill(account.password);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('header-user').waitFor();
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
      await server.close();
    },
  };
}
