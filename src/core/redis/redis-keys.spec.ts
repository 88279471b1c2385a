import { validateEnvironment } from '../config/app-config';
import { RedisKeys, redisKey } from './redis-keys';

describe('redisKey / RedisKeys', () => {
  it('puts the prefix first and joins the parts with colons', () => {
    expect(redisKey('p', 'top', 'c1', 'version')).toBe('p:top:c1:version');
    expect(redisKey('p', 'upload', 'u1', 3)).toBe('p:upload:u1:3');
  });

  it('takes its prefix from QUEUE_PREFIX', () => {
    const keys = new RedisKeys(validateEnvironment({ QUEUE_PREFIX: 'tenant-a' }));
    expect(keys.prefix).toBe('tenant-a');
    expect(keys.key('brief', 'abc')).toBe('tenant-a:brief:abc');
  });
});
