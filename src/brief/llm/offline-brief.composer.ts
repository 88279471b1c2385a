import { Injectable } from '@nestjs/common';
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
    return {
      // The disclosure is BriefService's to place, for every writer alike.
      caption: `${i.product} by ${i.brand}: ${i.direction.angle.toLowerCase()}. ${i.direction.cta}.`.slice(0, 280),
      hook_ideas: hooks.slice(0, 5),
      hashtags: hashtags.slice(0, 6),
      cta: i.direction.cta,
      tone: i.direction.tone,
    };
  }
}
