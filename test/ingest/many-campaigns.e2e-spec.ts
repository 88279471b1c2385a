import { NestExpressApplication } from '@nestjs/platform-express';
import { MongoClient } from 'mongodb';
import { top, uploadCsv, waitForJob } from '../support/ingest-helpers';
import { isolatedMongoUri, startTestApp } from '../support/test-app';
import { expectTotalsMatchRows } from '../support/totals-audit';
import request from 'supertest';
import { BUCKETS } from '../../src/analytics/pending-changes.repository';

/**
 * An upload's changes to the totals are folded in one bucket of campaigns at a time. This
 * file names enough campaigns to fill every bucket many times over: every campaign must be
 * ranked and counted, and nothing may stay staged once the job ends.
 */
describe('an upload naming campaigns in every bucket (real database, Redis, Bull)', () => {
  const uri = isolatedMongoUri('many');
  let app: NestExpressApplication;
  beforeAll(async () => {
    app = await startTestApp({ MONGODB_URI: uri });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('ranks and counts every campaign, and leaves nothing staged', async () => {
    const campaigns = BUCKETS * 40;
    const id = (i: number) => `camp_${String(i).padStart(6, '0')}`;
    const lines = ['campaignId,influencerId,likes,comments,shares,views'];
    for (let i = 0; i < campaigns; i++) lines.push(`${id(i)},inf_${i % 7},${i % 50},1,1,${100 + (i % 13)}`);
    // The last campaign gets a second creator, who ranks first.
    lines.push(`${id(campaigns - 1)},inf_x,1000,0,0,1000`);

    const res = await uploadCsv(app, lines.join('\n'), 'raw').expect(202);
    const job = await waitForJob(app, res.body.jobId, 120_000);
    expect(job).toMatchObject({ status: 'completed', rowsAccepted: campaigns + 1, rowsWritten: campaigns + 1 });

    const client = await MongoClient.connect(uri);
    try {
      const doc = await client.db().collection('ingest_jobs').findOne({ _id: res.body.jobId });
      expect(doc).toMatchObject({ campaignCount: campaigns });
      expect(await client.db().collection('totals_pending').countDocuments()).toBe(0);
    } finally {
      await client.close();
    }

    const listed = await request(app.getHttpServer()).get('/campaigns').query({ page: 1, pageSize: 1 }).expect(200);
    expect(listed.body.total).toBe(campaigns);
    for (const i of [0, 1, 2, 3, 500, 777, campaigns - 2]) {
      expect(await top(app, id(i))).toEqual([expect.objectContaining({ rank: 1, influencerId: `inf_${i % 7}`, likes: i % 50 })]);
    }
    expect((await top(app, id(campaigns - 1))).map((r) => r.influencerId)).toEqual(['inf_x', `inf_${(campaigns - 1) % 7}`]);
    await expectTotalsMatchRows(app);
  });
});
