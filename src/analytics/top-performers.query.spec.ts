import { MongoNetworkError, MongoServerError } from 'mongodb';
import { newTestService } from '../../test/support/new-test-service';
import { CampaignTotalsRepository, TopRow } from './campaign-totals.repository';
import { RankingCache } from './ranking-cache';
import { TopPerformersQuery } from './top-performers.query';

const row = (influencerId: string, engagementRate: number): TopRow => ({
  influencerId,
  engagementRate,
  likes: 1,
  comments: 2,
  shares: 3,
  views: 60,
  posts: 1,
});

async function setUp() {
  const { sut, mocks } = await newTestService(TopPerformersQuery);
  return { sut, cache: mocks(RankingCache), repository: mocks(CampaignTotalsRepository) };
}

describe('TopPerformersQuery.top', () => {
  it('answers a cache hit from the cache alone, ranked from 1', async () => {
    const { sut, cache, repository } = await setUp();
    cache.get.mockResolvedValue({ version: '4', rows: [row('a', 0.5), row('b', 0.1)], ticket: 0 });
    const ranking = await sut.top('c1', 2);
    expect(cache.get).toHaveBeenCalledWith('c1', 2);
    expect(ranking).toEqual([
      { rank: 1, campaignId: 'c1', influencerId: 'a', engagementRate: 0.5, likes: 1, comments: 2, shares: 3, views: 60, posts: 1 },
      expect.objectContaining({ rank: 2, influencerId: 'b' }),
    ]);
    expect(repository.top).not.toHaveBeenCalled();
    expect(cache.fill).not.toHaveBeenCalled();
  });

  it('reads a miss from the database and fills it under the version it saw (a newer ingest then outdates it)', async () => {
    const { sut, cache, repository } = await setUp();
    cache.get.mockResolvedValue({ version: '7', rows: undefined, ticket: 3 });
    const rows = [row('a', 0.5)];
    repository.top.mockResolvedValue(rows);
    cache.fill.mockReturnValue(undefined);
    expect((await sut.top('c1', 10)).map((r) => r.influencerId)).toEqual(['a']);
    expect(repository.top).toHaveBeenCalledWith('c1', 10);
    expect(cache.fill).toHaveBeenCalledWith({ version: '7', rows: undefined, ticket: 3 }, 'c1', 10, rows);
  });

  it('reads the database, and fills nothing, while Redis is unavailable', async () => {
    const { sut, cache, repository } = await setUp();
    cache.get.mockResolvedValue(null);
    repository.top.mockResolvedValue([row('a', 0.5)]);
    expect(await sut.top('c1', 10)).toHaveLength(1);
    expect(cache.fill).not.toHaveBeenCalled();
  });

  it('lets an unreachable database through (the global DependencyUnavailableFilter answers 503), and caches nothing', async () => {
    const { sut, cache, repository } = await setUp();
    cache.get.mockResolvedValue({ version: '7', rows: undefined, ticket: 3 });
    const away = new MongoNetworkError('connection 3 to 127.0.0.1:27027 closed');
    repository.top.mockRejectedValue(away);
    await expect(sut.top('c1', 10)).rejects.toBe(away);
    expect(cache.fill).not.toHaveBeenCalled();
  });

  it('lets any other database error through (a fault, not a 503)', async () => {
    const { sut, cache, repository } = await setUp();
    cache.get.mockResolvedValue(null);
    const fault = new MongoServerError({ code: 2, errmsg: 'BadValue' });
    repository.top.mockRejectedValue(fault);
    await expect(sut.top('c1', 10)).rejects.toBe(fault);
  });
});

describe('TopPerformersQuery.campaigns', () => {
  it('maps summaries to the page, and lets an unreachable database through (a 503 from the global filter)', async () => {
    const { sut, repository } = await setUp();
    const updatedAt = new Date('2025-01-01T00:00:00Z');
    repository.campaignsPage.mockResolvedValueOnce({ items: [{ _id: 'c2', influencers: 3, posts: 9, updatedAt }], total: 5 });
    expect(await sut.campaigns(2, 1)).toEqual({
      items: [{ campaignId: 'c2', influencers: 3, rows: 9, updatedAt }],
      page: 2,
      pageSize: 1,
      total: 5,
    });
    expect(repository.campaignsPage).toHaveBeenCalledWith(2, 1);
    const away = new MongoNetworkError('connection 3 to 127.0.0.1:27027 closed');
    repository.campaignsPage.mockRejectedValueOnce(away);
    await expect(sut.campaigns(1, 50)).rejects.toBe(away);
  });
});
