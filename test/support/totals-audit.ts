import { INestApplicationContext } from '@nestjs/common';
import { TotalsAuditService } from '../../src/ingest/totals-audit.service';

/** After uploads ended: every served total equals a recomputation from the stored rows, and nothing is left staged. */
export async function expectTotalsMatchRows(app: INestApplicationContext, campaignIds?: string[]) {
  const audit = await app.get(TotalsAuditService, { strict: false }).verify(campaignIds);
  expect(audit.differences).toEqual([]);
  expect(audit.uploadsInFlight).toBe(false);
  expect(audit.creators).toBeGreaterThan(0);
  return audit;
}
