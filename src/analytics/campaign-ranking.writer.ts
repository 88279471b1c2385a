import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Collection } from 'mongodb';
import { Model } from 'mongoose';
import { InfluencerTotals, rankInfluencers } from './ranking';
import { CampaignRanking, RANKING_DEPTH } from './schemas/campaign-ranking.schema';

/**
 * The one way other modules change analytics: ingest hands over the full per-influencer
 * totals of each campaign it touched, and the ranking is replaced in one write per
 * campaign, so readers see either the old or the new ranking, never a mix.
 */
@Injectable()
export class CampaignRankingWriter {
  private readonly collection: Collection<CampaignRanking>;

  constructor(@InjectModel(CampaignRanking.name) rankings: Model<CampaignRanking>) {
    // The driver's collection, typed with our string _id: bulk writes skip mongoose casting.
    this.collection = rankings.collection as unknown as Collection<CampaignRanking>;
  }

  async replace(campaigns: Map<string, InfluencerTotals[]>): Promise<void> {
    const ops = [...campaigns].map(([campaignId, totals]) => ({
      replaceOne: {
        filter: { _id: campaignId },
        replacement: {
          _id: campaignId,
          influencers: totals.length,
          posts: totals.reduce((n, t) => n + t.posts, 0),
          top: rankInfluencers(totals, RANKING_DEPTH),
          updatedAt: new Date(),
        },
        upsert: true,
      },
    }));
    for (let i = 0; i < ops.length; i += 500) {
      await this.collection.bulkWrite(ops.slice(i, i + 500), { ordered: false });
    }
  }

  /** Campaigns that already have a ranking (and therefore stored rows). */
  async existing(campaignIds: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < campaignIds.length; i += 1000) {
      const docs = await this.collection
        .find({ _id: { $in: campaignIds.slice(i, i + 1000) } }, { projection: { _id: 1 } })
        .toArray();
      for (const d of docs) found.add(String(d._id));
    }
    return found;
  }
}
