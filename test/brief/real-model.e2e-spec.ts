import { disclosedUpFront, placeDisclosure } from '../../src/brief/disclosure';
import { LLM_BRIEF_JSON_SCHEMA, LLM_BRIEF_MAX_TOKENS, parseLlmBrief } from '../../src/brief/llm/brief-schema';
import { REAL_BRIEF_MS, realModelSuite } from './brief-fixtures';

/** Every goal once, six of the seven platforms, both disclosures (#ad, #sponsored) among them. */
const PAIRS = [
  ['awareness', 'tiktok', 'Glow Labs', 'Vitamin C serum'],
  ['conversions', 'instagram', 'Peak Fuel', 'whey protein powder'],
  ['launch', 'youtube', 'Hush Audio', 'noise-cancelling headphones'],
  ['engagement', 'twitter', 'North Roast', 'cold brew coffee'],
  ['traffic', 'linkedin', 'Taskline', 'project planning app'],
  ['loyalty', 'pinterest', 'Loom & Field', 'linen bed sheets'],
] as const;

describe('briefs from a real model: llama.cpp with SmolLM2-135M through the app (real Redis and database)', () => {
  const suite = realModelSuite('brief');

  it.each(PAIRS)(
    '%s on %s: a schema-valid brief on the first attempt, the disclosure up front, the model named, within max_tokens',
    async (goal, platform, brand, product) => {
      const before = suite.exchanges.length;
      const res = await suite.post({ brand, product, goal, platform });
      const calls = suite.exchanges.slice(before);
      // What the model wrote goes into the failure message: a bad answer is then plain to see.
      const wrote = calls.map((c) => c.response.choices?.[0]?.message?.content);
      expect({ status: res.status, message: res.body.message, wrote }).toEqual({ status: 200, message: undefined, wrote });

      // One request, in the form the app always sends: the schema it checks with, strict, and max_tokens.
      expect(calls).toHaveLength(1);
      const [{ request: sent, status, response }] = calls;
      expect(status).toBe(200);
      expect(sent).toMatchObject({
        model: suite.model,
        max_tokens: LLM_BRIEF_MAX_TOKENS,
        response_format: { type: 'json_schema', json_schema: { strict: true, schema: LLM_BRIEF_JSON_SCHEMA } },
      });
      // The model stopped by itself, inside its budget, and what it wrote is schema-valid as written.
      expect(response.choices[0].finish_reason).toBe('stop');
      expect(response.usage.completion_tokens).toBeLessThan(LLM_BRIEF_MAX_TOKENS);
      const written = parseLlmBrief(response.choices[0].message.content);
      expect(response.model).toBe(suite.model);

      const brief = res.body;
      expect(brief.meta.model).toBe(suite.model);
      expect(brief.disclosure).toBe(platform === 'youtube' || platform === 'linkedin' ? '#sponsored' : '#ad');
      expect(disclosedUpFront(brief.caption, brief.disclosure)).toBe(true);
      expect(brief.caption).toBe(placeDisclosure(written.caption, brief.disclosure));
      expect(brief.hook_ideas).toEqual(written.hook_ideas);
      expect(brief.hashtags).toContain(brief.disclosure);
    },
    REAL_BRIEF_MS + 10_000,
  );
});
