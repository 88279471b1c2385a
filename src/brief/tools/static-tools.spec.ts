import angles from '../data/angles.json';
import personas from '../data/personas.json';
import trends from '../data/trends.json';
import { GOALS, PLATFORMS } from '../brief-options';
import { categorize, JsonCreativeAngle, JsonPersonaClassifier, JsonTrendFetcher } from './static-tools';

describe('brief tool data', () => {
  it('covers every platform and goal the API accepts', () => {
    for (const p of PLATFORMS) {
      expect(trends.platforms[p].hashtags.length).toBeGreaterThan(0);
      expect(personas.platformNuance[p]).toBeTruthy();
      expect(angles.platformHooks[p].length).toBeGreaterThanOrEqual(3);
    }
    for (const g of GOALS)
      expect(angles.goals[g]).toMatchObject({ angle: expect.any(String), cta: expect.any(String), tone: expect.any(String) });
    for (const c of Object.keys(trends.categories)) expect(personas.byCategory[c as keyof typeof personas.byCategory]).toBeTruthy();
  });

  it('categorizes products by keyword, falling back to general', () => {
    expect(categorize('Vitamin C Serum')).toBe('beauty');
    expect(categorize('Cold brew coffee')).toBe('food');
    expect(categorize('Quantum widget')).toBe('general');
  });

  it('fills templates with brand and product, with every hashtag starting with #', async () => {
    const t = await new JsonTrendFetcher().trends('tiktok', 'protein bar');
    expect(t.category).toBe('fitness');
    expect(t.hashtags.every((h) => h.startsWith('#'))).toBe(true);
    const d = await new JsonCreativeAngle().direction('Acme', 'protein bar', 'conversions', 'tiktok');
    expect(d.cta).toContain('protein bar');
    expect(d.hooks.join(' ')).not.toMatch(/\{\w+\}/);
    const p = await new JsonPersonaClassifier().classify('Acme', 'protein bar', 'youtube');
    expect(p.description).toMatch(/Active.*full reviews/);
  });
});
