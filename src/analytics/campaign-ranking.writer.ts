import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Collection } from 'mongodb';
import { Model } from 'mongoose';
import { duplicateKeyIndexes } from '../core/database/write-errors';
import { encodeRanking } from './ranking-codec';
import { RankingCache } from './ranking-cache';
import { InfluencerTotals, rankInfluencers } from './ranking';
import { CampaignRanking, RANKING_DEPTH } from './schemas/campaign-ranking.schema';

const REPLACE_BATCH = 25;

export type StoredRanking = Pick<CampaignRanking, 'posts' | 'influencers' | 'top'>;

/** Rankings stored in the earlier format (objects) never compare equal: they get rewritten. */
function sameRanking(stored: StoredRanking, next: StoredRanking): boolean {
  return typeof stored.top === 'string' && stored.top === next.top && stored.posts === next.posts && stored.influencers === next.influencers;
}

/**
 * The one way other modules change analytics: ingest hands over the full per-influencer
 * totals of each campaign it touched, and the ranking is replaced in one write per
 * campaign, so readers see either the old or the new ranking, never a mix.
 */
@Injectable()
export class CampaignRankingWriter {
  private readonly collection: Collection<CampaignRanking>;

  constructor(
    @InjectModel(CampaignRanking.name) rankings: Model<CampaignRanking>,
    private readonly cache: RankingCache,
  ) {
    // The driver's collection, typed with our string _id: bulk writes skip mongoose casting.
    this.collection = rankings.collection as unknown as Collection<CampaignRanking>;
  }

  /**
   * `known` are the campaigns that have a ranking document already (see existing()):
   * those are replaced, unless their ranking did not change, and the others inserted.
   * The split matters on FerretDB 1.x/SQLite, where an upsert scans the collection but an
   * insert does not; replacements go in small batches because each statement of a bulk
   * update holds a SQLite connection. Every ranking still goes to the Redis copy: a retry
   * after a failed write-through finds the database current and must still refresh Redis.
   */
  async replace(campaigns: Map<string, InfluencerTotals[]>, known: ReadonlyMap<string, StoredRanking>): Promise<void> {
    const docs = [...campaigns].map(([campaignId, totals]) => ({
      _id: campaignId,
      influencers: totals.length,
      posts: totals.reduce((n, t) => n + t.posts, 0),
      top: encodeRanking(rankInfluencers(totals, RANKING_DEPTH)),
      updatedAt: new Date(),
    }));
    const toReplace = docs.filter((d) => known.has(d._id) && !sameRanking(known.get(d._id)!, d));
    const toInsert = docs.filter((d) => !known.has(d._id));
    for (let i = 0; i < toInsert.length; i += 1000) {
      const batch = toInsert.slice(i, i + 1000);
      try {
        await this.collection.insertMany(batch, { ordered: false });
      } catch (err) {
        // Someone ranked the campaign meanwhile: replace what already existed.
        const dup = duplicateKeyIndexes(err);
        if (dup === null) throw err;
        // A bare duplicate-key error (no per-document list) means every document of the batch.
        const dupSet = new Set(dup.length > 0 ? dup : batch.map((_, j) => j));
        toReplace.push(...batch.filter((_, j) => dupSet.has(j)));
      }
    }
    for (let i = 0; i < toReplace.length; i += REPLACE_BATCH) {
      await this.collection.bulkWrite(
        toReplace.slice(i, i + REPLACE_BATCH).map((d) => ({ replaceOne: { filter: { _id: d._id }, replacement: d, upsert: true } })),
        { ordered: false },
      );
    }
    await this.cache.put(docs.map((d) => ({ campaignId: d._id, top: d.top })));
  }

  /**
   * The stored rankings of those campaigns that have one (and therefore stored rows):
   * `posts` sizes the caller's work, the rest lets replace() skip what did not change.
   */
  async existing(campaignIds: string[]): Promise<Map<string, StoredRanking>> {
    const found = new Map<string, StoredRanking>();
    for (let i = 0; i < campaignIds.length; i += 1000) {
      const docs = await this.collection
        .find({ _id: { $in: campaignIds.slice(i, i + 1000) } }, { projection: { _id: 1, posts: 1, influencers: 1, top: 1 } })
        .toArray();
      for (const d of docs) found.set(String(d._id), { posts: d.posts ?? 0, influencers: d.influencers, top: d.top });
    }
    return found;
  }
}
