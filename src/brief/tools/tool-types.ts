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
