import fc from 'fast-check';
import { adjustedRate, CreatorSums, periodOf, pooledRate, rankCreators } from './scoring';

const creator = (influencerId: string, likes: number, views: number, comments = 0, shares = 0): CreatorSums => ({
  influencerId,
  likes,
  comments,
  shares,
  views,
  posts: 1,
});

describe('pooledRate', () => {
  it('is ΣE / ΣV over every creator (a ratio of sums), null when there are no views', () => {
    expect(pooledRate([creator('a', 5, 10, 1, 1), creator('b', 16, 200)])).toBe(23 / 210);
    expect(pooledRate([])).toBeNull();
  });
});

describe('adjustedRate', () => {
  it('is (E + k·p0) / (V + k)', () => {
    expect(adjustedRate(5, 10, 1000, 0.08)).toBe((5 + 80) / 1010);
    expect(adjustedRate(5, 10, 0, 0.08)).toBe(0.5);
  });

  it('lies between the raw rate and p0, and nears the raw rate as views grow', () => {
    fc.assert(
      fc.property(fc.nat(1e6), fc.integer({ min: 1, max: 1e7 }), fc.nat(1e5), fc.double({ min: 0, max: 5, noNaN: true }), (e, v, k, p0) => {
        const raw = e / v;
        const adj = adjustedRate(e, v, k, p0);
        const [lo, hi] = raw < p0 ? [raw, p0] : [p0, raw];
        expect(adj).toBeGreaterThanOrEqual(lo - 1e-12);
        expect(adj).toBeLessThanOrEqual(hi + 1e-12);
        expect(Math.abs(adjustedRate(e * 100, v * 100, k, p0) - raw)).toBeLessThanOrEqual(Math.abs(adj - raw) + 1e-12);
      }),
    );
  });
});

describe('rankCreators', () => {
  // The case: 5 likes over 10 views (0.5) against 0.08 over 200,000 views, in a
  // campaign whose pooled rate is 0.06 (p0 = 18,005 / 300,010).
  const tiny = creator('tiny', 5, 10);
  const big = creator('big', 16_000, 200_000);
  const low = creator('low', 2_000, 100_000);
  const p0 = 18_005 / 300_010;

  it('by rate: the tiny account first; adjusted: the proven one first', () => {
    expect(rankCreators([big, low, tiny], { k: 1000, minViews: 0, rankBy: 'rate' }).map((c) => c.influencerId)).toEqual([
      'tiny',
      'big',
      'low',
    ]);
    const adjusted = rankCreators([big, low, tiny], { k: 1000, minViews: 0, rankBy: 'adjusted' });
    expect(adjusted.map((c) => c.influencerId)).toEqual(['big', 'tiny', 'low']);
    expect(adjusted[1]).toEqual({ ...tiny, engagementRate: 0.5, adjustedRate: (5 + 1000 * p0) / 1010 });
  });

  it('takes the prior over every creator before minViews leaves some out', () => {
    const ranked = rankCreators([big, low, tiny], { k: 1000, minViews: 11, rankBy: 'adjusted' });
    expect(ranked.map((c) => c.influencerId)).toEqual(['big', 'low']);
    expect(ranked[0].adjustedRate).toBe((16_000 + 1000 * p0) / 201_000);
  });

  it('keeps a creator with exactly minViews views', () => {
    expect(rankCreators([tiny], { k: 1000, minViews: 10, rankBy: 'rate' })).toHaveLength(1);
  });

  it('breaks ties by influencerId in binary order (Zed before bob), whichever rate ranks', () => {
    const same = [creator('bob', 1, 10), creator('Zed', 1, 10), creator('amy', 1, 10)];
    for (const rankBy of ['rate', 'adjusted'] as const) {
      expect(rankCreators(same, { k: 1000, minViews: 0, rankBy }).map((c) => c.influencerId)).toEqual(['Zed', 'amy', 'bob']);
    }
  });

  it('ranks nothing for an empty slice', () => {
    expect(rankCreators([], { k: 1000, minViews: 0, rankBy: 'adjusted' })).toEqual([]);
  });

  it('with k = 0 the adjusted rate is the rate', () => {
    for (const c of rankCreators([big, tiny], { k: 0, minViews: 0, rankBy: 'adjusted' })) expect(c.adjustedRate).toBe(c.engagementRate);
  });
});

describe('periodOf', () => {
  it.each([
    ['2024-05-01', 'day', '2024-05-01'],
    ['2024-05-01', 'week', '2024-04-29'], // a Wednesday → its Monday
    ['2024-04-29', 'week', '2024-04-29'], // a Monday
    ['2024-05-05', 'week', '2024-04-29'], // a Sunday ends the ISO week
    ['2025-01-01', 'week', '2024-12-30'], // across a year
    ['2024-03-03', 'week', '2024-02-26'], // across a leap February
    ['2024-05-31', 'month', '2024-05-01'],
  ] as const)('%s by %s is %s', (day, interval, period) => {
    expect(periodOf(day, interval)).toBe(period);
  });
});
