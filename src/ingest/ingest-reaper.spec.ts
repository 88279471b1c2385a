import { newTestService } from '../../test/support/new-test-service';
import { CampaignTotalsService } from '../analytics/campaign-totals.service';
import { IngestJobRepository } from './ingest-job.repository';
import { IngestProgressRepository } from './ingest-progress.repository';
import { IngestQueue } from './ingest-queue';
import { IngestReaper } from './ingest-reaper';
import { IngestJob } from './schemas/ingest-job.schema';

async function setUp(job: Partial<IngestJob>, left = { chunks: 0, finalize: false }, chunksDone = 0) {
  const { sut, mocks } = await newTestService(IngestReaper, { config: { INGEST_STALL_TIMEOUT_S: 120, INGEST_REAPER_INTERVAL_S: 30 } });
  const full = { _id: 'u1', status: 'processing', chunksTotal: null, chunksQueued: 0, ...job } as IngestJob;
  const jobs = mocks(IngestJobRepository);
  jobs.quietUnfinished.mockResolvedValue([full]);
  jobs.find.mockResolvedValue(full);
  mocks(IngestQueue).unfinishedWork.mockResolvedValue(left);
  mocks(IngestProgressRepository).progress.mockResolvedValue({ chunksDone, rowsWritten: 0, rowsSuperseded: 0 });
  mocks(CampaignTotalsService).uploadsWithPendingChanges.mockResolvedValue([]);
  // What ending an upload writes; each test asserts which of them happened.
  jobs.recordFailure.mockResolvedValue(undefined);
  mocks(IngestQueue).addFinalize.mockResolvedValue(undefined);
  return { sut, jobs, queue: mocks(IngestQueue), totals: mocks(CampaignTotalsService) };
}

describe('IngestReaper', () => {
  it('leaves an upload alone while any of its work is still on the queue (a chunk waiting out an outage)', async () => {
    const { sut, jobs, queue } = await setUp({ chunksTotal: 4 }, { chunks: 1, finalize: false });
    await sut.sweep();
    expect(queue.unfinishedWork).toHaveBeenCalledWith('u1', 4);
    expect(queue.addFinalize).not.toHaveBeenCalled();
    expect(jobs.recordFailure).not.toHaveBeenCalled();
  });

  it('ends an upload whose API went quiet mid-read: failed with the reason, what landed finalized', async () => {
    const { sut, jobs, queue } = await setUp({ chunksTotal: null, chunksQueued: 3 }, { chunks: 0, finalize: false }, 3);
    await sut.sweep();
    expect(queue.unfinishedWork).toHaveBeenCalledWith('u1', 3);
    expect(jobs.recordFailure).toHaveBeenCalledWith('u1', expect.stringMatching(/stopped while its file was being read/));
    expect(queue.addFinalize).toHaveBeenCalledWith('u1');
  });

  it('fails an upload whose chunk jobs vanished unwritten, naming how many', async () => {
    const { sut, jobs, queue } = await setUp({ chunksTotal: 5 }, { chunks: 0, finalize: false }, 3);
    await sut.sweep();
    expect(jobs.recordFailure).toHaveBeenCalledWith('u1', expect.stringMatching(/^2 of 5 chunk/));
    expect(queue.addFinalize).toHaveBeenCalledWith('u1');
  });

  it('finalizes an upload whose chunks all landed but whose finalize was never enqueued, without failing it', async () => {
    const { sut, jobs, queue } = await setUp({ chunksTotal: 5 }, { chunks: 0, finalize: false }, 5);
    await sut.sweep();
    expect(jobs.recordFailure).not.toHaveBeenCalled();
    expect(queue.addFinalize).toHaveBeenCalledWith('u1');
  });

  it('folds changes staged after their upload ended', async () => {
    const { sut, jobs, queue, totals } = await setUp({ status: 'failed' });
    jobs.quietUnfinished.mockResolvedValue([]);
    totals.uploadsWithPendingChanges.mockResolvedValue(['u1']);
    await sut.sweep();
    expect(queue.addFinalize).toHaveBeenCalledWith('u1');
  });
});
