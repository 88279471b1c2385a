import { Injectable, Logger } from '@nestjs/common';
import OpenAI, { type APIError } from 'openai';
import { AppConfig } from '../../core/config/app-config';
import { LLM_BRIEF_JSON_SCHEMA, LlmBrief, parseLlmBrief } from './brief-schema';
import { LlmDeadlineError, LlmError, LlmInvalidOutputError, LlmTimeoutError, LlmUpstreamError } from './llm-errors';
import { LlmGate } from './llm-gate';

/**
 * One attempt at an OpenAI-compatible chat completion (OpenAI, OpenRouter, Ollama, vLLM…).
 * The SDK's own retries are off: BriefRetryInterceptor is the single retry policy.
 * Every attempt passes the LlmGate (concurrency cap, circuit breaker).
 */
@Injectable()
export class LlmClient {
  private readonly logger = new Logger(LlmClient.name);
  private readonly client: OpenAI | null;
  readonly model: string;
  private readonly timeoutMs: number;
  /** Servers without json_schema support get json_object after their first refusal. */
  private structuredOutputs = true;

  constructor(
    config: AppConfig,
    private readonly gate: LlmGate,
  ) {
    const apiKey = config.OPENAI_API_KEY;
    this.model = config.LLM_MODEL;
    this.timeoutMs = config.LLM_TIMEOUT_MS;
    this.client = apiKey
      ? new OpenAI({
          apiKey,
          baseURL: config.OPENAI_BASE_URL || undefined,
          // Our own timer (below) is authoritative; the SDK's is a backstop.
          timeout: config.LLM_TIMEOUT_MS + 1000,
          maxRetries: 0,
        })
      : null;
  }

  get configured(): boolean {
    return this.client !== null;
  }

  /** One attempt, finished by `deadline` (epoch ms) at the latest. */
  complete(system: string, user: string, deadline: number): Promise<LlmBrief> {
    const client = this.client;
    if (!client) return Promise.reject(new Error('no LLM configured'));
    return this.gate.run(deadline, () => this.attempt(client, system, user, deadline));
  }

  private async attempt(client: OpenAI, system: string, user: string, deadline: number): Promise<LlmBrief> {
    // Measured after the wait for a slot: the queue spends the same budget.
    const left = deadline - Date.now();
    if (left <= 0) throw new LlmDeadlineError('no time was left for another LLM attempt');
    const timeoutMs = Math.min(this.timeoutMs, left);
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      const res = await client.chat.completions.create(
        {
          model: this.model,
          temperature: 0.7,
          messages: [
            { role: 'system', content: system },
            { role: 'user', content: user },
          ],
          response_format: this.structuredOutputs
            ? {
                type: 'json_schema',
                json_schema: {
                  name: 'influencer_brief',
                  strict: true,
                  schema: LLM_BRIEF_JSON_SCHEMA,
                },
              }
            : { type: 'json_object' },
        },
        { signal: abort.signal },
      );
      return parseLlmBrief(res.choices[0]?.message?.content);
    } catch (err) {
      // Decided by our own timer: how an aborted fetch surfaces differs between runtimes.
      if (abort.signal.aborted) {
        // Cut short by the deadline is our budget running out, not the LLM being slow.
        if (timeoutMs < this.timeoutMs) throw new LlmDeadlineError(`the last LLM attempt was cut short at ${timeoutMs} ms`);
        throw new LlmTimeoutError(`the LLM did not answer within ${this.timeoutMs} ms`);
      }
      throw this.classify(err);
    } finally {
      clearTimeout(timer);
    }
  }

  private classify(err: unknown): Error {
    if (err instanceof LlmError) return err;
    if (err instanceof OpenAI.APIConnectionTimeoutError || (err instanceof Error && /timed? ?out/i.test(err.message))) {
      return new LlmTimeoutError('the LLM did not answer in time');
    }
    if (err instanceof SyntaxError) return new LlmInvalidOutputError('the LLM returned a body that is not valid JSON');
    if (err instanceof OpenAI.APIError) {
      // instanceof on the generic class leaves its type parameters `any`; these are its defaults.
      const apiError = err as APIError;
      const status = apiError.status;
      if (status === 400 && this.structuredOutputs && /response_format|json_schema/i.test(apiError.message)) {
        this.logger.warn('LLM server refused json_schema; using json_object from now on');
        this.structuredOutputs = false;
        return new LlmUpstreamError('the LLM server does not support json_schema output; retrying with json_object', 503);
      }
      const retryAfter = Number(apiError.headers?.get?.('retry-after'));
      return new LlmUpstreamError(
        status === undefined ? `could not reach the LLM (${apiError.message})` : `the LLM answered HTTP ${status}`,
        status,
        Number.isFinite(retryAfter) ? retryAfter : undefined,
      );
    }
    return new LlmUpstreamError(`could not reach the LLM (${err instanceof Error ? err.message : String(err)})`, undefined);
  }
}
