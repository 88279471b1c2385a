import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EnvironmentVariables } from '../../core/config/environment';
import { ConcurrencyLimiter, NoSlotError } from './concurrency-limiter';
import { LlmUnavailableError } from './llm-errors';

/** A slot usually frees up within one LLM answer; a client told "busy" can come back soon. */
const BUSY_RETRY_AFTER_S = 2;

/**
 * The gate every LLM attempt passes in this process: a slot of BRIEF_LLM_CONCURRENCY.
 * Cache hits never get here: the cache interceptor answers them before the handler runs.
 */
@Injectable()
export class LlmGate {
  private readonly limiter: ConcurrencyLimiter;

  constructor(config: ConfigService<EnvironmentVariables, true>) {
    this.limiter = new ConcurrencyLimiter(
      config.get('BRIEF_LLM_CONCURRENCY', { infer: true }),
      config.get('BRIEF_LLM_QUEUE_MAX', { infer: true }),
    );
  }

  /** Runs `attempt` once it may, waiting for a slot no later than `deadline` (epoch ms). */
  async run<T>(deadline: number, attempt: () => Promise<T>): Promise<T> {
    const release = await this.slot(deadline);
    try {
      return await attempt();
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
