import { DISCLOSURE_WITHIN_CHARS, disclosedUpFront, placeDisclosure } from './disclosure';

describe('placeDisclosure', () => {
  const long = 'Glow in 30 seconds with the serum everyone asks about, the one that sits in every bathroom shelf video';

  it('leaves a caption that already discloses within the first 100 characters as it is', () => {
    expect(placeDisclosure('#ad Glow in 30 seconds.', '#ad')).toBe('#ad Glow in 30 seconds.');
    expect(placeDisclosure('Glow in 30 seconds #AD #skincare', '#ad')).toBe('Glow in 30 seconds #AD #skincare');
    const endsAt100 = `${'x'.repeat(DISCLOSURE_WITHIN_CHARS - 4)} #ad and more after the cut`;
    expect(placeDisclosure(endsAt100, '#ad')).toBe(endsAt100);
  });

  it('puts a missing disclosure at the front', () => {
    expect(placeDisclosure('Glow in 30 seconds.', '#sponsored')).toBe('#sponsored Glow in 30 seconds.');
    expect(placeDisclosure('', '#ad')).toBe('#ad');
  });

  it('moves a disclosure buried past the cut to the front, once', () => {
    expect(long.length).toBeGreaterThan(DISCLOSURE_WITHIN_CHARS);
    const placed = placeDisclosure(`${long} #skincare #ad`, '#ad');
    expect(placed).toBe(`#ad ${long} #skincare`);
    expect(placed.match(/#ad\b/g)).toHaveLength(1);
    // Ending one character past the limit is past it.
    const endsAt101 = `${'x'.repeat(DISCLOSURE_WITHIN_CHARS - 3)} #ad`;
    expect(placeDisclosure(endsAt101, '#ad')).toBe(`#ad ${'x'.repeat(DISCLOSURE_WITHIN_CHARS - 3)}`);
  });

  it('counts characters as a reader sees them, not UTF-16 units', () => {
    const emoji = `${'✨🌿'.repeat(48)} #ad`; // 96 emoji + space + #ad = 100 code points, 148 UTF-16 units
    expect(disclosedUpFront(emoji, '#ad')).toBe(true);
  });

  it('does not take another tag or a word for the disclosure', () => {
    expect(placeDisclosure('Weekend #adventure vibes', '#ad')).toBe('#ad Weekend #adventure vibes');
    expect(placeDisclosure('Weekend #ad_free vibes', '#ad')).toBe('#ad Weekend #ad_free vibes');
    expect(placeDisclosure('Honest review, not an ad', '#ad')).toBe('#ad Honest review, not an ad');
    expect(placeDisclosure('Sponsored by us #sponsoredpost', '#sponsored')).toBe('#sponsored Sponsored by us #sponsoredpost');
  });

  it("takes the platform's disclosure, not another one", () => {
    expect(disclosedUpFront('#ad Watch the full review', '#sponsored')).toBe(false);
    expect(placeDisclosure('#ad Watch the full review', '#sponsored')).toBe('#sponsored #ad Watch the full review');
  });
});
