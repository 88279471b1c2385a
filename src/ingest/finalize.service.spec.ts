import { CampaignTotalsService } from '../analytics/campaign-totals.service';
import { ClusterLock, HeldLock, LockLostError } from '../core/redis/cluster-lock';
import { FinalizeService } from './finalize.service';
import { IngestJobRepository, JobOutcome } from './ingest-job.repository';
import { IngestProgressRepository, LiveProgress } from './ingest-progress.repository';
import { IngestJob } from './schemas/ingest-job.schema';

/** FinalizeService with in-memory collaborators: no database, Redis or queue. */
function newTestService(
  opts: { job?: Partial<IngestJob>; live?: Partial<LiveProgress>; campaigns?: string[][]; loseLockAfterBatches?: number } = {},
) {
  const finished: Array<{ uploadId: string; outcome: JobOutcome }> = [];
  const rebuilt: string[][] = [];
  const cleared: string[] = [];
  const job: IngestJob | null =
    opts.job === undefined ? null : ({ _id: 'u1', status: 'queued', campaignCount: 0, ...opts.job } as IngestJob);
  const jobs = {
    find: async () => job,
    finish: async (uploadId: string, outcome: JobOutcome) => void finished.push({ uploadId, outcome }),
    campaignsOf: async function* () {
      for (const batch of opts.campaigns ?? []) yield batch;
    },
    dropCampaigns: async (uploadId: string) => void cleared.push(`campaigns:${uploadId}`),
  } as unknown as IngestJobRepository;
  const progress = {
    progress: async () => ({ chunksDone: 1, chunksTotal: 1, rowsWritten: 7, ...opts.live }),
    clear: async (uploadId: string) => void cleared.push(`progress:${uploadId}`),
  } as unknown as IngestProgressRepository;
  const totals = { rebuild: async (ids: string[]) => void rebuilt.push(ids) } as unknown as CampaignTotalsService;
  let batches = 0;
  const lock = {
    withLock: async <T>(_name: string, _ttl: number, _wait: number, fn: (held: HeldLock) => Promise<T>) => {
      const held = {
        check: () => {
          if (opts.loseLockAfterBatches !== undefined && batches++ >= opts.loseLockAfterBatches)
            throw new LockLostError('ingest-finalize', 'renewal failed: test');
        },
      };
      return fn(held);
    },
  } as unknown as ClusterLock;
  return { service: new FinalizeService(jobs, progress, totals, lock), finished, rebuilt, cleared };
}

describe('FinalizeService', () => {
  it("rebuilds every batch of the upload's campaigns, then completes the job with the rows written", async () => {
    const { service, finished, rebuilt, cleared } = newTestService({ job: { campaignCount: 3 }, campaigns: [['a', 'b'], ['c']] });
    await service.finalize('u1');
    expect(rebuilt).toEqual([['a', 'b'], ['c']]);
    expect(finished).toEqual([{ uploadId: 'u1', outcome: expect.objectContaining({ status: 'completed', rowsWritten: 7 }) }]);
    expect(cleared).toEqual(['campaigns:u1', 'progress:u1']);
  });

  it('ends the job failed, with the reason, when a chunk gave up (what landed is still ranked)', async () => {
    const { service, finished, rebuilt } = newTestService({
      job: {},
      live: { failureReason: 'chunk 3 could not be written' },
      campaigns: [['a']],
    });
    await service.finalize('u1');
    expect(rebuilt).toEqual([['a']]);
    expect(finished[0].outcome).toMatchObject({ status: 'failed', failureReason: 'chunk 3 could not be written' });
  });

  it('does nothing for a job that has ended already', async () => {
    const { service, finished, rebuilt } = newTestService({ job: { status: 'completed' }, campaigns: [['a']] });
    await service.finalize('u1');
    expect(rebuilt).toEqual([]);
    expect(finished).toEqual([]);
  });

  it('stops, without completing the job, when the lock is lost part-way (the queue retries)', async () => {
    const { service, finished, rebuilt } = newTestService({ job: {}, campaigns: [['a'], ['b'], ['c']], loseLockAfterBatches: 1 });
    await expect(service.finalize('u1')).rejects.toThrow(LockLostError);
    expect(rebuilt).toEqual([['a']]);
    expect(finished).toEqual([]);
  });

  it('giveUp() ends a job whose finalize ran out of attempts as failed, so it is not left processing', async () => {
    const { service, finished, cleared } = newTestService({ job: {} });
    await service.giveUp('u1', 'database unavailable');
    expect(finished).toEqual([
      {
        uploadId: 'u1',
        outcome: expect.objectContaining({
          status: 'failed',
          rowsWritten: 7,
          failureReason: 'the upload could not be finalized: database unavailable',
        }),
      },
    ]);
    expect(cleared).toEqual(['campaigns:u1', 'progress:u1']);
  });
});
