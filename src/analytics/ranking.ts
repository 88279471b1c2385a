import { RankedInfluencer } from './schemas/campaign-ranking.schema';

export interface InfluencerTotals {
  influencerId: string;
  likes: number;
  comments: number;
  shares: number;
  views: number;
  posts: number;
}

/** (Σlikes + Σcomments + Σshares) / Σviews as a plain fraction, full double precision. */
export function engagementRate(t: Pick<InfluencerTotals, 'likes' | 'comments' | 'shares' | 'views'>): number {
  return (t.likes + t.comments + t.shares) / t.views;
}

/** Byte order of the UTF-8 encodings, as the contract's tie rule asks. */
function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Engagement rate descending, ties by influencerId ascending (byte order). */
export function rankInfluencers(totals: InfluencerTotals[], depth: number): RankedInfluencer[] {
  return totals
    .map((t) => ({ ...t, engagementRate: engagementRate(t) }))
    .sort((a, b) => b.engagementRate - a.engagementRate || compareBytes(a.influencerId, b.influencerId))
    .slice(0, depth)
    .map(({ influencerId, engagementRate, likes, comments, shares, views, posts }) => ({
      influencerId,
      engagementRate,
      likes,
      comments,
      shares,
      views,
      posts,
    }));
}
