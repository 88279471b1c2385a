import { newTestService } from '../../test/support/new-test-service';
import { CampaignTotalsService } from '../analytics/campaign-totals.service';
import { FinalizeService } from './finalize.service';
import { IngestJobRepository } from './ingest-job.repository';
import { IngestProgressRepository } from './ingest-progress.repository';
import { IngestJob } from './schemas/ingest-job.schema';

async function setUp(job: Partial<IngestJob> | null, live: { failureReason?: string } = {}) {
  const { sut, mocks } = await newTestService(FinalizeService);
  mocks(IngestJobRepository).find.mockResolvedValue(job && ({ _id: 'u1', status: 'processing', ...job } as IngestJob));
  mocks(IngestProgressRepository).progress.mockResolvedValue({ chunksDone: 2, chunksTotal: 2, rowsWritten: 7, ...live });
  mocks(CampaignTotalsService).applyUpload.mockResolvedValue({ campaigns: 3 });
  return { sut, jobs: mocks(IngestJobRepository), progress: mocks(IngestProgressRepository), totals: mocks(CampaignTotalsService) };
}

describe('FinalizeService', () => {
  it("folds the upload's staged changes into the totals, then completes the job with the rows written", async () => {
    const { sut, jobs, progress, totals } = await setUp({});
    jobs.finish.mockResolvedValue(undefined);
    progress.clear.mockResolvedValue(undefined);
    await sut.finalize('u1');
    expect(totals.applyUpload).toHaveBeenCalledWith('u1');
    expect(jobs.finish).toHaveBeenCalledWith('u1', expect.objectContaining({ status: 'completed', rowsWritten: 7 }));
    expect(totals.applyUpload.mock.invocationCallOrder[0]).toBeLessThan(jobs.finish.mock.invocationCallOrder[0]);
    expect(progress.clear).toHaveBeenCalledWith('u1');
  });

  it('ends the job failed, with the reason, when a chunk gave up (what landed is still folded in)', async () => {
    const { sut, jobs, progress, totals } = await setUp({}, { failureReason: 'chunk 3 could not be written' });
    jobs.finish.mockResolvedValue(undefined);
    progress.clear.mockResolvedValue(undefined);
    await sut.finalize('u1');
    expect(totals.applyUpload).toHaveBeenCalled();
    expect(jobs.finish).toHaveBeenCalledWith(
      'u1',
      expect.objectContaining({ status: 'failed', failureReason: 'chunk 3 could not be written' }),
    );
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
    const { sut, jobs, progress } = await setUp({});
    jobs.finish.mockResolvedValue(undefined);
    progress.clear.mockResolvedValue(undefined);
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
});
