import { attemptsToCover, backoffStrategies, CAPPED_EXPONENTIAL } from './backoff';

describe('capped exponential backoff', () => {
  const strategy = backoffStrategies[CAPPED_EXPONENTIAL];
  it('doubles from the first delay up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => strategy(n, undefined, { delay: 1000, max: 30_000 }))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 30_000, 30_000,
    ]);
  });

  it('gives enough attempts for the waits to cover the window', () => {
    const attempts = attemptsToCover(600_000, { delay: 1000, max: 30_000 });
    let waited = 0;
    for (let n = 1; n < attempts; n++) waited += strategy(n, undefined, { delay: 1000, max: 30_000 });
    expect(waited).toBeGreaterThanOrEqual(600_000);
    expect(waited - strategy(attempts - 1, undefined, { delay: 1000, max: 30_000 })).toBeLessThan(600_000);
  });
});
