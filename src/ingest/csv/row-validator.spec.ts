import { checkHeader, HeaderLayout } from './csv-header';
import { classifyRecord, isBlankRecord, rowKey, validateRow } from './row-validator';

const header = ['campaignId', 'influencerId', 'postId', 'platform', 'postedAt', 'likes', 'comments', 'shares', 'views'];
const layout = (fields = header): HeaderLayout => {
  const r = checkHeader(fields);
  if (!r.ok) throw new Error('bad header');
  return r.layout;
};
const row = (over: Partial<Record<string, string>> = {}, fields = header) =>
  fields.map(
    (h) =>
      over[h] ??
      (
        {
          campaignId: 'campaign_6',
          influencerId: 'influencer_3',
          postId: 'p1',
          platform: 'TikTok',
          postedAt: '2024-05-01',
          likes: '10',
          comments: '2',
          shares: '1',
          views: '100',
        } as Record<string, string>
      )[h],
  );

function reasons(over: Partial<Record<string, string>>) {
  const r = validateRow(row(over), layout(), 7);
  if (r.ok) throw new Error('expected a rejection');
  return r.errors;
}

describe('checkHeader', () => {
  it('accepts camelCase, snake_case, any case, reordered, with extra columns', () => {
    const r = checkHeader([' VIEWS ', 'extra', 'shares', 'Comments', 'likes', 'influencer_id', '\uFEFFCampaignID']);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.layout.index).toMatchObject({ views: 0, shares: 2, campaignId: 6, influencerId: 5 });
  });
  it('names every missing required column', () => {
    const r = checkHeader(['campaignId', 'likes', 'foo']);
    expect(r).toEqual({ ok: false, missing: ['influencerId', 'comments', 'shares', 'views'], duplicated: [] });
  });
  it('rejects a column given twice', () => {
    const r = checkHeader(['campaignId', 'campaign_id', 'influencerId', 'likes', 'comments', 'shares', 'views']);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.duplicated).toEqual(['campaignId']);
  });
});

