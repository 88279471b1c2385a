import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../core/config/app-config';
import { CampaignTotalsRepository } from './campaign-totals.repository';
import { CampaignPageDto, TopPerformerDto } from './dto/top-performer.dto';
import { RankingCache } from './ranking-cache';
import { adjustedRate, CreatorSums, engagements, RankBy, rankCreators, ScoredCreator } from './scoring';
import { SLICE_ROWS, SliceFilter, SliceRows } from './slice-rows';

/** Which creators of a campaign, ranked how. All but the campaign are optional. */
export interface RankingRequest {
  platform?: string;
  from?: string;
  to?: string;
  minViews?: number;
  rankBy?: RankBy;
}

export const isSliced = (r: Pick<RankingRequest, 'platform' | 'from' | 'to'>) =>
  r.platform !== undefined || r.from !== undefined || r.to !== undefined;

/** A cache entry's name for a query: every parameter the answer depends on, unambiguous. */
export const queryKey = (kind: string, parts: unknown[]) => JSON.stringify([kind, ...parts]);

export function toDto(campaignId: string, ranked: ScoredCreator[]): TopPerformerDto[] {
  return ranked.map((r, i) => ({
    rank: i + 1,
    campaignId,
    influencerId: r.influencerId,
    engagementRate: r.engagementRate,
    likes: r.likes,
    comments: r.comments,
    shares: r.shares,
    views: r.views,
    posts: r.posts,
    adjustedRate: r.adjustedRate,
  }));
}

/**
 * Reads of rankings, behind the ranking cache. The default one (no slice, by rate) is the
 * indexed read of the precomputed totals it always was, plus one aggregate of the same
 * totals for the prior. A slice is aggregated from the rows per request (SliceRows).
 */
@Injectable()
export class TopPerformersQuery {
  constructor(
    private readonly repository: CampaignTotalsRepository,
    private readonly cache: RankingCache,
    private readonly config: AppConfig,
    @Inject(SLICE_ROWS) private readonly slices: SliceRows,
  ) {}

  async top(campaignId: string, limit: number, request: RankingRequest = {}): Promise<TopPerformerDto[]> {
    // campaignId is a validated string and goes into the filter as a literal, never an operator.
    const id = String(campaignId);
    const { minViews = 0, rankBy = 'rate' } = request;
    const indexed = !isSliced(request) && rankBy === 'rate';
    // The default ranking keeps its cache entries under the limit alone, as before.
    const key =
      indexed && minViews === 0
        ? limit
        : queryKey('top', [request.platform, request.from, request.to, minViews, rankBy, limit, this.config.RANKING_PRIOR_VIEWS]);
    const cached = await this.cache.get<ScoredCreator[]>(id, key);
    let rows = cached?.rows;
    if (rows === undefined) {
      const read = indexed ? await this.indexedTop(id, limit, minViews) : (await this.ranked(id, request)).slice(0, limit);
      if (cached) this.cache.fill(cached, id, key, read);
      rows = read;
    }
    return toDto(id, rows);
  }

  /** Every creator of the slice, ranked (the CSV export): not cached, it is read once. */
  all(campaignId: string, request: RankingRequest): Promise<ScoredCreator[]> {
    return this.ranked(String(campaignId), request);
  }

  private async indexedTop(campaignId: string, limit: number, minViews: number): Promise<ScoredCreator[]> {
    const [rows, pooled] = await Promise.all([this.repository.top(campaignId, limit, minViews), this.repository.pooled(campaignId)]);
    const p0 = pooled.views > 0 ? pooled.engagements / pooled.views : 0;
    const k = this.config.RANKING_PRIOR_VIEWS;
    return rows.map((r) => ({ ...r, adjustedRate: adjustedRate(engagements(r), r.views, k, p0) }));
  }

  private async ranked(campaignId: string, request: RankingRequest): Promise<ScoredCreator[]> {
    const creators: CreatorSums[] = isSliced(request)
      ? await this.slices.creators(sliceFilter(campaignId, request))
      : await this.repository.creatorsOf(campaignId);
    return rankCreators(creators, {
      k: this.config.RANKING_PRIOR_VIEWS,
      minViews: request.minViews ?? 0,
      rankBy: request.rankBy ?? 'rate',
    });
  }

  async campaigns(page: number, pageSize: number): Promise<CampaignPageDto> {
    const { items, total } = await this.repository.campaignsPage(page, pageSize);
    return {
      items: items.map((d) => ({ campaignId: d._id, influencers: d.influencers, rows: d.posts, updatedAt: d.updatedAt })),
      page,
      pageSize,
      total,
    };
  }
}

export const sliceFilter = (campaignId: string, r: Pick<RankingRequest, 'platform' | 'from' | 'to'>): SliceFilter => ({
  campaignId,
  ...(r.platform !== undefined && { platform: r.platform }),
  ...(r.from !== undefined && { from: r.from }),
  ...(r.to !== undefined && { to: r.to }),
});
