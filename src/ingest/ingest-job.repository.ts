import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Collection } from 'mongodb';
import { Model } from 'mongoose';
import { duplicateKeyIndexes } from '../core/database/write-errors';
import { IngestError, IngestErrorPage, IngestJob, IngestUploadCampaign } from './schemas/ingest-job.schema';

const SEP = '\u0001';
const NEXT = '\u0002';

export type JobSummary = Pick<
  IngestJob,
  'rowsTotal' | 'rowsAccepted' | 'rowsRejected' | 'rowsDuplicate' | 'campaignCount' | 'firstErrors' | 'errorPages' | 'errorsNotStored'
>;

export interface JobOutcome {
  status: 'completed' | 'failed';
  rowsWritten: number;
  startedAt: Date;
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

/** The job store: upload documents, their pages of rejected rows, the campaigns they touched. */
@Injectable()
export class IngestJobRepository {
  private readonly counters: Collection<{ _id: string; value: number }>;
  private readonly campaigns: Collection<{ _id: string }>;
  private readonly errorPages: Collection<{ _id: string; errors: IngestError[] }>;

  constructor(
    @InjectModel(IngestJob.name) private readonly jobs: Model<IngestJob>,
    @InjectModel(IngestErrorPage.name) errorPages: Model<IngestErrorPage>,
    @InjectModel(IngestUploadCampaign.name) campaigns: Model<IngestUploadCampaign>,
  ) {
    this.counters = jobs.db.collection('counters');
    this.campaigns = campaigns.collection as unknown as Collection<{ _id: string }>;
    this.errorPages = errorPages.collection as unknown as Collection<{ _id: string; errors: IngestError[] }>;
  }

  /** Orders uploads: a later upload's rows win over an earlier one's. */
  async nextUploadSeq(): Promise<number> {
    const res = await this.counters.findOneAndUpdate(
      { _id: 'uploadSeq' },
      { $inc: { value: 1 } },
      { upsert: true, returnDocument: 'after' },
    );
    return res?.value ?? 1;
  }

  async create(uploadId: string, uploadSeq: number, filename: string | undefined): Promise<void> {
    await this.jobs.create({ _id: uploadId, uploadSeq, status: 'queued', filename, createdAt: new Date() });
  }

  async delete(uploadId: string): Promise<void> {
    await this.jobs.deleteOne({ _id: uploadId });
  }

  find(uploadId: string): Promise<IngestJob | null> {
    return this.jobs.findById(uploadId).lean<IngestJob>().exec();
  }

  async saveSummary(uploadId: string, summary: JobSummary & { chunksTotal: number; failureReason?: string }): Promise<void> {
    await this.jobs.updateOne({ _id: uploadId }, { $set: summary });
  }

  /** Ends a job once: a job already completed or failed keeps its outcome. */
  async finish(uploadId: string, outcome: JobOutcome): Promise<void> {
    await this.jobs.updateOne(
      { _id: uploadId, status: { $in: ['queued', 'processing'] } },
      { $set: { ...outcome, finishedAt: new Date() } },
    );
  }

  async addErrorPage(uploadId: string, page: number, errors: IngestError[]): Promise<void> {
    await insertOnce(this.errorPages.insertOne({ _id: `${uploadId}:${page}`, errors }));
  }

  async errorPage(uploadId: string, page: number): Promise<IngestError[] | null> {
    return (await this.errorPages.findOne({ _id: `${uploadId}:${page}` }))?.errors ?? null;
  }

  async addCampaigns(uploadId: string, campaignIds: string[]): Promise<void> {
    if (campaignIds.length === 0) return;
    await insertOnce(
      this.campaigns.insertMany(
        campaignIds.map((c) => ({ _id: `${uploadId}${SEP}${c}` })),
        { ordered: false },
      ),
    );
  }

  /** The upload's campaigns in id order, `batch` at a time (a range of the primary key). */
  async *campaignsOf(uploadId: string, batch: number): AsyncGenerator<string[]> {
    const prefix = `${uploadId}${SEP}`;
    let after = prefix;
    for (;;) {
      const docs = await this.campaigns
        .find({ _id: { $gt: after, $lt: `${uploadId}${NEXT}` } })
        .sort({ _id: 1 })
        .limit(batch)
        .toArray();
      if (docs.length === 0) return;
      yield docs.map((d) => d._id.slice(prefix.length));
      if (docs.length < batch) return;
      after = docs[docs.length - 1]._id;
    }
  }

  async dropCampaigns(uploadId: string): Promise<void> {
    await this.campaigns.deleteMany({ _id: { $gt: `${uploadId}${SEP}`, $lt: `${uploadId}${NEXT}` } });
  }
}
