import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { validateEnvironment } from '../core/config/app-config';
import { AppConfigModule } from '../core/config/app-config.module';
import { DatabaseModule } from '../core/database/database.module';
import { RedisModule } from '../core/redis/redis.module';
import { TotalsAuditModule } from '../ingest/totals-audit.module';
import { TotalsAuditService } from '../ingest/totals-audit.service';

/**
 * What a read-only audit needs, and nothing that acts on start (the sample seeder of the
 * API role, queue consumers, the reaper). Redis only because analytics' service holds the
 * ranking cache, which the audit never touches.
 */
@Module({ imports: [AppConfigModule.forRoot(), DatabaseModule, RedisModule, TotalsAuditModule] })
class VerifyTotalsModule {}

/**
 * `npm run totals:verify [-- campaignId ...]`: recomputes the totals of the named campaigns
 * (default: every campaign) from the stored rows and lists every difference from what
 * /top-performers serves. Exit 0 when they agree, 1 when they differ, 2 on an error.
 * It reads only; run it when no upload is in flight, or their campaigns will lag.
 */
async function main(): Promise<number> {
  validateEnvironment(process.env);
  const app = await NestFactory.createApplicationContext(VerifyTotalsModule, { logger: ['error', 'warn'] });
  try {
    const ids = process.argv.slice(2);
    const audit = await app.get(TotalsAuditService).verify(ids.length > 0 ? ids : undefined);
    for (const d of audit.differences.slice(0, 50)) {
      console.log(
        `${d.campaignId}${d.influencerId === null ? ' (summary)' : ` / ${d.influencerId}`}: ${d.field} stored ${d.stored}, from rows ${d.fromRows}`,
      );
    }
    if (audit.differences.length > 50) console.log(`… and ${audit.differences.length - 50} more`);
    console.log(
      `${audit.campaigns} campaign(s), ${audit.creators} creator(s): ${audit.differences.length === 0 ? 'totals match the rows' : `${audit.differences.length} difference(s)`}` +
        (audit.uploadsInFlight ? ' (uploads in flight: their campaigns lag until they end)' : ''),
    );
    return audit.differences.length === 0 ? 0 : 1;
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(2);
  },
);
