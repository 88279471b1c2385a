import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { Cache, createCache } from 'cache-manager';
import { defer, lastValueFrom } from 'rxjs';
import { validateEnvironment } from '../../core/config/app-config';
import type { BriefService } from '../brief.service';
import { BriefCacheInterceptor } from './brief-cache.interceptor';

const BODY = { brand: 'Glow Labs', product: 'Vitamin C serum', goal: 'awareness', platform: 'tiktok' };

/**
 * The interceptor on a real cache manager (cache-manager's in-memory Keyv: the Redis store
 * has its own suite, test/core/redis-keyv-store) with the route's handler a mock.
 */
function setUp(ttlS = '300') {
  const cache: Cache = createCache();
  const interceptor = new BriefCacheInterceptor(
    cache,
    { modelName: 'm' } as BriefService,
    validateEnvironment({ BRIEF_CACHE_TTL_S: ttlS }),
  );
  const handler = jest.fn<Promise<unknown>, []>();
  const next: CallHandler = { handle: () => defer(() => handler()) };
  const send = async (body: object) => {
    const headers: Record<string, string> = {};
    const ctx = {
      switchToHttp: () => ({
        getRequest: () => ({ body: { ...body } }),
        getResponse: () => ({ setHeader: (name: string, value: string) => (headers[name] = value) }),
      }),
    } as unknown as ExecutionContext;
    const result = await lastValueFrom(interceptor.intercept(ctx, next));
    return { result, cache: headers['X-Cache'] };
  };
  return { cache, handler, send };
}

describe('BriefCacheInterceptor', () => {
  it('answers a repeat of the same request, however it is spelled, from the cache manager', async () => {
    const { handler, send } = setUp();
    handler.mockResolvedValue({ caption: 'one' });
    await expect(send(BODY)).resolves.toEqual({ result: { caption: 'one' }, cache: 'MISS' });
    const noisy = { platform: 'TikTok ', goal: ' AWARENESS', product: 'vitamin  c serum', brand: 'GLOW LABS' };
    await expect(send(noisy)).resolves.toEqual({ result: { caption: 'one' }, cache: 'HIT' });
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('shares one call among identical misses in flight', async () => {
    const { handler, send } = setUp();
    let finish: (v: unknown) => void = () => undefined;
    handler.mockReturnValue(new Promise((r) => (finish = r)));
    const all = Promise.all([send(BODY), send(BODY), send(BODY)]);
    await new Promise((r) => setImmediate(r));
    finish({ caption: 'shared' });
    expect((await all).map((r) => r.cache)).toEqual(['MISS', 'MISS', 'MISS']);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('never stores a failure: the next identical request calls through again', async () => {
    const { handler, send } = setUp();
    handler.mockRejectedValueOnce(new Error('upstream 500')).mockResolvedValueOnce({ caption: 'later' });
    await expect(send(BODY)).rejects.toThrow('upstream 500');
    await expect(send(BODY)).resolves.toEqual({ result: { caption: 'later' }, cache: 'MISS' });
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it('with BRIEF_CACHE_TTL_S=0 neither reads nor writes the cache', async () => {
    const { cache, handler, send } = setUp('0');
    const get = jest.spyOn(cache, 'get');
    const set = jest.spyOn(cache, 'set');
    handler.mockResolvedValue({ caption: 'fresh' });
    await send(BODY);
    await expect(send(BODY)).resolves.toMatchObject({ cache: 'MISS' });
    expect(handler).toHaveBeenCalledTimes(2);
    expect(get).not.toHaveBeenCalled();
    expect(set).not.toHaveBeenCalled();
  });

  it('refuses an invalid body before looking in the cache', async () => {
    const { cache, send } = setUp();
    const get = jest.spyOn(cache, 'get');
    await expect(send({ ...BODY, extra: 'field' })).rejects.toMatchObject({ status: 400 });
    expect(get).not.toHaveBeenCalled();
  });
});
