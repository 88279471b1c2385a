import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import type { Request, Response } from 'express';
import { from, lastValueFrom, Observable } from 'rxjs';
import { AppConfig } from '../../core/config/app-config';
import { PROMPT_VERSION } from '../brief-options';
import { BriefService } from '../brief.service';
import { GenerateBriefDto } from '../dto/generate-brief.dto';
import { createValidationPipe } from '../../core/http/validation';
import { briefCacheKey } from './brief-cache-key';

/**
 * Serves identical briefs from the cache manager (Redis, BriefModule) for BRIEF_CACHE_TTL_S
 * (header X-Cache: HIT|MISS). Only successes are stored. Concurrent identical misses in this
 * process share one upstream call. A Redis that cannot answer within the cache budget is a
 * miss and a write that did not happen (RedisKeyvStore), so with Redis down or slow the
 * request is served uncached, not failed.
 */
@Injectable()
export class BriefCacheInterceptor implements NestInterceptor {
  private readonly ttlMs: number;
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly validation = createValidationPipe();

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    private readonly briefs: BriefService,
    config: AppConfig,
  ) {
    this.ttlMs = config.BRIEF_CACHE_TTL_S * 1000;
  }

  intercept(ctx: ExecutionContext, next: CallHandler<unknown>): Observable<unknown> {
    return from(this.serve(ctx.switchToHttp().getRequest<Request>(), ctx.switchToHttp().getResponse<Response>(), next));
  }

  /** null: the request names a campaign whose data version is unknown right now. */
  private async keyOf(body: GenerateBriefDto): Promise<string | null> {
    if (body.campaignId === undefined) return briefCacheKey({ ...body }, this.briefs.modelName, PROMPT_VERSION);
    const version = await this.briefs.campaignDataVersion(body.campaignId);
    return version === null ? null : briefCacheKey({ ...body }, this.briefs.modelName, PROMPT_VERSION, version);
  }

  private async serve(req: Request, res: Response, next: CallHandler<unknown>): Promise<unknown> {
    // Interceptors run before pipes: validate here, or a cached brief would answer a
    // request the endpoint must refuse (an unknown field, say). The route's pipe then
    // sees an already-valid DTO.
    const body = (await this.validation.transform(req.body, { type: 'body', metatype: GenerateBriefDto })) as GenerateBriefDto;
    req.body = body;
    const key = await this.keyOf(body);
    if (key === null) {
      // The campaign's data version cannot be read (Redis away): a cached brief could be stale, so none is read or kept.
      res.setHeader('X-Cache', 'MISS');
      return lastValueFrom(next.handle());
    }
    if (this.ttlMs > 0) {
      const hit = await this.cache.get(key);
      if (hit !== undefined) {
        res.setHeader('X-Cache', 'HIT');
        return hit;
      }
    }
    res.setHeader('X-Cache', 'MISS');
    let shared = this.inFlight.get(key);
    if (!shared) {
      shared = lastValueFrom(next.handle()).then(async (brief) => {
        if (this.ttlMs > 0) await this.cache.set(key, brief, this.ttlMs);
        return brief;
      });
      this.inFlight.set(key, shared);
      void shared.finally(() => this.inFlight.delete(key)).catch(() => undefined);
    }
    return shared;
  }
}
