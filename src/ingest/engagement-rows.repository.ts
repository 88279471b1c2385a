import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { ClientSession, Collection, Filter } from 'mongodb';
import { Model } from 'mongoose';
import type { PairSums } from '../analytics/pair-sums';
import type { CreatorSums } from '../analytics/scoring';
import type { CreatorDaySums, SliceFilter, SlicePost, SliceRows } from '../analytics/slice-rows';
import { EngagementRowDoc } from './schemas/engagement-row.schema';

/** What a change of totals needs to know of a stored version. */
export type StoredVersion = Pick<EngagementRowDoc, '_id' | 'uploadSeq' | 'line' | 'likes' | 'comments' | 'shares' | 'views'>;

const VERSION_FIELDS = { uploadSeq: 1, line: 1, likes: 1, comments: 1, shares: 1, views: 1 } as const;

const SUMS = {
  likes: { $sum: '$likes' },
  comments: { $sum: '$comments' },
  shares: { $sum: '$shares' },
  views: { $sum: '$views' },
  posts: { $sum: 1 },
};
const DAY_MS = 86_400_000;

/** The rows of a slice, as a filter on the `slices` index: campaign, then platform, then the postedAt range. */
function sliceMatch(f: SliceFilter): Filter<EngagementRowDoc> {
  const match: Filter<EngagementRowDoc> = { campaignId: f.campaignId };
  if (f.platform !== undefined) match.platform = f.platform;
  if (f.from !== undefined || f.to !== undefined) {
    // Days are UTC dates: [from 00:00Z, the day after `to` 00:00Z). A missing postedAt matches neither bound.
    const range: { $gte?: Date; $lt?: Date } = {};
    if (f.from !== undefined) range.$gte = new Date(`${f.from}T00:00:00Z`);
    if (f.to !== undefined) range.$lt = new Date(Date.parse(`${f.to}T00:00:00Z`) + DAY_MS);
    match.postedAt = range;
  }
  return match;
}

/**
 * Every access to the stored rows: writes inside the chunk's transaction, reads by _id, and
 * the slices analytics reads (SliceRows, provided to it under SLICE_ROWS).
 */
@Injectable()
export class EngagementRowsRepository implements SliceRows {
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
        $group: { _id: { c: '$campaignId', i: '$influencerId' }, ...SUMS },
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

  creators(filter: SliceFilter): Promise<CreatorSums[]> {
    return this.rows
      .aggregate<CreatorSums>([
        { $match: sliceMatch(filter) },
        { $group: { _id: '$influencerId', ...SUMS } },
        { $project: { _id: 0, influencerId: '$_id', likes: 1, comments: 1, shares: 1, views: 1, posts: 1 } },
      ])
      .toArray();
  }

  async creatorDays(filter: SliceFilter): Promise<CreatorDaySums[]> {
    const groups = await this.rows
      .aggregate<{ _id: { i: string; p?: string | null; d?: string | null } } & Omit<CreatorSums, 'influencerId'>>([
        { $match: sliceMatch(filter) },
        {
          $group: {
            _id: { i: '$influencerId', p: '$platform', d: { $dateToString: { format: '%Y-%m-%d', date: '$postedAt' } } },
            ...SUMS,
          },
        },
      ])
      .toArray();
    return groups.map(({ _id, ...sums }) => ({ influencerId: _id.i, platform: _id.p ?? null, day: _id.d ?? null, ...sums }));
  }

  async topPosts(filter: SliceFilter, minViews: number, limit: number): Promise<SlicePost[]> {
    const rate = { $divide: [{ $add: ['$likes', '$comments', '$shares'] }, '$views'] };
    const posts = await this.rows
      .aggregate<Omit<EngagementRowDoc, 'uploadSeq' | 'line' | 'campaignId'> & { engagementRate: number | null }>([
        { $match: sliceMatch(filter) },
        // minViews is not a $match on `views`: on secantus-mdb any predicate on `views` made this
        // pipeline ~6× slower, while this $cond costs nothing. A post under minViews gets a null
        // rate, which sorts after every number and is dropped below. $addFields, not $project,
        // before the sort: a $project building a new document per row was 1.6× slower
        // (docs/data-model.md); the few kept are trimmed after the $limit.
        { $addFields: { engagementRate: minViews > 0 ? { $cond: [{ $gte: ['$views', minViews] }, rate, null] } : rate } },
        // The row key last: a total order, so equal posts always come in the same order.
        { $sort: { engagementRate: -1, views: -1, influencerId: 1, _id: 1 } },
        { $limit: limit },
        {
          $project: {
            influencerId: 1,
            postId: 1,
            platform: 1,
            postedAt: 1,
            likes: 1,
            comments: 1,
            shares: 1,
            views: 1,
            engagementRate: 1,
          },
        },
      ])
      .toArray();
    return posts.flatMap((p) =>
      p.engagementRate === null
        ? []
        : {
            influencerId: p.influencerId,
            postId: p.postId ?? null,
            platform: p.platform ?? null,
            postedAt: p.postedAt ?? null,
            likes: p.likes,
            comments: p.comments,
            shares: p.shares,
            views: p.views,
            engagementRate: p.engagementRate,
          },
    );
  }
}
