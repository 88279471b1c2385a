import { randomBytes } from 'node:crypto';

// Defaults for every test process; scripts/test.sh exports the real service URLs.
process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL ??= 'silent';
process.env.MONGODB_URI ??= 'mongodb://127.0.0.1:27027/influencer?directConnection=true';
process.env.REDIS_URL ??= 'redis://127.0.0.1:6389';
// The e2e helpers poll job status every 20 ms, past the production default of 600 requests
// per client and route a minute; test/core/limits.e2e-spec.ts sets its own limits.
process.env.RATE_LIMIT_PER_MIN ??= '1000000';
// Runs once per test file: each file gets Redis keys of its own (queues, rate-limit counters,
// caches), so that suites running side by side never take each other's jobs or counts.
process.env.QUEUE_PREFIX = `${process.env.QUEUE_PREFIX ?? 'test'}_${randomBytes(3).toString('hex')}`;
