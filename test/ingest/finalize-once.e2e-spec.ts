import { getQueueToken } from '@nestjs/bull';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Job, Queue } from 'bull';
import { MongoClient } from 'mongodb';
import { FinalizeService } from '../../src/ingest/finalize.service';
import { IngestQueue } from '../../src/ingest/ingest-queue';
import { finalizesOf } from '../support/finalize-jobs';
import { isolatedMongoUri, startTestApp } from '../support/test-app';

/**
 * At most one finalize per upload is queued or running, whoever asks for it and however
 * often: here the finalize slot is held busy (as by a long fold of another upload) while
 * the reaper sweeps every second over an upload it must end and one with changes staged
 * after it ended. Real database, Redis and Bull.
 */
describe('one finalize per upload (real database, Redis, Bull)', () => {
  let app: NestExpressApplication;
  let release!: () => void;
  afterEach(async () => {
    release?.();
    await app?.close();
  });

  it('the reaper and the chunks ask again and again while the finalize slot is busy: still one each', async () => {
    const uri = isolatedMongoUri('finalize_once');
    const mongo = await MongoClient.connect(uri);
    try {
      const long = new Date(Date.now() - 3_600_000);
      const job = { uploadSeq: 1, filename: 'x.csv', rowsTotal: 1, rowsAccepted: 1, firstErrors: [], errorPages: 0, createdAt: long };
      // Quiet since long, its file read whole, nothing left on the queue: the reaper must end it.
      await mongo
        .db()
        .collection('ingest_jobs')
        .insertOne({ _id: 'reaped' as never, ...job, status: 'queued', heartbeatAt: long, chunksTotal: 0, chunksQueued: 0 });
      // Ended, with changes a late chunk staged after that: the reaper must fold them in.
      await mongo
        .db()
        .collection('ingest_jobs')
        .insertOne({ _id: 'late' as never, ...job, status: 'failed', heartbeatAt: long, chunksTotal: 1, chunksQueued: 1 });
      await mongo
        .db()
        .collection('totals_pending')
        .insertOne({ _id: 'late:00:0' as never, pairs: [] });
    } finally {
      await mongo.close();
    }
    app = await startTestApp({ MONGODB_URI: uri, INGEST_REAPER_INTERVAL_S: '1', INGEST_STALL_TIMEOUT_S: '1' }, 'all');
    const held = new Promise<void>((r) => (release = r));
    let started = 0;
    jest.spyOn(app.get(FinalizeService, { strict: false }), 'finalize').mockImplementation(async () => {
      started++;
      await held;
    });
    // The last chunk noticed twice (a re-delivered chunk), besides the reaper's sweeps.
    const queue = app.get(IngestQueue, { strict: false });
    await queue.addFinalize('late');
    await queue.addFinalize('late');

    const deadline = Date.now() + 30_000;
    while (started === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(started).toBe(1);
    // Five sweeps, each of which used to add another finalize of each upload.
    await new Promise((r) => setTimeout(r, 5_000));
    expect(await finalizesOf(app, 'reaped')).toBe(1);
    expect(await finalizesOf(app, 'late')).toBe(1);
  });

  it("tells which of an upload's jobs are still to run, as Bull keeps them", async () => {
    app = await startTestApp({ MONGODB_URI: isolatedMongoUri('finalize_once') }, 'api');
    const queue = app.get(IngestQueue, { strict: false });
    for (let i = 0; i < 5; i++) await queue.addChunk({ jobId: 'u', uploadSeq: 1, index: i, rows: [] });
    expect(await queue.unfinishedWork('u', 6)).toEqual({ chunks: 5, finalize: false });

    const chunks = app.get<Queue>(getQueueToken('ingest'), { strict: false });
    // Taken as a worker would (the first queued: chunk 0), and failed for good.
    const failed = (await chunks.getNextJob()) as Job;
    await failed.discard();
    await failed.moveToFailed({ message: 'out of attempts' }, true);
    expect(await failed.getState()).toBe('failed');
    await (await chunks.getJob('u:2'))!.remove();
    await queue.addFinalize('u');
    expect(await queue.unfinishedWork('u', 6)).toEqual({ chunks: 3, finalize: true });
  });
});
