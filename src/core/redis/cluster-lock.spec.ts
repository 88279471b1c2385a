import Redis from 'ioredis';
import { ClusterLock, LockLostError } from './cluster-lock';

/** A stand-in for the few Redis commands the lock uses; `renew` decides each renewal's fate. */
function fakeRedis(renew: () => Promise<number>) {
  const calls: string[] = [];
  const redis = {
    set: async () => (calls.push('set'), 'OK'),
    eval: async (script: string) => {
      if (script.includes('pexpire')) return (calls.push('renew'), renew());
      return (calls.push('release'), 1);
    },
  } as unknown as Redis;
  return { redis, calls };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ClusterLock', () => {
  it('runs the work while renewals succeed, then releases the lock', async () => {
    const { redis, calls } = fakeRedis(async () => 1);
    const result = await new ClusterLock(redis).withLock('t', 300, 1000, async (held) => {
      await sleep(250);
      held.check();
      return 42;
    });
    expect(result).toBe(42);
    expect(calls.filter((c) => c === 'renew').length).toBeGreaterThan(0);
    expect(calls.at(-1)).toBe('release');
  });

  it('reports the lock lost when a renewal fails, instead of swallowing it', async () => {
    const { redis, calls } = fakeRedis(async () => Promise.reject(new Error('Connection is closed.')));
    const work = new ClusterLock(redis).withLock('t', 300, 1000, async (held) => {
      await sleep(250);
      held.check();
      return 'finished unguarded';
    });
    await expect(work).rejects.toThrow(LockLostError);
    expect(calls.at(-1)).toBe('release');
  });

  it('rejects even when the work never checks, once a renewal found the lock taken over', async () => {
    const { redis } = fakeRedis(async () => 0);
    const work = new ClusterLock(redis).withLock('t', 300, 1000, async () => {
      await sleep(250);
      return 'done';
    });
    await expect(work).rejects.toThrow(/taken over/);
  });
});
