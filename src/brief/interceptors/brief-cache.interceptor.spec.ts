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
  /** What analytics says the campaigns' data versions are now (absent: Redis cannot tell). */
  const versions = new Map<string, string>();
  const briefs = { modelName: 'm', campaignDataVersion: jest.fn((id: string) => Promise.resolve(versions.get(id) ?? null)) };
  const interceptor = new BriefCacheInterceptor(cache, briefs as unknown as BriefService, validateEnvironment({ BRIEF_CACHE_TTL_S: ttlS }));
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
  return { cache, handler, send, versions, briefs };
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

  describe('with a campaignId', () => {
    const CAMPAIGN = { ...BODY, campaignId: 'c1' };

    it("serves a repeat while the campaign's data version stays, and calls through once it changes", async () => {
      const { handler, send, versions, briefs } = setUp();
      versions.set('c1', '4');
      handler.mockResolvedValueOnce({ caption: 'v4' }).mockResolvedValueOnce({ caption: 'v5' });
      await expect(send(CAMPAIGN)).resolves.toEqual({ result: { caption: 'v4' }, cache: 'MISS' });
      await expect(send(CAMPAIGN)).resolves.toEqual({ result: { caption: 'v4' }, cache: 'HIT' });
      versions.set('c1', '5');
      await expect(send(CAMPAIGN)).resolves.toEqual({ result: { caption: 'v5' }, cache: 'MISS' });
      expect(briefs.campaignDataVersion).toHaveBeenCalledWith('c1');
      expect(handler).toHaveBeenCalledTimes(2);
    });

    it('is a brief of its own: not the one without the campaign, nor the one of another campaign', async () => {
      const { handler, send, versions } = setUp();
      versions.set('c1', '1').set('c2', '1');
      handler.mockResolvedValue({ caption: 'x' });
      await send(BODY);
      await expect(send(CAMPAIGN)).resolves.toMatchObject({ cache: 'MISS' });
      await expect(send({ ...BODY, campaignId: 'c2' })).resolves.toMatchObject({ cache: 'MISS' });
      expect(handler).toHaveBeenCalledTimes(3);
    });

    it('neither reads nor keeps a brief while the data version cannot be read', async () => {
      const { cache, handler, send } = setUp();
      const get = jest.spyOn(cache, 'get');
      const set = jest.spyOn(cache, 'set');
      handler.mockResolvedValue({ caption: 'uncached' });
      await expect(send(CAMPAIGN)).resolves.toEqual({ result: { caption: 'uncached' }, cache: 'MISS' });
      await expect(send(CAMPAIGN)).resolves.toMatchObject({ cache: 'MISS' });
      expect(handler).toHaveBeenCalledTimes(2);
      expect(get).not.toHaveBeenCalled();
      expect(set).not.toHaveBeenCalled();
    });

    it('never reads a version for a request without one', async () => {
      const { handler, send, briefs } = setUp();
      handler.mockResolvedValue({ caption: 'plain' });
      await send(BODY);
      expect(briefs.campaignDataVersion).not.toHaveBeenCalled();
    });
  });
});
