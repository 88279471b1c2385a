import { engagementRate } from './ranking';
import { RankedInfluencer } from './schemas/campaign-ranking.schema';

/** One ranked creator as stored: the sums only; the rate is derived from them on read. */
type StoredEntry = [influencerId: string, likes: number, comments: number, shares: number, views: number, posts: number];

/**
 * The ranked head of a campaign as one compact JSON text, in rank order. The database
 * and Redis keep this text and only the API reads it: as one string value it costs
 * FerretDB a fraction of 600 nested values to encode and to scan (see the README).
 */
export function encodeRanking(top: readonly RankedInfluencer[]): string {
  return JSON.stringify(top.map((t): StoredEntry => [t.influencerId, t.likes, t.comments, t.shares, t.views, t.posts]));
}

/**
 * The first `limit` creators of a stored ranking. Also reads the earlier format (an array
 * of objects), so no migration is needed.
 */
export function decodeRanking(stored: string | readonly unknown[], limit = Infinity): RankedInfluencer[] {
  const entries = (typeof stored === 'string' ? JSON.parse(stored) : stored) as Array<StoredEntry | RankedInfluencer>;
  return entries.slice(0, limit).map((e) => {
    const [influencerId, likes, comments, shares, views, posts] = Array.isArray(e)
      ? e
      : [e.influencerId, e.likes, e.comments, e.shares, e.views, e.posts];
    return { influencerId, engagementRate: engagementRate({ likes, comments, shares, views }), likes, comments, shares, views, posts };
  });
}
