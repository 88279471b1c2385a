import { Injectable } from '@nestjs/common';
import angles from '../data/angles.json';
import personas from '../data/personas.json';
import trends from '../data/trends.json';
import type { Goal, Platform } from '../brief-options';
import type { CreativeAngle, CreativeDirection, Persona, PersonaClassifier, TrendFetcher, TrendSignal } from './tool-types';

type Category = keyof typeof trends.categories;

/** Product text → category by keyword; "general" when nothing matches. */
export function categorize(text: string): Category {
  const t = text.toLowerCase();
  for (const [name, c] of Object.entries(trends.categories) as [Category, { keywords: string[] }][]) {
    if (c.keywords.some((k) => new RegExp(`\\b${k}`).test(t))) return name;
  }
  return 'general';
}

function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? k);
}

@Injectable()
export class JsonTrendFetcher implements TrendFetcher {
  async trends(platform: Platform, product: string): Promise<TrendSignal> {
    const category = categorize(product);
    const p = trends.platforms[platform];
    return {
      category,
      hashtags: [...trends.categories[category].hashtags, ...p.hashtags],
      formats: p.formats,
      disclosure: p.disclosure,
    };
  }
}

@Injectable()
export class JsonPersonaClassifier implements PersonaClassifier {
  async classify(brand: string, product: string, platform: Platform): Promise<Persona> {
    const category = categorize(`${product} ${brand}`);
    return { category, description: `${personas.byCategory[category]}, ${personas.platformNuance[platform]}` };
  }
}

@Injectable()
export class JsonCreativeAngle implements CreativeAngle {
  async direction(brand: string, product: string, goal: Goal, platform: Platform): Promise<CreativeDirection> {
    const g = angles.goals[goal];
    const need = categorize(product) === 'general' ? 'daily routine' : `${categorize(product)} routine`;
    const vars = { brand, product, need };
    return {
      angle: fill(g.angle, vars),
      cta: fill(g.cta, vars),
      tone: g.tone,
      hooks: angles.platformHooks[platform].map((h) => fill(h, vars)),
    };
  }
}
