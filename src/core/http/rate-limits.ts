import { ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail, ThrottlerModuleOptions } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { AppConfig } from '../config/app-config';

const RATE_LIMIT_GROUP = 'rateLimitGroup';
type Group = 'brief' | 'ingest';

/** Puts a route under a stricter limit of its own (on top of the default one). */
export const RateLimitGroup = (group: Group) => SetMetadata(RATE_LIMIT_GROUP, group);

const outside = (group: Group) => (ctx: ExecutionContext) => Reflect.getMetadata(RATE_LIMIT_GROUP, ctx.getHandler()) !== group;

/**
 * Per client IP, route and minute: RATE_LIMIT_PER_MIN on every route, and the stricter
 * BRIEF_/INGEST_RATE_LIMIT_PER_MIN on the routes that cost an LLM call or a file.
 * Over a limit the answer is 429 with Retry-After (seconds).
 */
export function rateLimits(
  env: Pick<AppConfig, 'RATE_LIMIT_PER_MIN' | 'BRIEF_RATE_LIMIT_PER_MIN' | 'INGEST_RATE_LIMIT_PER_MIN'>,
): ThrottlerModuleOptions {
  return {
    throttlers: [
      { name: 'default', ttl: 60_000, limit: env.RATE_LIMIT_PER_MIN },
      { name: 'brief', ttl: 60_000, limit: env.BRIEF_RATE_LIMIT_PER_MIN, skipIf: outside('brief') },
      { name: 'ingest', ttl: 60_000, limit: env.INGEST_RATE_LIMIT_PER_MIN, skipIf: outside('ingest') },
    ],
    errorMessage: 'Too many requests: slow down and retry after the number of seconds in the Retry-After header',
  };
}

const counted = new WeakSet<Request>();

/**
 * The throttler names its header Retry-After-<name> for named limits; clients and
 * proxies understand only Retry-After, so every 429 carries that too.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  /** The API-key guard counts the requests it refuses; whichever guard sees a request first counts it, once. */
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    if (counted.has(req)) return true;
    counted.add(req);
    return super.canActivate(context);
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const res = context.switchToHttp().getResponse<Response>();
    if (!res.headersSent) res.setHeader('Retry-After', String(Math.max(1, Math.ceil(detail.timeToBlockExpire))));
    return super.throwThrottlingException(context, detail);
  }
}
