#!/usr/bin/env node
// npm run bench:brief [-- --misses 100 --hits 1000 --latency 200]
// POST /generate_brief latency through the app (Redis cache + retry interceptors, the
// openai SDK over HTTP) against the local stub LLM answering after a fixed latency.
// Misses use a fresh brand each; hits repeat one warmed request.
import { createRequire } from 'node:module';
import { args, dbUri, machine, startApp, writeJson, writeReadmeSection } from './lib.mjs';

const require = createRequire(import.meta.url);
const { startLlmStub } = require('../scripts/llm-stub.js');
const opts = args({ misses: '100', hits: '1000', latency: '200' });
const latencyMs = Number(opts.latency);

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

const body = (brand) => JSON.stringify({ brand, product: 'Vitamin C serum', goal: 'awareness', platform: 'tiktok' });
async function timed(b, expectCache) {
  const t0 = performance.now();
  const res = await fetch(`${app.url}/generate_brief`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: b });
  await res.arrayBuffer();
  const ms = performance.now() - t0;
  if (res.status !== 200 || res.headers.get('x-cache') !== expectCache)
    throw new Error(`expected 200 ${expectCache}, got ${res.status} ${res.headers.get('x-cache')}`);
  return ms;
}
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return +s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)].toFixed(2);
};
const summary = (xs) => ({ n: xs.length, p50: pct(xs, 50), p90: pct(xs, 90), p99: pct(xs, 99), max: +Math.max(...xs).toFixed(2) });

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
  const result = {
    machine: machine(),
    stubLatencyMs: latencyMs,
    hit: summary(hit),
    miss: misses,
    missOverheadMs: { p50: +(misses.p50 - latencyMs).toFixed(2), p99: +(misses.p99 - latencyMs).toFixed(2) },
    stubCalls: stub.calls,
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
    ].join('\n'),
  );
  console.log(JSON.stringify(result, null, 2));
  console.log(`results: ${file}`);
} finally {
  await app.stop();
  await stub.close();
}
