/** What POST /generate_brief accepts (case-insensitive on input, lower-case inside). */
export const GOALS = ['awareness', 'engagement', 'conversions', 'launch', 'traffic', 'loyalty'] as const;
export const PLATFORMS = ['instagram', 'tiktok', 'youtube', 'twitter', 'facebook', 'linkedin', 'pinterest'] as const;
export type Goal = (typeof GOALS)[number];
export type Platform = (typeof PLATFORMS)[number];

/** Bumped whenever the prompt or the brief's shape changes: it is part of the cache key. */
export const PROMPT_VERSION = 'brief-v2';
