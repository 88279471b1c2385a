import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { briefBody, LlmStub, startLlmStub, startStubbedApp } from './brief-fixtures';

describe('POST /generate_brief: one BRIEF_DEADLINE_MS across every attempt and backoff (HTTP stub, real Redis)', () => {
  let app: NestExpressApplication;
  let stub: LlmStub;
  const post = (b: object) => request(app.getHttpServer()).post('/generate_brief').send(b);

  beforeAll(async () => {
    stub = await startLlmStub();
    app = await startStubbedApp(stub, {
      BRIEF_DEADLINE_MS: '1500',
      LLM_TIMEOUT_MS: '1000',
      LLM_MAX_ATTEMPTS: '5',
      BRIEF_BREAKER_THRESHOLD: '1000',
    });
  });
  beforeEach(() => stub.reset());
  afterAll(async () => {
    await app?.close();
    await stub?.close();
  });

  it('gives 504 when the deadline runs out, cutting the last attempt short instead of making all five', async () => {
    stub.script(Array.from({ length: 5 }, () => 'timeout'));
    const res = await post(briefBody()).expect(504);
    expect(res.body.message).toMatch(/deadline of 1500 ms/);
    // A full 1000 ms attempt, a backoff under 250 ms, then what is left of the 1500 ms.
    expect(stub.calls).toBe(2);
  });

  it('ends at once with 503 and that Retry-After when the LLM asks for a wait longer than the time left', async () => {
    stub.script(['429:20', 'ok']);
    const res = await post(briefBody()).expect(503);
    expect(res.headers['retry-after']).toBe('20');
    expect(res.body.message).toMatch(/asked to wait 20 s/);
    expect(stub.calls).toBe(1);
  });
});
