import { NestExpressApplication } from '@nestjs/platform-express';
import { MongoClient } from 'mongodb';
import { top, uploadCsv, waitForJob } from '../support/ingest-helpers';
import { isolatedMongoUri, startTestApp } from '../support/test-app';
import { CAMPAIGN_PAGE_SIZE } from '../../src/ingest/schemas/ingest-job.schema';

/**
 * An upload's campaigns are kept in pages, not in the job document: 80k distinct campaign
 * ids of 200 characters (an 18 MB file) overflowed the 16 MB document and answered 500.
 * This file names 2.4 pages' worth; every page must be ranked.
 */
describe('an upload naming more campaigns than one page holds (real FerretDB, Redis, Bull)', () => {
  const uri = isolatedMongoUri('many');
  let app: NestExpressApplication;
  beforeAll(async () => {
    app = await startTestApp({ MONGODB_URI: uri });
  });
  afterAll(async () => {
    await app?.close();
    const client = await MongoClient.connect(uri);
    await client.db().dropDatabase().catch(() => undefined);
    await client.close();
  });

  it('ranks every campaign across the pages and keeps the job document small', async () => {
    const campaigns = Math.floor(CAMPAIGN_PAGE_SIZE * 2.4);
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
      expect(doc).toMatchObject({ campaignPages: 3, campaignCount: campaigns });
      expect(doc).not.toHaveProperty('campaigns');
      const pages = await client.db().collection('ingest_campaign_pages').find({ _id: { $regex: `^${res.body.jobId}:` } as never }).toArray();
      expect(pages.flatMap((p) => p.campaigns as string[]).sort()).toEqual(Array.from({ length: campaigns }, (_, i) => id(i)));
    } finally {
      await client.close();
    }

    // First, middle and last campaign: one from each page.
    for (const i of [0, CAMPAIGN_PAGE_SIZE + 1, campaigns - 2]) {
      expect(await top(app, id(i))).toEqual([expect.objectContaining({ rank: 1, influencerId: `inf_${i % 7}`, likes: i % 50 })]);
    }
    expect((await top(app, id(campaigns - 1))).map((r) => r.influencerId)).toEqual(['inf_x', `inf_${(campaigns - 1) % 7}`]);
  });
});
