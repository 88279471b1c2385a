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
