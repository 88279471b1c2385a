import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AnalyticsController } from './analytics.controller';
import { CampaignReportQuery } from './campaign-report.query';
import { CampaignTotalsRepository } from './campaign-totals.repository';
import { CampaignTotalsService } from './campaign-totals.service';
import { PendingChangesRepository } from './pending-changes.repository';
import { RankingCache } from './ranking-cache';
import { CampaignSummary, CampaignSummarySchema, InfluencerTotals, InfluencerTotalsSchema } from './schemas/influencer-totals.schema';
import { PendingChange, PendingChangeSchema } from './schemas/pending-change.schema';
import { TopPerformersQuery } from './top-performers.query';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: InfluencerTotals.name, schema: InfluencerTotalsSchema },
      { name: CampaignSummary.name, schema: CampaignSummarySchema },
      { name: PendingChange.name, schema: PendingChangeSchema },
    ]),
  ],
  controllers: [AnalyticsController],
  providers: [
    TopPerformersQuery,
    CampaignReportQuery,
    CampaignTotalsRepository,
    PendingChangesRepository,
    CampaignTotalsService,
    RankingCache,
  ],
  // CampaignReportQuery: the brief reads a campaign's report and data version through it.
  exports: [CampaignTotalsService, TopPerformersQuery, CampaignReportQuery],
})
export class AnalyticsModule {}
