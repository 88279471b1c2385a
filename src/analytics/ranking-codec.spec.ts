import { decodeRanking, encodeRanking } from './ranking-codec';
import { rankInfluencers } from './ranking';

const totals = [
  { influencerId: 'influencer_3', likes: 120, comments: 7, shares: 3, views: 1000, posts: 2 },
  { influencerId: 'influencer_10', likes: 1, comments: 0, shares: 0, views: 3, posts: 1 },
  { influencerId: 'influencer_7', likes: 2 ** 52, comments: 2 ** 51, shares: 1, views: 9007199254740991, posts: 4 },
];

describe('ranking codec', () => {
  it('round-trips a ranking exactly, rank order and rates included', () => {
    const ranked = rankInfluencers(totals, 100);
    const text = encodeRanking(ranked);
    expect(typeof text).toBe('string');
    expect(decodeRanking(text)).toEqual(ranked);
  });

  it('stores one flat entry per creator, without the derived rate', () => {
    expect(JSON.parse(encodeRanking(rankInfluencers(totals.slice(0, 1), 100)))).toEqual([['influencer_3', 120, 7, 3, 1000, 2]]);
  });

  it('reads rankings stored in the earlier format (objects, from the database or Redis)', () => {
    const ranked = rankInfluencers(totals, 100);
    expect(decodeRanking(ranked)).toEqual(ranked);
    expect(decodeRanking(JSON.stringify(ranked))).toEqual(ranked);
  });

  it('decodes only the head asked for', () => {
    const ranked = rankInfluencers(totals, 100);
    expect(decodeRanking(encodeRanking(ranked), 2)).toEqual(ranked.slice(0, 2));
  });

  it('an empty ranking stays empty', () => {
    expect(decodeRanking(encodeRanking([]))).toEqual([]);
  });
});
