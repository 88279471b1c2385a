import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * The X-API-Key rule, shared by the Nest guard and the plain-express /queues middleware:
 * open when no keys are configured, else 401 without a key and 403 with a wrong one.
 */
export class ApiKeyVerifier {
  // Fixed-length digests: neither the length nor the content of a key leaks through timing.
  private readonly keys: Buffer[];

  constructor(keys: string[]) {
    this.keys = keys.map(digest);
  }

  get enabled(): boolean {
    return this.keys.length > 0;
  }

  verify(header: string | string[] | undefined): void {
    if (!this.enabled) return;
    if (header === undefined || header === '') throw new UnauthorizedException('Missing X-API-Key header');
    if (Array.isArray(header) || !this.matches(header)) throw new ForbiddenException('Invalid API key');
  }

  /** Compares against every key, so the time does not depend on which one matched. */
  private matches(candidate: string): boolean {
    const d = digest(candidate);
    let ok = false;
    for (const k of this.keys) ok = timingSafeEqual(d, k) || ok;
    return ok;
  }
}
