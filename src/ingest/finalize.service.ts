import { Injectable, Logger } from '@nestjs/common';
import { CampaignTotalsService } from '../analytics/campaign-totals.service';
import { ClusterLock } from '../core/redis/cluster-lock';
import { IngestJobRepository } from './ingest-job.repository';
import { IngestProgressRepository } from './ingest-progress.repository';
import { isFinished } from './job-progress';

/** Campaigns whose totals are rebuilt per aggregation. */
export const CAMPAIGN_BATCH = 500;
const LOCK_TTL_MS = 15_000;
const LOCK_WAIT_MS = 60_000;

/**
 * Ends an upload once all its chunks are settled: the totals of every campaign it touched
 * are rebuilt by analytics, then the job completes (or fails, with what landed ranked).
 */
@Injectable()
export class FinalizeService {
  private readonly logger = new Logger(FinalizeService.name);

  constructor(
    private readonly jobs: IngestJobRepository,
    private readonly progress: IngestProgressRepository,
    private readonly totals: CampaignTotalsService,
    private readonly lock: ClusterLock,
  ) {}

  async finalize(uploadId: string): Promise<void> {
    // One rebuild at a time across all workers: two uploads touching one campaign must not
    // merge totals from different snapshots in the wrong order.
    await this.lock.withLock('ingest-finalize', LOCK_TTL_MS, LOCK_WAIT_MS, async (held) => {
      const job = await this.jobs.find(uploadId);
      if (!job || isFinished(job.status)) return;
      const live = await this.progress.progress(uploadId);
      const started = Date.now();
      for await (const campaigns of this.jobs.campaignsOf(uploadId, CAMPAIGN_BATCH)) {
        held.check();
        await this.totals.rebuild(campaigns);
      }
      held.check();
      const failureReason = job.failureReason ?? live.failureReason;
      const status = failureReason === undefined ? 'completed' : 'failed';
      await this.jobs.finish(uploadId, {
        status,
        rowsWritten: live.rowsWritten,
        startedAt: live.startedAt ?? job.startedAt ?? new Date(),
        ...(failureReason !== undefined && { failureReason }),
      });
      await this.cleanUp(uploadId);
      this.logger.log(
        `upload ${uploadId} ${status}: ${live.rowsWritten} rows written, ${job.campaignCount} campaign(s) re-ranked in ${Date.now() - started} ms`,
      );
    });
  }

  /** Finalize out of attempts: the job must not stay `processing` for ever. */
  async giveUp(uploadId: string, reason: string): Promise<void> {
    const live = await this.progress.progress(uploadId).catch(() => null);
    await this.jobs.finish(uploadId, {
      status: 'failed',
      rowsWritten: live?.rowsWritten ?? 0,
      startedAt: live?.startedAt ?? new Date(),
      failureReason: `the upload could not be finalized: ${reason}`,
    });
    await this.cleanUp(uploadId);
  }

  private async cleanUp(uploadId: string) {
    await this.jobs.dropCampaigns(uploadId);
    await this.progress.clear(uploadId);
  }
}
