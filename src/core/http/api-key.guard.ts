import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { apiKeys, EnvironmentVariables } from '../config/environment';
import { ApiKeyVerifier } from './api-key-verifier';
import { IS_PUBLIC } from './public.decorator';

/** X-API-Key on every route but those marked @Public(), when API_KEYS is set. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly verifier: ApiKeyVerifier;

  constructor(
    private readonly reflector: Reflector,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.verifier = new ApiKeyVerifier(apiKeys({ API_KEYS: config.get('API_KEYS', { infer: true }) }));
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.verifier.enabled) return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    this.verifier.verify(context.switchToHttp().getRequest<Request>().headers['x-api-key']);
    return true;
  }
}
