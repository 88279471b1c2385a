import { ConcurrencyLimiter, NoSlotError } from './concurrency-limiter';

describe('ConcurrencyLimiter', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('hands out `limit` slots at once, then queues; a freed slot goes to the oldest waiter', async () => {
    const limiter = new ConcurrencyLimiter(2, 5);
    const a = await limiter.acquire(1000);
    await limiter.acquire(1000);
    const order: string[] = [];
    const c = limiter.acquire(1000).then((release) => (order.push('c'), release));
    const d = limiter.acquire(1000).then((release) => (order.push('d'), release));
    await Promise.resolve();
    expect(limiter.inUse).toBe(2);
    expect(limiter.queued).toBe(2);
    expect(order).toEqual([]);
    a();
    a(); // a second release of the same slot frees nothing more
    await c;
    expect(order).toEqual(['c']);
    expect(limiter.inUse).toBe(2);
    expect(limiter.queued).toBe(1);
    (await c)();
    await d;
    expect(order).toEqual(['c', 'd']);
  });

  it('refuses at once when the queue is full', async () => {
    const limiter = new ConcurrencyLimiter(1, 1);
    await limiter.acquire(1000);
    void limiter.acquire(1000).catch(() => undefined);
    await expect(limiter.acquire(1000)).rejects.toThrow(NoSlotError);
    const noQueue = new ConcurrencyLimiter(1, 0);
    await noQueue.acquire(1000);
    await expect(noQueue.acquire(1000)).rejects.toThrow(/already waiting/);
  });

  it('gives up a wait after maxWaitMs and leaves the queue', async () => {
    const limiter = new ConcurrencyLimiter(1, 3);
    const release = await limiter.acquire(1000);
    const waiting = limiter.acquire(500);
    const settled = jest.fn();
    waiting.catch(settled);
    await jest.advanceTimersByTimeAsync(499);
    expect(settled).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    await expect(waiting).rejects.toThrow(/within the 500 ms/);
    expect(limiter.queued).toBe(0);
    release();
    expect(limiter.inUse).toBe(0);
  });

  it('does not queue a call that has no time left', async () => {
    const limiter = new ConcurrencyLimiter(1, 3);
    await limiter.acquire(1000);
    await expect(limiter.acquire(0)).rejects.toThrow(/no time is left/);
    expect(limiter.queued).toBe(0);
  });
});
