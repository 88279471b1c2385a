import { NotFoundException, Type } from '@nestjs/common';
import { MongoNetworkError } from 'mongodb';
import { Mocked, newTestService } from '../../test/support/new-test-service';
import { CampaignReportQuery } from './campaign-report.query';
import { CampaignTotalsRepository } from './campaign-totals.repository';
import { RankingCache } from './ranking-cache';
import { CreatorDaySums, SLICE_ROWS, SliceRows } from './slice-rows';

const group = (
  influencerId: string,
  platform: string | null,
  day: string | null,
  likes: number,
  views: number,
  posts = 1,
): CreatorDaySums => ({
  influencerId,
  platform,
  day,
  likes,
  comments: 0,
  shares: 0,
  views,
  posts,
});

async function setUp() {
  const { sut, mocks } = await newTestService(CampaignReportQuery, { config: { RANKING_PRIOR_VIEWS: 10 } });
  const slices = Object.assign(mocks(SLICE_ROWS as unknown as Type<object>), {
    creators: jest.fn(),
    creatorDays: jest.fn(),
    topPosts: jest.fn().mockResolvedValue([]),
  }) as Mocked<SliceRows>;
  const repository = mocks(CampaignTotalsRepository);
  repository.hasCampaign.mockResolvedValue(true);
  const cache = mocks(RankingCache);
  cache.get.mockResolvedValue({ version: '1', rows: undefined, ticket: 0 });
  cache.fill.mockReturnValue(undefined);
  return { sut, slices, repository, cache };
}

describe('CampaignReportQuery.report', () => {
  it('rolls the (creator, platform, day) groups up into totals, platforms, periods, undated rows and top creators', async () => {
    const { sut, slices, cache } = await setUp();
    slices.creatorDays.mockResolvedValue([
      group('a', 'tiktok', '2024-05-01', 10, 100), // a Wednesday
      group('a', 'tiktok', '2024-05-05', 5, 100), // the Sunday of the same ISO week
      group('b', null, '2024-05-06', 1, 100), // the next Monday
      group('b', 'youtube', null, 30, 100, 2),
      group('c', 'youtube', '2024-05-01', 4, 10),
    ]);
    const report = await sut.report('c1', { interval: 'week', minViews: 50 });
    expect(report.filters).toEqual({ platform: null, from: null, to: null, minViews: 50, interval: 'week' });
    const p0 = 50 / 410;
    expect(report.prior).toEqual({ views: 10, rate: p0 });
    expect(report.totals).toEqual({ creators: 3, posts: 6, likes: 50, comments: 0, shares: 0, views: 410, engagementRate: p0 });
    // views desc, then by name, "no platform" last
    expect(report.byPlatform.map((p) => [p.platform, p.creators, p.posts, p.views])).toEqual([
      ['tiktok', 1, 2, 200],
      ['youtube', 2, 3, 110],
      [null, 1, 1, 100],
    ]);
    expect(report.series.map((s) => [s.period, s.posts, s.likes, s.views])).toEqual([
      ['2024-04-29', 3, 19, 210],
      ['2024-05-06', 1, 1, 100],
    ]);
    expect(report.undated).toEqual({ posts: 2, views: 100 });
    // c (10 views) is under minViews; the prior still counts it.
    expect(report.topCreators.map((c) => [c.rank, c.influencerId, c.adjustedRate])).toEqual([
      [1, 'b', (31 + 10 * p0) / 210],
      [2, 'a', (15 + 10 * p0) / 210],
    ]);
    expect(cache.fill).toHaveBeenCalledWith(expect.anything(), 'c1', JSON.stringify(['report', null, null, null, 50, 'week', 10]), report);
  });

  it('answers an empty slice of a known campaign with zero totals, a null rate and empty lists', async () => {
    const { sut, slices } = await setUp();
    slices.creatorDays.mockResolvedValue([]);
    const report = await sut.report('c1', { platform: 'snapchat' });
    expect(report).toMatchObject({
      prior: { views: 10, rate: null },
      totals: { creators: 0, posts: 0, views: 0, engagementRate: null },
      byPlatform: [],
      series: [],
      undated: { posts: 0, views: 0 },
      topCreators: [],
      topPosts: [],
    });
  });

  it('404s a campaign without any row, and lets an unreachable database through (the global filter answers 503)', async () => {
    const { sut, slices, repository } = await setUp();
    repository.hasCampaign.mockResolvedValue(false);
    slices.creatorDays.mockResolvedValue([]);
    await expect(sut.report('nope', {})).rejects.toThrow(NotFoundException);
    const away = new MongoNetworkError('connection closed');
    slices.creatorDays.mockRejectedValue(away);
    await expect(sut.report('c1', {})).rejects.toBe(away);
  });

  it('answers a cached report from the cache alone', async () => {
    const { sut, slices, cache } = await setUp();
    const cached = { campaignId: 'c1' };
    cache.get.mockResolvedValue({ version: '1', rows: cached, ticket: 0 });
    expect(await sut.report('c1', {})).toBe(cached);
    expect(slices.creatorDays).not.toHaveBeenCalled();
  });
});
