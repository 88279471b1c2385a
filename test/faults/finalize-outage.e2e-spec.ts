import { expectMatchesReference, uploadCsv, waitForRowsWritten } from '../support/ingest-helpers';
import { finalizesOf } from '../support/finalize-jobs';
import { startPrivateDatabase } from '../support/private-database';
import { referenceUpload } from '../support/reference-upload';
import { startTestApp } from '../support/test-app';

/**
 * The database held down for many reaper sweeps (INGEST_REAPER_INTERVAL_S = 1 here) while
 * an upload is in flight and another one's finalize is due: the finalizes are counted all
 * along, and never more than one per upload is queued or running. Once the database is
 * back both uploads complete exactly (the totals audit included).
 */
const OUTAGE_MS = 25_000;

describe('fault drill: finalizes through a long database outage', () => {
  it(
    'at most one finalize per upload queued or running, through the outage and after it',
    async () => {
      const db = await startPrivateDatabase();
      const uri = db.uri('drill_finalize');
      const app = await startTestApp({
        MONGODB_URI: uri,
        INGEST_CHUNK_ROWS: '200',
        QUEUE_LOCK_MS: '2000',
        INGEST_WORKER_CONCURRENCY: '1',
        INGEST_REAPER_INTERVAL_S: '1',
        INGEST_STALL_TIMEOUT_S: '2',
      });
      const most = new Map<string, number>();
      let counting = true;
      let counted = 0;
      try {
        const small = referenceUpload('fin_small', 300);
        const big = referenceUpload('fin_big', 4_000);
        const bigId: string = (await uploadCsv(app, big.csv, 'raw').expect(202)).body.jobId;
        await waitForRowsWritten(app, bigId, big.accepted * 0.2);
        // Queued behind the big one's chunks (one worker slot): it is written and finalized after the outage.
        const smallId: string = (await uploadCsv(app, small.csv, 'raw').expect(202)).body.jobId;
        const watcher = (async () => {
          while (counting) {
            for (const id of [bigId, smallId]) most.set(id, Math.max(most.get(id) ?? 0, await finalizesOf(app, id)));
            counted++;
            await new Promise((r) => setTimeout(r, 100));
          }
        })();
        await db.kill();
        await new Promise((r) => setTimeout(r, OUTAGE_MS));
        await db.restart();
        await expectMatchesReference(app, uri, bigId, big);
        await expectMatchesReference(app, uri, smallId, small);
        counting = false;
        await watcher;
        expect(counted).toBeGreaterThan(OUTAGE_MS / 1000);
        expect(most.get(bigId)).toBeLessThanOrEqual(1);
        expect(most.get(smallId)).toBeLessThanOrEqual(1);
      } finally {
        counting = false;
        await app.close();
        await db.stop();
      }
    },
    OUTAGE_MS + 180_000,
  );
});
