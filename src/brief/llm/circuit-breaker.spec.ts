import { CircuitBreaker } from './circuit-breaker';

describe('CircuitBreaker', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  const fail = (b: CircuitBreaker, times: number, retryAfterMs = 0) => {
    let opened = false;
    for (let i = 0; i < times; i++) opened = b.settle(false, 'down', retryAfterMs) || opened;
    return opened;
  };

  it('opens after `threshold` consecutive failures, for the cool-down', () => {
    const b = new CircuitBreaker(3, 30_000);
    expect(fail(b, 2)).toBe(false);
    expect(b.admit()).toEqual({ probe: false });
    expect(fail(b, 1)).toBe(true);
    expect(b.admit()).toEqual({ blockedForMs: 30_000 });
    jest.advanceTimersByTime(29_999);
    expect(b.blockedForMs()).toBe(1);
  });

  it('starts counting again after a success', () => {
    const b = new CircuitBreaker(3, 30_000);
    fail(b, 2);
    b.settle(false, 'up');
    fail(b, 2);
    expect(b.blockedForMs()).toBe(0);
  });

  it('ignores calls whose outcome says nothing about the upstream', () => {
    const b = new CircuitBreaker(2, 30_000);
    fail(b, 1);
    b.settle(false, 'unknown');
    expect(fail(b, 1)).toBe(true);
  });

  it('after the cool-down lets exactly one probe through; its success closes the circuit', () => {
    const b = new CircuitBreaker(1, 1000);
    fail(b, 1);
    jest.advanceTimersByTime(1000);
    expect(b.admit()).toEqual({ probe: true });
    expect(b.admit()).toEqual({ blockedForMs: expect.any(Number) });
    b.settle(true, 'up');
    expect(b.admit()).toEqual({ probe: false });
    expect(b.admit()).toEqual({ probe: false });
  });

  it('re-opens for another cool-down when the probe fails, and frees the probe when its outcome is unknown', () => {
    const b = new CircuitBreaker(1, 1000);
    fail(b, 1);
    jest.advanceTimersByTime(1000);
    expect(b.admit()).toEqual({ probe: true });
    expect(b.settle(true, 'down')).toBe(true);
    expect(b.blockedForMs()).toBe(1000);
    jest.advanceTimersByTime(1000);
    expect(b.admit()).toEqual({ probe: true });
    b.settle(true, 'unknown');
    expect(b.admit()).toEqual({ probe: true });
  });

  it("opens at once for a 429's Retry-After, below the threshold too, and for longer than the cool-down if asked", () => {
    const b = new CircuitBreaker(5, 1000);
    expect(fail(b, 1, 20_000)).toBe(true);
    expect(b.blockedForMs()).toBe(20_000);
    const c = new CircuitBreaker(1, 1000);
    fail(c, 1, 60_000);
    expect(c.blockedForMs()).toBe(60_000);
  });

  it('does not open for a Retry-After of 0 below the threshold', () => {
    const b = new CircuitBreaker(5, 1000);
    expect(fail(b, 1, 0)).toBe(false);
    expect(b.blockedForMs()).toBe(0);
  });
});
