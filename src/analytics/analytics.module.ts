import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AnalyticsController } from './analytics.controller';
import { CampaignRankingWriter } from './campaign-ranking.writer';
import { RankingCache } from './ranking-cache';
import { CampaignRanking, CampaignRankingSchema } from './schemas/campaign-ranking.schema';
import { TopPerformersQuery } from './top-performers.query';

@Module({
  imports: [MongooseModule.forFeature([{ name: CampaignRanking.name, schema: CampaignRankingSchema }])],
  controllers: [AnalyticsController],
  providers: [TopPerformersQuery, CampaignRankingWriter, RankingCache],
  exports: [CampaignRankingWriter, TopPerformersQuery],
})
export class AnalyticsModule {}
