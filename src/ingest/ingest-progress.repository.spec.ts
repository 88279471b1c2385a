import type { TestingModule } from '@nestjs/testing';
import Redis from 'ioredis';
import { redisRepositoryModule } from '../../test/support/repository-module';
import { RedisKeys } from '../core/redis/redis-keys';
import { REDIS_CLIENT } from '../core/redis/redis.tokens';
import { IngestProgressRepository } from './ingest-progress.repository';

describe('IngestProgressRepository (real Redis)', () => {
  let moduleRef: TestingModule;
  let redis: Redis;
  let repo: IngestProgressRepository;
  let prefix: string;
  let n = 0;
  /** A fresh upload id per test: keys are never deleted between tests, only expire. */
  let jobId: string;

  beforeAll(async () => {
    moduleRef = await redisRepositoryModule([IngestProgressRepository]);
    repo = moduleRef.get(IngestProgressRepository);
    redis = moduleRef.get(REDIS_CLIENT);
    prefix = moduleRef.get(RedisKeys).prefix;
  });
  afterAll(() => moduleRef?.close());
  beforeEach(() => (jobId = `u${++n}`));

  it('knows nothing of an upload it never heard of', async () => {
    expect(await repo.progress(jobId)).toEqual({ chunksDone: 0, rowsWritten: 0, rowsSuperseded: 0 });
  });

  it("counts the file's row keys as they are read: how many of each batch are new to this file", async () => {
    expect(await repo.recordKeys(jobId, ['k1', 'k2', 'k1'])).toBe(2);
    expect(await repo.recordKeys(jobId, ['k2', 'k3'])).toBe(1);
    expect(await repo.recordKeys(`${jobId}x`, ['k1'])).toBe(1);
    await repo.dropKeys(jobId);
    expect(await repo.recordKeys(jobId, ['k1'])).toBe(1);
  });

  it('counts a chunk once however often it is re-delivered, concurrently too', async () => {
    await Promise.all(Array.from({ length: 10 }, () => repo.chunkDone(jobId, 0, { written: 500, superseded: 3 })));
    expect(await repo.chunkDone(jobId, 1, { written: 200, superseded: 0 })).toBe(2);
    expect(await repo.progress(jobId)).toEqual({ chunksDone: 2, rowsWritten: 700, rowsSuperseded: 3 });
  });

  it('shows a waiting notice until the next chunk lands', async () => {
    await repo.markWaiting(jobId, 'the database is unavailable');
    expect(await repo.progress(jobId)).toMatchObject({ waiting: 'the database is unavailable' });
    await repo.chunkDone(jobId, 0, { written: 1, superseded: 0 });
    expect((await repo.progress(jobId)).waiting).toBeUndefined();
  });

  it('keeps every key under the prefix, each expiring on its own; clear removes them all', async () => {
    await repo.recordKeys(jobId, ['k1']);
    await repo.chunkDone(jobId, 0, { written: 1, superseded: 0 });
    const keys = (await redis.keys(`${prefix}:*`)).filter((k) => k.split(':').includes(jobId));
    expect(keys.sort()).toEqual([`${prefix}:upload:${jobId}:done`, `${prefix}:upload:${jobId}:keys`, `${prefix}:upload:${jobId}:meta`]);
    for (const k of keys) expect(await redis.ttl(k)).toBeGreaterThan(0);
    await repo.clear(jobId);
    expect(await redis.exists(...keys)).toBe(0);
    expect(await repo.progress(jobId)).toEqual({ chunksDone: 0, rowsWritten: 0, rowsSuperseded: 0 });
  });
});
