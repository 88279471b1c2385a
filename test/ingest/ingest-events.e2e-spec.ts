import { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes, randomUUID } from 'node:crypto';
import { Agent, get } from 'node:http';
import request from 'supertest';
import { referenceUpload } from '../support/reference-upload';
import { uploadCsv } from '../support/ingest-helpers';
import { readEventStream, SseResult } from '../support/sse';
import { isolatedMongoUri, startTestApp } from '../support/test-app';
import { IngestJobRepository } from '../../src/ingest/ingest-job.repository';
import type { JobProgressEvent } from '../../src/ingest/job-status';

const progressOf = (res: SseResult) => res.events.filter((e) => e.type === 'progress').map((e) => JSON.parse(e.data) as JobProgressEvent);

/**
 * An API-only app queues the upload and nobody works it until the stream is open; then a
 * worker app starts. The stream therefore sees the job from "queued" to its end, however
 * fast the machine is (with a worker in the same app, a small file is written before
 * POST /ingest has even answered).
 */
function apiAndLateWorker(suite: string, env: Record<string, string> = {}) {
  const shared = {
    MONGODB_URI: isolatedMongoUri(suite),
    QUEUE_PREFIX: `${suite}_${randomBytes(3).toString('hex')}`,
    INGEST_CHUNK_ROWS: '200',
  };
  const apps: NestExpressApplication[] = [];
  return {
    api: async () => {
      const app = await startTestApp({ ...shared, ...env }, 'api');
      apps.push(app);
      return app;
    },
    /**
     * Reads the stream to its end, starting the worker once the first event has arrived, or once
     * `afterComments` keepalives have, so that a test does not depend on how fast the worker is.
     */
    watch: async (
      api: NestExpressApplication,
      jobId: string,
      headers: Record<string, string> = {},
      { afterComments = 0 }: { afterComments?: number } = {},
    ) => {
      let worker: Promise<NestExpressApplication> | undefined;
      const startWorker = () => {
        worker ??= startTestApp({ ...shared, INGEST_WORKER_CONCURRENCY: '1' }, 'worker');
      };
      const res = await readEventStream(api, `/ingest/${jobId}/events`, headers, {
        // The worker is awaited below; the callbacks only start it.
        onEvent: () => void (afterComments === 0 && startWorker()),
        onComment: (count) => void (count >= afterComments && startWorker()),
      });
      if (worker) apps.push(await worker);
      return res;
    },
    close: () => Promise.all(apps.map((a) => a.close())),
  };
}

describe('GET /ingest/:jobId/events (server-sent events, real database, Redis, Bull)', () => {
  const setup = apiAndLateWorker('events');
  let app: NestExpressApplication;
  beforeAll(async () => {
    app = await setup.api();
  });
  afterAll(() => setup.close());

  it('streams progress from queued to the end, then closes with the final counts', async () => {
    const ref = referenceUpload('sse', 20_000);
    const { jobId } = (await uploadCsv(app, ref.csv).expect(202)).body;
    const res = await setup.watch(app, jobId);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);

    const events = progressOf(res);
    expect(events[0]).toMatchObject({ jobId, status: 'queued', progress: 0, rowsWritten: 0 });
    expect(events.slice(0, -1).every((e) => e.status !== 'completed' && e.status !== 'failed')).toBe(true);
    expect(events.filter((e) => e.progress > 0 && e.progress < 1).length).toBeGreaterThan(0);
    for (let i = 1; i < events.length; i++) expect(events[i].progress).toBeGreaterThanOrEqual(events[i - 1].progress);

    const last = events[events.length - 1];
    const status = (await request(app.getHttpServer()).get(`/ingest/${jobId}`).expect(200)).body;
    expect(last).toEqual({
      jobId,
      status: 'completed',
      rowsTotal: status.rowsTotal,
      rowsAccepted: status.rowsAccepted,
      rowsRejected: status.rowsRejected,
      rowsDuplicate: status.rowsDuplicate,
      rowsWritten: status.rowsWritten,
      rowsSuperseded: status.rowsSuperseded,
      progress: 1,
    });
    expect(last).toMatchObject({
      rowsAccepted: ref.accepted,
      rowsRejected: ref.bad,
      rowsDuplicate: ref.duplicates,
    });
    expect(status.rowsWritten + status.rowsSuperseded).toBe(ref.accepted);
  });

  it('sends one event and closes at once for a job that has already ended', async () => {
    const { jobId } = (
      await uploadCsv(app, 'campaignId,influencerId,postId,likes,comments,shares,views\nsse_done,a,p,1,1,1,10').expect(202)
    ).body;
    await setup.watch(app, jobId); // the worker of the first test (already running) works it
    const again = await readEventStream(app, `/ingest/${jobId}/events`, {}, { timeoutMs: 5_000 });
    expect(progressOf(again)).toEqual([expect.objectContaining({ jobId, status: 'completed', rowsAccepted: 1 })]);
  });

  it('answers 404 for an unknown job and 400 for a malformed id, as plain JSON errors', async () => {
    const missing = randomUUID();
    const notFound = await request(app.getHttpServer()).get(`/ingest/${missing}/events`).expect(404);
    expect(notFound.body.message).toBe(`No ingest job ${missing}`);
    const bad = await request(app.getHttpServer()).get('/ingest/not-a-job/events').expect(400);
    expect(bad.body.message).toMatch(/uuid/i);
  });
});

