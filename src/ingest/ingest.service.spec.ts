import { ServiceUnavailableException } from '@nestjs/common';
import { newTestService } from '../../test/support/new-test-service';
import { FinalizeService } from './finalize.service';
import { IngestJobRepository } from './ingest-job.repository';
import { IngestProgressRepository } from './ingest-progress.repository';
import { IngestQueue } from './ingest-queue';
import { IngestService } from './ingest.service';

const csv = (rows: number) =>
  [
    'campaignId,influencerId,postId,likes,comments,shares,views',
    ...Array.from({ length: rows }, (_, i) => `c1,i${i % 3},p${i},1,0,0,10`),
  ].join('\n');

async function setUp() {
  const { sut, mocks } = await newTestService(IngestService, {
    config: { INGEST_CHUNK_ROWS: 10, INGEST_MAX_STORED_ERRORS: 100, INGEST_STALL_TIMEOUT_S: 120 },
  });
  // What reading every file below does: create the job, record and queue each chunk, save the summary.
  const jobs = mocks(IngestJobRepository);
  jobs.nextUploadSeq.mockResolvedValue(7);
  jobs.create.mockResolvedValue(undefined);
  jobs.chunkQueued.mockResolvedValue(undefined);
  jobs.saveSummary.mockResolvedValue(undefined);
  jobs.recordFailure.mockResolvedValue(undefined);
  const progress = mocks(IngestProgressRepository);
  progress.recordKeys.mockImplementation(async (_id, keys) => keys.length);
  progress.dropKeys.mockResolvedValue(undefined);
  const queue = mocks(IngestQueue);
  queue.addChunk.mockResolvedValue(undefined);
  const finalizer = mocks(FinalizeService);
  finalizer.finalizeIfSettled.mockResolvedValue(undefined);
  return { sut, jobs, progress, queue, finalizer };
}

const body = (text: string) =>
  (async function* () {
    yield Buffer.from(text);
  })();

describe('IngestService', () => {
  it('queues the valid rows in chunks, each counted before it is added, and records the chunk count', async () => {
    const { sut, jobs, queue } = await setUp();
    const accepted = await sut.ingest({ filename: 'a.csv', body: body(csv(25)) });
    expect(accepted).toMatchObject({ status: 'queued', statusUrl: `/ingest/${accepted.jobId}` });
    expect(queue.addChunk.mock.calls.map(([d]) => [d.index, d.rows.length, d.uploadSeq])).toEqual([
      [0, 10, 7],
      [1, 10, 7],
      [2, 5, 7],
    ]);
    expect(jobs.chunkQueued).toHaveBeenCalledTimes(3);
    expect(jobs.chunkQueued.mock.invocationCallOrder[0]).toBeLessThan(queue.addChunk.mock.invocationCallOrder[0]);
    expect(jobs.saveSummary).toHaveBeenCalledWith(accepted.jobId, expect.objectContaining({ chunksTotal: 3, rowsAccepted: 25 }));
  });

  it('counts a chunk whose add timed out (it may still land), so completion waits for it', async () => {
    const { sut, jobs, queue } = await setUp();
    queue.addChunk.mockResolvedValueOnce(undefined).mockRejectedValueOnce(new ServiceUnavailableException('queueing timed out'));
    await expect(sut.ingest({ filename: 'a.csv', body: body(csv(25)) })).rejects.toThrow('queueing timed out');
    const [jobId] = jobs.saveSummary.mock.calls[0];
    expect(jobs.saveSummary).toHaveBeenCalledWith(jobId, expect.objectContaining({ chunksTotal: 2 }));
    expect(jobs.recordFailure).toHaveBeenCalledWith(jobId, expect.stringContaining('queueing timed out'));
  });

  it('asks for the finalize once the chunk count is recorded (the workers may be done before the file is)', async () => {
    const { sut, jobs, finalizer } = await setUp();
    const { jobId } = await sut.ingest({ filename: 'a.csv', body: body(csv(25)) });
    expect(finalizer.finalizeIfSettled).toHaveBeenCalledWith(jobId);
    expect(jobs.saveSummary.mock.invocationCallOrder[0]).toBeLessThan(finalizer.finalizeIfSettled.mock.invocationCallOrder[0]);
  });

  it('refuses with a 503 that does not repeat what Redis said about itself (its address), and records the same', async () => {
    const { sut, jobs, progress } = await setUp();
    progress.recordKeys.mockRejectedValue(Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:6379'), { code: 'ECONNREFUSED' }));
    const refused = sut.ingest({ filename: 'a.csv', body: body(csv(25)) });
    await expect(refused).rejects.toThrow(ServiceUnavailableException);
    await expect(refused).rejects.toThrow('Redis cannot take work right now; try again shortly');
    expect(jobs.recordFailure).toHaveBeenCalledWith(
      expect.any(String),
      'upload aborted: Redis cannot take work right now; try again shortly',
    );
  });

  it('records a database that went away mid-file as the client is told it, not as an internal error', async () => {
    const { sut, jobs } = await setUp();
    const { MongoNetworkError } = await import('mongodb');
    jobs.chunkQueued.mockRejectedValueOnce(new MongoNetworkError('connection 5 to 10.0.0.3:27017 closed'));
    await expect(sut.ingest({ filename: 'a.csv', body: body(csv(25)) })).rejects.toThrow(MongoNetworkError);
    expect(jobs.recordFailure).toHaveBeenCalledWith(expect.any(String), 'upload aborted: The database is unavailable; try again shortly');
  });
});
