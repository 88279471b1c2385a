import { Injectable, Logger } from '@nestjs/common';
import { CampaignTotalsService } from '../analytics/campaign-totals.service';
import { IngestJobRepository } from './ingest-job.repository';
import { IngestProgressRepository } from './ingest-progress.repository';
import { IngestQueue } from './ingest-queue';
import { isFinished } from './job-status';

/**
 * Ends an upload once all its chunks are settled: the changes its chunks staged are folded
 * into analytics' totals, then the job completes (or fails, with what landed ranked).
 * Every step can be repeated, so a retried or concurrent finalize does no harm, and
 * finalizes of different uploads need no lock: their changes add up in any order.
 */
@Injectable()
export class FinalizeService {
  private readonly logger = new Logger(FinalizeService.name);

  constructor(
    private readonly jobs: IngestJobRepository,
    private readonly progress: IngestProgressRepository,
    private readonly totals: CampaignTotalsService,
    private readonly queue: IngestQueue,
  ) {}

  /**
   * The one place that decides an upload is ready to finalize: its file is read whole (the
   * job holds its chunk count) and every chunk is settled. Asked after each of the two
   * events (the file's end, a chunk settled); each records its own first, then reads the
   * other, so the later of the two always sees both. Two that both see it enqueue one
   * finalize (IngestQueue.addFinalize).
   */
  async finalizeIfSettled(jobId: string): Promise<void> {
    const job = await this.jobs.find(jobId);
    if (!job || job.chunksTotal === null || isFinished(job.status)) return;
    const { chunksDone } = await this.progress.progress(jobId);
    if (chunksDone >= job.chunksTotal) await this.queue.addFinalize(jobId);
  }

  async finalize(jobId: string): Promise<void> {
    const job = await this.jobs.find(jobId);
    if (!job) return;
    const started = Date.now();
    // Even for a job that ended already: whatever its chunks staged is folded in (no-op when nothing is).
    const { campaigns } = await this.totals.applyUpload(jobId);
    if (isFinished(job.status)) return;
    const live = await this.progress.progress(jobId);
    const status = job.failureReason === undefined ? 'completed' : 'failed';
    await this.jobs.finish(jobId, { status, rowsWritten: live.rowsWritten, rowsSuperseded: live.rowsSuperseded });
    await this.progress.clear(jobId);
    this.logger.log(
      `upload ${jobId} ${status}: ${live.rowsWritten} rows written, totals of ${campaigns} campaign(s) updated in ${Date.now() - started} ms`,
    );
  }

  /**
   * Finalize out of attempts: the job must not stay `processing` for ever. What its chunks
   * staged stays staged, and any later finalize of the upload folds it in.
   */
  async giveUp(jobId: string, reason: string): Promise<void> {
    const live = await this.progress.progress(jobId).catch(() => null);
    await this.jobs.finish(jobId, {
      status: 'failed',
      rowsWritten: live?.rowsWritten ?? 0,
      rowsSuperseded: live?.rowsSuperseded ?? 0,
      failureReason: `the upload could not be finalized: ${reason}`,
    });
    await this.progress.clear(jobId);
  }
}
