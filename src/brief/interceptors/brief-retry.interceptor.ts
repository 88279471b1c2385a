import {
  BadGatewayException,
  CallHandler,
  ExecutionContext,
  GatewayTimeoutException,
  Injectable,
  Logger,
  NestInterceptor,
} from '@nestjs/common';
import type { Request } from 'express';
import { catchError, defer, Observable, retry, throwError, timer } from 'rxjs';
import { AppConfig } from '../../core/config/app-config';
import {
  LlmDeadlineError,
  LlmError,
  LlmInvalidOutputError,
  LlmTimeoutError,
  LlmUnavailableError,
  LlmUpstreamError,
} from '../llm/llm-errors';
import { fullJitterDelay } from './backoff';
import { setBriefDeadline } from './brief-deadline';
import { RetryLaterException } from './retry-later';

const BASE_DELAY_MS = 250;
const MAX_DELAY_MS = 8000;

/**
 * Re-runs the handler on retryable LLM failures (timeouts, 429, 5xx, invalid output)
 * with full-jitter exponential backoff, honouring Retry-After; never retries 4xx
 * caused by the request or the credentials. All attempts and waits share one
 * BRIEF_DEADLINE_MS: a wait that would pass it ends the request at once. After the
 * last attempt: 502 or 504; refused by the LlmGate or told to wait too long: 503.
 */
@Injectable()
export class BriefRetryInterceptor implements NestInterceptor {
  private readonly logger = new Logger(BriefRetryInterceptor.name);
  private readonly attempts: number;
  private readonly deadlineMs: number;

  constructor(config: AppConfig) {
    this.attempts = config.LLM_MAX_ATTEMPTS;
    this.deadlineMs = config.BRIEF_DEADLINE_MS;
  }

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    return defer(() => {
      const deadline = Date.now() + this.deadlineMs;
      setBriefDeadline(ctx.switchToHttp().getRequest<Request>(), deadline);
      let made = 1;
      return defer(() => next.handle()).pipe(
        retry({
          count: this.attempts - 1,
          delay: (err: unknown) => {
            if (!(err instanceof LlmError) || !err.retryable) return throwError(() => err);
            const asked = err instanceof LlmUpstreamError && err.retryAfterS !== undefined ? err.retryAfterS * 1000 : 0;
            const wait = Math.max(fullJitterDelay(made - 1, BASE_DELAY_MS, MAX_DELAY_MS), asked);
            const left = deadline - Date.now();
            if (asked > 0 && asked >= left) {
              const s = Math.ceil(asked / 1000);
              return throwError(() => new LlmUnavailableError(`the LLM asked to wait ${s} s, past this brief's deadline`, s));
            }
            if (wait >= left) return throwError(() => new LlmDeadlineError(`after ${made} attempt(s); the last: ${err.message}`));
            this.logger.warn(`LLM attempt ${made}/${this.attempts} failed (${err.message}); retrying in ${wait} ms`);
            made++;
            return timer(wait);
          },
        }),
        catchError((err: unknown) => throwError(() => this.toHttp(err, made))),
      );
    });
  }

  private toHttp(err: unknown, made: number): unknown {
    if (!(err instanceof LlmError)) return err;
    if (err instanceof LlmUnavailableError) return new RetryLaterException(`No brief right now: ${err.message}`, err.retryAfterS);
    if (err instanceof LlmDeadlineError)
      return new GatewayTimeoutException(`No brief within the deadline of ${this.deadlineMs} ms: ${err.message}`);
    const tries = err.retryable ? `after ${made} attempt(s)` : '(not retried)';
    if (err instanceof LlmTimeoutError) return new GatewayTimeoutException(`The LLM did not answer in time ${tries}`);
    if (err instanceof LlmInvalidOutputError) return new BadGatewayException(`The LLM returned an unusable brief ${tries}: ${err.message}`);
    return new BadGatewayException(`The LLM request failed ${tries}: ${err.message}`);
  }
}
