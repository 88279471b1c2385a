import { NestExpressApplication } from '@nestjs/platform-express';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { expectMatchesReference, uploadCsv, waitForRowsWritten } from '../support/ingest-helpers';
import { stopProcess } from '../support/processes';
import { referenceUpload } from '../support/reference-upload';
import { isolatedMongoUri, startTestApp } from '../support/test-app';

/**
 * Fault drill: the API runs here (APP_ROLE=api); the queue is worked by a separate worker
 * process (dist/main.js, APP_ROLE=worker) that is SIGKILLed mid-upload and restarted. Every
 * run must end with exactly the rows and rankings a reference computed from the file says.
 */
const MAIN = join(__dirname, '../../dist/main.js');
const ROWS = 12_000;
const CHUNK_ROWS = 200;
const uri = isolatedMongoUri('crash');
const queuePrefix = `crash_${randomBytes(3).toString('hex')}`;

function startWorker(): ChildProcess {
  return spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      APP_ROLE: 'worker',
      MONGODB_URI: uri,
      QUEUE_PREFIX: queuePrefix,
      QUEUE_LOCK_MS: '2000',
      INGEST_WORKER_CONCURRENCY: '2',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

describe('a worker process SIGKILLed mid-upload (real database, Redis, Bull, separate worker processes)', () => {
  let api: NestExpressApplication;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    api = await startTestApp(
      { MONGODB_URI: uri, QUEUE_PREFIX: queuePrefix, INGEST_CHUNK_ROWS: String(CHUNK_ROWS), QUEUE_LOCK_MS: '2000' },
      'api',
    );
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => stopProcess(w, 'SIGKILL')));
    await api?.close();
  });

  // Kill points: before the worker took anything, at several fractions of the rows written,
  // and after the last chunk (while the upload is being finalised and ranked).
  const killAt = [0, 0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.7, 0.85, 1];

  it.each(killAt.map((f, run) => [run, f]))('run %i: killed at %p of the rows written, restarted, exact result', async (run, fraction) => {
    const name = `r${run}_${randomBytes(2).toString('hex')}`;
    const ref = referenceUpload(name, ROWS);

    // The only worker of this run (the previous run's were stopped).
    const first = startWorker();
    workers.push(first);
    const res = await uploadCsv(api, ref.csv, 'raw').expect(202);
    const jobId: string = res.body.jobId;

    // Wait until the first worker has written the share of rows this run kills it at.
    const atKill = await waitForRowsWritten(api, jobId, Math.floor(fraction * ref.accepted));
    await stopProcess(first, 'SIGKILL');
    // The drill is only a drill if the upload was still in flight when the worker died.
    if (fraction < 1) expect(atKill.rowsWritten).toBeLessThan(ref.accepted);

    const second = startWorker();
    workers.push(second);
    await expectMatchesReference(api, uri, jobId, ref);
    // The next run starts with no worker alive: its kill must stop the only one writing.
    await stopProcess(second);
    // ...and from the same empty table (its indexes kept), so every run costs the same.
    const mongo = await MongoClient.connect(uri);
    await mongo.db().collection('engagement_rows').deleteMany({});
    await mongo.close();
  });
});
