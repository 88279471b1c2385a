import {
  BadGatewayException,
  CallHandler,
  ExecutionContext,
  GatewayTimeoutException,
  Injectable,
  Logger,
  NestInterceptor,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { catchError, defer, Observable, retry, throwError, timer } from 'rxjs';
import { EnvironmentVariables } from '../../core/config/environment';
import { LlmError, LlmInvalidOutputError, LlmTimeoutError, LlmUpstreamError } from '../llm/llm-errors';
import { fullJitterDelay } from './backoff';

const BASE_DELAY_MS = 250;
const MAX_DELAY_MS = 8000;

/**
 * Re-runs the handler on retryable LLM failures (timeouts, 429, 5xx, invalid output)
 * with full-jitter exponential backoff, honouring Retry-After; never retries 4xx
 * caused by the request or the credentials. After the last attempt: 502 or 504.
 */
@Injectable()
export class BriefRetryInterceptor implements NestInterceptor {
  private readonly logger = new Logger(BriefRetryInterceptor.name);
  private readonly attempts: number;

  constructor(config: ConfigService<EnvironmentVariables, true>) {
    this.attempts = config.get('LLM_MAX_ATTEMPTS', { infer: true });
  }

  intercept(_ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    return defer(() => next.handle()).pipe(
      retry({
        count: this.attempts - 1,
        delay: (err: unknown, retryCount: number) => {
          if (!(err instanceof LlmError) || !err.retryable) return throwError(() => err);
          const backoff = fullJitterDelay(retryCount - 1, BASE_DELAY_MS, MAX_DELAY_MS);
          const asked = err instanceof LlmUpstreamError && err.retryAfterS !== undefined ? Math.min(err.retryAfterS * 1000, 30_000) : 0;
          const wait = Math.max(backoff, asked);
          this.logger.warn(`LLM attempt ${retryCount}/${this.attempts} failed (${err.message}); retrying in ${wait} ms`);
          return timer(wait);
        },
      }),
      catchError((err: unknown) => throwError(() => this.toHttp(err))),
    );
  }

  private toHttp(err: unknown): unknown {
    if (!(err instanceof LlmError)) return err;
    const tries = err.retryable ? `after ${this.attempts} attempt(s)` : '(not retried)';
    if (err instanceof LlmTimeoutError) return new GatewayTimeoutException(`The LLM did not answer in time ${tries}`);
    if (err instanceof LlmInvalidOutputError) return new BadGatewayException(`The LLM returned an unusable brief ${tries}: ${err.message}`);
    return new BadGatewayException(`The LLM request failed ${tries}: ${err.message}`);
  }
}
