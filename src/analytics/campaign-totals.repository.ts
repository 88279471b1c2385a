import { Injectable } from '@nestjs/common';
import { InjectConnection, InjectModel } from '@nestjs/mongoose';
import type { Collection, Document } from 'mongodb';
import type { Connection, Model } from 'mongoose';
import { ENGAGEMENT_ROWS } from '../core/database/engagement-row.schema';
import { CampaignSummary, InfluencerTotals } from './schemas/influencer-totals.schema';

const SEP = '\u0001';

/** Totals of a set of campaigns from their current rows, merged into influencer_totals. */
export function totalsPipeline(campaignIds: string[], into: string): Document[] {
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
    { $merge: { into, on: '_id', whenMatched: 'replace', whenNotMatched: 'insert' } },
  ];
}

/** Campaign headline figures from their totals, merged into campaign_summaries. */
export function summariesPipeline(campaignIds: string[], into: string, now: Date): Document[] {
  return [
    { $match: { campaignId: { $in: campaignIds } } },
    { $group: { _id: '$campaignId', influencers: { $sum: 1 }, posts: { $sum: '$posts' } } },
    { $set: { updatedAt: now } },
    { $merge: { into, on: '_id', whenMatched: 'replace', whenNotMatched: 'insert' } },
  ];
}

export type TopRow = Pick<InfluencerTotals, 'influencerId' | 'engagementRate' | 'likes' | 'comments' | 'shares' | 'views' | 'posts'>;

/**
 * Every database access of analytics. Totals are computed by the database: a key's rows
 * never change influencer (the influencer is part of every key), so re-grouping a
 * campaign's current rows and merging the result replaces every total it has.
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

  async rebuild(campaignIds: string[]): Promise<void> {
    if (campaignIds.length === 0) return;
    await this.rows.aggregate(totalsPipeline(campaignIds, this.totals.collection.collectionName)).toArray();
    await this.totals.collection
      .aggregate(summariesPipeline(campaignIds, this.summaries.collection.collectionName, new Date()))
      .toArray();
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
