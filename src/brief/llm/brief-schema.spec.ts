import Ajv from 'ajv';
import { BRIEF_LIMITS, LLM_BRIEF_JSON_SCHEMA, LLM_BRIEF_MAX_TOKENS, LlmBrief, maxJsonChars, parseLlmBrief } from './brief-schema';
import { LlmInvalidOutputError } from './llm-errors';

const GOOD: LlmBrief = {
  caption: '#ad Meet the serum that does the glow for you.',
  hook_ideas: ['POV: your skin finally behaves', 'I tried it for 7 days', 'The 20-second routine'],
  hashtags: ['#skincare', '#glowup', '#ad'],
  cta: 'Tap the link for 20% off',
  tone: 'Upbeat and candid',
};
const answer = (over: Record<string, unknown>) => JSON.stringify({ ...GOOD, ...over });

describe('the brief schema', () => {
  it('is a schema a JSON-schema validator takes as it is sent (strict: every property required, no others)', () => {
    expect(new Ajv({ strict: true }).validateSchema(LLM_BRIEF_JSON_SCHEMA)).toBe(true);
    expect([...LLM_BRIEF_JSON_SCHEMA.required].sort()).toEqual(Object.keys(LLM_BRIEF_JSON_SCHEMA.properties).sort());
    expect(LLM_BRIEF_JSON_SCHEMA.additionalProperties).toBe(false);
  });

  it('parses a good answer as written, hashtags once each, a Markdown fence tolerated', () => {
    expect(parseLlmBrief(JSON.stringify(GOOD))).toEqual(GOOD);
    expect(parseLlmBrief(answer({ hashtags: ['#a', '#a', '#b', '#c'] })).hashtags).toEqual(['#a', '#b', '#c']);
    // What the schema allows is allowed: no rule of ours that a server could not enforce.
    expect(parseLlmBrief(answer({ tone: ' ' })).tone).toBe(' ');
    expect(parseLlmBrief('```json\n' + JSON.stringify(GOOD) + '\n```')).toEqual(GOOD);
  });

  // Each of these the old schema sent (pattern '^#', no bounds) let a server produce.
  it.each([
    ['a hashtag with a space', { hashtags: ['#glow up', '#a', '#b'] }, /hashtags\/0 must match pattern/],
    ['a hashtag without #', { hashtags: ['glow', '#a', '#b'] }, /hashtags\/0 must match pattern/],
    ['a hashtag too long', { hashtags: [`#${'a'.repeat(BRIEF_LIMITS.hashtagChars + 1)}`, '#a', '#b'] }, /hashtags\/0/],
    ['a caption past its bound', { caption: 'x'.repeat(BRIEF_LIMITS.captionChars + 1) }, /caption must NOT have more than 220 characters/],
    ['nine hashtags', { hashtags: ['#a', '#b', '#c', '#d', '#e', '#f', '#g', '#h', '#i'] }, /hashtags must NOT have more than 8 items/],
    ['two hashtags', { hashtags: ['#a', '#b'] }, /hashtags must NOT have fewer than 3 items/],
    ['six hooks', { hook_ideas: ['a', 'b', 'c', 'd', 'e', 'f'] }, /hook_ideas must NOT have more than 5 items/],
    ['a field it does not know', { mood: 'sunny' }, /must NOT have additional properties/],
    ['a missing field', { tone: undefined }, /must have required property 'tone'/],
    ['a number for text', { cta: 42 }, /cta must be string/],
  ])('refuses %s', (_case, over, reason) => {
    expect(() => parseLlmBrief(answer(over))).toThrow(LlmInvalidOutputError);
    expect(() => parseLlmBrief(answer(over))).toThrow(reason);
  });

  it('names every field that is wrong at once', () => {
    expect(() => parseLlmBrief(answer({ cta: '', tone: 7 }))).toThrow(/\/cta .*; \/tone /);
  });

  it('refuses empty text, no JSON and no content', () => {
    expect(() => parseLlmBrief(answer({ caption: '' }))).toThrow(/caption must NOT have fewer than 1 characters/);
    expect(() => parseLlmBrief('not json')).toThrow(/did not return valid JSON/);
    expect(() => parseLlmBrief('[]')).toThrow(/must be object/);
    expect(() => parseLlmBrief('')).toThrow(/no content/);
  });
});

describe('max_tokens from the schema', () => {
  const L = BRIEF_LIMITS;
  const longest: LlmBrief = {
    caption: 'c'.repeat(L.captionChars),
    hook_ideas: Array.from({ length: L.hooks.max }, () => 'h'.repeat(L.hookChars)),
    hashtags: Array.from({ length: L.hashtags.max }, (_, i) => `#${String(i).repeat(L.hashtagChars)}`),
    cta: 'a'.repeat(L.ctaChars),
    tone: 't'.repeat(L.toneChars),
  };

  it('maxJsonChars fits the longest answer the schema allows, pretty-printed', () => {
    expect(parseLlmBrief(JSON.stringify(longest))).toEqual(longest);
    expect(() => parseLlmBrief(JSON.stringify({ ...longest, tone: `${longest.tone}t` }))).toThrow(/tone/);
    expect(JSON.stringify(longest, null, 2).length).toBeLessThanOrEqual(maxJsonChars(LLM_BRIEF_JSON_SCHEMA));
  });

  it('gives every character of that answer two tokens (digits and text outside ASCII take one or more each)', () => {
    expect(LLM_BRIEF_MAX_TOKENS).toBe(2 * maxJsonChars(LLM_BRIEF_JSON_SCHEMA));
    expect(LLM_BRIEF_MAX_TOKENS).toBeGreaterThanOrEqual(2 * JSON.stringify(longest, null, 2).length);
  });

  it('refuses a schema with an unbounded string or array', () => {
    expect(() => maxJsonChars({ type: 'object', properties: { a: { type: 'string' } } })).toThrow('$.a: a string without maxLength');
    expect(() => maxJsonChars({ type: 'array', items: { type: 'string', maxLength: 3 } })).toThrow('$: an array without maxItems');
    expect(() => maxJsonChars({ type: 'number' })).toThrow(/no length bound/);
  });
});
