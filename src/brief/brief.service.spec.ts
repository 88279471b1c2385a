import { NotFoundException } from '@nestjs/common';
import { newTestService } from '../../test/support/new-test-service';
import { BriefService } from './brief.service';
import { GenerateBriefDto } from './dto/generate-brief.dto';
import { LlmBrief } from './llm/brief-schema';
import { LlmTimeoutError } from './llm/llm-errors';
import { LlmClient } from './llm/llm.client';
import { OfflineBriefComposer } from './llm/offline-brief.composer';
import { buildPrompt } from './llm/prompt';
import type { CampaignInsights, CreativeDirection, Persona, TrendSignal } from './tools/tool-types';

const REQUEST: GenerateBriefDto = { brand: 'Glow Labs', product: 'Vitamin C serum', goal: 'awareness', platform: 'tiktok' };
const TRENDS: TrendSignal = { category: 'beauty', hashtags: ['#skincare'], formats: ['GRWM'], disclosure: '#ad' };
const PERSONA: Persona = { description: 'Skincare-curious Gen Z', category: 'beauty' };
const DIRECTION: CreativeDirection = { angle: 'Before/after in natural light', cta: 'Link in bio', tone: 'Candid', hooks: ['POV'] };
const WRITTEN: LlmBrief = { caption: 'Glow.', hook_ideas: ['a', 'b', 'c'], hashtags: ['#glow'], cta: 'Link in bio', tone: 'Candid' };
const DEADLINE = 1_900_000_000_000;
const INSIGHTS: CampaignInsights = {
  campaignId: 'c1',
  platform: 'tiktok',
  scope: 'platform',
  benchmark: { engagementRate: 0.05, creators: 2, posts: 3, views: 900 },
  recommendedCreators: [{ influencerId: 'i1', engagementRate: 0.06, adjustedRate: 0.055, views: 600, posts: 2 }],
  topPosts: [{ influencerId: 'i1', postId: 'p1', platform: 'tiktok', engagementRate: 0.08, views: 300 }],
  busiestWeekday: 'Friday',
};

async function setUp(llm: { configured: boolean; model?: string }) {
  const { sut, mocks } = await newTestService(BriefService);
  // The tools are interfaces behind symbol tokens: the harness cannot list their methods, so
  // they get them here. The LLM client's `configured` getter and `model` field are no methods:
  // they are assigned (read unassigned, they fail the test).
  const tools = {
    trends: jest.fn().mockResolvedValue(TRENDS),
    classify: jest.fn().mockResolvedValue(PERSONA),
    direction: jest.fn().mockResolvedValue(DIRECTION),
  };
  Object.assign(sut['trends'], { trends: tools.trends });
  Object.assign(sut['personas'], { classify: tools.classify });
  Object.assign(sut['angles'], { direction: tools.direction });
  const client = Object.assign(mocks(LlmClient), llm);
  const offline = mocks(OfflineBriefComposer);
  // Only the writer this configuration uses: a call to the other one fails the test.
  if (llm.configured) client.complete.mockResolvedValue(WRITTEN);
  else offline.compose.mockReturnValue(WRITTEN);
  return { sut, tools, llm: client, offline };
}

