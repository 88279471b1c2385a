import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { freePort, stopProcess, waitForPort } from '../support/processes';
import { referenceUpload } from '../support/reference-upload';
import { recordResponses } from '../support/response-recorder';
import { isolatedMongoUri, startTestApp } from '../support/test-app';
import { expectTotalsMatchRows } from '../support/totals-audit';

/**
 * Uploads that used to stay `processing` for ever: the API killed while reading the file,
 * and Redis away while the file is read. Each must end, in bounded time (the reaper:
 * INGEST_STALL_TIMEOUT_S, here 2 s), with what landed ranked and equal to its rows.
 */
const MAIN = join(__dirname, '../../dist/main.js');
const REAPER = { INGEST_STALL_TIMEOUT_S: '2', INGEST_REAPER_INTERVAL_S: '1', INGEST_CHUNK_ROWS: '200', QUEUE_LOCK_MS: '2000' };

/** POSTs `csv` as text/csv in `pieces`, `gapMs` apart, the way a slow client sends a large file. */
function slowUpload(port: number, csv: string, pieces: number, gapMs: number) {
  const req = httpRequest({ host: '127.0.0.1', port, path: '/ingest', method: 'POST', headers: { 'Content-Type': 'text/csv' } });
  const response = new Promise<number>((resolve) => {
    req.on('response', (res) => (res.resume(), resolve(res.statusCode ?? 0)));
    req.on('error', () => resolve(0));
  });
  const lines = csv.split('\n');
  const size = Math.ceil(lines.length / pieces);
  void (async () => {
    for (let p = 0; p < pieces && !req.destroyed; p++) {
      req.write(lines.slice(p * size, (p + 1) * size).join('\n') + '\n');
      await new Promise((r) => setTimeout(r, gapMs));
    }
    if (!req.destroyed) req.end();
  })();
  return { response, abort: () => req.destroy() };
}

/** The one job of this database, once it exists. */
async function theJob(uri: string, until: (job: Record<string, unknown>) => boolean, ms = 60_000) {
  const client = await MongoClient.connect(uri);
  try {
    const deadline = Date.now() + ms;
    for (;;) {
      const job = await client.db().collection('ingest_jobs').findOne({});
      if (job && until(job)) return job;
      if (Date.now() > deadline) throw new Error(`job not as expected after ${ms} ms: ${JSON.stringify(job)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await client.close();
  }
}

const finished = (j: Record<string, unknown>) => j.status === 'completed' || j.status === 'failed';

describe('uploads that can no longer complete end, in bounded time, with what landed ranked', () => {
  const procs: ChildProcess[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(procs.map((p) => stopProcess(p, 'SIGKILL')));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('the API process killed while it reads the file: the job ends failed with the reason', async () => {
    const uri = isolatedMongoUri('api_killed');
    const prefix = `apikill_${randomBytes(3).toString('hex')}`;
    const worker = await startTestApp({ MONGODB_URI: uri, QUEUE_PREFIX: prefix, ...REAPER }, 'worker');
    try {
      const port = await freePort();
      const api = spawn(process.execPath, [MAIN], {
        env: { ...process.env, APP_ROLE: 'api', MONGODB_URI: uri, QUEUE_PREFIX: prefix, PORT: String(port), LOG_LEVEL: 'error', ...REAPER },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      procs.push(api);
      await waitForPort(port, 30_000);
      const ref = referenceUpload('apikill', 4_000);
      const upload = slowUpload(port, ref.csv, 40, 100);
      await theJob(uri, (j) => Number(j.chunksQueued) >= 4);
      await stopProcess(api, 'SIGKILL');
      upload.abort();

      const job = await theJob(uri, finished);
      expect(job).toMatchObject({ status: 'failed', failureReason: expect.stringMatching(/stopped while its file was being read/) });
      await expectTotalsMatchRows(worker);
    } finally {
      await worker.close();
    }
  });

  it('Redis stopped for 3 s while the file is read: the job ends (never stays processing), its totals equal its rows', async () => {
    const redisPort = await freePort();
    const redisDir = mkdtempSync(join(tmpdir(), 'stuck-redis-'));
    dirs.push(redisDir);
    const startRedis = async () => {
      const p = spawn(
        'redis-server',
        ['--port', String(redisPort), '--bind', '127.0.0.1', '--dir', redisDir, '--appendonly', 'yes', '--save', ''],
        {
          stdio: 'ignore',
        },
      );
      procs.push(p);
      await waitForPort(redisPort);
      return p;
    };
    const redis = await startRedis();
    const uri = isolatedMongoUri('redis_blip');
    const app = await startTestApp({ MONGODB_URI: uri, REDIS_URL: `redis://127.0.0.1:${redisPort}`, ...REAPER });
    const recorder = recordResponses(app);
    try {
      const port = (app.getHttpServer().address() as { port: number }).port;
      const ref = referenceUpload('blip', 4_000);
      const upload = slowUpload(port, ref.csv, 40, 100);
      await theJob(uri, (j) => Number(j.chunksQueued) >= 4);
      await stopProcess(redis);
      await new Promise((r) => setTimeout(r, 3_000));
      await startRedis();
      // 503 when Redis was away for a chunk's keys, else 202; either way the rest is not sent.
      expect([202, 503]).toContain(await upload.response);
      upload.abort();

      await theJob(uri, finished, 30_000);
      await expectTotalsMatchRows(app);
      // The refusal (503) says Redis is away, not where it is.
      expect(recorder.leaks()).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
