import { GOALS, PLATFORMS } from '../brief-options';
import { JsonCreativeAngle, JsonPersonaClassifier, JsonTrendFetcher } from '../tools/static-tools';
import { BRIEF_LIMITS, parseLlmBrief } from './brief-schema';
import type { CampaignInsights } from '../tools/tool-types';
import { OfflineBriefComposer, withCampaignInsights } from './offline-brief.composer';
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

  describe('with the campaign insights', () => {
    const insights: CampaignInsights = {
      campaignId: 'c1',
      platform: 'tiktok',
      scope: 'platform',
      benchmark: { engagementRate: 0.0712, creators: 4, posts: 12, views: 5000 },
      recommendedCreators: [{ influencerId: 'i2', engagementRate: 0.09, adjustedRate: 0.08, views: 2000, posts: 3 }],
      topPosts: [
        { influencerId: 'i2', postId: 'p7', platform: 'tiktok', engagementRate: 0.1234, views: 800 },
        { influencerId: 'i1', postId: 'p1', platform: 'tiktok', engagementRate: 0.1, views: 900 },
      ],
      busiestWeekday: 'Friday',
    };

    it('opens the hooks with the best post and puts the benchmark in the CTA line, for every platform, goal and request', async () => {
      for (const input of await inputs()) {
        const plain = composer.compose(input);
        const brief = composer.compose({ ...input, insights: { ...insights, platform: input.platform as CampaignInsights['platform'] } });
        expect(parseLlmBrief(JSON.stringify(brief))).toEqual(brief);
        expect(brief.hook_ideas[0]).toBe(`Redo the top ${input.platform} post: 12.3% engagement on 800 views`);
        expect(brief.hook_ideas.slice(1)).toEqual(plain.hook_ideas.slice(0, 4));
        // The note always shows; a CTA too long to take it whole is clipped to leave it room.
        const note = ' (campaign benchmark: 7.1%)';
        const room = BRIEF_LIMITS.ctaChars - note.length;
        expect(brief.cta).toBe(plain.cta.length <= room ? `${plain.cta}${note}` : `${plain.cta.slice(0, room - 1)}…${note}`);
        expect({ ...brief, hook_ideas: plain.hook_ideas, cta: plain.cta }).toEqual(plain);
      }
    });

    it('says "the campaign\'s top post" when the campaign had no rows on the platform', () => {
      const brief = withCampaignInsights(
        { caption: 'c', hook_ideas: ['a', 'b', 'c'], hashtags: ['#a'], cta: 'Buy', tone: 't' },
        { ...insights, scope: 'all-platforms' },
      );
      expect(brief.hook_ideas).toEqual(["Redo the campaign's top post: 12.3% engagement on 800 views", 'a', 'b', 'c']);
      expect(brief.cta).toBe('Buy (campaign benchmark: 7.1%)');
    });

    it('keeps the hook within 80 characters and the CTA within 40 more, whatever the ids and figures', () => {
      const longId = 'x'.repeat(200);
      const extreme: CampaignInsights = {
        ...insights,
        platform: 'pinterest',
        benchmark: { ...insights.benchmark, engagementRate: 987.654 },
        topPosts: [{ influencerId: longId, postId: longId, platform: 'pinterest', engagementRate: 9876.54, views: 999_999_999_999_999 }],
      };
      const brief = withCampaignInsights({ caption: 'c', hook_ideas: ['a', 'b', 'c'], hashtags: ['#a'], cta: 'Buy', tone: 't' }, extreme);
      expect(brief.hook_ideas[0].length).toBeLessThanOrEqual(80);
      expect(brief.hook_ideas[0]).not.toContain('xxx');
      expect(brief.cta.length - 'Buy'.length).toBeLessThanOrEqual(40);
    });

    it('leaves hooks and CTA as they were without a post or a rate to learn from', () => {
      const base = { caption: 'c', hook_ideas: ['a', 'b', 'c'], hashtags: ['#a'], cta: 'Buy', tone: 't' };
      const none = { ...insights, topPosts: [], benchmark: { ...insights.benchmark, engagementRate: null } };
      expect(withCampaignInsights(base, none)).toEqual(base);
    });
  });
});
