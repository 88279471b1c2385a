import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AnalyticsModule } from '../analytics/analytics.module';
import { EngagementRowsRepository } from './engagement-rows.repository';
import { EngagementRowDoc, EngagementRowSchema } from './schemas/engagement-row.schema';
import { TotalsAuditService } from './totals-audit.service';

/** The totals audit alone (rows and totals, read only): what `npm run totals:verify` boots. */
@Module({
  imports: [AnalyticsModule, MongooseModule.forFeature([{ name: EngagementRowDoc.name, schema: EngagementRowSchema }])],
  providers: [EngagementRowsRepository, TotalsAuditService],
  exports: [TotalsAuditService],
})
export class TotalsAuditModule {}
