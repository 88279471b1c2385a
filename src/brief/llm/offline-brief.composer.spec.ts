import { GOALS, PLATFORMS } from '../brief-options';
import { JsonCreativeAngle, JsonPersonaClassifier, JsonTrendFetcher } from '../tools/static-tools';
import { parseLlmBrief } from './brief-schema';
import { OfflineBriefComposer } from './offline-brief.composer';
import type { PromptInput } from './prompt';

const REQUESTS = [
  { brand: 'Glow Labs', product: 'Vitamin C serum' },
  { brand: 'Ünïcode Café', product: 'cold brew coffee' },
  { brand: '!!!', product: 'x'.repeat(300) },
];

/** What BriefService hands the composer: the request and what the bundled tools say about it. */
async function inputs(): Promise<PromptInput[]> {
  const [trends, personas, angles] = [new JsonTrendFetcher(), new JsonPersonaClassifier(), new JsonCreativeAngle()];
  const all: PromptInput[] = [];
  for (const platform of PLATFORMS)
    for (const goal of GOALS)
      for (const { brand, product } of REQUESTS)
        all.push({
          brand,
          product,
          goal,
          platform,
          trends: await trends.trends(platform, product),
          persona: await personas.classify(brand, product, platform),
          direction: await angles.direction(brand, product, goal, platform),
        });
  return all;
}

describe('OfflineBriefComposer', () => {
  const composer = new OfflineBriefComposer();

  it('writes, for every platform, goal and request, a brief the LLM answer would have to be (the same parser accepts it unchanged)', async () => {
    for (const input of await inputs()) {
      const brief = composer.compose(input);
      expect(parseLlmBrief(JSON.stringify(brief))).toEqual(brief);
      expect(brief.caption.length).toBeLessThanOrEqual(220);
      expect(brief.hashtags).toContain(input.trends.disclosure);
      expect(new Set(brief.hashtags).size).toBe(brief.hashtags.length);
      expect(brief.hashtags.length).toBeLessThanOrEqual(6);
      // The direction's own words, clipped to the schema's bounds (a 300-character product name runs past them).
      for (const [written, given] of [
        [brief.cta, input.direction.cta],
        [brief.tone, input.direction.tone],
      ])
        expect(written === given || (written.endsWith('…') && given.startsWith(written.slice(0, -1)))).toBe(true);
    }
  });

  it('tags the brand, letters and digits only, and drops a tag a brand without any would leave empty', async () => {
    const [glow, cafe, none] = (await inputs()).slice(0, 3).map((i) => composer.compose(i).hashtags);
    expect(glow[0]).toBe('#glowlabs');
    expect(cafe[0]).toBe('#unicodecafe');
    expect(none).not.toContain('#');
  });

  it('is deterministic: the same request gives the same brief', async () => {
    const [first] = await inputs();
    expect(composer.compose(first)).toEqual(composer.compose(structuredClone(first)));
  });
});
