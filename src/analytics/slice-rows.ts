import type { CreatorSums } from './scoring';

/**
 * A slice of a campaign's stored rows: its platform (trimmed, lower-cased, as stored) and
 * the UTC days its `postedAt` may fall on, [fromDay, toDay] inclusive. A period leaves out
 * the rows without a `postedAt`.
 */
export interface SliceFilter {
  campaignId: string;
  platform?: string;
  /** `YYYY-MM-DD`. */
  from?: string;
  /** `YYYY-MM-DD`, inclusive. */
  to?: string;
}

/** Sums of a creator's rows on one platform (null: none) and one UTC day (null: undated). */
export interface CreatorDaySums extends CreatorSums {
  platform: string | null;
  day: string | null;
}

export interface SlicePost {
  influencerId: string;
  postId: string | null;
  platform: string | null;
  postedAt: Date | null;
  likes: number;
  comments: number;
  shares: number;
  views: number;
  engagementRate: number;
}

/**
 * What analytics needs to read of the rows, which ingest owns. Analytics declares it and
 * ingest provides it under SLICE_ROWS (a global provider), so neither module reaches into
 * the other's collection and the import direction stays ingest → analytics.
 */
export interface SliceRows {
  /** Per creator over the slice. */
  creators(filter: SliceFilter): Promise<CreatorSums[]>;
  /** Per (creator, platform, day) over the slice. */
  creatorDays(filter: SliceFilter): Promise<CreatorDaySums[]>;
  /** The slice's best posts: rate desc, views desc, influencerId asc; those with fewer than `minViews` views left out. */
  topPosts(filter: SliceFilter, minViews: number, limit: number): Promise<SlicePost[]>;
}

export const SLICE_ROWS = Symbol('SLICE_ROWS');
