/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Code passed to page.evaluate() runs in the browser: it needs the DOM types.
import { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { GOALS, PLATFORMS } from '../../src/brief/brief-options';
import { HEADER, ingest, top } from '../support/ingest-helpers';
import { launchChromium, screenshot, watchErrors } from '../support/browser';
import { isolatedMongoUri, startTestApp } from '../support/test-app';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the stub is an untyped CommonJS script
const { startLlmStub } = require('../../scripts/llm-stub.js');

type Stub = { url: string; calls: number; script(m: string[]): void; reset(): void; close(): Promise<void> };

const SAMPLE = join(__dirname, '../../samples/engagement-sample.csv');
const en = new Intl.NumberFormat('en');

/**
 * The dashboard at / driven in Debian's headless Chromium against the real app (the database,
 * Redis, Bull) and the HTTP LLM stub. Screenshots at 375 and 1280 px: test-artifacts/.
 */
describe('dashboard at / in a real browser (headless Chromium)', () => {
  let app: NestExpressApplication;
  let stub: Stub;
  let browser: Browser;
  let url: string;
  let page: Page;
  let errors: string[];
  const server = () => app.getHttpServer();

  beforeAll(async () => {
    stub = await startLlmStub();
    app = await startTestApp({
      MONGODB_URI: isolatedMongoUri('dashboard'),
      INGEST_CHUNK_ROWS: '1000',
      OPENAI_API_KEY: 'sk-test-not-a-real-key',
      OPENAI_BASE_URL: stub.url,
      LLM_MODEL: 'stub-model',
      LLM_TIMEOUT_MS: '400',
      BRIEF_RATE_LIMIT_PER_MIN: '1000',
      // The 502 and 504 tests fail the LLM on purpose, one after the other: the circuit
      // breaker (its own suite, test/brief/llm-breaker) would otherwise open between them.
      BRIEF_BREAKER_THRESHOLD: '100',
    });
    url = `http://127.0.0.1:${(server().address() as { port: number }).port}`;
    // The campaign tests need data whichever test runs first; the upload test sends the same file again.
    await ingest(app, readFileSync(SAMPLE, 'utf8'));
    browser = await launchChromium();
  });
  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    errors = watchErrors(page);
  });
  afterEach(async () => {
    await page.close();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await stub?.close();
  });

  it('serves the page and Chart.js from the app with a CSP that allows no inline script', async () => {
    const html = await request(server())
      .get('/')
      .expect(200)
      .expect('Content-Type', /text\/html/);
    const csp = html.headers['content-security-policy'];
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/upgrade-insecure-requests/);
    await request(server())
      .get('/assets/vendor/chart.umd.min.js')
      .expect(200)
      .expect('Content-Type', /javascript/);
    await request(server())
      .get('/assets/js/main.js')
      .expect(200)
      .expect('Content-Type', /javascript/);
    await request(server()).get('/assets/../package.json').expect(404);
    // Swagger UI keeps its own, looser policy.
    expect((await request(server()).get('/docs')).headers['content-security-policy']).toMatch(/script-src 'self' 'unsafe-inline'/);
  });

  it('uploads the sample: both bars reach the end, the counts and rejected rows are those of GET /ingest/:jobId', async () => {
    await page.goto(url, { waitUntil: 'networkidle' });
    // Every value the "writing" bar shows, in order.
    await page.evaluate(() => {
      const w = window as unknown as { seen: number[] };
      w.seen = [];
      const out = document.getElementById('upload-write-pct')!;
      new MutationObserver(() => w.seen.push(Number.parseInt(out.textContent ?? '', 10))).observe(out, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    await page.setInputFiles('#upload-file', SAMPLE);
    const accepted = page.waitForResponse((r) => r.url() === `${url}/ingest` && r.request().method() === 'POST');
    await page.keyboard.press('Tab'); // the form works from the keyboard: Upload is next after the file field
    await page.locator('#upload-submit').click();
    const { jobId } = await (await accepted).json();
    await page.locator('#upload-result').waitFor();

    const job = (await request(server()).get(`/ingest/${jobId}`).expect(200)).body;
    expect(job.status).toBe('completed');
    expect(await page.locator('#upload-read').evaluate((p: HTMLProgressElement) => p.value)).toBe(1);
    expect(await page.locator('#upload-write').evaluate((p: HTMLProgressElement) => p.value)).toBe(1);
    const seen = await page.evaluate(() => (window as unknown as { seen: number[] }).seen);
    expect(seen[seen.length - 1]).toBe(100);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]);

    expect(await page.locator('#count-accepted').innerText()).toBe(en.format(job.rowsAccepted));
    expect(await page.locator('#count-rejected').innerText()).toBe(en.format(job.rowsRejected));
    expect(await page.locator('#count-duplicate').innerText()).toBe(en.format(job.rowsDuplicate));
    expect(await page.locator('#count-total').innerText()).toBe(en.format(job.rowsTotal));
    expect(job.rowsRejected).toBeGreaterThan(0);
    const rows = await page
      .locator('#rejected-table tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...(tr as HTMLTableRowElement).cells].map((c) => c.textContent)));
    expect(rows).toEqual(
      job.errors.map((e: { line: number; column: string | null; reason: string }) => [String(e.line), e.column ?? '(whole row)', e.reason]),
    );

    const download = page.waitForEvent('download');
    await page.locator('#rejected-download').click();
    const file = await (await download).path();
    const csv = (await request(server()).get(`/ingest/${jobId}/errors`).set('Accept', 'text/csv').expect(200)).text;
    expect(readFileSync(file, 'utf8')).toBe(csv);
    expect(csv.trim().split('\n')).toHaveLength(job.rowsRejected + 1);
    expect(errors).toEqual([]);
  });

  it.each([
    ['a header without the required columns (422)', 'name,score\nalice,3\n', /missing required column/i],
    ['an empty file (400)', '', /empty/i],
  ])('shows the server’s reason for %s', async (_what, content, reason) => {
    await page.goto(url, { waitUntil: 'networkidle' });
    await page.setInputFiles('#upload-file', { name: 'refused.csv', mimeType: 'text/csv', buffer: Buffer.from(content) });
    const answer = page.waitForResponse((r) => r.url() === `${url}/ingest`);
    await page.locator('#upload-submit').click();
    const body = await (await answer).json();
    const alert = page.locator('#upload-error');
    await alert.waitFor();
    const said = [].concat(body.message).join('; ');
    expect(said).toMatch(reason);
    expect(await alert.innerText()).toContain(said);
    expect(await page.locator('#upload-result').isHidden()).toBe(true);
  });

  /** The bars as Chart.js holds them, and the table as a person reads it. */
  async function chartAndTable(p: Page) {
    const chart = await p.evaluate(() => {
      const c = (
        window as unknown as { Chart: { getChart(id: string): { data: { labels: string[]; datasets: Array<{ data: number[] }> } } } }
      ).Chart.getChart('campaign-chart');
      return { labels: c.data.labels, values: c.data.datasets[0].data };
    });
    const table = await p
      .locator('#performers-table tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...(tr as HTMLTableRowElement).cells].map((c) => c.textContent)));
    return { chart, table };
  }

  const expected = (ranking: Awaited<ReturnType<typeof top>>) => ({
    chart: { labels: ranking.map((r) => r.influencerId), values: ranking.map((r) => r.engagementRate * 100) },
    table: ranking.map((r) => [
      String(r.rank),
      // A creator with fewer views than RANKING_PRIOR_VIEWS (1000) carries the "small sample" badge.
      `${r.influencerId}${r.views < 1000 ? 'small sample' : ''}`,
      `${(r.engagementRate * 100).toFixed(2)}%`,
      `${(r.adjustedRate * 100).toFixed(2)}%`,
      ...[r.likes, r.comments, r.shares, r.views, r.posts].map((n) => en.format(n)),
    ]),
  });

  it('opens a campaign from the list: chart bars and table are GET /top-performers; the limit and the choice live in the URL', async () => {
    await page.goto(url, { waitUntil: 'networkidle' });
    await page.locator('#campaign-items button[data-campaign="campaign_6"]').click();
    await page.locator('#campaign-view[data-loaded="campaign_6|10"]').waitFor();
    expect(await chartAndTable(page)).toEqual(expected(await top(app, 'campaign_6', 10)));
    expect(page.url()).toBe(`${url}/?campaign=campaign_6#campaigns`);

    await page.locator('#campaign-limit').selectOption('5');
    await page.locator('#campaign-view[data-loaded="campaign_6|5"]').waitFor();
    expect(await chartAndTable(page)).toEqual(expected(await top(app, 'campaign_6', 5)));
    expect(page.url()).toBe(`${url}/?campaign=campaign_6&limit=5#campaigns`);
    await screenshot(page, 'dashboard-1280.png');

    // The address is a shareable link: a fresh page opens the same view, on a phone-sized screen.
    const phone = await browser.newPage({ viewport: { width: 375, height: 800 } });
    const phoneErrors = watchErrors(phone);
    await phone.goto(`${url}/?campaign=campaign_3&limit=20#campaigns`, { waitUntil: 'networkidle' });
    await phone.locator('#campaign-view[data-loaded="campaign_3|20"]').waitFor();
    expect(await chartAndTable(phone)).toEqual(expected(await top(app, 'campaign_3', 20)));
    await screenshot(phone, 'dashboard-375.png');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await phone.close();
    expect([...errors, ...phoneErrors]).toEqual([]);
  });

  it('filters a campaign by platform, dates, minimum views and rank, all in the address; shows the report and links its CSV', async () => {
    const slice = { platform: 'tiktok', from: '2024-02-01', to: '2024-06-30', minViews: 100000, rankBy: 'adjusted' };
    const query = new URLSearchParams({ campaign: 'campaign_6', ...slice, minViews: String(slice.minViews) }).toString();
    await page.goto(`${url}/?${query}#campaigns`, { waitUntil: 'networkidle' });
    const loaded = `campaign_6|10|${new URLSearchParams({ ...slice, minViews: String(slice.minViews) })}`;
    await page.locator(`#campaign-view[data-loaded="${loaded}"]`).waitFor();
    const ranking = await top(app, 'campaign_6', 10, slice);
    expect(ranking.length).toBeGreaterThan(1);
    const shown = await chartAndTable(page);
    expect(shown.table).toEqual(expected(ranking).table);
    // Ranked by the adjusted rate: the bars are that rate.
    expect(shown.chart).toEqual({ labels: ranking.map((r) => r.influencerId), values: ranking.map((r) => r.adjustedRate * 100) });

    // The menu lists the campaign's own platforms; the filters show the address's values.
    const menu = await page.locator('#filter-platform option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(menu).toEqual(['', 'facebook', 'instagram', 'tiktok', 'twitter', 'youtube']);
    expect(await page.locator('#filter-platform').inputValue()).toBe('tiktok');
    expect(await page.locator('#filter-from').inputValue()).toBe('2024-02-01');
    expect(await page.locator('#filter-min-views').inputValue()).toBe('100000');

    // KPI cards are the report's totals; the trend has one point per day of the slice.
    const report = (
      await request(server())
        .get('/campaigns/campaign_6/report')
        .query({ platform: 'tiktok', from: '2024-02-01', to: '2024-06-30', minViews: 100000 })
        .expect(200)
    ).body;
    const kpi = (name: string) => page.locator(`#report-kpis [data-kpi="${name}"] dd`).innerText();
    expect(await kpi('Posts')).toBe(en.format(report.totals.posts));
    expect(await kpi('Views')).toBe(en.format(report.totals.views));
    expect(await kpi('Engagement rate')).toBe(`${(report.totals.engagementRate * 100).toFixed(2)}%`);
    const series = await page.evaluate(
      () =>
        (window as unknown as { Chart: { getChart(id: string): { data: { labels: string[] } } } }).Chart.getChart('series-chart').data
          .labels,
    );
    expect(series).toEqual(report.series.map((p: { period: string }) => p.period));
    expect(await page.locator('#posts-table tbody tr').count()).toBe(report.topPosts.length);
    await screenshot(page, 'dashboard-report-1280.png');

    // The CSV link carries the same slice, and the server answers it as an attachment.
    const href = await page.locator('#campaign-csv').getAttribute('href');
    expect(href).toBe(`/campaigns/campaign_6/creators.csv?${new URLSearchParams({ ...slice, minViews: String(slice.minViews) })}`);
    const csv = await request(server()).get(href!).expect(200);
    expect(csv.headers['content-disposition']).toMatch(/^attachment/);
    expect(csv.text.split('\r\n')[1]).toBe(
      [
        1,
        ranking[0].influencerId,
        ranking[0].engagementRate,
        ranking[0].adjustedRate,
        ranking[0].likes,
        ranking[0].comments,
        ranking[0].shares,
        ranking[0].views,
        ranking[0].posts,
      ].join(','),
    );

    // Weekly trend, then rank by rate again: each choice lands in the address.
    await page.locator('#report-interval').selectOption('week');
    await page.locator('#campaign-view[data-loaded$="interval=week"]').waitFor();
    expect(page.url()).toContain('interval=week');
    await page.locator('#filter-rank-by').selectOption('rate');
    await page.locator('#campaign-view[data-loaded$="minViews=100000&interval=week"]').waitFor();
    expect(page.url()).not.toContain('rankBy');
    expect((await chartAndTable(page)).table).toEqual(expected(await top(app, 'campaign_6', 10, { ...slice, rankBy: 'rate' })).table);

    // A slice with no creator says so rather than "no data".
    await page.locator('#filter-min-views').fill('999999999');
    await page.locator('#filter-min-views').dispatchEvent('change');
    await page.locator('#campaign-view[data-loaded*="minViews=999999999"]').waitFor();
    expect(await page.locator('#campaign-error').innerText()).toMatch(/No creator in this slice/);
    expect(errors).toEqual([]);
  });

  it('searches the campaign list, pages through it, and says so for an unknown campaign', async () => {
    // More campaigns than one page of the list (20).
    await ingest(app, [HEADER, ...['a', 'b', 'c', 'd', 'e'].map((x) => `zz_paging_${x},amy,p1,5,1,1,100`)].join('\n'));
    const all = (await request(server()).get('/campaigns').query({ pageSize: 500 }).expect(200)).body.items.map(
      (c: { campaignId: string }) => c.campaignId,
    );
    expect(all.length).toBeGreaterThan(20);
    const listed = () => page.locator('#campaign-items button').evaluateAll((bs) => bs.map((b) => (b as HTMLElement).dataset.campaign));
    await page.goto(url, { waitUntil: 'networkidle' });
    expect(await listed()).toEqual(all.slice(0, 20));
    expect(await page.locator('#campaign-page').innerText()).toBe(`Page 1 of ${Math.ceil(all.length / 20)}`);
    await page.locator('#campaign-next').click();
    await page.locator('#campaign-page').filter({ hasText: 'Page 2 of' }).waitFor();
    expect(await listed()).toEqual(all.slice(20, 40));
    await page.locator('#campaign-prev').click();
    await page.locator('#campaign-page').filter({ hasText: 'Page 1 of' }).waitFor();

    await page.locator('#campaign-q').fill('N_1');
    const matching = all.filter((id: string) => id.toLowerCase().includes('n_1'));
    expect(matching.length).toBeGreaterThan(1);
    await page.waitForFunction((n) => document.querySelectorAll('#campaign-items button').length === n, Math.min(20, matching.length));
    expect(await listed()).toEqual(matching.slice(0, 20));

    await page.locator('#campaign-q').fill('no_such_campaign');
    await page.locator('#campaign-q').press('Enter');
    await page.locator('#campaign-view[data-loaded="no_such_campaign|10"]').waitFor();
    expect(await page.locator('#campaign-error').innerText()).toMatch(/No data for campaign “no_such_campaign”/);
    // The list filters as one types (debounced), so its answer may come after the campaign's.
    await page
      .locator('#campaign-list-status')
      .filter({ hasText: /No campaign matches “no_such_campaign”/ })
      .waitFor();
    expect(await page.locator('#campaign-items button').count()).toBe(0);
    expect(await page.locator('#campaign-chart-box').isHidden()).toBe(true);
  });

  it('lists campaigns in natural order (campaign_2 before campaign_10), and sorts search hits so itself', async () => {
    const natural = new Intl.Collator('en', { numeric: true });
    const listed = () => page.locator('#campaign-items button').evaluateAll((bs) => bs.map((b) => (b as HTMLElement).dataset.campaign!));
    await page.goto(url, { waitUntil: 'networkidle' });
    const first = await listed();
    expect(first).toEqual(expect.arrayContaining(['campaign_2', 'campaign_10']));
    expect(first).toEqual([...first].sort(natural.compare));

    // Search hits come from every page the API gives, in whatever order: the page sorts them itself.
    await ingest(app, [HEADER, ...['10', '2', '1'].map((n) => `natural_${n},amy,p1,5,1,1,100`)].join('\n'));
    await page.route('**/campaigns?*', async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as { items: unknown[] };
      await route.fulfill({ response: res, json: { ...body, items: body.items.reverse() } });
    });
    await page.locator('#campaign-q').fill('natural_');
    await page.locator('#campaign-list-status').filter({ hasText: '3 campaigns' }).waitFor();
    expect(await listed()).toEqual(['natural_1', 'natural_2', 'natural_10']);
    expect(errors).toEqual([]);
  });

  it('writes a brief through the LLM stub, shows the model, then the same brief from the cache', async () => {
    expect(
      await request(server())
        .get('/')
        .then(() => page.goto(url, { waitUntil: 'networkidle' }))
        .then(() => page.locator('#brief-goal option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))),
    ).toEqual([...GOALS]);
    expect(await page.locator('#brief-platform option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual([
      ...PLATFORMS,
    ]);

    const form = {
      brand: `Glow Labs ${randomBytes(3).toString('hex')}`,
      product: 'Vitamin C serum',
      goal: 'launch',
      platform: 'instagram',
    };
    stub.reset();
    // Keyboard only: type, Tab to the next field, Enter submits.
    await page.locator('#brief-brand').focus();
    await page.keyboard.type(form.brand);
    await page.keyboard.press('Tab');
    await page.keyboard.type(form.product);
    await page.locator('#brief-goal').selectOption(form.goal);
    await page.locator('#brief-platform').selectOption(form.platform);
    await page.locator('#brief-product').press('Enter');
    await page.locator('#brief-cache[data-cache="MISS"]').waitFor();
    expect(stub.calls).toBe(1);

    // The same request again through the API is a cache hit with exactly the brief the page shows.
    const brief = (await request(server()).post('/generate_brief').send(form).expect(200).expect('X-Cache', 'HIT')).body;
    const text = (field: string) => page.locator(`#brief-result [data-field="${field}"]`).innerText();
    const items = (field: string) => page.locator(`#brief-result [data-field="${field}"] li`).allInnerTexts();
    expect(await text('caption')).toBe(brief.caption);
    expect(await items('hook_ideas')).toEqual(brief.hook_ideas);
    expect(await items('hashtags')).toEqual(brief.hashtags);
    for (const f of ['cta', 'tone', 'persona', 'creative_angle', 'disclosure']) expect(await text(f)).toBe(brief[f]);
    expect(await page.locator('#brief-model').innerText()).toBe('Model: stub-model');

    await page.locator('#brief-submit').click();
    await page.locator('#brief-cache[data-cache="HIT"]').waitFor();
    expect(await page.locator('#brief-cache').innerText()).toBe('From cache');
    expect(stub.calls).toBe(1);

    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
    await page.locator('button[data-copy="hashtags"]').click();
    await page.locator('#brief-copied').filter({ hasText: 'copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(brief.hashtags.join(' '));
    await screenshot(page, 'dashboard-brief-1280.png');
    expect(errors).toEqual([]);
  });

  it("writes a brief that learns from a picked campaign, listing its recommended creators with links to the campaign's ranking", async () => {
    const campaignId = `brief_${randomBytes(3).toString('hex')}`;
    const MARKUP = '<img src=x onerror="document.title=1">';
    await ingest(
      app,
      [
        'campaignId,influencerId,postId,platform,postedAt,likes,comments,shares,views',
        `${campaignId},ana,a1,tiktok,2024-05-01,120,5,5,1000`,
        `${campaignId},"${MARKUP.replace(/"/g, '""')}",m1,tiktok,2024-05-02,300,0,0,2000`,
        `${campaignId},ben,b1,tiktok,2024-05-08,20,0,0,1500`,
        `${campaignId},cy,c1,instagram,2024-05-03,90,0,0,900`,
      ].join('\n'),
    );
    await page.goto(url, { waitUntil: 'networkidle' });
    // Used, the picker suggests the campaigns of GET /campaigns (the page does not read them before).
    expect(await page.locator('#brief-campaign-options option').count()).toBe(0);
    await page.locator('#brief-campaign').focus();
    await page.locator(`#brief-campaign-options option[value="${campaignId}"]`).waitFor({ state: 'attached' });
    stub.reset();
    const form = {
      brand: `Glow Labs ${randomBytes(3).toString('hex')}`,
      product: 'Vitamin C serum',
      goal: 'engagement',
      platform: 'tiktok',
    };
    await page.locator('#brief-brand').fill(form.brand);
    await page.locator('#brief-product').fill(form.product);
    await page.locator('#brief-goal').selectOption(form.goal);
    await page.locator('#brief-platform').selectOption(form.platform);
    await page.locator('#brief-campaign').fill(campaignId);
    await page.locator('#brief-submit').click();
    await page.locator('#brief-insights:not([hidden])').waitFor();
    expect(stub.calls).toBe(1);

    // What the page lists is the answer's insights, the campaign's adjusted ranking on the platform.
    const brief = (
      await request(server())
        .post('/generate_brief')
        .send({ ...form, campaignId })
        .expect(200)
        .expect('X-Cache', 'HIT')
    ).body;
    const ranking = await top(app, campaignId, 5, { platform: 'tiktok', rankBy: 'adjusted' });
    expect(brief.insights.recommendedCreators.map((c: { influencerId: string }) => c.influencerId)).toEqual(
      ranking.map((r) => r.influencerId),
    );
    const links = page.locator('#brief-creators li a');
    expect(await links.allInnerTexts()).toEqual(ranking.map((r) => r.influencerId));
    expect(await page.locator('#brief-creators img').count()).toBe(0); // markup in an id is text
    const href = `/?${new URLSearchParams({ campaign: campaignId, platform: 'tiktok', rankBy: 'adjusted' })}#campaigns`;
    expect(await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(ranking.map(() => href));
    expect(await page.locator('#brief-insights-summary').innerText()).toBe(
      `Campaign ${campaignId} on tiktok: ${(brief.insights.benchmark.engagementRate * 100).toFixed(2)}% engagement over 3 posts by 3 creators. Recommended creators (by adjusted rate):`,
    );
    await screenshot(page, 'dashboard-brief-insights-1280.png');

    // A link opens the campaign view on that ranking.
    await links.first().click();
    await page.locator(`#campaign-view[data-loaded="${campaignId}|10|platform=tiktok&rankBy=adjusted"]`).waitFor();
    expect(await page.locator('#campaign-name').innerText()).toBe(campaignId);
    expect(errors).toEqual([]);
  });

  it('sends no campaignId when the picker is left empty', async () => {
    await page.goto(url, { waitUntil: 'networkidle' });
    const sent: unknown[] = [];
    page.on('request', (r) => r.url().endsWith('/generate_brief') && sent.push(r.postDataJSON()));
    await page.locator('#brief-brand').fill(`Plain ${randomBytes(3).toString('hex')}`);
    await page.locator('#brief-product').fill('Serum');
    await page.locator('#brief-campaign').fill('   ');
    await page.locator('#brief-submit').click();
    await page.locator('#brief-result:not([hidden])').waitFor();
    expect(sent).toHaveLength(1);
    expect(sent[0]).not.toHaveProperty('campaignId');
    expect(await page.locator('#brief-insights').isHidden()).toBe(true);
  });

  it.each([
    ['502 after three failed attempts', ['500', '500', '500'], /The AI model did not produce a usable brief/],
    ['504 after three timeouts', ['timeout', 'timeout', 'timeout'], /took too long to answer/],
  ])('explains a %s', async (_what, script, message) => {
    await page.goto(url, { waitUntil: 'networkidle' });
    stub.reset();
    stub.script(script);
    await page.locator('#brief-brand').fill(`Failing ${randomBytes(3).toString('hex')}`);
    await page.locator('#brief-product').fill('Serum');
    await page.locator('#brief-submit').click();
    const alert = page.locator('#brief-error');
    await alert.waitFor({ timeout: 20_000 });
    expect(await alert.innerText()).toMatch(message);
  });

  it('labels every form field', async () => {
    await page.goto(url, { waitUntil: 'networkidle' });
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select')].filter((el) => !(el as HTMLInputElement).labels?.length).map((el) => el.id),
    );
    expect(unlabelled).toEqual([]);
  });
});

describe('dashboard with API keys set (headless Chromium)', () => {
  let app: NestExpressApplication;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    app = await startTestApp({ MONGODB_URI: isolatedMongoUri('dashboard_keys'), API_KEYS: 'dash-key-1,dash-key-2' });
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('asks for a key once, sends it as X-API-Key, keeps it for the tab only, and asks again when it is refused', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    const sentKeys: Array<string | undefined> = [];
    page.on('request', (r) => r.url().includes('/campaigns') && sentKeys.push(r.headers()['x-api-key']));
    await page.goto(url);
    const dialog = page.locator('#key-dialog');
    await dialog.waitFor();
    expect(await page.locator('#key-reason').innerText()).toMatch(/needs an API key/);
    await page.locator('#key-input').fill('wrong-key');
    await page.locator('#key-input').press('Enter');
    await page
      .locator('#key-reason')
      .filter({ hasText: /refused/ })
      .waitFor();
    await page.locator('#key-input').fill('dash-key-2');
    await page.locator('#key-ok').click();
    await page
      .locator('#campaign-list-status')
      .filter({ hasText: /No campaigns yet/ })
      .waitFor();
    expect(sentKeys).toEqual([undefined, 'wrong-key', 'dash-key-2']);
    expect(await page.evaluate(() => ({ session: Object.values(sessionStorage), local: localStorage.length }))).toEqual({
      session: ['dash-key-2'],
      local: 0,
    });

    // Upload and watch the job (the event stream needs the key too) without being asked again.
    await page.setInputFiles('#upload-file', {
      name: 'keyed.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('campaignId,influencerId,likes,comments,shares,views\nkeyed,amy,5,1,1,100\nkeyed,bo,1,0,0,0\n'),
    });
    await page.locator('#upload-submit').click();
    await page.locator('#upload-result').waitFor();
    expect(await page.locator('#count-accepted').innerText()).toBe('1');
    expect(await page.locator('#count-rejected').innerText()).toBe('1');
    expect(await dialog.isVisible()).toBe(false);
    await screenshot(page, 'dashboard-keys-375.png');
    await page.close();
  });
});
