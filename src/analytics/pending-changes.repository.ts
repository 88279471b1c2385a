import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { ClientSession, Collection } from 'mongodb';
import { Model } from 'mongoose';
import { campaignsOf, PendingChange } from './schemas/pending-change.schema';

/** Buckets of campaigns: an upload's changes are folded into the totals one bucket per transaction. */
export const BUCKETS = 32;

const range = (jobId: string, bucket: number) => {
  const prefix = `${jobId}:${String(bucket).padStart(2, '0')}:`;
  // ';' follows ':' in byte order: every id with the prefix sorts between the two.
  return { $gt: prefix, $lt: `${prefix.slice(0, -1)};` };
};

/** The changes chunks made to totals, until they are folded in (CampaignTotalsService). */
@Injectable()
export class PendingChangesRepository {
  private readonly pending: Collection<PendingChange>;

  constructor(@InjectModel(PendingChange.name) pending: Model<PendingChange>) {
    this.pending = pending.collection as unknown as Collection<PendingChange>;
  }

  static id(jobId: string, bucket: number, chunk: number): string {
    return `${jobId}:${String(bucket).padStart(2, '0')}:${chunk}`;
  }

  async add(docs: PendingChange[], session: ClientSession): Promise<void> {
    if (docs.length > 0) await this.pending.insertMany(docs, { session });
  }

  notApplied(jobId: string, bucket: number, session: ClientSession): Promise<PendingChange[]> {
    return this.pending.find({ _id: range(jobId, bucket), applied: { $ne: true } }, { session }).toArray();
  }

  async markApplied(ids: string[], session: ClientSession): Promise<void> {
    await this.pending.updateMany({ _id: { $in: ids } }, { $set: { applied: true } }, { session });
  }

  /** Campaigns named by the bucket's applied changes (to invalidate their cached rankings). */
  async appliedCampaigns(jobId: string, bucket: number): Promise<string[]> {
    const docs = await this.pending.find({ _id: range(jobId, bucket), applied: true }, { projection: { pairs: 1 } }).toArray();
    return [...new Set(docs.flatMap(campaignsOf))];
  }

  async dropApplied(jobId: string, bucket: number): Promise<void> {
    await this.pending.deleteMany({ _id: range(jobId, bucket), applied: true });
  }

  /** Every upload with staged changes: one indexed lookup per upload (a skip scan of the primary key). */
  async uploads(): Promise<string[]> {
    const found: string[] = [];
    for (let after = ''; ;) {
      const doc = await this.pending.findOne({ _id: { $gt: after } }, { projection: { _id: 1 }, sort: { _id: 1 } });
      if (!doc) return found;
      const jobId = doc._id.slice(0, doc._id.indexOf(':'));
      found.push(jobId);
      after = `${jobId};`;
    }
  }

  /** Uploads with changes not folded in yet (for the audit: totals lag their rows until then). */
  async hasAny(): Promise<boolean> {
    return (await this.pending.findOne({}, { projection: { _id: 1 } })) !== null;
  }
}
