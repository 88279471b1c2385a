import { Injectable } from '@nestjs/common';
import { CampaignTotalsRepository } from './campaign-totals.repository';
import { RankingCache } from './ranking-cache';

/**
 * The one way other modules change analytics: after rows of some campaigns changed,
 * ingest hands over their ids. Totals and summaries are recomputed by the database, then
 * the cached rankings of those campaigns are invalidated.
 */
@Injectable()
export class CampaignTotalsService {
  constructor(
    private readonly repository: CampaignTotalsRepository,
    private readonly cache: RankingCache,
  ) {}

  async rebuild(campaignIds: string[]): Promise<void> {
    await this.repository.rebuild(campaignIds);
    await this.cache.invalidate(campaignIds);
  }
}
