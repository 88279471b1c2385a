import { Injectable } from '@nestjs/common';
import type { CampaignInsights } from '../tools/tool-types';
import type { PromptInput } from './prompt';
import { BRIEF_LIMITS as L, type LlmBrief } from './brief-schema';

/**
 * A tag every platform links whole, within the schema's bounds: accents folded to their
 * letters (Ünïcode Café → #unicodecafe), anything but letters, digits and _ dropped.
 */
const tag = (s: string) =>
  `#${s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '')
    .slice(0, L.hashtagChars)}`;

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/**
 * The brief without an LLM: deterministic, composed from the tools' output, so the
 * endpoint is useful (and testable) with no API key.
 */
@Injectable()
export class OfflineBriefComposer {
  /** A brief within the same schema an LLM's answer must meet (brief-schema.ts). */
  compose(i: PromptInput): LlmBrief {
    const hashtags = [...new Set([tag(i.brand), ...i.trends.hashtags.slice(0, 3), i.trends.disclosure])].filter((h) => h.length > 1);
    const hooks = i.direction.hooks.slice(0, 3);
    hooks.push(`${i.trends.formats[0][0].toUpperCase()}${i.trends.formats[0].slice(1)}: ${i.direction.angle.toLowerCase()}`);
    const brief: LlmBrief = {
      // The disclosure is BriefService's to place, for every writer alike.
      caption: clip(`${i.product} by ${i.brand}: ${i.direction.angle.toLowerCase()}. ${i.direction.cta}.`, L.captionChars),
      hook_ideas: hooks.slice(0, L.hooks.max).map((h) => clip(h, L.hookChars)),
      hashtags: hashtags.slice(0, 6),
      cta: clip(i.direction.cta, L.ctaChars),
      tone: clip(i.direction.tone, L.toneChars),
    };
    return i.insights ? withCampaignInsights(brief, i.insights) : brief;
  }
}

const percent = (r: number) => `${(r * 100).toFixed(1)}%`;
const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

/**
 * What the campaign's results add to an offline brief: a first hook that repeats its best
 * post, and its benchmark rate in the CTA line as the bar to beat. Figures only, no ids
 * (an uploaded id may be 200 characters): the hook stays within 80 characters whatever the
 * numbers, and the CTA is clipped to leave its note room within the schema's bound. Hooks stay 3 to 5.
 */
export function withCampaignInsights(brief: LlmBrief, insights: CampaignInsights): LlmBrief {
  const best = insights.topPosts[0];
  const post = insights.scope === 'platform' ? `top ${insights.platform} post` : `campaign's top post`;
  const hooks = best
    ? [`Redo the ${post}: ${percent(best.engagementRate)} engagement on ${compact.format(best.views)} views`, ...brief.hook_ideas]
    : brief.hook_ideas;
  const rate = insights.benchmark.engagementRate;
  const note = rate === null ? '' : ` (campaign benchmark: ${percent(rate)})`;
  const cta = note ? `${clip(brief.cta, L.ctaChars - note.length)}${note}` : brief.cta;
  return { ...brief, hook_ideas: hooks.slice(0, L.hooks.max), cta };
}
