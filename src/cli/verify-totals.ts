import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { validateEnvironment } from '../core/config/app-config';
import { TotalsAuditService } from '../ingest/totals-audit.service';

/**
 * `npm run totals:verify [-- campaignId ...]`: recomputes the totals of the named campaigns
 * (default: every campaign) from the stored rows and lists every difference from what
 * /top-performers serves. Exit 0 when they agree, 1 when they differ, 2 on an error.
 * It reads only; run it when no upload is in flight, or their campaigns will lag.
 */
async function main(): Promise<number> {
  process.env.LOG_LEVEL ??= 'warn';
  validateEnvironment(process.env);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ role: 'api' }), { bufferLogs: true });
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
