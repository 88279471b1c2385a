import { NestExpressApplication } from '@nestjs/platform-express';
import { MongoClient } from 'mongodb';
import { top, uploadCsv, waitForJob } from '../support/ingest-helpers';
import { isolatedMongoUri, startTestApp } from '../support/test-app';
import request from 'supertest';
import { CAMPAIGN_BATCH } from '../../src/ingest/finalize.service';

/**
 * An upload's campaigns are listed outside the job document (a file may name more than a
 * 16 MB document holds) and finalize rebuilds them in batches. This file names 2.4
 * batches' worth; every batch must be ranked, and the list is dropped once the job ends.
 */
describe('an upload naming more campaigns than one finalize batch (real database, Redis, Bull)', () => {
  const uri = isolatedMongoUri('many');
  let app: NestExpressApplication;
  beforeAll(async () => {
    app = await startTestApp({ MONGODB_URI: uri });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('ranks every campaign across the batches and keeps the job document small', async () => {
    const campaigns = Math.floor(CAMPAIGN_BATCH * 2.4);
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
      expect(doc).not.toHaveProperty('campaigns');
      expect(await client.db().collection('ingest_upload_campaigns').countDocuments()).toBe(0);
    } finally {
      await client.close();
    }

    const listed = await request(app.getHttpServer()).get('/campaigns').query({ page: 1, pageSize: 1 }).expect(200);
    expect(listed.body.total).toBe(campaigns);
    // First, middle and last campaign: one from each batch.
    for (const i of [0, CAMPAIGN_BATCH + 1, campaigns - 2]) {
      expect(await top(app, id(i))).toEqual([expect.objectContaining({ rank: 1, influencerId: `inf_${i % 7}`, likes: i % 50 })]);
    }
    expect((await top(app, id(campaigns - 1))).map((r) => r.influencerId)).toEqual(['inf_x', `inf_${(campaigns - 1) % 7}`]);
  });
});
