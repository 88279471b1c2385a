import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { GOALS, PLATFORMS } from '../../src/brief/brief-options';
import { disclosedUpFront } from '../../src/brief/disclosure';
import { LLM_BRIEF_JSON_SCHEMA, LLM_BRIEF_MAX_TOKENS } from '../../src/brief/llm/brief-schema';
import { isolatedMongoUri, startTestApp } from '../support/test-app';
import { silentRedis } from '../support/silent-redis';
import { briefBody as body, LlmStub as Stub, startLlmStub } from './brief-fixtures';

describe('POST /generate_brief through the openai SDK against an HTTP stub (real Redis)', () => {
  let app: NestExpressApplication;
  let stub: Stub;
  const post = (b: object) => request(app.getHttpServer()).post('/generate_brief').send(b);

  beforeAll(async () => {
    stub = await startLlmStub();
    app = await startTestApp({
      MONGODB_URI: isolatedMongoUri('brief'),
      OPENAI_API_KEY: 'sk-test-not-a-real-key',
      OPENAI_BASE_URL: stub.url,
      LLM_MODEL: 'stub-model',
      LLM_TIMEOUT_MS: '400',
      LLM_MAX_ATTEMPTS: '3',
      BRIEF_RATE_LIMIT_PER_MIN: '1000',
    });
  });
  beforeEach(() => stub.reset());
  afterAll(async () => {
    await app?.close();
    await stub?.close();
  });

  it('returns the brief with the spec fields, the tools output and meta; then serves it from Redis', async () => {
    const b = body();
    const miss = await post(b).expect(200);
    expect(miss.headers['x-cache']).toBe('MISS');
    expect(miss.body).toMatchObject({
      caption: expect.any(String),
      cta: expect.any(String),
      tone: expect.any(String),
      persona: expect.stringMatching(/Gen Z/),
      creative_angle: expect.any(String),
      disclosure: '#ad',
      meta: { model: 'stub-model', promptVersion: 'brief-v2' },
    });
    expect(miss.body.hook_ideas.length).toBeGreaterThanOrEqual(3);
    expect(miss.body.hook_ideas.length).toBeLessThanOrEqual(5);
    expect(miss.body.hashtags.every((h: string) => h.startsWith('#'))).toBe(true);
    expect(stub.calls).toBe(1);
    // The request goes out as structured output with the schema the answer is checked against,
    // bounded by max_tokens; brand text as delimited data.
    expect(stub.requests[0]).toMatchObject({
      model: 'stub-model',
      max_tokens: LLM_BRIEF_MAX_TOKENS,
      response_format: { type: 'json_schema', json_schema: { strict: true, schema: LLM_BRIEF_JSON_SCHEMA } },
    });
    expect(JSON.stringify(stub.requests[0])).toContain('<data>');

    const hit = await post({
      platform: ' TikTok ',
      goal: 'AWARENESS',
      product: '  vitamin   c SERUM ',
      brand: b.brand.toUpperCase(),
    }).expect(200);
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.body).toEqual(miss.body);
    expect(stub.calls).toBe(1);
  });

  it('retries 429 (Retry-After) then succeeds', async () => {
    stub.script(['429']);
    const res = await post(body()).expect(200);
    expect(stub.calls).toBe(2);
    expect(res.headers['x-cache']).toBe('MISS');
  });

  it('retries invalid JSON then valid', async () => {
    stub.script(['bad-json']);
    await post(body()).expect(200);
    expect(stub.calls).toBe(2);
  });

  it('gives 502 after three 500s, and does not cache the failure', async () => {
    const b = body();
    stub.script(['500', '500', '500']);
    const res = await post(b).expect(502);
    expect(res.body.message).toMatch(/after 3 attempt/);
    expect(stub.calls).toBe(3);
    const again = await post(b).expect(200);
    expect(again.headers['x-cache']).toBe('MISS');
  });

  it('treats an answer cut at max_tokens as unusable and retries it', async () => {
    stub.script(['length']);
    await post(body()).expect(200);
    expect(stub.calls).toBe(2);
    stub.script(['length', 'length', 'length']);
    const res = await post(body()).expect(502);
    expect(res.body.message).toMatch(/cut at max_tokens/);
  });

  it.each([
    ['leaves the disclosure out of the caption', 'no-disclosure'],
    ['buries it after the first 100 characters', 'buried-disclosure'],
  ])('puts the disclosure at the front, once, when the LLM %s', async (_case, mode) => {
    stub.script([mode]);
    const res = await post(body()).expect(200);
    expect(res.body.caption).toMatch(/^#ad /);
    expect(res.body.caption.match(/#ad\b/g)).toHaveLength(1);
    expect(disclosedUpFront(res.body.caption, '#ad')).toBe(true);
    expect(stub.calls).toBe(1);
  });

  it('gives 502 for output of the wrong shape on every attempt', async () => {
    stub.script(['wrong-shape', 'wrong-shape', 'truncated']);
    const res = await post(body()).expect(502);
    expect(res.body.message).toMatch(/unusable brief|failed/);
  });

  it('gives 504 when every attempt times out', async () => {
    stub.script(['timeout', 'timeout', 'timeout']);
    const res = await post(body());
    expect(res.body).toMatchObject({ statusCode: 504 });
    expect(res.body.message).toMatch(/did not answer in time/);
    expect(stub.calls).toBe(3);
  });

  it('does not retry a 401 from the LLM', async () => {
    stub.script(['401']);
    await post(body()).expect(502);
    expect(stub.calls).toBe(1);
  });

  it('calls the LLM once for concurrent identical requests', async () => {
    const b = body();
    const results = await Promise.all(Array.from({ length: 5 }, () => post(b)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(stub.calls).toBe(1);
  });

  it.each([
    [{}, /brand is required/],
    [{ brand: '' }, /brand must be 1 to 100/],
    [{ brand: 'x'.repeat(101) }, /brand must be 1 to 100/],
    [{ product: 42 }, /product must be a string/],
    [{ goal: 'world domination' }, /goal must be one of/],
    [{ platform: 'myspace' }, /platform must be one of/],
    [{ platform: ['tiktok'] }, /platform must be a string/],
    [{ brand: { $ne: 1 } }, /brand must be a string/],
    [{ extra: 'field' }, /property extra should not exist/],
  ])('400s %j', async (over, reason) => {
    const b = Object.keys(over).length === 0 ? {} : body(over);
    const res = await post(b).expect(400);
    expect(JSON.stringify(res.body.message)).toMatch(reason);
    expect(stub.calls).toBe(0);
  });

  it('still refuses an unknown field when the same brief is cached', async () => {
    const b = body();
    await post(b).expect(200);
    const res = await post({ ...b, extra: 'field' }).expect(400);
    expect(JSON.stringify(res.body.message)).toMatch(/property extra should not exist/);
    expect(stub.calls).toBe(1);
  });

  it('400s a JSON array body', async () => {
    await request(app.getHttpServer()).post('/generate_brief').send([body()]).expect(400);
  });
});

describe('POST /generate_brief without an LLM or without Redis', () => {
  it('composes an offline brief when no OPENAI_API_KEY is set', async () => {
    const app = await startTestApp({ MONGODB_URI: isolatedMongoUri('brief'), OPENAI_API_KEY: '' });
    try {
      const res = await request(app.getHttpServer())
        .post('/generate_brief')
        .send(body({ platform: 'youtube', goal: 'conversions' }))
        .expect(200);
      expect(res.body.meta.model).toBe('offline');
      expect(res.body.disclosure).toBe('#sponsored');
      expect(res.body.caption).toMatch(/^#sponsored /);
      expect(res.body.hashtags).toContain('#sponsored');
      expect(res.body.hook_ideas.length).toBeGreaterThanOrEqual(3);
      expect(res.body.cta).toMatch(/Vitamin C serum/);
    } finally {
      await app.close();
    }
  });

  it('puts the disclosure within the first 100 characters of every offline caption (a TikTok conversion brief had it at ~150)', async () => {
    // 42 briefs: rate-limit counters of their own, so the suite's later apps do not inherit them.
    const app = await startTestApp({
      MONGODB_URI: isolatedMongoUri('brief'),
      OPENAI_API_KEY: '',
      BRIEF_RATE_LIMIT_PER_MIN: '1000',
      QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}_offline`,
    });
    try {
      const buried: string[] = [];
      for (const platform of PLATFORMS)
        for (const goal of GOALS) {
          const res = await request(app.getHttpServer())
            .post('/generate_brief')
            .send(body({ platform, goal, product: 'Hydrating vitamin C face serum with hyaluronic acid' }))
            .expect(200);
          if (!disclosedUpFront(res.body.caption, res.body.disclosure)) buried.push(`${goal}/${platform}: ${res.body.caption}`);
        }
      expect(buried).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('gives 502 when the LLM server refuses connections, caches nothing and stays healthy', async () => {
    // Port 1 on loopback: nothing listens, every attempt is refused at once.
    const app = await startTestApp({
      MONGODB_URI: isolatedMongoUri('brief'),
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: 'http://127.0.0.1:1/v1',
      LLM_MAX_ATTEMPTS: '2',
    });
    try {
      const b = body();
      const res = await request(app.getHttpServer()).post('/generate_brief').send(b).expect(502);
      expect(res.body.message).toMatch(/after 2 attempt/);
      expect(JSON.stringify(res.body)).not.toContain('sk-test');
      const again = await request(app.getHttpServer()).post('/generate_brief').send(b).expect(502);
      expect(again.headers['x-cache']).not.toBe('HIT');
      await request(app.getHttpServer()).get('/health').expect(200);
    } finally {
      await app.close();
    }
  });

  it('serves uncached (200, X-Cache MISS) when Redis is connected but answers nothing', async () => {
    const silent = await silentRedis();
    const app = await startTestApp({ MONGODB_URI: isolatedMongoUri('brief'), OPENAI_API_KEY: '', REDIS_URL: silent.url });
    try {
      const b = body();
      // Without the cache budget the cache read never settles and the request hangs.
      const first = await request(app.getHttpServer()).post('/generate_brief').send(b).expect(200);
      expect(first.headers['x-cache']).toBe('MISS');
      expect(first.body.meta.model).toBe('offline');
      const second = await request(app.getHttpServer()).post('/generate_brief').send(b).expect(200);
      expect(second.headers['x-cache']).toBe('MISS');
    } finally {
      // Redis gone first: shutdown waits for answers (Bull's close, QUIT) a hung server never sends.
      await silent.close();
      await app.close();
    }
  });

  it('serves uncached (200, X-Cache MISS) when Redis is unreachable', async () => {
    const app = await startTestApp({ MONGODB_URI: isolatedMongoUri('brief'), OPENAI_API_KEY: '', REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const b = body();
      const first = await request(app.getHttpServer()).post('/generate_brief').send(b).expect(200);
      expect(first.headers['x-cache']).toBe('MISS');
      const second = await request(app.getHttpServer()).post('/generate_brief').send(b).expect(200);
      expect(second.headers['x-cache']).toBe('MISS');
    } finally {
      await app.close();
    }
  });
});
