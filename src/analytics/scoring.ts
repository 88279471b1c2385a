/** What rows add up to: their engagements, views, and how many they are (posts). */
export interface Figures {
  likes: number;
  comments: number;
  shares: number;
  views: number;
  posts: number;
}

/** A creator's sums over the rows of a slice. */
export interface CreatorSums extends Figures {
  influencerId: string;
}

// posts first: the order the report's JSON has always given its figures in.
export const noFigures = (): Figures => ({ posts: 0, likes: 0, comments: 0, shares: 0, views: 0 });

/** Adds `d` into `into`, field by field (either may be a change, any field negative). */
export function addFigures(into: Figures, d: Figures): void {
  into.likes += d.likes;
  into.comments += d.comments;
  into.shares += d.shares;
  into.views += d.views;
  into.posts += d.posts;
}

export interface ScoredCreator extends CreatorSums {
  engagementRate: number;
  adjustedRate: number;
}

export type RankBy = 'rate' | 'adjusted';

export const engagements = (c: Pick<CreatorSums, 'likes' | 'comments' | 'shares'>) => c.likes + c.comments + c.shares;

/** ΣE / ΣV over every creator of the slice (the prior's rate); null for an empty slice. */
export function pooledRate(creators: Iterable<Pick<CreatorSums, 'likes' | 'comments' | 'shares' | 'views'>>): number | null {
  let e = 0;
  let v = 0;
  for (const c of creators) {
    e += engagements(c);
    v += c.views;
  }
  return v > 0 ? e / v : null;
}

/**
 * Empirical-Bayes shrinkage: the creator's rate as if `k` more views at the slice's pooled
 * rate `p0` were added. A creator with few views sits near p0; one with V ≫ k keeps its own
 * rate. k = 0 is the raw rate.
 */
export const adjustedRate = (e: number, v: number, k: number, p0: number) => (e + k * p0) / (v + k);

/** Binary (code unit) order, the order of the ranking index: `Zed` before `bob`. */
export const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The ranking of a slice: every creator scored against the slice's prior (taken before
 * `minViews` leaves any out), those with fewer views than `minViews` left out, ordered by
 * the chosen rate descending, ties by influencerId ascending.
 */
export function rankCreators(
  creators: CreatorSums[],
  opts: { k: number; minViews: number; rankBy: RankBy; p0?: number | null },
): ScoredCreator[] {
  const p0 = opts.p0 !== undefined ? opts.p0 : pooledRate(creators);
  if (p0 === null) return [];
  const key = opts.rankBy === 'adjusted' ? 'adjustedRate' : 'engagementRate';
  return creators
    .filter((c) => c.views >= opts.minViews)
    .map((c) => ({ ...c, engagementRate: engagements(c) / c.views, adjustedRate: adjustedRate(engagements(c), c.views, opts.k, p0) }))
    .sort((a, b) => b[key] - a[key] || byId(a.influencerId, b.influencerId));
}

export type Interval = 'day' | 'week' | 'month';

/** The period a day (`YYYY-MM-DD`) falls in: the day itself, the Monday of its ISO week, the 1st of its month. */
export function periodOf(day: string, interval: Interval): string {
  if (interval === 'day') return day;
  if (interval === 'month') return `${day.slice(0, 8)}01`;
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}
