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
const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

/**
 * What the campaign's results add to an offline brief: a first hook that repeats its best
 * post, and its benchmark rate in the CTA line as the bar to beat. Figures only, no ids
 * (an uploaded id may be 200 characters): the hook stays within 80 characters and the CTA
 * grows by at most 40, whatever the numbers. Hooks stay 3 to 5.
 */
export function withCampaignInsights(brief: LlmBrief, insights: CampaignInsights): LlmBrief {
  const best = insights.topPosts[0];
  const post = insights.scope === 'platform' ? `top ${insights.platform} post` : `campaign's top post`;
  const hooks = best
    ? [`Redo the ${post}: ${percent(best.engagementRate)} engagement on ${compact.format(best.views)} views`, ...brief.hook_ideas]
    : brief.hook_ideas;
  const rate = insights.benchmark.engagementRate;
  const cta = rate === null ? brief.cta : `${brief.cta} (campaign benchmark: ${percent(rate)})`;
  return { ...brief, hook_ideas: hooks.slice(0, 5), cta };
}