describe('GET /ingest/:jobId/events behind API keys and the rate limit', () => {
  const setup = apiAndLateWorker('events_keys', {
    API_KEYS: 'events-key',
    RATE_LIMIT_PER_MIN: '4',
    INGEST_EVENTS_HEARTBEAT_MS: '100',
  });
  const key = { 'X-API-Key': 'events-key' };
  let app: NestExpressApplication;
  beforeAll(async () => {
    app = await setup.api();
  });
  afterAll(() => setup.close());

  it('needs the key (401 without, 403 wrong), and a stream of many events counts once against the limit', async () => {
    const { jobId } = (await uploadCsv(app, referenceUpload('ssek', 20_000).csv).set(key).expect(202)).body;
    // Refused requests count against the limit too (requests 1 and 2 of 4).
    await request(app.getHttpServer()).get(`/ingest/${jobId}/events`).expect(401);
    await request(app.getHttpServer()).get(`/ingest/${jobId}/events`).set('X-API-Key', 'wrong').expect(403);

    // The worker starts only after 6 keepalives, so the stream carries more messages than the
    // per-minute limit however fast the upload is worked: the limit applies per request, not per message.
    const watched = await setup.watch(app, jobId, key, { afterComments: 6 }); // request 3
    expect(watched.status).toBe(200);
    expect(watched.comments).toBeGreaterThanOrEqual(6);
    expect(progressOf(watched).length).toBeGreaterThanOrEqual(2);
    expect(progressOf(watched).pop()?.status).toBe('completed');

    expect((await readEventStream(app, `/ingest/${jobId}/events`, key)).status).toBe(200); // request 4 of 4
    const over = await readEventStream(app, `/ingest/${jobId}/events`, key);
    expect(over.status).toBe(429);
    expect(JSON.parse(over.body).message).toMatch(/Too many requests/);
  });
});

describe('GET /ingest/:jobId/events when the client leaves', () => {
  const setup = apiAndLateWorker('events_leave');
  afterAll(() => setup.close());

  it('stops polling the job once the client has disconnected', async () => {
    const app = await setup.api(); // no worker ever: the job stays queued and the stream open
    const { jobId } = (await uploadCsv(app, 'campaignId,influencerId,likes,comments,shares,views\nleave,a,1,1,1,10').expect(202)).body;
    // Each poll reads the job from the database.
    const poll = jest.spyOn(app.get(IngestJobRepository, { strict: false }), 'find');
    const { port } = app.getHttpServer().address() as { port: number };
    const aborted = new AbortController();
    const res = await fetch(`http://127.0.0.1:${port}/ingest/${jobId}/events`, { signal: aborted.signal });
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('"status":"queued"');
    await new Promise((r) => setTimeout(r, 700));
    expect(poll.mock.calls.length).toBeGreaterThan(1); // still polling while watched
    aborted.abort();
    await new Promise((r) => setTimeout(r, 300));
    const afterLeaving = poll.mock.calls.length;
    await new Promise((r) => setTimeout(r, 1_000));
    expect(poll.mock.calls.length).toBe(afterLeaving);
  });
});

describe('GET /ingest/:jobId/events on a long watch', () => {
  // No worker ever: the job stays queued and only the server can end the stream.
  const setup = apiAndLateWorker('events_long', { INGEST_EVENTS_HEARTBEAT_MS: '200', INGEST_EVENTS_MAX_S: '2' });
  const queuedJob = async (app: NestExpressApplication) =>
    (await uploadCsv(app, 'campaignId,influencerId,likes,comments,shares,views\nlong,a,1,1,1,10').expect(202)).body.jobId as string;
  afterAll(() => setup.close());

  it('sends a keepalive comment while nothing changes, and ends at the maximum lifetime with a reconnect event', async () => {
    const app = await setup.api();
    const jobId = await queuedJob(app);
    const res = await readEventStream(app, `/ingest/${jobId}/events`, {}, { timeoutMs: 10_000 });
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/^: keepalive\n\n/m);
    expect(res.events.map((e) => e.type)).toEqual(['progress', 'reconnect']);
    expect(JSON.parse(res.events[1].data)).toEqual({
      jobId,
      reason: 'max-lifetime',
      message: expect.stringMatching(/open the stream again/),
    });
  });

  it('ends open streams when the application shuts down, so that close() does not wait for them', async () => {
    const app = await setup.api();
    const jobId = await queuedJob(app);
    const { port } = app.getHttpServer().address() as { port: number };
    // Keeps idle connections for good, as browsers and proxies may: the server must let go itself.
    const agent = new Agent({ keepAlive: true });
    let body = '';
    const ended = new Promise<void>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path: `/ingest/${jobId}/events`, agent }, (res) => {
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.socket.on('close', () => resolve());
      }).on('error', reject);
    });
    while (!body.includes('event: progress')) await new Promise((r) => setTimeout(r, 20));
    await app.close();
    await ended;
    agent.destroy();
    expect(body).toMatch(/event: reconnect\nid: \d+\ndata: \{"jobId":"[^"]+","reason":"shutdown",/);
  }, 30_000);
});
