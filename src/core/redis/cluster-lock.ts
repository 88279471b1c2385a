import { Inject, Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS_CLIENT } from './redis.tokens';

const RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export class LockLostError extends Error {
  constructor(name: string, why: string) {
    super(`lock ${name} was lost while held (${why})`);
    this.name = 'LockLostError';
  }
}

/** What the holder of a lock is given: `check()` throws once the lock can no longer be trusted. */
export interface HeldLock {
  check(): void;
}

/**
 * A cluster-wide mutex (SET NX PX) shared by every process on the same Redis. The holder
 * renews it every ttl/3, so a holder that dies frees it within one ttl. A renewal that
 * fails (Redis away, or the key expired and someone else took it) marks the lock lost:
 * the holder's next check() throws and withLock() rejects, so work guarded by the lock
 * never carries on unguarded.
 */
@Injectable()
export class ClusterLock {
  private readonly logger = new Logger(ClusterLock.name);

  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {}

  async withLock<T>(name: string, ttlMs: number, waitMs: number, fn: (held: HeldLock) => Promise<T>): Promise<T> {
    const key = `influencer:lock:${name}`;
    const token = `${process.pid}:${Math.random().toString(36).slice(2)}`;
    const deadline = Date.now() + waitMs;
    while ((await this.redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') {
      if (Date.now() > deadline) throw new Error(`lock ${name} is busy`);
      await new Promise((r) => setTimeout(r, 100));
    }
    let lost: string | null = null;
    const renew = setInterval(
      () => {
        this.redis.eval(RENEW, 1, key, token, ttlMs).then(
          (ok) => {
            if (Number(ok) !== 1) lost ??= 'taken over after it expired';
          },
          (err: Error) => {
            lost ??= `renewal failed: ${err.message}`;
          },
        );
      },
      Math.max(100, Math.floor(ttlMs / 3)),
    );
    const held: HeldLock = {
      check: () => {
        if (lost !== null) throw new LockLostError(name, lost);
      },
    };
    try {
      const result = await fn(held);
      held.check();
      return result;
    } finally {
      clearInterval(renew);
      await this.redis
        .eval(RELEASE, 1, key, token)
        .catch((err: Error) => this.logger.warn(`could not release lock ${name}: ${err.message}`));
    }
  }
}
