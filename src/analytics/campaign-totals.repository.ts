import { Injectable } from '@nestjs/common';
import { InjectConnection, InjectModel } from '@nestjs/mongoose';
import type { Collection, Document } from 'mongodb';
import type { Connection, Model } from 'mongoose';
import { ENGAGEMENT_ROWS } from '../core/database/engagement-row.schema';
import { CampaignSummary, InfluencerTotals } from './schemas/influencer-totals.schema';

const SEP = '\u0001';

/** Per (campaign, influencer) totals of a set of campaigns over their current rows, with the rate. */
export function totalsPipeline(campaignIds: string[]): Document[] {
  return [
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
        _id: { $concat: ['$_id.c', SEP, '$_id.i'] },
        campaignId: '$_id.c',
        influencerId: '$_id.i',
        likes: 1,
        comments: 1,
        shares: 1,
        views: 1,
        posts: 1,
        // views > 0 on every stored row, so a sum is never 0.
        engagementRate: { $divide: [{ $add: ['$likes', '$comments', '$shares'] }, '$views'] },
      },
    },
  ];
}

const WRITE_BATCH = 5000;

export type TopRow = Pick<InfluencerTotals, 'influencerId' | 'engagementRate' | 'likes' | 'comments' | 'shares' | 'views' | 'posts'>;

/**
 * Every database access of analytics. Totals are computed by the database: a key's rows
 * never change influencer (the influencer is part of every key), so re-grouping a
 * campaign's current rows yields every total it has.
 */
@Injectable()
export class CampaignTotalsRepository {
  private readonly rows: Collection;

  constructor(
    @InjectConnection() connection: Connection,
    @InjectModel(InfluencerTotals.name) private readonly totals: Model<InfluencerTotals>,
    @InjectModel(CampaignSummary.name) private readonly summaries: Model<CampaignSummary>,
  ) {
    this.rows = connection.collection(ENGAGEMENT_ROWS);
  }

  /**
   * The database groups; the result is written with delete + insert rather than a `$merge`.
   * DocumentDB workaround: `$merge` probes its target per document with a plan made from the
   * target's statistics, and until autovacuum has analysed a freshly filled collection (a
   * first load) that probe is a scan whose cost grows with the collection (figures in
   * bench/README.md, "What bounds ingest"). Inserts need no probe. Readers may see a campaign's
   * old totals, none, then the new ones while its upload finalizes (the job completes only
   * afterwards). Go back to `$merge` (whenMatched: replace) once DocumentDB plans it by _id.
   */
  async rebuild(campaignIds: string[]): Promise<void> {
    if (campaignIds.length === 0) return;
    await this.totals.deleteMany({ campaignId: { $in: campaignIds } }).exec();
    const summaries = new Map<string, CampaignSummary>();
    const now = new Date();
    let batch: InfluencerTotals[] = [];
    const flush = async () => {
      if (batch.length > 0) await this.totals.collection.insertMany(batch as never[], { ordered: false });
      batch = [];
    };
    for await (const t of this.rows.aggregate<InfluencerTotals>(totalsPipeline(campaignIds), { batchSize: WRITE_BATCH })) {
      batch.push(t);
      const s = summaries.get(t.campaignId) ?? { _id: t.campaignId, influencers: 0, posts: 0, updatedAt: now };
      s.influencers += 1;
      s.posts += t.posts;
      summaries.set(t.campaignId, s);
      if (batch.length >= WRITE_BATCH) await flush();
    }
    await flush();
    await this.summaries.deleteMany({ _id: { $in: campaignIds } }).exec();
    if (summaries.size > 0) await this.summaries.collection.insertMany([...summaries.values()] as never[], { ordered: false });
  }

  /** The head of a campaign's ranking: rate descending, ties by influencerId (binary order). */
  top(campaignId: string, limit: number): Promise<TopRow[]> {
    return this.totals
      .find({ campaignId }, { _id: 0, influencerId: 1, engagementRate: 1, likes: 1, comments: 1, shares: 1, views: 1, posts: 1 })
      .sort({ engagementRate: -1, influencerId: 1 })
      .limit(limit)
      .lean<TopRow[]>()
      .exec();
  }

  async campaignsPage(page: number, pageSize: number): Promise<{ items: CampaignSummary[]; total: number }> {
    const [items, total] = await Promise.all([
      this.summaries
        .find({})
        .sort({ _id: 1 })
        .skip((page - 1) * pageSize)
        .limit(pageSize)
        .lean<CampaignSummary[]>()
        .exec(),
      this.summaries.countDocuments({}).exec(),
    ]);
    return { items, total };
  }
}
