import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { briefCacheKey } from './brief-cache-key';

describe('briefCacheKey', () => {
  const base = { brand: 'Glow Labs', product: 'Vitamin C serum', goal: 'awareness', platform: 'tiktok' };

  it('ignores case, surrounding and repeated spaces, and field order', () => {
    const k = briefCacheKey(base, 'm', 'v1');
    expect(briefCacheKey({ platform: 'TikTok ', goal: ' AWARENESS', product: 'vitamin  c   serum', brand: 'GLOW LABS' }, 'm', 'v1')).toBe(
      k,
    );
  });

  it('changes with the model, the prompt version and every field', () => {
    const k = briefCacheKey(base, 'm', 'v1');
    expect(briefCacheKey(base, 'other', 'v1')).not.toBe(k);
    expect(briefCacheKey(base, 'm', 'v2')).not.toBe(k);
    for (const f of Object.keys(base)) expect(briefCacheKey({ ...base, [f]: 'different' }, 'm', 'v1')).not.toBe(k);
  });

  it('without a campaignId, is the key it always was; with one, adds the campaign (exact) and its data version', () => {
    const before = createHash('sha256')
      .update(JSON.stringify(['glow labs', 'vitamin c serum', 'awareness', 'tiktok', 'm', 'v1']))
      .digest('hex');
    expect(briefCacheKey(base, 'm', 'v1')).toBe(before);
    expect(briefCacheKey(base, 'm', 'v1', '3')).toBe(before);
    const k = briefCacheKey({ ...base, campaignId: 'Camp_1' }, 'm', 'v1', '3');
    expect(k).not.toBe(before);
    expect(briefCacheKey({ ...base, campaignId: 'Camp_1' }, 'm', 'v1', '3')).toBe(k);
    expect(briefCacheKey({ ...base, campaignId: 'camp_1' }, 'm', 'v1', '3')).not.toBe(k);
    expect(briefCacheKey({ ...base, campaignId: 'Camp_1' }, 'm', 'v1', '4')).not.toBe(k);
  });

  it('is stable under any case/space noise (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30 }), fc.string({ minLength: 1, maxLength: 30 }), (brand, product) => {
        const noisy = { ...base, brand: `  ${brand.toUpperCase()} `, product: product.toLowerCase().replace(/ /g, '   ') };
        const clean = { ...base, brand: brand.toLowerCase(), product: product.toLowerCase() };
        return briefCacheKey(noisy, 'm', 'v1') === briefCacheKey(clean, 'm', 'v1');
      }),
    );
  });
});
