import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Collection } from 'mongodb';
import { Model } from 'mongoose';
import { InfluencerTotals } from '../analytics/ranking';
import { IngestScratch } from './ingest-scratch';
import { EngagementRowDoc } from './schemas/engagement-row.schema';

type Totals = Map<string, Map<string, InfluencerTotals>>;

function add(totals: Totals, campaignId: string, influencerId: string, r: { likes: number; comments: number; shares: number; views: number }) {
  let byInfluencer = totals.get(campaignId);
  if (!byInfluencer) totals.set(campaignId, (byInfluencer = new Map()));
  const t = byInfluencer.get(influencerId) ?? { influencerId, likes: 0, comments: 0, shares: 0, views: 0, posts: 0 };
  t.likes += r.likes;
  t.comments += r.comments;
  t.shares += r.shares;
  t.views += r.views;
  t.posts += 1;
  byInfluencer.set(influencerId, t);
}

/**
 * Per-(campaign, influencer) totals over the rows that count: for every row key, the
 * row with the highest seq (latest upload, then latest line).
 */
@Injectable()
export class CampaignTotalsCalculator {
  private readonly rows: Collection<EngagementRowDoc>;

  constructor(
    @InjectModel(EngagementRowDoc.name) rows: Model<EngagementRowDoc>,
    private readonly scratch: IngestScratch,
  ) {
    this.rows = rows.collection as unknown as Collection<EngagementRowDoc>;
  }

  /**
   * Campaigns with no earlier data: the upload's own last line per key is the whole truth,
   * and it is already de-duplicated in Redis, so the database is not read back.
   */
  async fromUpload(uploadId: string, campaigns: string[], into: Totals): Promise<void> {
    for await (const r of this.scratch.latestRows(uploadId, campaigns)) add(into, r.campaignId, r.influencerId, r);
  }

  /**
   * Campaigns with history: every stored row of theirs, latest per key, in one query (the
   * caller sizes the batch: on FerretDB every query is a scan of all rows, whatever it asks).
   */
  async fromDatabase(campaigns: string[], into: Totals): Promise<void> {
    const latest = new Map<string, [seq: number, campaignId: string, influencerId: string, l: number, c: number, s: number, v: number]>();
    const cursor = this.rows.find(
      { campaignId: { $in: campaigns } },
      { projection: { _id: 0, seq: 1, key: 1, campaignId: 1, influencerId: 1, likes: 1, comments: 1, shares: 1, views: 1 }, batchSize: 5000 },
    );
    for await (const d of cursor) {
      // Keys are per campaign already (the campaign is part of every key's input).
      const seen = latest.get(d.key);
      if (!seen || seen[0] < d.seq) latest.set(d.key, [d.seq, d.campaignId, d.influencerId, d.likes, d.comments, d.shares, d.views]);
    }
    for (const [, campaignId, influencerId, likes, comments, shares, views] of latest.values()) {
      add(into, campaignId, influencerId, { likes, comments, shares, views });
    }
  }

  static toArrays(totals: Totals): Map<string, InfluencerTotals[]> {
    return new Map([...totals].map(([c, byInfluencer]) => [c, [...byInfluencer.values()]]));
  }
}
