import { Injectable } from '@nestjs/common';
import { CampaignTotalsRepository } from './campaign-totals.repository';
import { CampaignPageDto, TopPerformerDto } from './dto/top-performer.dto';
import { RankingCache } from './ranking-cache';

/** Reads of rankings: the indexed top-performers query behind a cache-aside. */
@Injectable()
export class TopPerformersQuery {
  constructor(
    private readonly repository: CampaignTotalsRepository,
    private readonly cache: RankingCache,
  ) {}

  async top(campaignId: string, limit: number): Promise<TopPerformerDto[]> {
    // campaignId is a validated string and goes into the filter as a literal, never an operator.
    const id = String(campaignId);
    const cached = await this.cache.get(id, limit);
    let rows = cached?.rows;
    if (rows === undefined) {
      rows = await this.repository.top(id, limit);
      if (cached) this.cache.fill(cached, id, limit, rows);
    }
    return rows.map((r, i) => ({
      rank: i + 1,
      campaignId: id,
      influencerId: r.influencerId,
      engagementRate: r.engagementRate,
      likes: r.likes,
      comments: r.comments,
      shares: r.shares,
      views: r.views,
      posts: r.posts,
    }));
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