describe('BriefService', () => {
  it('asks each tool about the request, in its own argument order', async () => {
    const { sut, tools } = await setUp({ configured: false });
    await sut.generate(REQUEST, DEADLINE);
    expect(tools.trends).toHaveBeenCalledWith('tiktok', 'Vitamin C serum');
    expect(tools.classify).toHaveBeenCalledWith('Glow Labs', 'Vitamin C serum', 'tiktok');
    expect(tools.direction).toHaveBeenCalledWith('Glow Labs', 'Vitamin C serum', 'awareness', 'tiktok');
  });

  it('without an LLM, the offline composer writes the brief from the request and what the tools said', async () => {
    const { sut, llm, offline } = await setUp({ configured: false });
    const brief = await sut.generate(REQUEST, DEADLINE);
    expect(offline.compose).toHaveBeenCalledWith({ ...REQUEST, trends: TRENDS, persona: PERSONA, direction: DIRECTION });
    expect(llm.complete).not.toHaveBeenCalled();
    expect(sut.modelName).toBe('offline');
    expect(brief).toEqual({
      ...WRITTEN,
      caption: '#ad Glow.',
      hashtags: ['#glow', '#ad'],
      persona: 'Skincare-curious Gen Z',
      creative_angle: 'Before/after in natural light',
      disclosure: '#ad',
      meta: { model: 'offline', promptVersion: 'brief-v2', generatedAt: expect.any(String) },
    });
    expect(new Date(brief.meta.generatedAt).toISOString()).toBe(brief.meta.generatedAt);
  });

  it('with an LLM, sends it the versioned prompt and the deadline, and names its model', async () => {
    const { sut, llm, offline } = await setUp({ configured: true, model: 'gpt-test' });
    const brief = await sut.generate(REQUEST, DEADLINE);
    const { system, user } = buildPrompt({ ...REQUEST, trends: TRENDS, persona: PERSONA, direction: DIRECTION });
    expect(llm.complete).toHaveBeenCalledWith(system, user, DEADLINE);
    expect(offline.compose).not.toHaveBeenCalled();
    expect(sut.modelName).toBe('gpt-test');
    expect(brief.meta.model).toBe('gpt-test');
  });

  it('adds the disclosure to the hashtags once: not again when the writer included it', async () => {
    const { sut, llm } = await setUp({ configured: true, model: 'gpt-test' });
    llm.complete.mockResolvedValue({ ...WRITTEN, hashtags: ['#ad', '#glow'] });
    expect((await sut.generate(REQUEST, DEADLINE)).hashtags).toEqual(['#ad', '#glow']);
  });

  describe('puts the disclosure where the reader sees it, whoever wrote the caption', () => {
    const body = 'Glow in 30 seconds with the serum everyone asks about, the one on every bathroom shelf this season';

    it.each([
      ['the LLM omits it', body, `#ad ${body}`],
      ['the LLM buries it after the cut', `${body} #skincare #ad`, `#ad ${body} #skincare`],
      ['the LLM put it up front', `#ad ${body}`, `#ad ${body}`],
      ['the LLM put it within the first 100 characters', 'Glow in 30 seconds #ad #skincare', 'Glow in 30 seconds #ad #skincare'],
    ])('%s', async (_case, caption, expected) => {
      const { sut, llm } = await setUp({ configured: true, model: 'gpt-test' });
      llm.complete.mockResolvedValue({ ...WRITTEN, caption });
      expect((await sut.generate(REQUEST, DEADLINE)).caption).toBe(expected);
    });

    it('the offline composer buries it', async () => {
      const { sut, offline } = await setUp({ configured: false });
      offline.compose.mockReturnValue({ ...WRITTEN, caption: `${body} #ad` });
      expect((await sut.generate(REQUEST, DEADLINE)).caption).toBe(`#ad ${body}`);
    });

    it("with the platform's own disclosure", async () => {
      const { sut, tools, llm } = await setUp({ configured: true, model: 'gpt-test' });
      tools.trends.mockResolvedValue({ ...TRENDS, disclosure: '#sponsored' });
      llm.complete.mockResolvedValue({ ...WRITTEN, caption: `${body} #sponsored` });
      const brief = await sut.generate({ ...REQUEST, platform: 'youtube' }, DEADLINE);
      expect(brief.caption).toBe(`#sponsored ${body}`);
      expect(brief.disclosure).toBe('#sponsored');
    });
  });

  it('makes one LLM attempt: a failure is the caller’s to retry, not answered offline', async () => {
    const { sut, llm, offline } = await setUp({ configured: true, model: 'gpt-test' });
    llm.complete.mockRejectedValue(new LlmTimeoutError('the LLM did not answer in time'));
    await expect(sut.generate(REQUEST, DEADLINE)).rejects.toThrow(LlmTimeoutError);
    expect(llm.complete).toHaveBeenCalledTimes(1);
    expect(offline.compose).not.toHaveBeenCalled();
  });

  it('writes nothing when a tool fails', async () => {
    const { sut, tools, llm } = await setUp({ configured: true, model: 'gpt-test' });
    tools.classify.mockRejectedValue(new Error('persona data unreadable'));
    await expect(sut.generate(REQUEST, DEADLINE)).rejects.toThrow('persona data unreadable');
    expect(llm.complete).not.toHaveBeenCalled();
  });

  describe('with a campaignId', () => {
    const withCampaign = (sut: BriefService, insights: jest.Mock) => Object.assign(sut['campaigns'], { insights });

    it("reads the campaign's results for the platform, writes with them, and answers them without the prompt-only details", async () => {
      const { sut, offline } = await setUp({ configured: false });
      const insights = jest.fn().mockResolvedValue(INSIGHTS);
      withCampaign(sut, insights);
      const brief = await sut.generate({ ...REQUEST, campaignId: 'c1' }, DEADLINE);
      expect(insights).toHaveBeenCalledWith('c1', 'tiktok');
      expect(offline.compose).toHaveBeenCalledWith(expect.objectContaining({ insights: INSIGHTS }));
      expect(brief.insights).toEqual({
        campaignId: 'c1',
        platform: 'tiktok',
        scope: 'platform',
        benchmark: { engagementRate: 0.05, creators: 2, posts: 3 },
        recommendedCreators: INSIGHTS.recommendedCreators,
      });
    });

    it('puts them in the prompt the LLM gets', async () => {
      const { sut, llm } = await setUp({ configured: true, model: 'gpt-test' });
      withCampaign(sut, jest.fn().mockResolvedValue(INSIGHTS));
      await sut.generate({ ...REQUEST, campaignId: 'c1' }, DEADLINE);
      const { system, user } = buildPrompt({ ...REQUEST, trends: TRENDS, persona: PERSONA, direction: DIRECTION, insights: INSIGHTS });
      expect(llm.complete).toHaveBeenCalledWith(system, user, DEADLINE);
    });

    it('an unknown campaign: the 404, before any tool or writer is used', async () => {
      const { sut, tools, llm } = await setUp({ configured: true, model: 'gpt-test' });
      withCampaign(sut, jest.fn().mockRejectedValue(new NotFoundException('Unknown campaign "x"')));
      await expect(sut.generate({ ...REQUEST, campaignId: 'x' }, DEADLINE)).rejects.toThrow(NotFoundException);
      expect(tools.trends).not.toHaveBeenCalled();
      expect(llm.complete).not.toHaveBeenCalled();
    });

    it('without one, no campaign is read and the answer has no insights', async () => {
      const { sut } = await setUp({ configured: false });
      const insights = jest.fn();
      withCampaign(sut, insights);
      expect(await sut.generate(REQUEST, DEADLINE)).not.toHaveProperty('insights');
      expect(insights).not.toHaveBeenCalled();
    });
  });
});
