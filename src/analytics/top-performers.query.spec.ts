import { Type } from '@nestjs/common';
import { MongoNetworkError, MongoServerError } from 'mongodb';
import { Mocked, newTestService } from '../../test/support/new-test-service';
import { CampaignTotalsRepository, TopRow } from './campaign-totals.repository';
import { RankingCache } from './ranking-cache';
import type { ScoredCreator } from './scoring';
import { SLICE_ROWS, SliceRows } from './slice-rows';
import { TopPerformersQuery } from './top-performers.query';

const row = (influencerId: string, engagementRate: number): TopRow & Partial<ScoredCreator> => ({
  influencerId,
  engagementRate,
  likes: 1,
  comments: 2,
  shares: 3,
  views: 60,
  posts: 1,
});

async function setUp() {
  const { sut, mocks } = await newTestService(TopPerformersQuery, { config: { RANKING_PRIOR_VIEWS: 100 } });
  const repository = mocks(CampaignTotalsRepository);
  repository.pooled.mockResolvedValue({ engagements: 60, views: 600 });
  // A token, not a class: the harness injects an empty object, given its methods here.
  const slices = Object.assign(mocks(SLICE_ROWS as unknown as Type<object>), {
    creators: jest.fn(),
    creatorDays: jest.fn(),
    topPosts: jest.fn(),
  }) as Mocked<SliceRows>;
  const cache = mocks(RankingCache);
  cache.fill.mockReturnValue(undefined);
  return { sut, cache, repository, slices };
}

describe('TopPerformersQuery.top', () => {
  it('answers a cache hit from the cache alone, ranked from 1', async () => {
    const { sut, cache, repository } = await setUp();
    cache.get.mockResolvedValue({ version: '4', rows: [{ ...row('a', 0.5), adjustedRate: 0.2 }, row('b', 0.1)], ticket: 0 });
    const ranking = await sut.top('c1', 2);
    expect(cache.get).toHaveBeenCalledWith('c1', 2);
    expect(ranking).toEqual([
      {
        rank: 1,
        campaignId: 'c1',
        influencerId: 'a',
        engagementRate: 0.5,
        likes: 1,
        comments: 2,
        shares: 3,
        views: 60,
        posts: 1,
        adjustedRate: 0.2,
      },
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
    const ranking = await sut.top('c1', 10);
    expect(ranking.map((r) => r.influencerId)).toEqual(['a']);
    // p0 = 60 / 600 = 0.1 over the campaign's totals; (6 + 100 · 0.1) / (60 + 100)
    expect(ranking[0].adjustedRate).toBeCloseTo(16 / 160, 15);
    expect(repository.top).toHaveBeenCalledWith('c1', 10, 0);
    expect(cache.fill).toHaveBeenCalledWith({ version: '7', rows: undefined, ticket: 3 }, 'c1', 10, [
      { ...rows[0], adjustedRate: ranking[0].adjustedRate },
    ]);
  });

  it('reads a slice from the rows, ranks it by the adjusted rate and caches it under its own name', async () => {
    const { sut, cache, repository, slices } = await setUp();
    cache.get.mockResolvedValue({ version: '2', rows: undefined, ticket: 1 });
    slices.creators.mockResolvedValue([
      { influencerId: 'tiny', likes: 5, comments: 0, shares: 0, views: 10, posts: 1 },
      { influencerId: 'big', likes: 80, comments: 0, shares: 0, views: 1000, posts: 4 },
      { influencerId: 'mid', likes: 10, comments: 0, shares: 0, views: 200, posts: 2 },
    ]);
    const ranking = await sut.top('c1', 2, { platform: 'tiktok', from: '2024-05-01', rankBy: 'adjusted', minViews: 100 });
    expect(slices.creators).toHaveBeenCalledWith({ campaignId: 'c1', platform: 'tiktok', from: '2024-05-01' });
    expect(repository.top).not.toHaveBeenCalled();
    // p0 = 95 / 1210 over all three (tiny too, though minViews leaves it out); big ranks first.
    const p0 = 95 / 1210;
    expect(ranking.map((r) => [r.rank, r.influencerId])).toEqual([
      [1, 'big'],
      [2, 'mid'],
    ]);
    expect(ranking[0].adjustedRate).toBeCloseTo((80 + 100 * p0) / 1100, 15);
    const key = JSON.stringify(['top', 'tiktok', '2024-05-01', null, 100, 'adjusted', 2, 100]);
    expect(cache.get).toHaveBeenCalledWith('c1', key);
    expect(cache.fill).toHaveBeenCalledWith(expect.anything(), 'c1', key, expect.any(Array));
  });

  it('ranks a whole campaign by the adjusted rate from its totals, without reading rows', async () => {
    const { sut, cache, repository, slices } = await setUp();
    cache.get.mockResolvedValue(null);
    repository.creatorsOf.mockResolvedValue([
      { influencerId: 'b', likes: 1, comments: 0, shares: 0, views: 10, posts: 1 },
      { influencerId: 'a', likes: 1, comments: 0, shares: 0, views: 10, posts: 1 },
    ]);
    expect((await sut.top('c1', 10, { rankBy: 'adjusted' })).map((r) => r.influencerId)).toEqual(['a', 'b']);
    expect(slices.creators).not.toHaveBeenCalled();
  });

  it('keeps the indexed read for minViews without a slice, with the bound in the query', async () => {
    const { sut, cache, repository } = await setUp();
    cache.get.mockResolvedValue(null);
    repository.top.mockResolvedValue([]);
    expect(await sut.top('c1', 5, { minViews: 500 })).toEqual([]);
    expect(repository.top).toHaveBeenCalledWith('c1', 5, 500);
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
