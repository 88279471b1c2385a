import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../core/config/app-config';
import { CircuitBreaker, UpstreamHealth } from './circuit-breaker';
import { ConcurrencyLimiter, NoSlotError } from './concurrency-limiter';
import { LlmDeadlineError, LlmInvalidOutputError, LlmTimeoutError, LlmUnavailableError, LlmUpstreamError } from './llm-errors';

/** A slot usually frees up within one LLM answer; a client told "busy" can come back soon. */
const BUSY_RETRY_AFTER_S = 2;

/**
 * The gate every LLM attempt passes in this process: the circuit breaker first (an open
 * circuit refuses without queueing), then a slot of BRIEF_LLM_CONCURRENCY. Cache hits
 * never get here: the cache interceptor answers them before the handler runs.
 */
@Injectable()
export class LlmGate {
  private readonly logger = new Logger(LlmGate.name);
  private readonly limiter: ConcurrencyLimiter;
  private readonly breaker: CircuitBreaker;

  constructor(config: AppConfig) {
    this.limiter = new ConcurrencyLimiter(config.BRIEF_LLM_CONCURRENCY, config.BRIEF_LLM_QUEUE_MAX);
    this.breaker = new CircuitBreaker(config.BRIEF_BREAKER_THRESHOLD, config.BRIEF_BREAKER_COOLDOWN_MS);
  }

  /** Runs `attempt` once it may, waiting for a slot no later than `deadline` (epoch ms). */
  async run<T>(deadline: number, attempt: () => Promise<T>): Promise<T> {
    const blocked = this.breaker.blockedForMs();
    if (blocked > 0) throw circuitOpen(blocked);
    const release = await this.slot(deadline);
    try {
      // Checked again: the circuit may have opened while this call was queued.
      const admission = this.breaker.admit();
      if ('blockedForMs' in admission) throw circuitOpen(admission.blockedForMs);
      let health: UpstreamHealth = 'unknown';
      let retryAfterMs = 0;
      try {
        const result = await attempt();
        health = 'up';
        return result;
      } catch (err) {
        health = upstreamHealth(err);
        if (err instanceof LlmUpstreamError) retryAfterMs = (err.retryAfterS ?? 0) * 1000;
        throw err;
      } finally {
        if (this.breaker.settle(admission.probe, health, retryAfterMs)) {
          this.logger.warn(`LLM circuit open: upstream failing${retryAfterMs > 0 ? `, asked for ${retryAfterMs} ms` : ''}`);
        }
      }
    } finally {
      release();
    }
  }

  private async slot(deadline: number): Promise<() => void> {
    try {
      return await this.limiter.acquire(deadline - Date.now());
    } catch (err) {
      if (!(err instanceof NoSlotError)) throw err;
      throw new LlmUnavailableError(`the LLM is busy in this process: ${err.message}`, BUSY_RETRY_AFTER_S);
    }
  }
}

function circuitOpen(blockedForMs: number): LlmUnavailableError {
  const s = Math.ceil(blockedForMs / 1000);
  return new LlmUnavailableError(`LLM calls are paused: the circuit is open after upstream failures (retry in ${s} s)`, s);
}

/**
 * Only an unreachable, slow or overloaded upstream counts against the circuit. A server
 * that answers a 4xx or output we cannot use is up: opening the circuit would not help it,
 * it would only turn one bad prompt or key into an outage for every brief.
 */
function upstreamHealth(err: unknown): UpstreamHealth {
  if (err instanceof LlmDeadlineError) return 'unknown'; // cut short by our own budget
  if (err instanceof LlmTimeoutError) return 'down';
  if (err instanceof LlmUpstreamError) return err.status === undefined || err.status === 429 || err.status >= 500 ? 'down' : 'up';
  if (err instanceof LlmInvalidOutputError) return 'up';
  return 'unknown';
}
