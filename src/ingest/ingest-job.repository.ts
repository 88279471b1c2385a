import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Collection } from 'mongodb';
import { Model } from 'mongoose';
import { duplicateKeyIndexes } from '../core/database/write-errors';
import type { RowError } from './csv/row-validator';
import { FinishedStatus, UNFINISHED_STATUSES } from './job-status';
import { IngestErrorPage, IngestJob } from './schemas/ingest-job.schema';

type JobSummary = Pick<
  IngestJob,
  'rowsTotal' | 'rowsAccepted' | 'rowsRejected' | 'rowsDuplicate' | 'campaignCount' | 'firstErrors' | 'errorPages' | 'errorsNotStored'
>;

interface JobOutcome {
  status: FinishedStatus;
  rowsWritten: number;
  rowsSuperseded: number;
  failureReason?: string;
}

/** Ignores "already there": every write here may be repeated by a retry with the same content. */
async function insertOnce(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (err) {
    if (duplicateKeyIndexes(err) === null) throw err;
  }
}

/** The job store: upload documents and their pages of rejected rows. */
@Injectable()
export class IngestJobRepository {
  private readonly counters: Collection<{ _id: string; value: number }>;
  private readonly errorPages: Collection<IngestErrorPage>;

  constructor(
    @InjectModel(IngestJob.name) private readonly jobs: Model<IngestJob>,
    @InjectModel(IngestErrorPage.name) errorPages: Model<IngestErrorPage>,
  ) {
    this.counters = jobs.db.collection('counters');
    this.errorPages = errorPages.collection as unknown as Collection<IngestErrorPage>;
  }

  /** Orders uploads: a later upload's rows win over an earlier one's. */
  async nextUploadSeq(): Promise<number> {
    for (;;) {
      const res = await this.counters.findOneAndUpdate(
        { _id: 'uploadSeq' },
        { $inc: { value: 1 } },
        { upsert: true, returnDocument: 'after' },
      );
      // secantus-mdb answers null to all but one of several upserts racing to create the
      // counter, though each increment lands (docs/database.md): increment again, which
      // only skips a number. MongoDB returns every caller its own value.
      if (!res) continue;
      // Versions compare (uploadSeq, line) as exact integers: refuse rather than mis-order.
      if (!Number.isSafeInteger(res.value))
        throw new Error('the upload counter passed 2^53 - 1: later uploads could no longer win reliably');
      return res.value;
    }
  }

  async create(jobId: string, uploadSeq: number, filename: string | undefined): Promise<void> {
    const now = new Date();
    await this.jobs.create({ _id: jobId, uploadSeq, status: 'queued', filename, createdAt: now, heartbeatAt: now });
  }

  async delete(jobId: string): Promise<void> {
    await this.jobs.deleteOne({ _id: jobId });
  }

  find(jobId: string): Promise<IngestJob | null> {
    return this.jobs.findById(jobId).lean<IngestJob>().exec();
  }

  /** The file is read whole: its counts, and the chunk count completion is judged by. */
  async saveSummary(jobId: string, summary: JobSummary & { chunksTotal: number }): Promise<void> {
    await this.jobs.updateOne({ _id: jobId }, { $set: summary });
  }

  /** A chunk landed: the job is `processing` from the first one on (a no-op after that). */
  async started(jobId: string, at: Date): Promise<void> {
    await this.jobs.updateOne({ _id: jobId, status: 'queued' }, { $set: { status: 'processing', startedAt: at } });
  }

  /** Counted before the chunk is queued (see IngestJob.chunksQueued); doubles as a heartbeat. */
  async chunkQueued(jobId: string): Promise<void> {
    await this.jobs.updateOne({ _id: jobId }, { $inc: { chunksQueued: 1 }, $set: { heartbeatAt: new Date() } });
  }

  async heartbeat(jobId: string): Promise<void> {
    await this.jobs.updateOne({ _id: jobId }, { $set: { heartbeatAt: new Date() } });
  }

  /** The first reason wins; finalize ends the job failed with it. */
  async recordFailure(jobId: string, reason: string): Promise<void> {
    await this.jobs.updateOne({ _id: jobId, failureReason: { $exists: false } }, { $set: { failureReason: reason } });
  }

  /** Unfinished jobs whose reading API has been quiet since `before`, oldest first. */
  quietUnfinished(before: Date, limit: number): Promise<IngestJob[]> {
    return this.jobs
      .find({ status: { $in: UNFINISHED_STATUSES }, heartbeatAt: { $lt: before } })
      .sort({ heartbeatAt: 1 })
      .limit(limit)
      .lean<IngestJob[]>()
      .exec();
  }

  /** Ends a job once: a job already completed or failed keeps its outcome. */
  async finish(jobId: string, outcome: JobOutcome): Promise<void> {
    await this.jobs.updateOne({ _id: jobId, status: { $in: UNFINISHED_STATUSES } }, { $set: { ...outcome, finishedAt: new Date() } });
  }

  async addErrorPage(jobId: string, page: number, errors: RowError[]): Promise<void> {
    await insertOnce(this.errorPages.insertOne({ _id: `${jobId}:${page}`, errors }));
  }

  async errorPage(jobId: string, page: number): Promise<RowError[] | null> {
    return (await this.errorPages.findOne({ _id: `${jobId}:${page}` }))?.errors ?? null;
  }
}
