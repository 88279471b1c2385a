import { briefBody, stubbedAppSuite } from './brief-fixtures';

describe('POST /generate_brief: at most BRIEF_LLM_CONCURRENCY LLM calls at once (HTTP stub, real Redis)', () => {
  const suite = stubbedAppSuite({
    BRIEF_LLM_CONCURRENCY: '2',
    BRIEF_LLM_QUEUE_MAX: '2',
    LLM_TIMEOUT_MS: '5000',
    LLM_MAX_ATTEMPTS: '1',
  });

  it('queues calls beyond the cap: every brief is written, never more than 2 at the LLM', async () => {
    suite.stub.script(Array.from({ length: 4 }, () => 'slow:300'));
    const results = await Promise.all(Array.from({ length: 4 }, () => suite.post(briefBody())));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(suite.stub.calls).toBe(4);
    expect(suite.stub.maxInFlight).toBe(2);
  });

  it('refuses with 503 and Retry-After once the queue is full, while cache hits are still served', async () => {
    const cached = briefBody();
    await suite.post(cached).expect(200);
    suite.stub.reset();
    // Slow enough that all six are at the gate before the first answer: 2 run, 2 wait, 2 are refused.
    suite.stub.script(Array.from({ length: 6 }, () => 'slow:1500'));
    const burst = Promise.all(Array.from({ length: 6 }, () => suite.post(briefBody())));
    const hit = await suite.post(cached).expect(200);
    expect(hit.headers['x-cache']).toBe('HIT');
    const results = await burst;
    const refused = results.filter((r) => r.status === 503);
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 503, 503]);
    for (const r of refused) {
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      expect(r.body.message).toMatch(/busy/);
    }
    expect(suite.stub.calls).toBe(4);
    expect(suite.stub.maxInFlight).toBe(2);
  });
});
