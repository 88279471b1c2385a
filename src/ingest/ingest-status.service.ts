import { Injectable, NotFoundException } from '@nestjs/common';
import { isDatabaseUnavailable } from '../core/database/mongo-errors';
import { clientSafeMessage } from '../core/http/client-safe-message';
import { DependencyUnavailableError } from '../core/http/dependency-unavailable';
import { isRedisUnavailable } from '../core/redis/redis-errors';
import type { RowError } from './csv/row-validator';
import { IngestJobRepository } from './ingest-job.repository';
import { IngestProgressRepository, LiveProgress } from './ingest-progress.repository';
import { IngestStatusReport, isFinished } from './job-status';
import { IngestJob } from './schemas/ingest-job.schema';

/** Read side of uploads: status with live progress, and the full error report. */
@Injectable()
export class IngestStatusService {
  constructor(
    private readonly jobs: IngestJobRepository,
    private readonly progressStore: IngestProgressRepository,
  ) {}

  /**
   * The stored job. While the database is away the answer is a 503 (DependencyUnavailableFilter)
   * that still carries what Redis holds of an unfinished upload: how far it got, and why it waits.
   */
  private async job(jobId: string): Promise<IngestJob> {
    let job: IngestJob | null;
    try {
      job = await this.jobs.find(jobId);
    } catch (err) {
      if (!isDatabaseUnavailable(err)) throw err;
      const live = await this.liveProgress(jobId);
      const known = live && (live.chunksDone > 0 || live.waiting !== undefined);
      throw new DependencyUnavailableError('database', known ? { live: liveOnly(jobId, live) } : {}, { cause: err });
    }
    if (!job) throw new NotFoundException(`No ingest job ${jobId}`);
    return job;
  }

  async status(jobId: string): Promise<IngestStatusReport> {
    return this.report(await this.job(jobId));
  }

  /**
   * Statuses one after another for a watcher (the event stream): while the database is away,
   * the job as last read with fresh live progress from Redis, rather than an error. Nothing
   * of the stored job can change meanwhile: every change to it is a database write.
   */
  watch(jobId: string): () => Promise<IngestStatusReport> {
    let last: IngestJob | undefined;
    return async () => {
      try {
        last = await this.job(jobId);
      } catch (err) {
        if (!last || !(err instanceof DependencyUnavailableError)) throw err;
      }
      return this.report(last);
    };
  }

  private async report(job: IngestJob): Promise<IngestStatusReport> {
    const jobId = job._id;
    const finished = isFinished(job.status);
    let progress = finished ? 1 : 0;
    let rowsWritten = job.rowsWritten ?? 0;
    let rowsSuperseded = job.rowsSuperseded ?? 0;
    let waiting: string | undefined;
    if (!finished) {
      const live = await this.liveProgress(jobId);
      if (live) {
        rowsWritten = live.rowsWritten;
        rowsSuperseded = live.rowsSuperseded;
        waiting = live.waiting;
        // Reading the file and writing chunks overlap; finishing (ranking) is the last 5 %.
        if (job.chunksTotal !== null && job.chunksTotal > 0) progress = (0.95 * live.chunksDone) / job.chunksTotal;
        else if (job.rowsAccepted > 0) {
          const settled = rowsWritten + rowsSuperseded;
          progress = (0.95 * settled) / Math.max(job.rowsAccepted, settled);
        }
      }
    }
    return {
      jobId: job._id,
      status: job.status,
      filename: job.filename,
      rowsTotal: job.rowsTotal,
      rowsAccepted: job.rowsAccepted,
      rowsRejected: job.rowsRejected,
      rowsDuplicate: job.rowsDuplicate,
      rowsWritten,
      rowsSuperseded,
      progress: Math.min(1, Math.round(progress * 1000) / 1000),
      createdAt: job.createdAt,
      startedAt: job.startedAt ?? null,
      finishedAt: job.finishedAt ?? null,
      // Stored as the driver worded it; what clients see names no host, port or URI of ours.
      ...(job.failureReason !== undefined && { failureReason: clientSafeMessage(job.failureReason) }),
      ...(waiting !== undefined && { waiting }),
      errors: job.firstErrors,
      errorsNotStored: job.errorsNotStored ?? 0,
      errorsUrl: `/ingest/${job._id}/errors`,
    };
  }

  /**
   * Live figures come from Redis. If Redis is down, the stored figures are still an
   * answer; any other error is a fault to surface, not to hide.
   */
  private async liveProgress(jobId: string): Promise<LiveProgress | null> {
    try {
      return await this.progressStore.progress(jobId);
    } catch (err) {
      if (isRedisUnavailable(err)) return null;
      throw err;
    }
  }

  /** Every rejected row, page by page (pages are fetched by _id, never scanned). */
  async *errors(jobId: string): AsyncGenerator<RowError[]> {
    const job = await this.job(jobId);
    for (let page = 0; page < job.errorPages; page++) {
      const errors = await this.jobs.errorPage(jobId, page);
      if (errors) yield errors;
    }
  }
}

/**
 * What Redis alone tells of an unfinished upload: its live counters. The status, the chunk
 * count and the start time are the job document's (docs/data-model.md), so they wait for it.
 */
function liveOnly(jobId: string, live: LiveProgress) {
  return {
    jobId,
    chunksDone: live.chunksDone,
    rowsWritten: live.rowsWritten,
    rowsSuperseded: live.rowsSuperseded,
    ...(live.waiting !== undefined && { waiting: live.waiting }),
  };
}
