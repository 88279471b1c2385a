import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { IngestStatusDto } from './dto/ingest-status.dto';
import { IngestScratch } from './ingest-scratch';
import { IngestError, IngestErrorPage, IngestJob } from './schemas/ingest-job.schema';

/** Read side of uploads: status with live progress, and the full error report. */
@Injectable()
export class IngestStatusService {
  constructor(
    @InjectModel(IngestJob.name) private readonly jobs: Model<IngestJob>,
    @InjectModel(IngestErrorPage.name) private readonly pages: Model<IngestErrorPage>,
    private readonly scratch: IngestScratch,
  ) {}

  private async job(jobId: string): Promise<IngestJob> {
    const job = await this.jobs.findById(jobId).lean();
    if (!job) throw new NotFoundException(`No ingest job ${jobId}`);
    return job;
  }

  async status(jobId: string): Promise<IngestStatusDto> {
    const job = await this.job(jobId);
    const finished = job.status === 'completed' || job.status === 'failed';
    let progress = finished ? 1 : 0;
    let rowsWritten = job.rowsWritten ?? 0;
    let status = job.status;
    let startedAt = job.startedAt ?? null;
    if (!finished) {
      // Live figures come from Redis; if it is away, the stored ones are still an answer.
      const live = await this.scratch.progress(jobId).catch(() => null);
      if (live) {
        rowsWritten = live.rowsWritten;
        if (live.startedAt) {
          status = 'processing';
          startedAt = live.startedAt;
        }
        // Reading the file and writing chunks overlap; finishing (ranking) is the last 5 %.
        if (live.chunksTotal !== null && live.chunksTotal > 0) progress = (0.95 * live.chunksDone) / live.chunksTotal;
        else if (job.rowsAccepted > 0) progress = (0.95 * rowsWritten) / Math.max(job.rowsAccepted, rowsWritten);
      }
    }
    return {
      jobId: job._id,
      status,
      filename: job.filename,
      rowsTotal: job.rowsTotal,
      rowsAccepted: job.rowsAccepted,
      rowsRejected: job.rowsRejected,
      rowsDuplicate: job.rowsDuplicate,
      rowsWritten,
      progress: Math.min(1, Math.round(progress * 1000) / 1000),
      createdAt: job.createdAt,
      startedAt,
      finishedAt: job.finishedAt ?? null,
      ...(job.failureReason !== undefined && { failureReason: job.failureReason }),
      errors: job.firstErrors,
      errorsUrl: `/ingest/${job._id}/errors`,
    };
  }

  /** Every rejected row, page by page (pages are fetched by _id, never scanned). */
  async *errors(jobId: string): AsyncGenerator<IngestError[]> {
    const job = await this.job(jobId);
    for (let page = 0; page < job.errorPages; page++) {
      const doc = await this.pages.findById(`${jobId}:${page}`).lean();
      if (doc) yield doc.errors;
    }
  }
}
