// SPDX-License-Identifier: Apache-2.0
// What the browser tests wait for and read in the console: form inputs by test id, dialogs that have
// finished opening (and submitting them), buttons ready to press, tables that have finished loading, charts
// that have drawn.
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { UI_TIMEOUT } from './console-server.ts';

/** The text input of a form control marked with a test id (on the input itself or on its wrapper). */
export function input(scope: Page | Locator, testId: string): Locator {
  return scope.locator(`input[data-testid="${testId}"], textarea[data-testid="${testId}"], [data-testid="${testId}"] input`).first();
}

/** Waits until exactly one dialog is shown and it has finished its opening animation. */
export async function dialogSettled(page: Page): Promise<Locator> {
  await expect.poll(() => page.locator('.ant-modal-wrap:visible').count(), { timeout: UI_TIMEOUT }).toBe(1);
  const dialog = page.locator('.ant-modal-wrap:visible');
  await expect.poll(() => dialog.locator('.ant-modal').evaluate((el) => el.getAnimations().length), { timeout: UI_TIMEOUT }).toBe(0);
  return dialog;
}

/**
 * Whether `button` is shown, enabled and not busy — answered at once: a button that goes away meanwhile (its
 * action done) is simply not idle, where the locator's own checks would wait for it to come back.
 */
export async function idle(button: Locator): Promise<boolean> {
  try {
    if ((await button.count()) !== 1) return false;
    const cls = await button.getAttribute('class', { timeout: 200 });
    return !cls?.includes('ant-btn-loading') && (await button.isEnabled({ timeout: 200 }));
  } catch {
    return false;
  }
}

/** How many pixels of the first canvas under `selector` are painted. */
export async function ink(page: Page, selector: string): Promise<number> {
  return page.locator(`${selector} canvas`).first().evaluate((c) => {
    const canvas = c as HTMLCanvasElement;
    const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) n++;
    return n;
  });
}

/** Waits until the tables under `selector` have stopped loading and faded back in. */
export async function settled(page: Page, selector: string): Promise<void> {
  await expect.poll(() => page.locator(`${selector} .ant-spin-blur, ${selector} .ant-spin-spinning`).count(), { timeout: UI_TIMEOUT }).toBe(0);
  await page.waitForTimeout(500);
}

/**
 * Clicks the dialog's OK and waits for it to close; an error the dialog shows fails the step with its text. A
 * click that did nothing (the dialog still open, idle and error-free a few seconds later) is repeated.
 */
export async function submitModal(page: Page): Promise<void> {
  const dialog = await dialogSettled(page);
  const ok = dialog.locator('.ant-modal-footer .ant-btn-primary');
  await ok.click();
  let lastClick = Date.now();
  await expect
    .poll(async () => {
      const error = dialog.locator('.ant-alert-error');
      if ((await error.count()) > 0) return `error: ${await error.first().innerText({ timeout: 200 }).catch(() => '')}`;
      if ((await dialog.count()) === 0) return 'closed';
      if ((await idle(ok)) && Date.now() - lastClick > 4000) {
        lastClick = Date.now();
        await ok.click();
      }
      return 'open';
    }, { timeout: UI_TIMEOUT })
    .toBe('closed');
}
