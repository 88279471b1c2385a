#!/usr/bin/env node
// npm run bench:brief [-- --misses 100 --hits 1000 --latency 200 --real-misses 12]
// POST /generate_brief latency through the app (Redis cache + retry interceptors, the
// openai SDK over HTTP) against the local stub LLM answering after a fixed latency, then
// misses against a real model: llama.cpp with SmolLM2-135M on one thread
// (scripts/llm-server.sh; installed on first use). Misses use a fresh brand each; hits
// repeat one warmed request. --real-misses 0 skips the real model.
import { createRequire } from 'node:module';
import { args, dbUri, machine, startApp, writeJson, writeReadmeSection } from './lib.mjs';

const require = createRequire(import.meta.url);
const { startLlmStub } = require('../scripts/llm-stub.js');
const { recordLlm, startLocalLlm } = require('../scripts/llm-local.js');
const opts = args({ misses: '100', hits: '1000', latency: '200', 'real-misses': '12' });
const latencyMs = Number(opts.latency);
const realMisses = Number(opts['real-misses']);

const stub = await startLlmStub({ latencyMs });
const app = await startApp({
  MONGODB_URI: dbUri('bench_brief'),
  OPENAI_API_KEY: 'sk-bench-stub',
  OPENAI_BASE_URL: stub.url,
  LLM_MODEL: 'stub-model',
  LLM_TIMEOUT_MS: '5000',
  BRIEF_RATE_LIMIT_PER_MIN: '10000',
  RATE_LIMIT_PER_MIN: '100000000',
});

const body = (brand, goal = 'awareness', platform = 'tiktok') => JSON.stringify({ brand, product: 'Vitamin C serum', goal, platform });
async function timed(b, expectCache, url = app.url) {
  const t0 = performance.now();
  const res = await fetch(`${url}/generate_brief`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: b });
  const text = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== 200 || res.headers.get('x-cache') !== expectCache)
    throw new Error(`expected 200 ${expectCache}, got ${res.status} ${res.headers.get('x-cache')}: ${text.slice(0, 300)}`);
  return ms;
}
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return +s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)].toFixed(2);
};
const summary = (xs) => ({ n: xs.length, p50: pct(xs, 50), p90: pct(xs, 90), p99: pct(xs, 99), max: +Math.max(...xs).toFixed(2) });

/** Misses through a second app pointed at the real model, one goal/platform pair after another. */
async function realModel(n) {
  const llm = await startLocalLlm();
  const recorder = await recordLlm(llm.url);
  const real = await startApp({
    MONGODB_URI: dbUri('bench_brief_real'),
    OPENAI_API_KEY: 'local',
    OPENAI_BASE_URL: recorder.url,
    LLM_MODEL: llm.model,
    LLM_MAX_ATTEMPTS: '1',
    LLM_TIMEOUT_MS: '120000',
    BRIEF_DEADLINE_MS: '125000',
    BRIEF_RATE_LIMIT_PER_MIN: '10000',
    RATE_LIMIT_PER_MIN: '100000000',
  });
  try {
    const goals = ['awareness', 'engagement', 'conversions', 'launch', 'traffic', 'loyalty'];
    const platforms = ['tiktok', 'instagram', 'youtube', 'twitter', 'facebook', 'linkedin', 'pinterest'];
    const run = Date.now().toString(36);
    await timed(body(`warmup ${run}`), 'MISS', real.url);
    const ms = [];
    const failures = [];
    for (let i = 0; i < n; i++) {
      const seen = recorder.exchanges.length;
      try {
        ms.push(await timed(body(`Real ${run} ${i}`, goals[i % 6], platforms[i % 7]), 'MISS', real.url));
      } catch (err) {
        // A bad answer is a finding, not the end of the run: counted, its time left out.
        failures.push(err.message);
        recorder.exchanges.splice(seen);
      }
    }
    if (ms.length === 0) throw new Error(`every real-model brief failed: ${failures.join(' | ')}`);
    const answers = recorder.exchanges.slice(1).map((e) => e.response);
    const tokens = answers.map((a) => a.usage.completion_tokens);
    // llama.cpp's own timings: generation alone, and the prompt read before it.
    const genTps = answers.map((a) => a.timings?.predicted_per_second).filter(Number.isFinite);
    const promptTps = answers.map((a) => a.timings?.prompt_per_second).filter(Number.isFinite);
    return {
      model: llm.model,
      miss: summary(ms),
      completionTokens: { p50: pct(tokens, 50), max: Math.max(...tokens) },
      generationTokensPerS: { p50: pct(genTps, 50) },
      promptTokensPerS: { p50: pct(promptTps, 50) },
      endToEndTokensPerS: {
        p50: pct(
          answers.map((a, i) => a.usage.completion_tokens / (ms[i] / 1000)),
          50,
        ),
      },
      finishReasons: [...new Set(answers.map((a) => a.choices[0].finish_reason))],
      failures,
    };
  } finally {
    await real.stop();
    await recorder.close();
    await llm.stop();
  }
}

