import { NestExpressApplication } from '@nestjs/platform-express';
import { expectTotalsMatchRows } from '../support/totals-audit';
import request from 'supertest';
import { HEADER, ingest, top, uploadCsv, waitForJob } from '../support/ingest-helpers';
import { isolatedMongoUri, startTestApp } from '../support/test-app';

describe('POST /ingest → workers → GET /ingest/:id (real database, Redis, Bull)', () => {
  let app: NestExpressApplication;
  beforeAll(async () => {
    app = await startTestApp({
      MONGODB_URI: isolatedMongoUri('ingest'),
      INGEST_CHUNK_ROWS: '10',
      INGEST_MAX_BYTES: '65536',
      INGEST_MAX_STORED_ERRORS: '1500',
    });
  });
  afterAll(async () => app?.close());

  /** When the campaign's ranking was last written, as GET /campaigns reports it. */
  async function rankingUpdatedAt(campaignId: string): Promise<string> {
    const res = await request(app.getHttpServer()).get('/campaigns').query({ pageSize: 100 }).expect(200);
    const item = (res.body.items as Array<{ campaignId: string; updatedAt: string }>).find((c) => c.campaignId === campaignId);
    if (!item) throw new Error(`${campaignId} is not listed`);
    return item.updatedAt;
  }

  it('lands every valid row and reports every bad one with its physical line', async () => {
    const csv = [
      '\uFEFFcampaign_id,Influencer_ID,post_id,LIKES,comments,shares,views,extra', // 1 (BOM, snake/mixed case, extra column)
      'e1,alice,p1,10,2,1,100,x', // 2
      'e1,bob,p2,5,,0,50,x', // 3 blank comments = 0
      '', // 4 blank: skipped silently
      'e1,"carol, the ""great""",p3,1,1,1,10,"multi', // 5..6 quoted comma, quote and newline
      'line"',
      'e1,dave,p4,1,1,1,0,x', // 7 views 0
      'e1,erin,p5,-1,1,1,10,x', // 8 negative
      'e1,frank,p6,1,1,1', // 9 too few fields
      'e1,gina,p7,1,1,1,9007199254740992,x', // 10 > 2^53-1
      'e1,hank,"p8"x,1,1,1,10,x', // 11 malformed quoting
      'e1,ivan,p9,1,1,1,9007199254740991,x', // 12 2^53-1 is fine
    ].join('\r\n');
    const res = await uploadCsv(app, csv).expect(202);
    expect(res.body).toEqual({ jobId: expect.any(String), status: 'queued', statusUrl: `/ingest/${res.body.jobId}` });
    const job = await waitForJob(app, res.body.jobId);
    expect(job).toMatchObject({
      status: 'completed',
      rowsTotal: 9,
      rowsAccepted: 4,
      rowsRejected: 5,
      rowsDuplicate: 0,
      rowsWritten: 4,
      rowsSuperseded: 0,
      progress: 1,
      errorsNotStored: 0,
    });
    expect(job.errors.map((e: { line: number; column: string | null }) => [e.line, e.column])).toEqual([
      [7, 'views'],
      [8, 'likes'],
      [9, null],
      [10, 'views'],
      [11, null],
    ]);
    const ranking = await top(app, 'e1');
    expect(ranking.map((r) => r.influencerId)).toEqual(['carol, the "great"', 'alice', 'bob', 'ivan']);
    expect(ranking[1]).toEqual({
      rank: 2,
      campaignId: 'e1',
      influencerId: 'alice',
      engagementRate: 13 / 100,
      likes: 10,
      comments: 2,
      shares: 1,
      views: 100,
      posts: 1,
      adjustedRate: expect.any(Number), // its value: test/analytics/slices
    });
    expect(ranking[2]).toMatchObject({ influencerId: 'bob', comments: 0, engagementRate: 0.1 });

    const all = await request(app.getHttpServer()).get(`/ingest/${res.body.jobId}/errors`).expect(200);
    expect(all.body).toHaveLength(5);
    expect(all.body[0]).toEqual({ line: 7, column: 'views', reason: expect.stringContaining('at least 1') });
    const asCsv = await request(app.getHttpServer()).get(`/ingest/${res.body.jobId}/errors`).set('Accept', 'text/csv').expect(200);
    expect(asCsv.headers['content-type']).toMatch(/text\/csv/);
    expect(asCsv.text.split('\n')[0]).toBe('line,column,reason');
  });

  it('rejects a row with a stray quote after a closed quoted field and still lands the lines after it', async () => {
    const csv = `${HEADER}\nsq,"alice" "x,p1,1,1,1,10\nsq,bob,p2,1,1,1,10\nsq,carl,p3,1,1,1,10\n`;
    const job = await ingest(app, csv);
    expect(job).toMatchObject({ status: 'completed', rowsAccepted: 2, rowsRejected: 1 });
    expect(job.errors).toEqual([{ line: 2, column: null, reason: expect.stringMatching(/malformed CSV quoting/) }]);
    expect((await top(app, 'sq')).map((r) => r.influencerId).sort()).toEqual(['bob', 'carl']);
  });

  it('stores the errors of an upload up to INGEST_MAX_STORED_ERRORS, counts the rest, and streams them all as CSV', async () => {
    const csv = `${HEADER}\n${'x\n'.repeat(2000)}cap,a,p1,1,1,1,10\n`;
    const job = await ingest(app, csv);
    expect(job).toMatchObject({ status: 'completed', rowsAccepted: 1, rowsRejected: 2000, errorsNotStored: 500 });
    const asCsv = await request(app.getHttpServer()).get(`/ingest/${job.jobId}/errors`).set('Accept', 'text/csv').expect(200);
    const lines = asCsv.text.split('\n');
    expect(lines[0]).toBe('line,column,reason');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(1, -1).map((l) => Number(l.split(',')[0]))).toEqual(Array.from({ length: 1500 }, (_, i) => i + 2));
    expect(lines[1]).toBe('2,,"expected 7 fields as in the header, found 1"');
    const asJson = await request(app.getHttpServer()).get(`/ingest/${job.jobId}/errors`).expect(200);
    expect(asJson.body).toHaveLength(1500);
    expect(asJson.body[1499]).toEqual({ line: 1501, column: null, reason: expect.any(String) });
  });

  it('accepts a raw text/csv body', async () => {
    const res = await uploadCsv(app, `${HEADER}\nraw1,a,p1,1,0,0,10\n`, 'raw').expect(202);
    expect(await waitForJob(app, res.body.jobId)).toMatchObject({ status: 'completed', rowsAccepted: 1 });
  });

  it('refuses a header without required columns with 422 naming all of them, writing nothing', async () => {
    const res = await uploadCsv(app, 'campaignId,likes,foo\nh1,1,2\n').expect(422);
    expect(res.body.message).toContain('influencerId, comments, shares, views');
    expect(await top(app, 'h1')).toEqual([]);
  });

  it.each([
    ['an empty file', '', 400, /empty/],
    ['a header-only file', `${HEADER}\r\n`, 400, /no data rows/],
    ['a file of blank lines after the header', `${HEADER}\n\n\n`, 400, /no data rows/],
  ])('refuses %s with a clear 4xx', async (_, csv, status, message) => {
    const res = await uploadCsv(app, csv);
    expect(res.status).toBe(status);
    expect(res.body.message).toMatch(message);
  });

  it('needs a file: 400 without the multipart field, 415 for other content types', async () => {
    const noFile = await request(app.getHttpServer()).post('/ingest').field('other', 'x').expect(400);
    expect(noFile.body.message).toMatch(/field "file"/);
    await request(app.getHttpServer()).post('/ingest').send({ csv: 'x' }).expect(415);
  });

  it('answers 413 past INGEST_MAX_BYTES', async () => {
    const big = `${HEADER}\n` + 'big,a,p,1,1,1,10\n'.repeat(5000);
    const res = await uploadCsv(app, big, 'raw');
    expect(res.status).toBe(413);
    expect(res.body.message).toMatch(/INGEST_MAX_BYTES/);
  });

  it('404s an unknown job and 400s a malformed id', async () => {
    await request(app.getHttpServer()).get('/ingest/3f2504e0-4f89-41d3-9a0c-0305e82c3301').expect(404);
    await request(app.getHttpServer()).get('/ingest/not-a-job').expect(400);
    await request(app.getHttpServer()).get('/ingest/3f2504e0-4f89-41d3-9a0c-0305e82c3301/errors').expect(404);
  });

  it('lets the later line win across chunks, counts a repeated key as a duplicate and changes nothing on re-upload', async () => {
    const lines = [HEADER, 'w1,zed,p1,1,0,0,100'];
    for (let i = 0; i < 25; i++) lines.push(`w1,filler${i},p${i},1,1,1,100`);
    lines.push('w1,zed,p1,50,0,0,100'); // same key, 3 chunks later: wins
    lines.push('w1,amy,,5,0,0,100', 'w1,amy,,5,0,0,100'); // identical rows without postId count once
    const csv = lines.join('\n');
    const first = await ingest(app, csv);
    expect(first).toMatchObject({ status: 'completed', rowsAccepted: 29, rowsDuplicate: 2 });
    // The first of the two amy rows (one chunk) is never stored; the first zed row is unless the later chunk landed first.
    expect(first.rowsWritten + first.rowsSuperseded).toBe(29);
    expect(first.rowsWritten).toBeGreaterThanOrEqual(27);
    expect(first.rowsWritten).toBeLessThanOrEqual(28);
    const before = await top(app, 'w1');
    expect(before[0]).toMatchObject({ influencerId: 'zed', likes: 50, posts: 1, engagementRate: 0.5 });
    expect(before.find((r) => r.influencerId === 'amy')).toMatchObject({ likes: 5, posts: 1 });

    const again = await ingest(app, csv);
    expect(again).toMatchObject({ status: 'completed', rowsAccepted: 29 });
    expect(await top(app, 'w1')).toEqual(before);
    await expectTotalsMatchRows(app, ['w1']);
  });

  it('lets an update file change the ranking', async () => {
    const job = await ingest(app, `${HEADER}\nu1,a,p1,10,0,0,100\nu1,b,p2,5,0,0,100\nu1,b,p3,5,0,0,100`);
    expect(job).toMatchObject({ status: 'completed', rowsAccepted: 3 });
    expect((await top(app, 'u1')).map((r) => r.influencerId)).toEqual(['a', 'b']);
    // b's p3 gets better numbers; a's post is unchanged.
    const rankedAt = await rankingUpdatedAt('u1');
    await ingest(app, `${HEADER}\nu1,b,p3,100,0,0,100`);
    const after = await top(app, 'u1');
    expect(await rankingUpdatedAt('u1')).not.toBe(rankedAt);
    expect(after.map((r) => r.influencerId)).toEqual(['b', 'a']);
    expect(after[0]).toMatchObject({ likes: 105, views: 200, posts: 2, engagementRate: 105 / 200 });
    await expectTotalsMatchRows(app, ['u1']);
  });

  it('keeps every total equal to a recomputation from the stored rows (the audit of npm run totals:verify)', async () => {
    await expectTotalsMatchRows(app);
  });
});
