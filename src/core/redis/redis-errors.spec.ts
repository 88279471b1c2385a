import { isRedisUnavailable } from './redis-errors';

describe('isRedisUnavailable', () => {
  it('is true for the errors ioredis raises while Redis is away', () => {
    const maxRetries = Object.assign(new Error('Reached the max retries per request limit (which is 2).'), {
      name: 'MaxRetriesPerRequestError',
    });
    expect(isRedisUnavailable(maxRetries)).toBe(true);
    expect(isRedisUnavailable(new Error('Connection is closed.'))).toBe(true);
    expect(isRedisUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6389'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isRedisUnavailable(new Error("Stream isn't writeable and enableOfflineQueue options is false"))).toBe(true);
  });

  it('is false for errors Redis answered, and for anything else', () => {
    expect(isRedisUnavailable(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'))).toBe(false);
    expect(isRedisUnavailable(new Error('OOM command not allowed when used memory > maxmemory'))).toBe(false);
    expect(isRedisUnavailable(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe(false);
    expect(isRedisUnavailable(null)).toBe(false);
  });
});
