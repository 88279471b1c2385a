import { MongooseModule } from '@nestjs/mongoose';
import type { TestingModule } from '@nestjs/testing';
import type { Db } from 'mongodb';
import { repositoryModule } from '../../test/support/repository-module';
import type { RowError } from './csv/row-validator';
import { IngestJobRepository } from './ingest-job.repository';
import { IngestErrorPage, IngestErrorPageSchema, IngestJob, IngestJobSchema } from './schemas/ingest-job.schema';

const error = (line: number): RowError => ({ line, column: 'likes', reason: 'not a whole number' });
const outcome = (status: 'completed' | 'failed', rowsWritten: number) => ({
  status,
  rowsWritten,
  rowsSuperseded: 0,
  startedAt: new Date('2025-01-01T00:00:00Z'),
});

describe('IngestJobRepository (real database)', () => {
  let moduleRef: TestingModule;
  let db: Db;
  let repo: IngestJobRepository;

  beforeAll(async () => {
    ({ moduleRef, db } = await repositoryModule('jobs_repo', {
      imports: [
        MongooseModule.forFeature([
          { name: IngestJob.name, schema: IngestJobSchema },
          { name: IngestErrorPage.name, schema: IngestErrorPageSchema },
        ]),
      ],
      providers: [IngestJobRepository],
    }));
    repo = moduleRef.get(IngestJobRepository);
  });
  afterAll(() => moduleRef?.close());
  beforeEach(() => Promise.all(['ingest_jobs', 'ingest_error_pages', 'counters'].map((c) => db.collection(c).deleteMany({}))));

  describe('nextUploadSeq', () => {
    it('numbers uploads from 1 upwards, each caller its own number, callers racing too', async () => {
      expect([await repo.nextUploadSeq(), await repo.nextUploadSeq()]).toEqual([1, 2]);
      const seqs = await Promise.all(Array.from({ length: 20 }, () => repo.nextUploadSeq()));
      expect(new Set(seqs).size).toBe(20);
      expect(Math.min(...seqs)).toBeGreaterThan(2);
      expect(await repo.nextUploadSeq()).toBeGreaterThan(Math.max(...seqs));
    });

    it('gives each of several callers racing to create the counter its own number', async () => {
      const seqs = await Promise.all(Array.from({ length: 20 }, () => repo.nextUploadSeq()));
      expect(new Set(seqs).size).toBe(20);
      expect(seqs.every((n) => Number.isSafeInteger(n) && n >= 1)).toBe(true);
    });

    it('refuses to count past 2^53 - 1, where versions would no longer compare exactly', async () => {
      await db.collection<{ _id: string; value: number }>('counters').insertOne({ _id: 'uploadSeq', value: Number.MAX_SAFE_INTEGER - 1 });
      expect(await repo.nextUploadSeq()).toBe(Number.MAX_SAFE_INTEGER);
      await expect(repo.nextUploadSeq()).rejects.toThrow('the upload counter passed 2^53 - 1');
    });
  });

  it('creates a queued job with the schema defaults, finds it by id, deletes it', async () => {
    await repo.create('u1', 4, 'a.csv');
    const job = await repo.find('u1');
    expect(job).toMatchObject({
      _id: 'u1',
      uploadSeq: 4,
      status: 'queued',
      filename: 'a.csv',
      rowsTotal: 0,
      rowsAccepted: 0,
      chunksTotal: null,
      chunksQueued: 0,
      firstErrors: [],
      errorPages: 0,
    });
    expect(job!.heartbeatAt).toEqual(job!.createdAt);
    expect(await repo.find('u2')).toBeNull();
    await repo.delete('u1');
    expect(await repo.find('u1')).toBeNull();
  });

  it('saves the summary of a read file', async () => {
    await repo.create('u1', 1, undefined);
    const summary = {
      rowsTotal: 10,
      rowsAccepted: 8,
      rowsRejected: 1,
      rowsDuplicate: 1,
      campaignCount: 2,
      firstErrors: [error(3)],
      errorPages: 1,
      errorsNotStored: 0,
      chunksTotal: 2,
    };
    await repo.saveSummary('u1', summary);
    expect(await repo.find('u1')).toMatchObject({ ...summary, status: 'queued' });
  });

  it('counts queued chunks atomically, each count a heartbeat too', async () => {
    await repo.create('u1', 1, undefined);
    const before = (await repo.find('u1'))!.heartbeatAt!;
    await new Promise((r) => setTimeout(r, 5));
    await Promise.all(Array.from({ length: 25 }, () => repo.chunkQueued('u1')));
    const job = (await repo.find('u1'))!;
    expect(job.chunksQueued).toBe(25);
    expect(job.heartbeatAt!.getTime()).toBeGreaterThan(before.getTime());
  });

  it('records a heartbeat', async () => {
    await repo.create('u1', 1, undefined);
    const before = (await repo.find('u1'))!.heartbeatAt!;
    await new Promise((r) => setTimeout(r, 5));
    await repo.heartbeat('u1');
    expect((await repo.find('u1'))!.heartbeatAt!.getTime()).toBeGreaterThan(before.getTime());
  });

  it('keeps the first failure reason', async () => {
    await repo.create('u1', 1, undefined);
    await repo.recordFailure('u1', 'first');
    await repo.recordFailure('u1', 'second');
    expect((await repo.find('u1'))!.failureReason).toBe('first');
  });

  it('ends a job once: a second outcome does not replace the first', async () => {
    await repo.create('u1', 1, undefined);
    await repo.finish('u1', { ...outcome('failed', 3), failureReason: 'chunk 2 could not be written' });
    await repo.finish('u1', outcome('completed', 10));
    const job = (await repo.find('u1'))!;
    expect(job).toMatchObject({ status: 'failed', rowsWritten: 3, failureReason: 'chunk 2 could not be written' });
    expect(job.finishedAt).toBeInstanceOf(Date);
  });

  it('lists unfinished jobs quiet since a moment, oldest heartbeat first, at most `limit`', async () => {
    const jobs = db.collection<Partial<IngestJob>>('ingest_jobs');
    const at = (s: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, s));
    await jobs.insertMany([
      { _id: 'quiet-late', uploadSeq: 1, status: 'processing', createdAt: at(0), heartbeatAt: at(30) },
      { _id: 'quiet-early', uploadSeq: 2, status: 'queued', createdAt: at(0), heartbeatAt: at(10) },
      { _id: 'quiet-middle', uploadSeq: 3, status: 'queued', createdAt: at(0), heartbeatAt: at(20) },
      { _id: 'alive', uploadSeq: 4, status: 'processing', createdAt: at(0), heartbeatAt: at(50) },
      { _id: 'done', uploadSeq: 5, status: 'completed', createdAt: at(0), heartbeatAt: at(1) },
      { _id: 'gave-up', uploadSeq: 6, status: 'failed', createdAt: at(0), heartbeatAt: at(1) },
    ]);
    expect((await repo.quietUnfinished(at(40), 10)).map((j) => j._id)).toEqual(['quiet-early', 'quiet-middle', 'quiet-late']);
    expect((await repo.quietUnfinished(at(40), 2)).map((j) => j._id)).toEqual(['quiet-early', 'quiet-middle']);
  });

  describe('error pages', () => {
    it('stores a page once: a retried write with the same page is no error and keeps what is there', async () => {
      await repo.addErrorPage('u1', 0, [error(2), error(5)]);
      await repo.addErrorPage('u1', 0, [error(2), error(5)]);
      await repo.addErrorPage('u1', 1, [error(9)]);
      expect(await repo.errorPage('u1', 0)).toEqual([error(2), error(5)]);
      expect(await repo.errorPage('u1', 1)).toEqual([error(9)]);
      expect(await repo.errorPage('u1', 2)).toBeNull();
      expect(await repo.errorPage('u10', 0)).toBeNull();
    });

    it('lets any other write error through (only "already there" counts as done)', async () => {
      // A page past the 16 MB document limit: the driver refuses it, which is no duplicate.
      const huge: RowError[] = [{ line: 2, column: 'likes', reason: 'x'.repeat(17 * 1024 * 1024) }];
      await expect(repo.addErrorPage('u1', 0, huge)).rejects.toThrow();
      expect(await repo.errorPage('u1', 0)).toBeNull();
    });
  });
});
