import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';

/** Debian's Chromium, headless, nothing phoning home. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

export const ARTIFACTS = join(__dirname, '../../test-artifacts');

type ChartGlobal = { instances: Record<string, unknown>; animator: { running(chart: unknown): boolean } };

/**
 * A full-page screenshot once every Chart.js chart on the page has finished animating: taken
 * during the ranking chart's 250 ms update, it showed bars short of the rates in the table.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.waitForFunction(() => {
    const chart = (window as unknown as { Chart?: ChartGlobal }).Chart;
    return !chart || Object.values(chart.instances).every((c) => !chart.animator.running(c));
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });
}

/** Collects uncaught page errors and console errors (a CSP violation is a console error). */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  return errors;
}
