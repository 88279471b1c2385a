import { ArgumentsHost, Catch, ServiceUnavailableException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';

/** 503 that tells the client when to come back. */
export class RetryLaterException extends ServiceUnavailableException {
  constructor(
    message: string,
    readonly retryAfterS: number,
  ) {
    super(message);
  }
}

/**
 * Sets Retry-After on every response a RetryLaterException ends. A filter rather than the
 * interceptor: requests sharing one upstream call (single-flight) each get the header.
 */
@Catch(RetryLaterException)
export class RetryAfterFilter extends BaseExceptionFilter {
  override catch(exception: RetryLaterException, host: ArgumentsHost): void {
    host
      .switchToHttp()
      .getResponse<Response>()
      .setHeader('Retry-After', String(Math.max(1, Math.ceil(exception.retryAfterS))));
    super.catch(exception, host);
  }
}
