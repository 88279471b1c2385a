import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { cacheCommand, REDIS_CACHE_BUDGET_MS } from './cache-command';

const client = (status: string) => ({ status }) as unknown as Redis;
/** The mock beside the logger that holds it, so the test reads it without a method reference. */
const logger = () => {
  const warn = jest.fn();
  return { log: { warn } as unknown as Logger, warn };
};

describe('cacheCommand', () => {
  it("resolves the command's answer while Redis is connected", async () => {
    await expect(cacheCommand(client('ready'), logger().log, 'read', () => Promise.resolve('v'))).resolves.toBe('v');
  });

  it('does not even send the command while the connection is lost', async () => {
    const work = jest.fn(() => Promise.resolve('v'));
    for (const status of ['reconnecting', 'close', 'end']) {
      await expect(cacheCommand(client(status), logger().log, 'read', work)).resolves.toBeUndefined();
    }
    expect(work).not.toHaveBeenCalled();
  });

  it('gives a client still connecting (start-up) the budget: its first commands count', async () => {
    for (const status of ['connecting', 'connect']) {
      await expect(cacheCommand(client(status), logger().log, 'read', () => Promise.resolve('v'))).resolves.toBe('v');
    }
  });

  it('gives up after the budget on a command Redis does not answer', async () => {
    const started = Date.now();
    const { log, warn } = logger();
    await expect(cacheCommand(client('ready'), log, 'slow read', () => new Promise(() => undefined))).resolves.toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(REDIS_CACHE_BUDGET_MS - 5);
    expect(Date.now() - started).toBeLessThan(REDIS_CACHE_BUDGET_MS * 3);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/slow read .*timed out/));
  });

  it('resolves undefined on an error, warning once per 30 s rather than once per request', async () => {
    const { log, warn } = logger();
    const failing = () => Promise.reject(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'));
    for (let i = 0; i < 3; i++) await expect(cacheCommand(client('ready'), log, 'typed read', failing)).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
