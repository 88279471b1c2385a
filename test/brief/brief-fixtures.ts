import { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { isolatedMongoUri, startTestApp } from '../support/test-app';

export type LlmStub = {
  url: string;
  calls: number;
  inFlight: number;
  maxInFlight: number;
  requests: Array<Record<string, unknown>>;
  script(m: string[]): void;
  reset(): void;
  setLatency(ms: number): void;
  close(): Promise<void>;
};

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the stub is an untyped CommonJS script
export const { startLlmStub } = require('../../scripts/llm-stub.js') as { startLlmStub: () => Promise<LlmStub> };

/** A brand no earlier test used, so cache hits are only those a test makes itself. */
export const briefBody = (over: Record<string, unknown> = {}) => ({
  brand: `Glow Labs ${randomBytes(4).toString('hex')}`,
  product: 'Vitamin C serum',
  goal: 'awareness',
  platform: 'tiktok',
  ...over,
});

/** The real app with the openai SDK pointed at `stub`; `env` tunes the brief settings under test. */
export function startStubbedApp(stub: LlmStub, env: Record<string, string>) {
  return startTestApp({
    MONGODB_URI: isolatedMongoUri('brief'),
    OPENAI_API_KEY: 'sk-test-not-a-real-key',
    OPENAI_BASE_URL: stub.url,
    LLM_MODEL: 'stub-model',
    BRIEF_RATE_LIMIT_PER_MIN: '1000',
    ...env,
  });
}

/**
 * Registers a suite's hooks: a stub LLM and the app pointed at it (started once, stopped at
 * the end), the stub's script and counters reset before each test. Read `app` and `stub`
 * inside tests; `post` sends a brief request.
 */
export function stubbedAppSuite(env: Record<string, string>) {
  const suite = {
    app: undefined as unknown as NestExpressApplication,
    stub: undefined as unknown as LlmStub,
    post: (b: object = briefBody()) => request(suite.app.getHttpServer()).post('/generate_brief').send(b),
  };
  beforeAll(async () => {
    suite.stub = await startLlmStub();
    suite.app = await startStubbedApp(suite.stub, env);
  });
  beforeEach(() => suite.stub.reset());
  afterAll(async () => {
    await suite.app?.close();
    await suite.stub?.close();
  });
  return suite;
}

/** Resolves once `check` holds, polling; fails the test after `tries` polls. */
export async function until(check: () => boolean, tries = 200): Promise<void> {
  for (let i = 0; i < tries && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error('condition not reached');
}

type ChatAnswer = {
  model: string;
  choices: Array<{ finish_reason: string; message: { content: string } }>;
  usage: { completion_tokens: number };
};
/** One call the app made to the model, as the recorder between them saw it. */
export type LlmExchange = {
  request: Record<string, unknown> & { messages: Array<{ role: string; content: string }> };
  status: number;
  response: ChatAnswer;
};
type LocalLlm = { url: string; model: string; stop(): Promise<void> };
type Recorder = { url: string; exchanges: LlmExchange[]; close(): Promise<void> };

// eslint-disable-next-line @typescript-eslint/no-require-imports -- an untyped CommonJS script shared with bench/
const { startLocalLlm, recordLlm } = require('../../scripts/llm-local.js') as {
  startLocalLlm: () => Promise<LocalLlm>;
  recordLlm: (url: string) => Promise<Recorder>;
};

/**
 * One brief takes 3-6 s on a free core, several times that on a busy machine: the app's
 * budget is stretched so that a slow machine is not mistaken for a bad answer.
 */
export const REAL_BRIEF_MS = 120_000;
/** The first run on a checkout installs xllamacpp and fetches the 98 MB model. */
const INSTALL_MS = 15 * 60_000;

/**
 * Registers a suite's hooks: a real llama.cpp server (scripts/llm-local.js), a recorder of
 * every exchange in front of it, and the app pointed at the recorder with one attempt per
 * brief (no second chance hides a bad answer). Read `app`, `model` and `exchanges` inside
 * tests; `post` sends a brief request.
 */
export function realModelSuite(database: string) {
  let llm: LocalLlm | undefined;
  let recorder: Recorder | undefined;
  const suite = {
    app: undefined as unknown as NestExpressApplication,
    get model() {
      return llm!.model;
    },
    get exchanges() {
      return recorder!.exchanges;
    },
    post: (b: object) => request(suite.app.getHttpServer()).post('/generate_brief').send(b),
  };
  beforeAll(async () => {
    llm = await startLocalLlm();
    recorder = await recordLlm(llm.url);
    suite.app = await startTestApp({
      MONGODB_URI: isolatedMongoUri(database),
      OPENAI_API_KEY: 'local',
      OPENAI_BASE_URL: recorder.url,
      LLM_MODEL: llm.model,
      LLM_MAX_ATTEMPTS: '1',
      LLM_TIMEOUT_MS: String(REAL_BRIEF_MS),
      BRIEF_DEADLINE_MS: String(REAL_BRIEF_MS + 5000),
      BRIEF_RATE_LIMIT_PER_MIN: '1000',
    });
  }, INSTALL_MS);
  afterAll(async () => {
    await suite.app?.close();
    await recorder?.close();
    await llm?.stop();
  });
  return suite;
}

const COLUMNS = 'campaignId,influencerId,postId,platform,postedAt,likes,comments,shares,views';
const cell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
/** One post of a campaign, as the insights tests write them (no comments or shares). */
export type CampaignRow = [influencerId: string, postId: string, platform: string, postedAt: string, likes: number, views: number];
/** The CSV upload of `rows` for `campaignId`, quoted as RFC 4180 asks. */
export const campaignCsv = (campaignId: string, rows: CampaignRow[]) =>
  [
    COLUMNS,
    ...rows.map(([i, p, platform, at, likes, views]) =>
      [campaignId, i, p, platform, at, likes, 0, 0, views].map(String).map(cell).join(','),
    ),
  ].join('\n');
