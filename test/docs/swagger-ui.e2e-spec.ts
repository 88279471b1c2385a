import { NestExpressApplication } from '@nestjs/platform-express';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium } from 'playwright-core';
import { HEADER, ingest } from '../support/ingest-helpers';
import { isolatedMongoUri, startTestApp } from '../support/test-app';

/**
 * Swagger UI driven in Debian's headless Chromium: the page must list the endpoints and
 * "Try it out" on /top-performers must return a real ranking. Screenshot: test-artifacts/.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '../../test-artifacts');

describe('Swagger UI at /docs in a real browser (headless Chromium)', () => {
  let app: NestExpressApplication;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    app = await startTestApp({ MONGODB_URI: isolatedMongoUri('docs') });
    await ingest(app, [HEADER, 'camp_ui,alice,p1,50,5,5,100', 'camp_ui,bob,p2,10,0,0,100'].join('\n'));
    const address = app.getHttpServer().address() as { port: number };
    url = `http://127.0.0.1:${address.port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('lists the endpoints, and "Try it out" on /top-performers returns the ranking', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${url}/docs`, { waitUntil: 'networkidle' });
    await page.waitForSelector('.opblock-summary-path');

    const paths = await page.$$eval('.opblock-summary-path', (els) => els.map((e) => e.getAttribute('data-path')));
    expect(paths).toEqual(
      expect.arrayContaining([
        '/ingest',
        '/ingest/{jobId}',
        '/top-performers',
        '/campaigns',
        '/campaigns/{campaignId}/report',
        '/campaigns/{campaignId}/creators.csv',
        '/generate_brief',
        '/health',
      ]),
    );

    const op = page.locator('#operations-analytics-AnalyticsController_topPerformers');
    await op.locator('.opblock-summary').click();
    const tryItOut = op.locator('button.try-out__btn');
    if ((await tryItOut.count()) > 0 && (await tryItOut.innerText()).includes('Try it out')) await tryItOut.click();
    await op.locator('input[placeholder="campaignId"]').fill('camp_ui');
    await op.locator('button.execute').click();

    const status = op.locator('.live-responses-table tbody .response-col_status').first();
    await status.waitFor();
    expect((await status.innerText()).trim()).toBe('200');
    const body = JSON.parse(await op.locator('.live-responses-table tbody .response-col_description pre.microlight').first().innerText());
    expect(body.map((r: { rank: number; influencerId: string }) => [r.rank, r.influencerId])).toEqual([
      [1, 'alice'],
      [2, 'bob'],
    ]);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'swagger-top-performers.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
