import { Injectable } from '@nestjs/common';
import type { CampaignInsights } from '../tools/tool-types';
import type { PromptInput } from './prompt';
import type { LlmBrief } from './brief-schema';

/**
 * The brief without an LLM: deterministic, composed from the tools' output, so the
 * endpoint is useful (and testable) with no API key.
 */
@Injectable()
export class OfflineBriefComposer {
  compose(i: PromptInput): LlmBrief {
    const tag = (s: string) => `#${s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '')}`;
    const hashtags = [...new Set([tag(i.brand), ...i.trends.hashtags.slice(0, 3), i.trends.disclosure])].filter((h) => h.length > 1);
    const hooks = i.direction.hooks.slice(0, 3);
    hooks.push(`${i.trends.formats[0][0].toUpperCase()}${i.trends.formats[0].slice(1)}: ${i.direction.angle.toLowerCase()}`);
    const brief: LlmBrief = {
      caption: `${i.product} by ${i.brand}: ${i.direction.angle.toLowerCase()}. ${i.direction.cta}. ${i.trends.disclosure}`.slice(0, 280),
      hook_ideas: hooks.slice(0, 5),
      hashtags: hashtags.slice(0, 6),
      cta: i.direction.cta,
      tone: i.direction.tone,
    };
    return i.insights ? withCampaignInsights(brief, i.insights) : brief;
  }
}

const percent = (r: number) => `${(r * 100).toFixed(1)}%`;

/**
 * What the campaign's results add to an offline brief: a first hook that repeats its best
 * post, and its benchmark rate in the CTA line as the bar to beat. Hooks stay 3 to 5.
 */
export function withCampaignInsights(brief: LlmBrief, insights: CampaignInsights): LlmBrief {
  const best = insights.topPosts[0];
  const where = insights.scope === 'platform' ? `on ${insights.platform}` : 'across its platforms';
  const hooks = best
    ? [
        `Redo the campaign's best post ${where} (${best.postId ?? 'a post'} by ${best.influencerId}: ${percent(best.engagementRate)} engagement on ${best.views} views)`,
        ...brief.hook_ideas,
      ]
    : brief.hook_ideas;
  const rate = insights.benchmark.engagementRate;
  const cta =
    rate === null
      ? brief.cta
      : `${brief.cta} (campaign benchmark ${where}: ${percent(rate)} engagement over ${insights.benchmark.posts} posts by ${insights.benchmark.creators} creators; aim above it)`;
  return { ...brief, hook_ideas: hooks.slice(0, 5), cta };
}
