import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { ChunkWriterService } from '../../src/ingest/chunk-writer.service';
import { FinalizeService } from '../../src/ingest/finalize.service';
import { IngestQueue } from '../../src/ingest/ingest-queue';
import { isolatedMongoUri, startTestApp } from '../support/test-app';

/**
 * A worker runs at most INGEST_WORKER_CONCURRENCY chunks and one finalize at a time, each
 * limit on its own (real Redis and Bull): the handlers are held open and counted while
 * more work of both kinds than the limits allow waits on the queue.
 */
describe('worker concurrency (real Redis, Bull)', () => {
  let app: NestExpressApplication;
  let release: (() => void) | undefined;
  afterEach(async () => {
    release?.();
    await app?.close();
  });

  it('holds chunks to INGEST_WORKER_CONCURRENCY and finalizes to 1, however the work is mixed', async () => {
    app = await startTestApp({ MONGODB_URI: isolatedMongoUri('concurrency'), INGEST_WORKER_CONCURRENCY: '2' }, 'all');
    const inFlight = { chunk: 0, finalize: 0 };
    const most = { chunk: 0, finalize: 0 };
    let done = 0;
    const held = new Promise<void>((r) => (release = r));
    const count = (kind: 'chunk' | 'finalize') => async () => {
      inFlight[kind]++;
      most[kind] = Math.max(most[kind], inFlight[kind]);
      await held;
      inFlight[kind]--;
      done++;
    };
    jest.spyOn(app.get(ChunkWriterService, { strict: false }), 'write').mockImplementation(count('chunk'));
    jest.spyOn(app.get(FinalizeService, { strict: false }), 'finalize').mockImplementation(count('finalize'));

    // Finalizes first: in a shared pool they would take every free slot.
    const queue = app.get(IngestQueue, { strict: false });
    for (let u = 0; u < 4; u++) await queue.addFinalize(`upload${u}`);
    for (let i = 0; i < 6; i++) await queue.addChunk({ jobId: 'upload9', uploadSeq: 1, index: i, rows: [] });

    const until = async (what: () => boolean) => {
      const deadline = Date.now() + 20_000;
      while (!what() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    };
    await until(() => inFlight.chunk + inFlight.finalize >= 3);
    // Time for a slot past the limits, if there were one, to take a job too.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(inFlight).toEqual({ chunk: 2, finalize: 1 });
    release?.();
    await until(() => done === 10);
    expect(done).toBe(10);
    expect(most).toEqual({ chunk: 2, finalize: 1 });
  });

  it('shows every ingest queue on /queues and in /health', async () => {
    app = await startTestApp({ MONGODB_URI: isolatedMongoUri('concurrency'), API_KEYS: '' }, 'all');
    const board = await request(app.getHttpServer()).get('/queues/api/queues').expect(200);
    const names = (board.body.queues as Array<{ name: string }>).map((q) => q.name).sort();
    const health = await request(app.getHttpServer()).get('/health');
    expect(health.body).toMatchObject({ status: 'ok' });
    expect(names).toEqual(Object.keys(health.body.info.queue.queues).sort());
    expect(names.length).toBeGreaterThanOrEqual(2);
  });
});
