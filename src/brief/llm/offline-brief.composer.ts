import { Injectable } from '@nestjs/common';
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
    const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
    return {
      // The disclosure is BriefService's to place, for every writer alike.
      caption: clip(`${i.product} by ${i.brand}: ${i.direction.angle.toLowerCase()}. ${i.direction.cta}.`, L.captionChars),
      hook_ideas: hooks.slice(0, L.hooks.max).map((h) => clip(h, L.hookChars)),
      hashtags: hashtags.slice(0, 6),
      cta: clip(i.direction.cta, L.ctaChars),
      tone: clip(i.direction.tone, L.toneChars),
    };
  }
}
