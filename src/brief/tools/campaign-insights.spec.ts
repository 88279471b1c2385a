import { NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { newTestService } from '../../../test/support/new-test-service';
import { CampaignReportQuery } from '../../analytics/campaign-report.query';
import type { CampaignReportDto } from '../../analytics/dto/campaign-report.dto';
import { AnalyticsCampaignInsights, busiestWeekday } from './campaign-insights';

const creator = (influencerId: string, adjustedRate: number, views = 1000) => ({
  rank: 0,
  campaignId: 'c1',
  influencerId,
  engagementRate: adjustedRate + 0.01,
  adjustedRate,
  likes: 10,
  comments: 2,
  shares: 1,
  views,
  posts: 2,
});

const post = (influencerId: string, engagementRate: number) => ({
  influencerId,
  postId: `p-${influencerId}`,
  platform: 'tiktok',
  postedAt: null,
  likes: 1,
  comments: 0,
  shares: 0,
  views: 500,
  engagementRate,
});

/** A report as analytics answers it; only the parts the tool reads vary. */
function report(over: Partial<CampaignReportDto> & { posts?: number } = {}): CampaignReportDto {
  const posts = over.posts ?? 12;
  return {
    campaignId: 'c1',
    filters: { platform: 'tiktok', from: null, to: null, minViews: 0, interval: 'day' },
    prior: { views: 1000, rate: 0.05 },
    totals: {
      creators: posts ? 7 : 0,
      posts,
      likes: 100,
      comments: 10,
      shares: 5,
      views: posts ? 2300 : 0,
      engagementRate: posts ? 0.05 : null,
    },
    byPlatform: [],
    series: [],
    undated: { posts: 0, views: 0 },
    topCreators: [],
    topPosts: [],
    ...over,
  };
}

async function setUp() {
  const { sut, mocks } = await newTestService(AnalyticsCampaignInsights);
  return { sut, reports: mocks(CampaignReportQuery) };
}

describe('AnalyticsCampaignInsights', () => {
  it("reads the platform's report: its pooled rate and counts, the first 5 creators of its adjusted ranking in order, the 3 best posts", async () => {
    const { sut, reports } = await setUp();
    const ranked = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id, i) => creator(id, 0.1 - i / 100));
    reports.report.mockResolvedValue(
      report({ topCreators: ranked, topPosts: ['x', 'y', 'z', 'w'].map((id, i) => post(id, 0.2 - i / 100)) }),
    );
    const got = await sut.insights('c1', 'tiktok');
    expect(reports.report).toHaveBeenCalledTimes(1);
    expect(reports.report).toHaveBeenCalledWith('c1', { platform: 'tiktok' });
    expect(got).toMatchObject({
      campaignId: 'c1',
      platform: 'tiktok',
      scope: 'platform',
      benchmark: { engagementRate: 0.05, creators: 7, posts: 12, views: 2300 },
      busiestWeekday: null,
    });
    expect(got.recommendedCreators).toEqual(
      ranked.slice(0, 5).map((c) => ({
        influencerId: c.influencerId,
        engagementRate: c.engagementRate,
        adjustedRate: c.adjustedRate,
        views: c.views,
        posts: c.posts,
      })),
    );
    expect(got.topPosts.map((p) => p.postId)).toEqual(['p-x', 'p-y', 'p-z']);
  });

  it('keeps fewer creators when the campaign has fewer', async () => {
    const { sut, reports } = await setUp();
    reports.report.mockResolvedValue(report({ topCreators: [creator('only', 0.07)] }));
    expect((await sut.insights('c1', 'tiktok')).recommendedCreators.map((c) => c.influencerId)).toEqual(['only']);
  });

  it('with no rows on the platform, reads every platform and says so', async () => {
    const { sut, reports } = await setUp();
    reports.report
      .mockResolvedValueOnce(report({ posts: 0 }))
      .mockResolvedValueOnce(report({ posts: 30, topCreators: [creator('yt', 0.09)] }));
    const got = await sut.insights('c1', 'instagram');
    expect(reports.report.mock.calls).toEqual([
      ['c1', { platform: 'instagram' }],
      ['c1', {}],
    ]);
    expect(got).toMatchObject({ platform: 'instagram', scope: 'all-platforms', benchmark: { posts: 30 } });
    expect(got.recommendedCreators.map((c) => c.influencerId)).toEqual(['yt']);
  });

  it('answers an unknown campaign with a 404 that names it', async () => {
    const { sut, reports } = await setUp();
    reports.report.mockRejectedValue(new NotFoundException('No rows for campaign "nope"'));
    const err = await sut.insights('nope', 'tiktok').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundException);
    expect((err as Error).message).toBe('Unknown campaign "nope": no rows were uploaded for it, so there are no results to learn from');
  });

  it('passes other failures through as they are', async () => {
    const { sut, reports } = await setUp();
    const down = new ServiceUnavailableException('The database is unavailable');
    reports.report.mockRejectedValue(down);
    await expect(sut.insights('c1', 'tiktok')).rejects.toBe(down);
  });

  it("names the campaign's data version as analytics does", async () => {
    const { sut, reports } = await setUp();
    reports.dataVersion.mockResolvedValueOnce('7').mockResolvedValueOnce(null);
    expect(await sut.dataVersion('c1')).toBe('7');
    expect(await sut.dataVersion('c1')).toBeNull();
    expect(reports.dataVersion).toHaveBeenCalledWith('c1');
  });
});

describe('busiestWeekday', () => {
  const day = (period: string, posts: number) => ({ period, posts, likes: 0, comments: 0, shares: 0, views: 0, engagementRate: null });

  it('sums posts per UTC weekday over the days', () => {
    // 2024-05-06 is a Monday, 2024-05-08 a Wednesday, 2024-05-15 the next Wednesday.
    expect(busiestWeekday([day('2024-05-06', 3), day('2024-05-08', 2), day('2024-05-15', 2)])).toBe('Wednesday');
    expect(busiestWeekday([day('2024-05-12', 1)])).toBe('Sunday');
  });

  it('breaks ties toward the start of the week, and is null without dated posts', () => {
    expect(busiestWeekday([day('2024-05-12', 2), day('2024-05-07', 2)])).toBe('Tuesday');
    expect(busiestWeekday([])).toBeNull();
  });
});
