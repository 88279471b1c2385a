import Ajv, { type JSONSchemaType } from 'ajv';
import { LlmInvalidOutputError } from './llm-errors';

/** What the LLM must return. */
export interface LlmBrief {
  caption: string;
  hook_ideas: string[];
  hashtags: string[];
  cta: string;
  tone: string;
}

/**
 * The bounds of a brief, in characters and items. The caption is short enough that the
 * platform shows it before "more"; a hashtag is one platform-linked tag.
 */
export const BRIEF_LIMITS = {
  captionChars: 220,
  hookChars: 80,
  hooks: { min: 3, max: 5 },
  hashtagChars: 24, // after the #
  hashtags: { min: 3, max: 8 },
  ctaChars: 100,
  toneChars: 40,
} as const;

const L = BRIEF_LIMITS;

/**
 * The one brief schema: sent as `response_format` (json_schema, strict) and the very object
 * the answer is validated with, so a server's constrained decoding and our check agree.
 * Every string and array is bounded: that bounds the answer (and sizes `max_tokens`), where
 * an unbounded string let a small model run on until the deadline. Patterns stay within
 * what grammar-based servers translate: llama.cpp, for one, ignores a pattern it cannot
 * convert (`\S`, `\s` in a class) and then accepts any string.
 */
export const LLM_BRIEF_JSON_SCHEMA: JSONSchemaType<LlmBrief> = {
  type: 'object',
  additionalProperties: false,
  // Strict mode needs every property required.
  required: ['caption', 'hook_ideas', 'hashtags', 'cta', 'tone'],
  properties: {
    caption: { type: 'string', minLength: 1, maxLength: L.captionChars },
    hook_ideas: {
      type: 'array',
      items: { type: 'string', minLength: 1, maxLength: L.hookChars },
      minItems: L.hooks.min,
      maxItems: L.hooks.max,
    },
    hashtags: {
      type: 'array',
      // Letters, digits and underscores: what every platform links as one tag.
      items: { type: 'string', pattern: `^#[A-Za-z0-9_]{1,${L.hashtagChars}}$`, minLength: 2, maxLength: L.hashtagChars + 1 },
      minItems: L.hashtags.min,
      maxItems: L.hashtags.max,
    },
    cta: { type: 'string', minLength: 1, maxLength: L.ctaChars },
    tone: { type: 'string', minLength: 1, maxLength: L.toneChars },
  },
};

/** Whitespace a grammar-constrained server may put around one JSON separator, counted generously. */
const WHITESPACE_PER_GAP = 4;

/**
 * The longest JSON text `schema` allows, in characters; throws for a string or an array
 * without an upper bound, so an unbounded field cannot be added unnoticed.
 */
export function maxJsonChars(schema: object, path = '$'): number {
  const s = schema as { type?: string; maxLength?: number; maxItems?: number; items?: object; properties?: Record<string, object> };
  switch (s.type) {
    case 'string':
      if (s.maxLength === undefined) throw new Error(`${path}: a string without maxLength`);
      // Quotes; a character that needs escaping is paid for by the whitespace allowance.
      return s.maxLength + 2;
    case 'array':
      if (s.maxItems === undefined || !s.items) throw new Error(`${path}: an array without maxItems`);
      return 2 + WHITESPACE_PER_GAP + s.maxItems * (maxJsonChars(s.items, `${path}[]`) + 1 + WHITESPACE_PER_GAP);
    case 'object':
      return Object.entries(s.properties ?? {}).reduce(
        // "key": value, with room for whitespace before the key, around the colon and after the value.
        (n, [key, value]) => n + key.length + 4 + 3 * WHITESPACE_PER_GAP + maxJsonChars(value, `${path}.${key}`),
        2 + WHITESPACE_PER_GAP,
      );
    default:
      throw new Error(`${path}: no length bound for type ${String(s.type)}`);
  }
}

/**
 * Tokens a character of the answer may take. English prose runs ~4 characters a token, but
 * byte-level tokenizers spend a token on every digit (SmolLM2) and one or more on each
 * character outside ASCII (accents, emoji); a small model drifting into either fills its
 * strings at up to this rate (measured: answers at 1 token a character were cut).
 */
const TOKENS_PER_CHAR = 2;

/**
 * `max_tokens` for every brief request, from the longest answer the schema allows. A model
 * that stops making sense is stopped here rather than at the deadline, and an answer cut
 * here is unusable output (finish_reason "length", retried like any other).
 */
export const LLM_BRIEF_MAX_TOKENS = TOKENS_PER_CHAR * maxJsonChars(LLM_BRIEF_JSON_SCHEMA);

// allErrors: the message names every field that is wrong, not just the first.
const validate = new Ajv({ allErrors: true }).compile(LLM_BRIEF_JSON_SCHEMA);

/** Parses and checks an LLM answer against LLM_BRIEF_JSON_SCHEMA; anything else is an invalid output (retryable). */
export function parseLlmBrief(content: string | null | undefined): LlmBrief {
  if (!content) throw new LlmInvalidOutputError('the model returned no content');
  let data: unknown;
  try {
    // json_object servers may still wrap the JSON in a Markdown fence.
    data = JSON.parse(content.trim().replace(/^```(?:json)?\s*|\s*```$/g, ''));
  } catch {
    throw new LlmInvalidOutputError('the model did not return valid JSON');
  }
  if (!validate(data)) {
    const problems = [...new Set((validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`))];
    throw new LlmInvalidOutputError(`the model's JSON does not match the brief schema: ${problems.join('; ')}`);
  }
  // The schema is the only rule: a check it does not state (say, "not blank") is one a
  // server's constrained decoding cannot meet, and the answer it guaranteed would be refused.
  return { ...data, hashtags: [...new Set(data.hashtags)] };
}
