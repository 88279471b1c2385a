import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';
import { isDatabaseUnavailable } from '../database/mongo-errors';
import { isRedisUnavailable } from '../redis/redis-errors';

export type Dependency = 'database' | 'redis';

/**
 * Whole seconds a client is asked to wait on a 503: about the database's server-selection
 * timeout (DatabaseModule) and Redis's reconnect interval (RedisModule), so that a retry
 * after it meets a dependency that has had the time to come back or to be found away again.
 */
export const RETRY_AFTER_S = 5;

const MESSAGES: Record<Dependency, string> = {
  database: 'The database is unavailable; try again shortly',
  redis: 'Redis is unavailable; try again shortly',
};

/**
 * A dependency that cannot be reached, with what the caller could still tell the client
 * (`detail`, merged into the 503 body: only values of ours, never the driver's words).
 */
export class DependencyUnavailableError extends Error {
  constructor(
    readonly dependency: Dependency,
    readonly detail: Record<string, unknown> = {},
    options?: ErrorOptions,
  ) {
    super(MESSAGES[dependency], options);
    this.name = 'DependencyUnavailableError';
  }
}

/** Which dependency an error says is away: the drivers' own errors, or ours. */
export function unavailableDependency(err: unknown): Dependency | null {
  if (err instanceof DependencyUnavailableError) return err.dependency;
  if (isDatabaseUnavailable(err)) return 'database';
  if (isRedisUnavailable(err)) return 'redis';
  return null;
}

/**
 * What a client is told about an error, and only this: the message of an HTTP error of
 * ours, a fixed sentence for a dependency that is away, "Internal server error" for the
 * rest. For the places that answer outside the exception filters (an open event stream).
 */
export function clientError(err: unknown): { status: number; message: string } {
  const dependency = unavailableDependency(err);
  if (dependency) return { status: HttpStatus.SERVICE_UNAVAILABLE, message: MESSAGES[dependency] };
  if (err instanceof HttpException && !(err.getResponse() instanceof Error)) return { status: err.getStatus(), message: err.message };
  return { status: HttpStatus.INTERNAL_SERVER_ERROR, message: 'Internal server error' };
}

/**
 * The one place where "a dependency is away" becomes an answer: 503 with Retry-After and
 * a fixed message, never the driver's (it names hosts and ports). Any other 503 of ours (a
 * queue that cannot take work) gets the Retry-After too, unless it set its own. The
 * rest is Nest's default handling. Registered globally (configureHttpApp); a filter of a
 * route's own (the brief's RetryAfterFilter) takes precedence.
 */
@Catch()
export class DependencyUnavailableFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('DependencyUnavailable');

  override catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return super.catch(exception, host);
    const res = host.switchToHttp().getResponse<Response>();
    const dependency = unavailableDependency(exception);
    if (dependency) {
      const cause = exception instanceof DependencyUnavailableError ? exception.cause : exception;
      this.logger.warn(`${dependency} unavailable: ${(cause as Error)?.message ?? String(cause)}`);
      const detail = exception instanceof DependencyUnavailableError ? exception.detail : {};
      const body = { statusCode: HttpStatus.SERVICE_UNAVAILABLE, error: 'Service Unavailable', message: MESSAGES[dependency], ...detail };
      exception = new HttpException(body, HttpStatus.SERVICE_UNAVAILABLE, { cause });
    }
    if (exception instanceof HttpException && exception.getStatus() === 503 && !res.headersSent && !res.hasHeader('Retry-After')) {
      res.setHeader('Retry-After', String(RETRY_AFTER_S));
    }
    super.catch(exception, host);
  }
}
