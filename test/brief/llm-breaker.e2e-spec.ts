import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { briefBody, LlmStub, startLlmStub, startStubbedApp, until } from './brief-fixtures';

const COOL_DOWN_MS = 500;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('POST /generate_brief: the circuit breaker in front of the LLM (HTTP stub, real Redis)', () => {
  let app: NestExpressApplication;
  let stub: LlmStub;
  const post = (b: object = briefBody()) => request(app.getHttpServer()).post('/generate_brief').send(b);

  /** Three upstream failures in a row: the circuit is then open. */
  async function trip() {
    stub.script(['500', '500', '500']);
    for (let i = 0; i < 3; i++) await post().expect(502);
  }

  beforeAll(async () => {
    stub = await startLlmStub();
    app = await startStubbedApp(stub, {
      BRIEF_BREAKER_THRESHOLD: '3',
      BRIEF_BREAKER_COOLDOWN_MS: String(COOL_DOWN_MS),
      LLM_TIMEOUT_MS: '2000',
      LLM_MAX_ATTEMPTS: '1',
    });
  });
  beforeEach(async () => {
    // Whatever state the previous test left, a good answer after the cool-down closes the circuit.
    await pause(COOL_DOWN_MS + 50);
    stub.reset();
    await post().expect(200);
    stub.reset();
  });
  afterAll(async () => {
    await app?.close();
    await stub?.close();
  });

  it('opens after N consecutive upstream failures: 503 with Retry-After and no call to the LLM', async () => {
    await trip();
    expect(stub.calls).toBe(3);
    const refused = await post().expect(503);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body.message).toMatch(/circuit is open/);
    await post().expect(503);
    expect(stub.calls).toBe(3);
  });

  it('lets one probe through after the cool-down; its success closes the circuit', async () => {
    await trip();
    await pause(COOL_DOWN_MS + 50);
    stub.script(['slow:400']);
    // supertest sends on then(): start the probe without awaiting it.
    const probe = post().then((r) => r);
    await until(() => stub.inFlight === 1);
    // Half-open: while the probe is out, everyone else is still refused.
    await post().expect(503);
    expect((await probe).status).toBe(200);
    await post().expect(200);
    await post().expect(200);
    expect(stub.calls).toBe(3 + 1 + 2);
  });

  it('re-opens when the probe fails', async () => {
    await trip();
    await pause(COOL_DOWN_MS + 50);
    stub.script(['500']);
    await post().expect(502);
    await post().expect(503);
    expect(stub.calls).toBe(4);
  });

  it('does not count unusable output from a server that answers', async () => {
    stub.script(['wrong-shape', 'bad-json', 'wrong-shape', 'bad-json']);
    for (let i = 0; i < 4; i++) await post().expect(502);
    await post().expect(200);
    expect(stub.calls).toBe(5);
  });
});

describe('POST /generate_brief: a 429 with Retry-After holds back every request (HTTP stub, real Redis)', () => {
  it('opens the circuit until the Retry-After for all requests, not just the one that got it', async () => {
    const stub = await startLlmStub();
    const app = await startStubbedApp(stub, { LLM_MAX_ATTEMPTS: '3', BRIEF_DEADLINE_MS: '5000' });
    try {
      stub.script(['429:30']);
      const first = await request(app.getHttpServer()).post('/generate_brief').send(briefBody()).expect(503);
      expect(first.headers['retry-after']).toBe('30');
      const other = await request(app.getHttpServer()).post('/generate_brief').send(briefBody()).expect(503);
      expect(Number(other.headers['retry-after'])).toBeGreaterThan(25);
      expect(stub.calls).toBe(1);
    } finally {
      await app.close();
      await stub.close();
    }
  });
});
