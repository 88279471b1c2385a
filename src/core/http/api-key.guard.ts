import { CanActivate, ExecutionContext, Injectable, OnModuleInit } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectThrottlerOptions, InjectThrottlerStorage, ThrottlerModuleOptions, ThrottlerStorage } from '@nestjs/throttler';
import type { Request } from 'express';
import { apiKeys, AppConfig } from '../config/app-config';
import { ApiKeyVerifier } from './api-key-verifier';
import { IS_PUBLIC } from './public.decorator';
import { RateLimitGuard } from './rate-limits';

/** X-API-Key on every route but those marked @Public(), when API_KEYS is set. */
@Injectable()
export class ApiKeyGuard implements CanActivate, OnModuleInit {
  private readonly verifier: ApiKeyVerifier;
  /**
   * A refused request never reaches the global rate-limit guard (Nest stops at the first
   * guard that throws), so it is counted here: guessing keys is limited like any traffic.
   */
  private readonly rateLimit: RateLimitGuard;

  constructor(
    private readonly reflector: Reflector,
    config: AppConfig,
    @InjectThrottlerOptions() throttlerOptions: ThrottlerModuleOptions,
    @InjectThrottlerStorage() throttlerStorage: ThrottlerStorage,
  ) {
    this.verifier = new ApiKeyVerifier(apiKeys(config));
    this.rateLimit = new RateLimitGuard(throttlerOptions, throttlerStorage, reflector);
  }

  onModuleInit(): Promise<void> {
    return this.rateLimit.onModuleInit();
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.verifier.enabled) return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    try {
      this.verifier.verify(context.switchToHttp().getRequest<Request>().headers['x-api-key']);
    } catch (refused) {
      // Over the limit, the answer is 429 rather than 401/403: no more guesses are judged.
      await this.rateLimit.canActivate(context);
      throw refused;
    }
    return true;
  }
}
