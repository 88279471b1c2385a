import type { CreatorSums } from './scoring';

/**
 * The figures of one creator in one campaign: the totals over its stored rows (posts: how
 * many rows), and also what a change of rows adds to them (then any field may be negative).
 */
export interface PairSums extends CreatorSums {
  campaignId: string;
}

const SEP = '\u0001';

/** `<campaignId>\u0001<influencerId>`: ids never contain control characters (CSV contract). */
export const pairId = (p: Pick<PairSums, 'campaignId' | 'influencerId'>) => `${p.campaignId}${SEP}${p.influencerId}`;

/** (likes + comments + shares) / views: a plain fraction; views > 0 on every stored row. */
export const engagementRate = (p: PairSums) => (p.likes + p.comments + p.shares) / p.views;
