import { randomBytes } from 'node:crypto';
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

/** Resolves once `check` holds, polling; fails the test after `tries` polls. */
export async function until(check: () => boolean, tries = 200): Promise<void> {
  for (let i = 0; i < tries && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error('condition not reached');
}