try {
  const run = Date.now().toString(36);
  for (let i = 0; i < 5; i++) await timed(body(`warmup ${run} ${i}`), 'MISS'); // JIT, connections
  const miss = [];
  for (let i = 0; i < Number(opts.misses); i++) miss.push(await timed(body(`Brand ${run} ${i}`), 'MISS'));
  const hitBody = body(`Hit brand ${run}`);
  await timed(hitBody, 'MISS');
  const hit = [];
  for (let i = 0; i < Number(opts.hits); i++) hit.push(await timed(hitBody, 'HIT'));

  const misses = summary(miss);
  const real = realMisses > 0 ? await realModel(realMisses) : null;
  const result = {
    machine: machine(),
    stubLatencyMs: latencyMs,
    hit: summary(hit),
    miss: misses,
    missOverheadMs: { p50: +(misses.p50 - latencyMs).toFixed(2), p99: +(misses.p99 - latencyMs).toFixed(2) },
    stubCalls: stub.calls,
    realModel: real,
  };
  const file = writeJson('brief', result);
  writeReadmeSection(
    'brief',
    [
      `### Brief (\`npm run bench:brief\`) — ${new Date().toISOString().slice(0, 10)}, ${machine().cpus} cores`,
      '',
      `Sequential POST /generate_brief through the app against the stub LLM at a fixed ${latencyMs} ms; misses use a new brand each.`,
      '',
      '| case | n | p50 | p90 | p99 | target |',
      '|---|---:|---:|---:|---:|---|',
      `| cache hit | ${result.hit.n} | ${result.hit.p50} ms | ${result.hit.p90} ms | ${result.hit.p99} ms | p50 < 5 ms |`,
      `| cache miss | ${misses.n} | ${misses.p50} ms | ${misses.p90} ms | ${misses.p99} ms | |`,
      `| miss overhead over the stub | | ${result.missOverheadMs.p50} ms | | ${result.missOverheadMs.p99} ms | < 15 ms |`,
      ...(real
        ? [
            `| cache miss, real model (${real.model}, 1 thread) | ${real.miss.n} | ${real.miss.p50} ms | ${real.miss.p90} ms | ${real.miss.max} ms (max) | |`,
            '',
            `Real model: ${real.completionTokens.p50} tokens a brief at p50 (max ${real.completionTokens.max}, finish ${real.finishReasons.join('/')}); ` +
              `generation ${real.generationTokensPerS.p50} tokens/s, prompt reading ${real.promptTokensPerS.p50} tokens/s, ` +
              `${real.endToEndTokensPerS.p50} tokens/s end to end (p50s, llama.cpp's own timings)` +
              (real.failures.length
                ? `; ${real.failures.length} of ${realMisses} failed (${real.failures.join(' | ')}).`
                : '; none failed.'),
          ]
        : []),
    ].join('\n'),
  );
  console.log(JSON.stringify(result, null, 2));
  console.log(`results: ${file}`);
} finally {
  await app.stop();
  await stub.close();
}
