import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { expectMatchesReference, uploadCsv, waitForJob, waitForRowsWritten } from '../support/ingest-helpers';
import { PrivateDatabase, startPrivateDatabase } from '../support/private-database';
import { freePort, stopProcess, waitForPort } from '../support/processes';
import { referenceUpload } from '../support/reference-upload';
import { recordResponses } from '../support/response-recorder';
import { readEventStream, SseEvent } from '../support/sse';
import { isolatedMongoUri, startTestApp } from '../support/test-app';
import { IngestProgressRepository } from '../../src/ingest/ingest-progress.repository';

/**
 * Fault drills on a private Redis and a private database server (secantus-mdb,
 * test/support/private-database.ts; own ports and data directories), stopped or crashed
 * and restarted in the middle of an upload. The upload must end completed with exactly the
 * rows and rankings the reference computes; while a dependency is away the API must answer
 * (Redis down) or fail fast with 503 and Retry-After (database down), never hang; and no
 * response of any drill shows where a dependency lives (its host and port).
 */
const ROWS = 8_000;
/** Longer than the old fixed retry budget of a chunk (6 attempts: ~57 s of backoff + 6 × 5 s server selection). */
const OUTAGE_MS = 100_000;

async function startRedis(port: number, dir: string) {
  const p = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''], {
    stdio: 'ignore',
  });
  await waitForPort(port);
  return p;
}

