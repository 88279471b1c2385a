import { Injectable, NotFoundException } from '@nestjs/common';
import { CampaignReportQuery } from '../../analytics/campaign-report.query';
import type { CampaignReportDto } from '../../analytics/dto/campaign-report.dto';
import type { Platform } from '../brief-options';
import type { CampaignInsights, CampaignInsightsProvider } from './tool-types';

/** Enough to pick from, few enough for a prompt: the brief recommends up to this many creators. */
export const RECOMMENDED_CREATORS = 5;
export const TOP_POSTS = 3;
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** The UTC weekday with the most posts over a daily series; ties go to the earlier day of the week. */
export function busiestWeekday(series: CampaignReportDto['series']): string | null {
  const posts = new Array<number>(7).fill(0);
  for (const p of series) posts[(new Date(`${p.period}T00:00:00Z`).getUTCDay() + 6) % 7] += p.posts;
  const best = posts.reduce((b, n, i) => (n > posts[b] ? i : b), 0);
  return posts[best] > 0 ? WEEKDAYS[best] : null;
}

/**
 * The campaign's own results, read through analytics' report (its public service, never its
 * collections): the report of the request's platform, or of every platform when the campaign
 * has no rows there. Default slice settings (minViews 0, daily series), so the creators are
 * the first of GET /top-performers?rankBy=adjusted for the same platform.
 */
@Injectable()
export class AnalyticsCampaignInsights implements CampaignInsightsProvider {
  constructor(private readonly reports: CampaignReportQuery) {}

  async insights(campaignId: string, platform: Platform): Promise<CampaignInsights> {
    let scope: CampaignInsights['scope'] = 'platform';
    let report = await this.read(campaignId, platform);
    if (report.totals.posts === 0) {
      scope = 'all-platforms';
      report = await this.read(campaignId, undefined);
    }
    return {
      campaignId: report.campaignId,
      platform,
      scope,
      benchmark: {
        engagementRate: report.totals.engagementRate,
        creators: report.totals.creators,
        posts: report.totals.posts,
        views: report.totals.views,
      },
      recommendedCreators: report.topCreators.slice(0, RECOMMENDED_CREATORS).map((c) => ({
        influencerId: c.influencerId,
        engagementRate: c.engagementRate,
        adjustedRate: c.adjustedRate,
        views: c.views,
        posts: c.posts,
      })),
      topPosts: report.topPosts.slice(0, TOP_POSTS).map((p) => ({
        influencerId: p.influencerId,
        postId: p.postId,
        platform: p.platform,
        engagementRate: p.engagementRate,
        views: p.views,
      })),
      busiestWeekday: busiestWeekday(report.series),
    };
  }

  dataVersion(campaignId: string): Promise<string | null> {
    return this.reports.dataVersion(campaignId);
  }

  private async read(campaignId: string, platform: string | undefined): Promise<CampaignReportDto> {
    try {
      return await this.reports.report(campaignId, platform === undefined ? {} : { platform });
    } catch (err) {
      if (err instanceof NotFoundException) {
        throw new NotFoundException(
          `Unknown campaign ${JSON.stringify(campaignId)}: no rows were uploaded for it, so there are no results to learn from`,
        );
      }
      throw err;
    }
  }
}
