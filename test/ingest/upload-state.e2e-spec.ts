import { NestExpressApplication } from '@nestjs/platform-express';
import type Redis from 'ioredis';
import { MongoClient } from 'mongodb';
import request from 'supertest';
import { RedisKeys } from '../../src/core/redis/redis-keys';
import { REDIS_CLIENT } from '../../src/core/redis/redis.tokens';
import { ChunkWriterService } from '../../src/ingest/chunk-writer.service';
import { FinalizeService } from '../../src/ingest/finalize.service';
import { uploadCsv } from '../support/ingest-helpers';
import { referenceUpload } from '../support/reference-upload';
import { isolatedMongoUri, startTestApp } from '../support/test-app';

/**
 * One store owns each piece of an upload's state (docs/data-model.md): the job document in
 * MongoDB its status, start, chunk count and failure reason; Redis only the live counters.
 * Held just before its finalize (real database, Redis, Bull), an upload's two stores are read.
 */
describe('upload state: one authoritative store each', () => {
  let app: NestExpressApplication;
  let release!: () => void;
  afterAll(async () => {
    release?.();
    await app?.close();
  });

  it('status, start, chunk count and failure reason are stored in the job; Redis holds the live counts only', async () => {
    const uri = isolatedMongoUri('upload_state');
    app = await startTestApp({ MONGODB_URI: uri, INGEST_CHUNK_ROWS: '100' });
    const held = new Promise<void>((r) => (release = r));
    let finalizing = 0;
    const finalizer = app.get(FinalizeService, { strict: false });
    jest.spyOn(finalizer, 'finalize').mockImplementation(async () => {
      finalizing++;
      await held;
    });

    const ref = referenceUpload('state', 450);
    const jobId: string = (await uploadCsv(app, ref.csv, 'raw').expect(202)).body.jobId;
    const deadline = Date.now() + 30_000;
    while (finalizing === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(finalizing).toBe(1);
    // A chunk out of attempts (its rows had landed already: nothing else changes).
    await app.get(ChunkWriterService, { strict: false }).giveUp(jobId, 0, 'chunk 0 could not be written: test');

    const mongo = await MongoClient.connect(uri);
    let job;
    try {
      job = await mongo
        .db()
        .collection('ingest_jobs')
        .findOne({ _id: jobId as never });
      expect(job).toMatchObject({
        status: 'processing',
        startedAt: expect.any(Date),
        chunksTotal: 5,
        failureReason: 'chunk 0 could not be written: test',
      });
    } finally {
      await mongo.close();
    }
    const redis = app.get<Redis>(REDIS_CLIENT, { strict: false });
    const meta = await redis.hgetall(app.get(RedisKeys, { strict: false }).key('upload', jobId, 'meta'));
    expect(Number(meta.rowsWritten) + Number(meta.rowsSuperseded)).toBe(ref.accepted);
    for (const copy of ['chunksTotal', 'startedAt', 'failureReason']) expect(meta).not.toHaveProperty(copy);

    const status = (await request(app.getHttpServer()).get(`/ingest/${jobId}`).expect(200)).body;
    expect(status).toMatchObject({ status: 'processing', progress: 0.95, failureReason: 'chunk 0 could not be written: test' });
    expect(status.startedAt).toBe((job?.startedAt as Date).toISOString());
  });
});