describe('fault drills: Redis and the database restarted during an ingest', () => {
  const procs: ChildProcess[] = [];
  const dirs: string[] = [];
  let db: PrivateDatabase | undefined;
  afterAll(async () => {
    await Promise.all(procs.map((p) => stopProcess(p, 'SIGKILL')));
    await db?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('Redis stopped mid-upload: /top-performers keeps answering; once Redis is back the upload completes exactly', async () => {
    const redisPort = await freePort();
    const redisDir = mkdtempSync(join(tmpdir(), 'drill-redis-'));
    dirs.push(redisDir);
    let redis = await startRedis(redisPort, redisDir);
    procs.push(redis);
    const uri = isolatedMongoUri('drill_redis');
    const app = await startTestApp({
      MONGODB_URI: uri,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      INGEST_CHUNK_ROWS: '200',
      QUEUE_LOCK_MS: '2000',
      INGEST_WORKER_CONCURRENCY: '1',
    });
    const recorder = recordResponses(app);
    try {
      const warm = referenceUpload('warm', 300);
      await waitForJob(app, (await uploadCsv(app, warm.csv, 'raw').expect(202)).body.jobId);

      const ref = referenceUpload('redis', ROWS);
      const jobId = (await uploadCsv(app, ref.csv, 'raw').expect(202)).body.jobId;
      const atStop = await waitForRowsWritten(app, jobId, ref.accepted * 0.3);
      await stopProcess(redis); // SIGTERM: Redis saves its AOF and exits
      expect(atStop.rowsWritten).toBeLessThan(ref.accepted); // the drill hit an upload in flight

      // Redis away: rankings still come from the database (the cache is optional).
      const started = Date.now();
      const res = await request(app.getHttpServer()).get('/top-performers').query({ campaignId: 'warm_c0' });
      expect(res.status).toBe(200);
      expect(res.body.length).toBeGreaterThan(0);
      expect(Date.now() - started).toBeLessThan(5_000);
      await request(app.getHttpServer()).get('/health').expect(503);

      await new Promise((r) => setTimeout(r, 2_000));
      redis = await startRedis(redisPort, redisDir);
      procs.push(redis);
      await expectMatchesReference(app, uri, jobId, ref);
      expect(recorder.leaks()).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('the database SIGKILLed mid-upload: /health and /top-performers answer 503 fast; after a restart the upload completes exactly, nothing acknowledged lost', async () => {
    db = await startPrivateDatabase();
    const uri = db.uri('drill_db');
    const app = await startTestApp({ MONGODB_URI: uri, INGEST_CHUNK_ROWS: '200', QUEUE_LOCK_MS: '2000', INGEST_WORKER_CONCURRENCY: '1' });
    const recorder = recordResponses(app);
    try {
      const ref = referenceUpload('dbdown', ROWS);
      const jobId = (await uploadCsv(app, ref.csv, 'raw').expect(202)).body.jobId;
      const atStop = await waitForRowsWritten(app, jobId, ref.accepted * 0.3);
      // A crash, not a shutdown: SIGKILL skips the checkpoint SIGTERM would write, so on
      // restart WiredTiger has only its fsynced log (sync_on_commit) to recover from.
      await db.kill();
      expect(atStop.rowsWritten).toBeLessThan(ref.accepted); // the drill hit an upload in flight

      const started = Date.now();
      await request(app.getHttpServer()).get('/health').expect(503);
      const res = await request(app.getHttpServer()).get('/top-performers').query({ campaignId: 'never_ranked' });
      expect(res.status).toBe(503);
      expect(res.body.message).toMatch(/database is unavailable/);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      // The upload's own status and its event stream: 503 with Retry-After too, not a 500.
      const status = await request(app.getHttpServer()).get(`/ingest/${jobId}`);
      expect(status.status).toBe(503);
      expect(status.body.message).toBe('The database is unavailable; try again shortly');
      expect(Number(status.headers['retry-after'])).toBeGreaterThan(0);
      const events = await readEventStream(app, `/ingest/${jobId}/events`, {}, { timeoutMs: 15_000 });
      expect(events.status).toBe(503);
      expect(JSON.parse(events.body).message).toBe('The database is unavailable; try again shortly');
      expect(Number(events.headers['retry-after'])).toBeGreaterThan(0);
      expect(Date.now() - started).toBeLessThan(30_000);

      await db.restart();
      await expectMatchesReference(app, uri, jobId, ref);
      expect(recorder.leaks()).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it(
    'the database away for 100 s, past the ~90 s of retries a chunk once had: the upload waits it out, says so, and completes exactly',
    async () => {
      const away = await startPrivateDatabase();
      const uri = away.uri('drill_outage');
      const app = await startTestApp({ MONGODB_URI: uri, INGEST_CHUNK_ROWS: '200', QUEUE_LOCK_MS: '2000', INGEST_WORKER_CONCURRENCY: '1' });
      const recorder = recordResponses(app);
      try {
        const ref = referenceUpload('outage', 4_000);
        const jobId = (await uploadCsv(app, ref.csv, 'raw').expect(202)).body.jobId;
        await waitForRowsWritten(app, jobId, ref.accepted * 0.2);
        // Watched from before the outage to its end: the stream goes on from Redis meanwhile.
        let sawWaiting: SseEvent | undefined;
        let opened!: () => void;
        const streaming = new Promise<void>((resolve) => (opened = resolve));
        const watched = readEventStream(
          app,
          `/ingest/${jobId}/events`,
          {},
          {
            timeoutMs: OUTAGE_MS + 80_000,
            onEvent: (e) => {
              opened();
              sawWaiting ??= e.data.includes('"waiting"') ? e : undefined;
            },
          },
        );
        await streaming;
        const outageStarted = Date.now();
        await away.kill();
        // While the database is away the status is a 503 (Retry-After) that still carries the
        // upload's live progress from Redis, the notice of why it does not move among it.
        const progress = app.get(IngestProgressRepository, { strict: false });
        const deadline = Date.now() + 30_000;
        while ((await progress.progress(jobId)).waiting === undefined && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 200));
        expect((await progress.progress(jobId)).waiting).toMatch(/database is unavailable/);
        const status = await request(app.getHttpServer()).get(`/ingest/${jobId}`);
        expect(status.status).toBe(503);
        expect(Number(status.headers['retry-after'])).toBeGreaterThan(0);
        expect(status.body.live).toMatchObject({
          jobId,
          chunksDone: expect.any(Number),
          rowsWritten: expect.any(Number),
          rowsSuperseded: expect.any(Number),
          waiting: expect.stringMatching(/database is unavailable/),
        });
        expect(status.body.live.rowsWritten).toBeGreaterThanOrEqual(ref.accepted * 0.2);
        await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - outageStarted))));
        await away.restart();
        await expectMatchesReference(app, uri, jobId, ref);
        const stream = await watched;
        expect(stream.events.filter((e) => e.type === 'error')).toEqual([]);
        expect(JSON.parse(sawWaiting?.data ?? '{}').waiting).toMatch(/database is unavailable/);
        expect(JSON.parse(stream.events[stream.events.length - 1].data)).toMatchObject({ status: 'completed' });
        expect(recorder.leaks()).toEqual([]);
      } finally {
        await app.close();
        await away.stop();
      }
    },
    OUTAGE_MS + 90_000,
  );
});
