import { Module } from '@nestjs/common';
import { AnalyticsModule } from '../analytics/analytics.module';
import { EngagementRowsModule } from './engagement-rows.module';
import { TotalsAuditService } from './totals-audit.service';

/** The totals audit alone (rows and totals, read only): what `npm run totals:verify` boots. */
@Module({
  imports: [AnalyticsModule, EngagementRowsModule],
  providers: [TotalsAuditService],
  exports: [TotalsAuditService],
})
export class TotalsAuditModule {}
