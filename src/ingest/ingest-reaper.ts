import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { CampaignTotalsService } from '../analytics/campaign-totals.service';
import { AppConfig } from '../core/config/app-config';
import { IngestJobRepository } from './ingest-job.repository';
import { IngestProgressRepository } from './ingest-progress.repository';
import { IngestQueue } from './ingest-queue';
import { isFinished } from './job-status';
import { IngestJob } from './schemas/ingest-job.schema';

const BATCH = 100;

/**
 * Ends uploads that can no longer end by themselves, in bounded time: the API died or lost
 * Redis while reading the file, a chunk's job vanished, a give-up handler failed, or the
 * last chunk's finalize was never enqueued. An upload is looked at once its reading API has
 * been quiet for INGEST_STALL_TIMEOUT_S and none of its work is left on the queue (a chunk
 * waiting out a database outage is still on it). It is then finalized: what landed is
 * folded into the totals, and the job ends — failed, with the reason, when rows were lost.
 * It also folds changes staged after their upload ended (a late chunk). Every worker runs
 * one; what it does is idempotent, so two at once do no harm.
 */
@Injectable()
export class IngestReaper implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(IngestReaper.name);
  private readonly stallMs: number;
  private readonly intervalMs: number;
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(
    private readonly jobs: IngestJobRepository,
    private readonly progress: IngestProgressRepository,
    private readonly queue: IngestQueue,
    private readonly totals: CampaignTotalsService,
    config: AppConfig,
  ) {
    this.stallMs = config.INGEST_STALL_TIMEOUT_S * 1000;
    this.intervalMs = config.INGEST_REAPER_INTERVAL_S * 1000;
  }

  onModuleInit() {
    this.timer = setInterval(() => {
      this.sweeping ??= this.sweep()
        .catch((err: Error) => this.logger.warn(`reaper sweep failed: ${err.message}`))
        .finally(() => (this.sweeping = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  async onModuleDestroy() {
    clearInterval(this.timer);
    await this.sweeping;
  }

  async sweep(): Promise<void> {
    for (const job of await this.jobs.quietUnfinished(new Date(Date.now() - this.stallMs), BATCH)) await this.reap(job);
    for (const jobId of await this.totals.uploadsWithPendingChanges()) {
      const job = await this.jobs.find(jobId);
      if (job && isFinished(job.status)) await this.queue.addFinalize(jobId);
    }
  }

  private async reap(job: IngestJob): Promise<void> {
    const jobId = job._id;
    const chunks = job.chunksTotal ?? job.chunksQueued;
    const left = await this.queue.unfinishedWork(jobId, chunks);
    if (left.chunks > 0 || left.finalize) return;
    const { chunksDone } = await this.progress.progress(jobId);
    const reason =
      job.chunksTotal === null
        ? `the upload stopped while its file was being read (its API process went quiet after queueing ${chunks} chunk(s)); the rows queued before that are kept`
        : chunksDone < chunks
          ? `${chunks - chunksDone} of ${chunks} chunk(s) were lost before they were written; the rows of the others are kept`
          : undefined;
    if (reason) await this.jobs.recordFailure(jobId, reason);
    this.logger.warn(`upload ${jobId}: reaped (${reason ?? 'every chunk written, finalize never enqueued'})`);
    await this.queue.addFinalize(jobId);
  }
}
