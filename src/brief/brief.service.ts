import { Inject, Injectable } from '@nestjs/common';
import { PROMPT_VERSION } from './brief-options';
import { placeDisclosure } from './disclosure';
import { BriefDto } from './dto/brief.dto';
import { GenerateBriefDto } from './dto/generate-brief.dto';
import { LlmClient } from './llm/llm.client';
import { OfflineBriefComposer } from './llm/offline-brief.composer';
import { buildPrompt, PromptInput } from './llm/prompt';
import { CampaignInsightsDto } from './dto/campaign-insights.dto';
import {
  CAMPAIGN_INSIGHTS,
  CREATIVE_ANGLE,
  PERSONA_CLASSIFIER,
  TREND_FETCHER,
  type CampaignInsights,
  type CampaignInsightsProvider,
  type CreativeAngle,
  type PersonaClassifier,
  type TrendFetcher,
} from './tools/tool-types';

/** Tools → prompt → LLM (or the offline composer) → the brief, its disclosure in place. One attempt per call. */
@Injectable()
export class BriefService {
  constructor(
    @Inject(TREND_FETCHER) private readonly trends: TrendFetcher,
    @Inject(PERSONA_CLASSIFIER) private readonly personas: PersonaClassifier,
    @Inject(CREATIVE_ANGLE) private readonly angles: CreativeAngle,
    private readonly llm: LlmClient,
    private readonly offline: OfflineBriefComposer,
    @Inject(CAMPAIGN_INSIGHTS) private readonly campaigns: CampaignInsightsProvider,
  ) {}

  /** Part of the cache key: a different model writes a different brief. */
  get modelName(): string {
    return this.llm.configured ? this.llm.model : 'offline';
  }

  /** Part of the cache key with a campaignId: the campaign's data version (null: unknown now, do not cache). */
  campaignDataVersion(campaignId: string): Promise<string | null> {
    return this.campaigns.dataVersion(campaignId);
  }

  /** `deadline` (epoch ms) bounds the LLM attempt; the offline composer needs none. */
  async generate(req: GenerateBriefDto, deadline: number): Promise<BriefDto> {
    // First: an unknown campaign is a 404 before any other work.
    const insights = req.campaignId === undefined ? undefined : await this.campaigns.insights(req.campaignId, req.platform);
    const [trends, persona, direction] = await Promise.all([
      this.trends.trends(req.platform, req.product),
      this.personas.classify(req.brand, req.product, req.platform),
      this.angles.direction(req.brand, req.product, req.goal, req.platform),
    ]);
    const input: PromptInput = { ...req, trends, persona, direction };
    if (insights) input.insights = insights;
    let brief;
    if (this.llm.configured) {
      const { system, user } = buildPrompt(input);
      brief = await this.llm.complete(system, user, deadline);
    } else {
      brief = this.offline.compose(input);
    }
    const hashtags = brief.hashtags.includes(trends.disclosure) ? brief.hashtags : [...brief.hashtags, trends.disclosure];
    return {
      ...brief,
      // Whoever wrote it, the reader sees the disclosure before the caption's "more" cut.
      caption: placeDisclosure(brief.caption, trends.disclosure),
      hashtags,
      persona: persona.description,
      creative_angle: direction.angle,
      disclosure: trends.disclosure,
      meta: { model: this.modelName, promptVersion: PROMPT_VERSION, generatedAt: new Date().toISOString() },
      ...(insights && { insights: insightsAnswer(insights) }),
    };
  }
}

/** The answer's part of the insights: what the brief used, without the prompt-only details. */
function insightsAnswer(i: CampaignInsights): CampaignInsightsDto {
  return {
    campaignId: i.campaignId,
    platform: i.platform,
    scope: i.scope,
    benchmark: { engagementRate: i.benchmark.engagementRate, creators: i.benchmark.creators, posts: i.benchmark.posts },
    recommendedCreators: i.recommendedCreators,
  };
}
