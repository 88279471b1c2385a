import type { Goal, Platform } from '../brief-options';

export interface TrendSignal {
  category: string;
  hashtags: string[];
  formats: string[];
  disclosure: string;
}
export interface Persona {
  description: string;
  category: string;
}
export interface CreativeDirection {
  angle: string;
  cta: string;
  tone: string;
  hooks: string[];
}

/** Each tool sits behind an interface so a live data source can replace the JSON one. */
export interface TrendFetcher {
  trends(platform: Platform, product: string): Promise<TrendSignal>;
}
export interface PersonaClassifier {
  classify(brand: string, product: string, platform: Platform): Promise<Persona>;
}
export interface CreativeAngle {
  direction(brand: string, product: string, goal: Goal, platform: Platform): Promise<CreativeDirection>;
}

export const TREND_FETCHER = Symbol('TrendFetcher');
export const PERSONA_CLASSIFIER = Symbol('PersonaClassifier');
export const CREATIVE_ANGLE = Symbol('CreativeAngle');

/** A campaign's measured results, for a brief on one platform (the campaign insights tool). */
export interface CampaignInsights {
  campaignId: string;
  platform: Platform;
  /** "all-platforms": the campaign has no rows on `platform`, so its rows on every platform were read. */
  scope: 'platform' | 'all-platforms';
  benchmark: { engagementRate: number | null; creators: number; posts: number; views: number };
  /** The first creators of the scope's adjusted ranking (default minViews), in its order. */
  recommendedCreators: Array<{ influencerId: string; engagementRate: number; adjustedRate: number; views: number; posts: number }>;
  /** The scope's best posts by engagement rate. */
  topPosts: Array<{ influencerId: string; postId: string | null; platform: string | null; engagementRate: number; views: number }>;
  /** The UTC weekday with the most dated posts (ties: the earlier in Monday..Sunday); null without dates. */
  busiestWeekday: string | null;
}

export interface CampaignInsightsProvider {
  /** Throws NotFoundException for a campaign without rows. */
  insights(campaignId: string, platform: Platform): Promise<CampaignInsights>;
  /** Changes when the campaign's rows do; null when it cannot be read now (then do not cache on it). */
  dataVersion(campaignId: string): Promise<string | null>;
}

export const CAMPAIGN_INSIGHTS = Symbol('CampaignInsightsProvider');
