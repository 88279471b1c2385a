import { newTestService } from '../../test/support/new-test-service';
import { CampaignTotalsService } from '../analytics/campaign-totals.service';
import { FinalizeService } from './finalize.service';
import { IngestJobRepository } from './ingest-job.repository';
import { IngestProgressRepository } from './ingest-progress.repository';
import { IngestQueue } from './ingest-queue';
import { IngestJob } from './schemas/ingest-job.schema';

async function setUp(job: Partial<IngestJob> | null, chunksDone = 2) {
  const { sut, mocks } = await newTestService(FinalizeService);
  mocks(IngestJobRepository).find.mockResolvedValue(job && ({ _id: 'u1', status: 'processing', chunksTotal: 2, ...job } as IngestJob));
  mocks(IngestProgressRepository).progress.mockResolvedValue({ chunksDone, rowsWritten: 7, rowsSuperseded: 0 });
  mocks(CampaignTotalsService).applyUpload.mockResolvedValue({ campaigns: 3 });
  // The outcome's writes and the finalize's queueing: each test asserts which of them happened.
  mocks(IngestJobRepository).finish.mockResolvedValue(undefined);
  mocks(IngestJobRepository).recordFailure.mockResolvedValue(undefined);
  mocks(IngestProgressRepository).clear.mockResolvedValue(undefined);
  mocks(IngestQueue).addFinalize.mockResolvedValue(undefined);
  return {
    sut,
    jobs: mocks(IngestJobRepository),
    progress: mocks(IngestProgressRepository),
    totals: mocks(CampaignTotalsService),
    queue: mocks(IngestQueue),
  };
}

describe('FinalizeService', () => {
  it("folds the upload's staged changes into the totals, then completes the job with the rows written", async () => {
    const { sut, jobs, progress, totals } = await setUp({});
    await sut.finalize('u1');
    expect(totals.applyUpload).toHaveBeenCalledWith('u1');
    expect(jobs.finish).toHaveBeenCalledWith('u1', expect.objectContaining({ status: 'completed', rowsWritten: 7, rowsSuperseded: 0 }));
    expect(totals.applyUpload.mock.invocationCallOrder[0]).toBeLessThan(jobs.finish.mock.invocationCallOrder[0]);
    expect(progress.clear).toHaveBeenCalledWith('u1');
  });

  it('ends the job failed, with the reason, when a chunk gave up (what landed is still folded in)', async () => {
    const { sut, jobs, totals } = await setUp({ failureReason: 'chunk 3 could not be written' });
    await sut.finalize('u1');
    expect(totals.applyUpload).toHaveBeenCalled();
    expect(jobs.finish).toHaveBeenCalledWith('u1', { status: 'failed', rowsWritten: 7, rowsSuperseded: 0 });
  });

  it('folds in what is still staged for a job that ended already, and leaves its outcome alone', async () => {
    const { sut, jobs, totals } = await setUp({ status: 'failed' });
    await sut.finalize('u1');
    expect(totals.applyUpload).toHaveBeenCalledWith('u1');
    expect(jobs.finish).not.toHaveBeenCalled();
  });

  it('does not complete the job when folding fails (the queue retries it)', async () => {
    const { sut, jobs, totals } = await setUp({});
    totals.applyUpload.mockRejectedValue(new Error('WriteConflict'));
    await expect(sut.finalize('u1')).rejects.toThrow('WriteConflict');
    expect(jobs.finish).not.toHaveBeenCalled();
  });

  it('gives up: the job ends failed with the reason instead of staying processing', async () => {
    const { sut, jobs } = await setUp({});
    await sut.giveUp('u1', 'database unavailable');
    expect(jobs.finish).toHaveBeenCalledWith(
      'u1',
      expect.objectContaining({ status: 'failed', failureReason: expect.stringContaining('database unavailable') }),
    );
  });

  it('ignores an unknown upload', async () => {
    const { sut, totals } = await setUp(null);
    await sut.finalize('u1');
    expect(totals.applyUpload).not.toHaveBeenCalled();
  });

  describe('finalizeIfSettled: the one place that decides an upload is ready', () => {
    it('enqueues the finalize once the file is read whole and every chunk is settled', async () => {
      const { sut, queue } = await setUp({ chunksTotal: 2 }, 2);
      await sut.finalizeIfSettled('u1');
      expect(queue.addFinalize).toHaveBeenCalledWith('u1');
    });

    it('waits while a chunk is unsettled, while the file is still read, and for an upload that ended', async () => {
      for (const [job, done] of [
        [{ chunksTotal: 3 }, 2],
        [{ chunksTotal: null }, 5],
        [{ chunksTotal: 2, status: 'completed' }, 2],
      ] as const) {
        const { sut, queue } = await setUp(job, done);
        await sut.finalizeIfSettled('u1');
        expect(queue.addFinalize).not.toHaveBeenCalled();
      }
    });
  });
});