describe('validateRow', () => {
  it('accepts and normalises a good row', () => {
    const r = validateRow(row({ campaignId: '  campaign_6 ', likes: ' 10 ' }), layout(), 2);
    expect(r).toMatchObject({
      ok: true,
      row: { line: 2, campaignId: 'campaign_6', likes: 10, platform: 'tiktok', postedAt: '2024-05-01T00:00:00.000Z' },
    });
  });

  it('counts blank likes/comments/shares as 0', () => {
    const r = validateRow(row({ likes: '', comments: ' ', shares: '' }), layout(), 2);
    expect(r).toMatchObject({ ok: true, row: { likes: 0, comments: 0, shares: 0 } });
  });

  it.each([
    ['views', '0', /at least 1/],
    ['views', '', /views is empty/],
    ['likes', '-1', /plain digits/],
    ['likes', '+1', /plain digits/],
    ['likes', '1.5', /plain digits/],
    ['likes', '1,000', /plain digits/],
    ['likes', '1e3', /plain digits/],
    ['likes', 'abc', /plain digits/],
    ['likes', '9007199254740992', /too large/],
    ['likes', '123456789012345678901', /too large/],
    ['campaignId', '   ', /campaignId is empty/],
    ['influencerId', '', /influencerId is empty/],
    ['campaignId', 'x'.repeat(201), /longer than 200/],
    ['influencerId', 'a\u0001b', /control characters/],
    ['postId', 'p\u007f', /control characters/],
    ['postedAt', 'yesterday', /ISO-8601/],
    ['postedAt', '2024-02-30', /ISO-8601/],
    ['postedAt', '2023-02-29', /ISO-8601/],
    ['postedAt', '1900-02-29', /ISO-8601/],
    ['postedAt', '2024-04-31', /ISO-8601/],
    ['postedAt', '2024-13-01', /ISO-8601/],
    ['postedAt', '2024-05-01T25:00:00Z', /ISO-8601/],
    ['campaignId', 'caf\uFFFD', /not valid UTF-8/],
  ])('rejects %s = %j', (column, value, reason) => {
    const errors = reasons({ [column]: value });
    expect(errors).toContainEqual({ line: 7, column, reason: expect.stringMatching(reason) });
  });

  it('accepts 2^53 - 1 and rejects 2^53', () => {
    expect(validateRow(row({ views: '9007199254740991' }), layout(), 2).ok).toBe(true);
    expect(validateRow(row({ views: '9007199254740992' }), layout(), 2).ok).toBe(false);
  });

  it('accepts ISO date-times with offsets and fractions', () => {
    for (const d of ['2024-05-01T12:30:00Z', '2024-05-01T12:30:00.123+02:00', '2024-05-01T12:30', '2024-02-29']) {
      expect(validateRow(row({ postedAt: d }), layout(), 2).ok).toBe(true);
    }
  });

  it('stores postedAt as a UTC instant; a date-time without an offset is UTC', () => {
    const stored = (d: string) => {
      const r = validateRow(row({ postedAt: d }), layout(), 2);
      return r.ok ? r.row.postedAt : r.errors;
    };
    expect(stored('2024-05-01T12:30:00Z')).toBe('2024-05-01T12:30:00.000Z');
    expect(stored('2024-05-01T12:30:00.123+02:00')).toBe('2024-05-01T10:30:00.123Z');
    expect(stored('2024-05-01T12:30')).toBe('2024-05-01T12:30:00.000Z');
    expect(stored('2024-05-01 12:30:05')).toBe('2024-05-01T12:30:05.000Z');
    expect(stored('2000-02-29')).toBe('2000-02-29T00:00:00.000Z');
  });

  it('rejects a row whose field count differs from the header', () => {
    const r = validateRow(['campaign_6', 'influencer_3'], layout(), 9);
    expect(r).toEqual({ ok: false, errors: [{ line: 9, column: null, reason: 'expected 9 fields as in the header, found 2' }] });
  });

  it('reports every bad column of a row', () => {
    expect(reasons({ likes: 'x', views: '0' }).map((e) => e.column)).toEqual(['likes', 'views']);
  });

  it('treats a blank postId as no postId and keys the row by its fingerprint', () => {
    const a = validateRow(row({ postId: ' ' }), layout(), 2);
    const b = validateRow(row({ postId: '' }), layout(), 3);
    const c = validateRow(row({ postId: '', likes: '11' }), layout(), 4);
    if (!a.ok || !b.ok || !c.ok) throw new Error('expected valid rows');
    expect(a.row.postId).toBeUndefined();
    expect(a.row.key).toBe(b.row.key);
    expect(a.row.key).not.toBe(c.row.key);
  });

  it('keys rows with a postId by (campaignId, influencerId, postId) only', () => {
    const a = validateRow(row({ likes: '1' }), layout(), 2);
    const b = validateRow(row({ likes: '99' }), layout(), 3);
    if (!a.ok || !b.ok) throw new Error('expected valid rows');
    expect(a.row.key).toBe(b.row.key);
    expect(rowKey({ ...a.row, postId: 'p2' })).not.toBe(a.row.key);
  });
});

describe('isBlankRecord', () => {
  it('is true for an empty or whitespace-only line only', () => {
    expect(isBlankRecord([])).toBe(true);
    expect(isBlankRecord(['  '])).toBe(true);
    expect(isBlankRecord(['', ''])).toBe(false);
  });
});

describe('classifyRecord', () => {
  const l = layout();
  it('skips blank lines, rejects unreadable records with their line, validates the rest', () => {
    expect(classifyRecord({ line: 4, text: '   ' }, l)).toEqual({ kind: 'blank' });
    expect(classifyRecord({ line: 5, text: '', error: 'too long' }, l)).toEqual({
      kind: 'rejected',
      errors: [{ line: 5, column: null, reason: 'too long' }],
    });
    expect(classifyRecord({ line: 6, text: '"a"x,b' }, l)).toEqual({
      kind: 'rejected',
      errors: [{ line: 6, column: null, reason: expect.stringMatching(/malformed CSV quoting/) }],
    });
    expect(classifyRecord({ line: 7, text: row().join(',') }, l)).toMatchObject({
      kind: 'row',
      row: { line: 7, campaignId: 'campaign_6' },
    });
    expect(classifyRecord({ line: 8, text: row({ views: '0' }).join(',') }, l)).toMatchObject({
      kind: 'rejected',
      errors: [{ line: 8, column: 'views' }],
    });
  });
});
