import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { disclosedUpFront, placeDisclosure } from '../../src/brief/disclosure';
import { LLM_BRIEF_JSON_SCHEMA, LLM_BRIEF_MAX_TOKENS, parseLlmBrief } from '../../src/brief/llm/brief-schema';
import { isolatedMongoUri, startTestApp } from '../support/test-app';

type Exchange = { request: Record<string, unknown>; status: number; response: ChatAnswer };
type ChatAnswer = {
  model: string;
  choices: Array<{ finish_reason: string; message: { content: string } }>;
  usage: { completion_tokens: number };
};
type LocalLlm = { url: string; model: string; stop(): Promise<void> };
type Recorder = { url: string; exchanges: Exchange[]; close(): Promise<void> };

// eslint-disable-next-line @typescript-eslint/no-require-imports -- an untyped CommonJS script shared with bench/
const { startLocalLlm, recordLlm } = require('../../scripts/llm-local.js') as {
  startLocalLlm: () => Promise<LocalLlm>;
  recordLlm: (url: string) => Promise<Recorder>;
};

// One brief takes 3-6 s on a free core, several times that on a busy machine: the app's
// budget is stretched so that a slow machine is not mistaken for a bad answer.
const BRIEF_MS = 120_000;
// The first run on a checkout installs xllamacpp and fetches the 98 MB model.
const INSTALL_MS = 15 * 60_000;

/** Every goal once, six of the seven platforms, both disclosures (#ad, #sponsored) among them. */
const PAIRS = [
  ['awareness', 'tiktok', 'Glow Labs', 'Vitamin C serum'],
  ['conversions', 'instagram', 'Peak Fuel', 'whey protein powder'],
  ['launch', 'youtube', 'Hush Audio', 'noise-cancelling headphones'],
  ['engagement', 'twitter', 'North Roast', 'cold brew coffee'],
  ['traffic', 'linkedin', 'Taskline', 'project planning app'],
  ['loyalty', 'pinterest', 'Loom & Field', 'linen bed sheets'],
] as const;

describe('briefs from a real model: llama.cpp with SmolLM2-135M through the app (real Redis and database)', () => {
  let llm: LocalLlm | undefined;
  let recorder: Recorder | undefined;
  let app: NestExpressApplication | undefined;

  beforeAll(async () => {
    llm = await startLocalLlm();
    recorder = await recordLlm(llm.url);
    app = await startTestApp({
      MONGODB_URI: isolatedMongoUri('brief'),
      OPENAI_API_KEY: 'local',
      OPENAI_BASE_URL: recorder.url,
      LLM_MODEL: llm.model,
      // The first attempt must hold: no second chance hides a bad answer.
      LLM_MAX_ATTEMPTS: '1',
      LLM_TIMEOUT_MS: String(BRIEF_MS),
      BRIEF_DEADLINE_MS: String(BRIEF_MS + 5000),
      BRIEF_RATE_LIMIT_PER_MIN: '1000',
    });
  }, INSTALL_MS);

  afterAll(async () => {
    await app?.close();
    await recorder?.close();
    await llm?.stop();
  });

  it.each(PAIRS)(
    '%s on %s: a schema-valid brief on the first attempt, the disclosure up front, the model named, within max_tokens',
    async (goal, platform, brand, product) => {
      const before = recorder!.exchanges.length;
      const res = await request(app!.getHttpServer()).post('/generate_brief').send({ brand, product, goal, platform });
      const calls = recorder!.exchanges.slice(before);
      // What the model wrote goes into the failure message: a bad answer is then plain to see.
      const wrote = calls.map((c) => c.response.choices?.[0]?.message?.content);
      expect({ status: res.status, message: res.body.message, wrote }).toEqual({ status: 200, message: undefined, wrote });

      // One request, in the form the app always sends: the schema it checks with, strict, and max_tokens.
      expect(calls).toHaveLength(1);
      const [{ request: sent, status, response }] = calls;
      expect(status).toBe(200);
      expect(sent).toMatchObject({
        model: llm!.model,
        max_tokens: LLM_BRIEF_MAX_TOKENS,
        response_format: { type: 'json_schema', json_schema: { strict: true, schema: LLM_BRIEF_JSON_SCHEMA } },
      });
      // The model stopped by itself, inside its budget, and what it wrote is schema-valid as written.
      expect(response.choices[0].finish_reason).toBe('stop');
      expect(response.usage.completion_tokens).toBeLessThan(LLM_BRIEF_MAX_TOKENS);
      const written = parseLlmBrief(response.choices[0].message.content);
      expect(response.model).toBe(llm!.model);

      const brief = res.body;
      expect(brief.meta.model).toBe(llm!.model);
      expect(brief.disclosure).toBe(platform === 'youtube' || platform === 'linkedin' ? '#sponsored' : '#ad');
      expect(disclosedUpFront(brief.caption, brief.disclosure)).toBe(true);
      expect(brief.caption).toBe(placeDisclosure(written.caption, brief.disclosure));
      expect(brief.hook_ideas).toEqual(written.hook_ideas);
      expect(brief.hashtags).toContain(brief.disclosure);
    },
    BRIEF_MS + 10_000,
  );
});
