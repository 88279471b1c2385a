import { Injectable, NotFoundException } from '@nestjs/common';
import { clientSafeMessage } from '../core/http/client-safe-message';
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

  private async job(jobId: string): Promise<IngestJob> {
    const job = await this.jobs.find(jobId);
    if (!job) throw new NotFoundException(`No ingest job ${jobId}`);
    return job;
  }

  async status(jobId: string): Promise<IngestStatusReport> {
    const job = await this.job(jobId);
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
