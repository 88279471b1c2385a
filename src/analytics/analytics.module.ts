import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AnalyticsController } from './analytics.controller';
import { CampaignTotalsRepository } from './campaign-totals.repository';
import { CampaignTotalsService } from './campaign-totals.service';
import { RankingCache } from './ranking-cache';
import { CampaignSummary, CampaignSummarySchema, InfluencerTotals, InfluencerTotalsSchema } from './schemas/influencer-totals.schema';
import { TopPerformersQuery } from './top-performers.query';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: InfluencerTotals.name, schema: InfluencerTotalsSchema },
      { name: CampaignSummary.name, schema: CampaignSummarySchema },
    ]),
  ],
  controllers: [AnalyticsController],
  providers: [TopPerformersQuery, CampaignTotalsRepository, CampaignTotalsService, RankingCache],
  exports: [CampaignTotalsService, TopPerformersQuery],
})
export class AnalyticsModule {}
