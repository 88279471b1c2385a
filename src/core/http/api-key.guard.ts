import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { apiKeys, EnvironmentVariables } from '../config/environment';
import { IS_PUBLIC } from './public.decorator';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** True when `candidate` equals one of `keys`, in time independent of where they differ. */
export function matchesApiKey(candidate: string, keys: Buffer[]): boolean {
  const d = digest(candidate);
  let ok = false;
  for (const k of keys) ok = timingSafeEqual(d, k) || ok;
  return ok;
}

/** X-API-Key check when API_KEYS is set: 401 without a key, 403 with a wrong one. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: Buffer[];

  constructor(
    private readonly reflector: Reflector,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    // Compare fixed-length digests so neither length nor content leaks through timing.
    this.keys = apiKeys({ API_KEYS: config.get('API_KEYS', { infer: true }) }).map(digest);
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.keys.length === 0) return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const req = context.switchToHttp().getRequest<Request>();
    return this.verify(req.headers['x-api-key']);
  }

  /** Shared with the express middleware that guards /queues. */
  verify(header: string | string[] | undefined): true {
    if (this.keys.length === 0) return true;
    if (header === undefined || header === '') throw new UnauthorizedException('Missing X-API-Key header');
    if (Array.isArray(header) || !matchesApiKey(header, this.keys)) throw new ForbiddenException('Invalid API key');
    return true;
  }
}
