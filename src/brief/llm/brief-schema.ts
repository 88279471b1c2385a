import { LlmInvalidOutputError } from './llm-errors';

/** What the LLM must return. */
export interface LlmBrief {
  caption: string;
  hook_ideas: string[];
  hashtags: string[];
  cta: string;
  tone: string;
}

/** JSON Schema sent as response_format (strict mode needs every property required). */
export const LLM_BRIEF_JSON_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['caption', 'hook_ideas', 'hashtags', 'cta', 'tone'],
  properties: {
    caption: { type: 'string' },
    hook_ideas: { type: 'array', items: { type: 'string' }, minItems: 3, maxItems: 5 },
    hashtags: { type: 'array', items: { type: 'string', pattern: '^#' }, minItems: 3, maxItems: 12 },
    cta: { type: 'string' },
    tone: { type: 'string' },
  },
} as const;

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0 && v.length <= 2000;

/** Parses and checks an LLM answer; anything else is an invalid output (retryable). */
export function parseLlmBrief(content: string | null | undefined): LlmBrief {
  if (!content) throw new LlmInvalidOutputError('the model returned no content');
  let data: unknown;
  try {
    data = JSON.parse(content.trim().replace(/^```(?:json)?\s*|\s*```$/g, ''));
  } catch {
    throw new LlmInvalidOutputError('the model did not return valid JSON');
  }
  const d = data as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof d !== 'object' || d === null || Array.isArray(d))
    throw new LlmInvalidOutputError('the model returned JSON that is not an object');
  if (!nonEmpty(d.caption)) problems.push('caption');
  if (!nonEmpty(d.cta)) problems.push('cta');
  if (!nonEmpty(d.tone)) problems.push('tone');
  if (!Array.isArray(d.hook_ideas) || d.hook_ideas.length < 3 || d.hook_ideas.length > 5 || !d.hook_ideas.every(nonEmpty))
    problems.push('hook_ideas (3 to 5 strings)');
  if (!Array.isArray(d.hashtags) || d.hashtags.length < 1 || !d.hashtags.every((h) => nonEmpty(h) && /^#\S+$/.test(h)))
    problems.push('hashtags (each "#word")');
  if (problems.length) throw new LlmInvalidOutputError(`the model's JSON does not match the brief schema: ${problems.join(', ')}`);
  return {
    caption: (d.caption as string).trim(),
    hook_ideas: (d.hook_ideas as string[]).map((h) => h.trim()),
    hashtags: [...new Set((d.hashtags as string[]).map((h) => h.trim()))],
    cta: (d.cta as string).trim(),
    tone: (d.tone as string).trim(),
  };
}
