import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { ClientSession, Collection } from 'mongodb';
import { Model } from 'mongoose';
import type { PairSums } from '../analytics/pair-sums';
import { EngagementRowDoc } from './schemas/engagement-row.schema';

/** What a change of totals needs to know of a stored version. */
export type StoredVersion = Pick<EngagementRowDoc, '_id' | 'uploadSeq' | 'line' | 'likes' | 'comments' | 'shares' | 'views'>;

const VERSION_FIELDS = { uploadSeq: 1, line: 1, likes: 1, comments: 1, shares: 1, views: 1 } as const;

/** Every access to the stored rows: writes inside the chunk's transaction, reads by _id. */
@Injectable()
export class EngagementRowsRepository {
  private readonly rows: Collection<EngagementRowDoc>;

  constructor(@InjectModel(EngagementRowDoc.name) rows: Model<EngagementRowDoc>) {
    this.rows = rows.collection as unknown as Collection<EngagementRowDoc>;
  }

  /** The stored versions of these keys (one $in over the primary key). */
  async versionsOf(keys: string[], session: ClientSession): Promise<Map<string, StoredVersion>> {
    const found = await this.rows.find({ _id: { $in: keys } }, { projection: VERSION_FIELDS, session }).toArray();
    return new Map(found.map((v) => [v._id, v]));
  }

  async insert(docs: EngagementRowDoc[], session: ClientSession): Promise<void> {
    if (docs.length > 0) await this.rows.insertMany(docs, { session });
  }

  /** Whole-document replacement: optional fields the new version lacks disappear with the old one. */
  async replace(docs: EngagementRowDoc[], session: ClientSession): Promise<void> {
    if (docs.length === 0) return;
    await this.rows.bulkWrite(
      docs.map((d) => ({ replaceOne: { filter: { _id: d._id }, replacement: d } })),
      { session },
    );
  }

  /**
   * Sums per (campaign, influencer) recomputed from the rows, for the audit. No index serves
   * it (the ingest path needs none): a scan, fine for an occasional check.
   */
  sumsByPair(campaignIds: string[]): AsyncIterable<PairSums> {
    return this.rows.aggregate<PairSums>([
      { $match: { campaignId: { $in: campaignIds } } },
      {
        $group: {
          _id: { c: '$campaignId', i: '$influencerId' },
          likes: { $sum: '$likes' },
          comments: { $sum: '$comments' },
          shares: { $sum: '$shares' },
          views: { $sum: '$views' },
          posts: { $sum: 1 },
        },
      },
      {
        $project: {
          _id: 0,
          campaignId: '$_id.c',
          influencerId: '$_id.i',
          likes: 1,
          comments: 1,
          shares: 1,
          views: 1,
          posts: 1,
        },
      },
    ]);
  }
}
