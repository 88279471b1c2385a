import { Injectable, Logger } from '@nestjs/common';
import OpenAI, { type APIError } from 'openai';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { AppConfig } from '../../core/config/app-config';
import { LLM_BRIEF_JSON_SCHEMA, LLM_BRIEF_MAX_TOKENS, LlmBrief, parseLlmBrief } from './brief-schema';
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
  /** Servers without json_schema support get json_object after their first refusal (kept for the process). */
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
      let res: ChatCompletion;
      try {
        res = await this.request(client, system, user, abort.signal);
      } catch (err) {
        if (!this.refusedJsonSchema(err)) throw err;
        // A capability, not a failure: the same attempt asks again at once in the form the
        // server takes, so neither the circuit breaker nor the retry budget sees the refusal.
        this.logger.warn('LLM server refused json_schema output; using json_object from now on');
        this.structuredOutputs = false;
        res = await this.request(client, system, user, abort.signal);
      }
      const choice = res.choices[0];
      if (choice?.finish_reason === 'length') {
        throw new LlmInvalidOutputError(`the model's answer was cut at max_tokens (${LLM_BRIEF_MAX_TOKENS})`);
      }
      return parseLlmBrief(choice?.message?.content);
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

  private request(client: OpenAI, system: string, user: string, signal: AbortSignal): Promise<ChatCompletion> {
    return client.chat.completions.create(
      {
        model: this.model,
        temperature: 0.7,
        // Sized from the schema: a model that runs on inside a string stops here, not at the deadline.
        max_tokens: LLM_BRIEF_MAX_TOKENS,
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: user },
        ],
        response_format: this.structuredOutputs
          ? { type: 'json_schema', json_schema: { name: 'influencer_brief', strict: true, schema: LLM_BRIEF_JSON_SCHEMA } }
          : { type: 'json_object' },
      },
      { signal },
    );
  }

  /** A 400 about the response format while json_schema is in use: the server does not support it. */
  private refusedJsonSchema(err: unknown): boolean {
    return (
      this.structuredOutputs &&
      err instanceof OpenAI.APIError &&
      (err as APIError).status === 400 &&
      /response_format|json_schema/i.test((err as APIError).message)
    );
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
