import { briefBody, stubbedAppSuite } from './brief-fixtures';

describe('POST /generate_brief: one BRIEF_DEADLINE_MS across every attempt and backoff (HTTP stub, real Redis)', () => {
  const suite = stubbedAppSuite({
    BRIEF_DEADLINE_MS: '1500',
    LLM_TIMEOUT_MS: '1000',
    LLM_MAX_ATTEMPTS: '5',
    BRIEF_BREAKER_THRESHOLD: '1000',
  });

  it('gives 504 when the deadline runs out, cutting the last attempt short instead of making all five', async () => {
    suite.stub.script(Array.from({ length: 5 }, () => 'timeout'));
    const res = await suite.post(briefBody()).expect(504);
    expect(res.body.message).toMatch(/deadline of 1500 ms/);
    // A full 1000 ms attempt, a backoff under 250 ms, then what is left of the 1500 ms.
    expect(suite.stub.calls).toBe(2);
  });

  it('ends at once with 503 and that Retry-After when the LLM asks for a wait longer than the time left', async () => {
    suite.stub.script(['429:20', 'ok']);
    const res = await suite.post(briefBody()).expect(503);
    expect(res.headers['retry-after']).toBe('20');
    expect(res.body.message).toMatch(/asked to wait 20 s/);
    expect(suite.stub.calls).toBe(1);
  });
});
