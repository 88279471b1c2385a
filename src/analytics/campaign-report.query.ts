import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { AppConfig } from '../core/config/app-config';
import { CampaignTotalsRepository } from './campaign-totals.repository';
import { CampaignReportDto } from './dto/campaign-report.dto';
import { RankingCache } from './ranking-cache';
import { addFigures, byId, CreatorSums, engagements, Figures, Interval, noFigures, periodOf, pooledRate, rankCreators } from './scoring';
import { CreatorDaySums, SLICE_ROWS, SliceRows } from './slice-rows';
import { queryKey, RankingRequest, sliceFilter, toDto } from './top-performers.query';

export interface ReportRequest extends Omit<RankingRequest, 'rankBy'> {
  interval?: Interval;
}

/**
 * The 404 of the report and the CSV export: a campaign with no completed upload
 * (`hasCampaign`) and nothing in the slice just read (an upload may be landing).
 */
export const unknownCampaign = (campaignId: string) => new NotFoundException(`No rows for campaign ${JSON.stringify(campaignId)}`);

const TOP_CREATORS = 10;
const TOP_POSTS = 10;

const withRate = (f: Figures) => ({ ...f, engagementRate: f.views > 0 ? engagements(f) / f.views : null });

/** The campaign report (docs/api.md): one aggregation of the slice per (creator, platform, day), rolled up here. */
@Injectable()
export class CampaignReportQuery {
  constructor(
    private readonly repository: CampaignTotalsRepository,
    private readonly cache: RankingCache,
    private readonly config: AppConfig,
    @Inject(SLICE_ROWS) private readonly slices: SliceRows,
  ) {}

  async report(campaignId: string, request: ReportRequest): Promise<CampaignReportDto> {
    const id = String(campaignId);
    const { minViews = 0, interval = 'day' } = request;
    const key = queryKey('report', [request.platform, request.from, request.to, minViews, interval, this.config.RANKING_PRIOR_VIEWS]);
    const cached = await this.cache.get<CampaignReportDto>(id, key);
    if (cached?.rows) return cached.rows;
    const filter = sliceFilter(id, request);
    const [known, groups, posts] = await Promise.all([
      this.repository.hasCampaign(id),
      this.slices.creatorDays(filter),
      this.slices.topPosts(filter, minViews, TOP_POSTS),
    ]);
    if (!known && groups.length === 0) throw unknownCampaign(id);
    const report: CampaignReportDto = {
      campaignId: id,
      filters: { platform: request.platform ?? null, from: request.from ?? null, to: request.to ?? null, minViews, interval },
      ...this.rollUp(id, groups, minViews, interval),
      topPosts: posts.map((p) => ({ ...p, postedAt: p.postedAt?.toISOString() ?? null })),
    };
    if (cached) this.cache.fill(cached, id, key, report);
    return report;
  }

  hasCampaign(campaignId: string): Promise<boolean> {
    return this.repository.hasCampaign(String(campaignId));
  }

  /** Changes whenever the campaign's rows do (a completed upload): see RankingCache.version. */
  dataVersion(campaignId: string): Promise<string | null> {
    return this.cache.version(String(campaignId));
  }

  private rollUp(campaignId: string, groups: CreatorDaySums[], minViews: number, interval: Interval) {
    const creators = new Map<string, CreatorSums>();
    const platforms = new Map<string | null, { figures: Figures; creators: Set<string> }>();
    const periods = new Map<string, Figures>();
    const totals = noFigures();
    const undated = noFigures();
    for (const g of groups) {
      addFigures(totals, g);
      let c = creators.get(g.influencerId);
      if (!c) creators.set(g.influencerId, (c = { influencerId: g.influencerId, ...noFigures() }));
      addFigures(c, g);
      let p = platforms.get(g.platform);
      if (!p) platforms.set(g.platform, (p = { figures: noFigures(), creators: new Set() }));
      addFigures(p.figures, g);
      p.creators.add(g.influencerId);
      if (g.day === null) addFigures(undated, g);
      else {
        const period = periodOf(g.day, interval);
        let f = periods.get(period);
        if (!f) periods.set(period, (f = noFigures()));
        addFigures(f, g);
      }
    }
    const p0 = pooledRate(creators.values());
    const k = this.config.RANKING_PRIOR_VIEWS;
    return {
      prior: { views: k, rate: p0 },
      totals: { creators: creators.size, ...withRate(totals) },
      byPlatform: [...platforms]
        // views desc, then by name with "no platform" last: a stable order for equal views.
        .sort(([a, x], [b, y]) => y.figures.views - x.figures.views || (a === null ? 1 : b === null ? -1 : byId(a, b)))
        .map(([platform, p]) => ({ platform, creators: p.creators.size, ...withRate(p.figures) })),
      series: [...periods].sort(([a], [b]) => byId(a, b)).map(([period, f]) => ({ period, ...withRate(f) })),
      undated: { posts: undated.posts, views: undated.views },
      topCreators: toDto(campaignId, rankCreators([...creators.values()], { k, minViews, rankBy: 'adjusted', p0 }).slice(0, TOP_CREATORS)),
    };
  }
}
