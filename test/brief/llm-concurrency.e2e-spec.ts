import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { briefBody, LlmStub, startLlmStub, startStubbedApp } from './brief-fixtures';

describe('POST /generate_brief: at most BRIEF_LLM_CONCURRENCY LLM calls at once (HTTP stub, real Redis)', () => {
  let app: NestExpressApplication;
  let stub: LlmStub;
  const post = (b: object) => request(app.getHttpServer()).post('/generate_brief').send(b);

  beforeAll(async () => {
    stub = await startLlmStub();
    app = await startStubbedApp(stub, {
      BRIEF_LLM_CONCURRENCY: '2',
      BRIEF_LLM_QUEUE_MAX: '2',
      LLM_TIMEOUT_MS: '5000',
      LLM_MAX_ATTEMPTS: '1',
    });
  });
  beforeEach(() => stub.reset());
  afterAll(async () => {
    await app?.close();
    await stub?.close();
  });

  it('queues calls beyond the cap: every brief is written, never more than 2 at the LLM', async () => {
    stub.script(Array.from({ length: 4 }, () => 'slow:300'));
    const results = await Promise.all(Array.from({ length: 4 }, () => post(briefBody())));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(stub.calls).toBe(4);
    expect(stub.maxInFlight).toBe(2);
  });

  it('refuses with 503 and Retry-After once the queue is full, while cache hits are still served', async () => {
    const cached = briefBody();
    await post(cached).expect(200);
    stub.reset();
    // Slow enough that all six are at the gate before the first answer: 2 run, 2 wait, 2 are refused.
    stub.script(Array.from({ length: 6 }, () => 'slow:1500'));
    const burst = Promise.all(Array.from({ length: 6 }, () => post(briefBody())));
    const hit = await post(cached).expect(200);
    expect(hit.headers['x-cache']).toBe('HIT');
    const results = await burst;
    const refused = results.filter((r) => r.status === 503);
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 503, 503]);
    for (const r of refused) {
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      expect(r.body.message).toMatch(/busy/);
    }
    expect(stub.calls).toBe(4);
    expect(stub.maxInFlight).toBe(2);
  });
});
