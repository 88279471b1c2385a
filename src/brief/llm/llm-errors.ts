/** Failures of one LLM attempt, classified for the retry policy. */
export abstract class LlmError extends Error {
  abstract readonly retryable: boolean;
}
export class LlmTimeoutError extends LlmError {
  readonly retryable = true;
}
export class LlmInvalidOutputError extends LlmError {
  readonly retryable = true;
}
export class LlmUpstreamError extends LlmError {
  constructor(
    message: string,
    readonly status: number | undefined,
    /** Seconds the server asked us to wait (429 Retry-After). */
    readonly retryAfterS?: number,
  ) {
    super(message);
  }
  get retryable(): boolean {
    // Our request or our credentials are wrong: asking again will not help.
    return !(this.status === 400 || this.status === 401 || this.status === 403 || this.status === 404 || this.status === 422);
  }
}
/** Refused without calling the LLM (circuit open, every slot and the queue busy) or told to wait past the deadline. */
export class LlmUnavailableError extends LlmError {
  readonly retryable = false;
  constructor(
    message: string,
    /** Seconds after which the client may try again. */
    readonly retryAfterS: number,
  ) {
    super(message);
  }
}
/** The brief's overall deadline ran out (an attempt cut short, or no time left for one). */
export class LlmDeadlineError extends LlmError {
  readonly retryable = false;
}
