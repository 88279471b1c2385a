import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { ingest } from '../support/ingest-helpers';
import { expectTotalsMatchRows } from '../support/totals-audit';
import { isolatedMongoUri, startTestApp } from '../support/test-app';

/**
 * Slices, the adjusted rate, the campaign report and the creators CSV, each answer checked
 * against a reference computed here from the uploaded rows (independently of the app).
 */

interface Row {
  c: string;
  i: string;
  p: string;
  platform: string;
  postedAt: string;
  likes: number;
  comments: number;
  shares: number;
  views: number;
}

const K = 1000; // RANKING_PRIOR_VIEWS default
const COLUMNS = 'campaignId,influencerId,postId,platform,postedAt,likes,comments,shares,views';
const cell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const csvOf = (rows: Row[]) =>
  [
    COLUMNS,
    ...rows.map((r) => [r.c, r.i, r.p, r.platform, r.postedAt, r.likes, r.comments, r.shares, r.views].map(String).map(cell).join(',')),
  ].join('\n');
const row = (
  c: string,
  i: string,
  p: string,
  platform: string,
  postedAt: string,
  likes: number,
  comments: number,
  shares: number,
  views: number,
): Row => ({
  c,
  i,
  p,
  platform,
  postedAt,
  likes,
  comments,
  shares,
  views,
});

const EVIL = '=evil,"x"';
const FIRST: Row[] = [
  row('spring', 'alice', 'a1', ' TikTok ', '2024-05-01T23:30:00-02:00', 100, 10, 5, 1000), // 01:30Z on May 2
  row('spring', 'alice', 'a2', 'instagram', '2024-05-02', 300, 20, 15, 3000),
  row('spring', 'bob', 'b1', 'tiktok', '2024-05-03T00:30:00+02:00', 40, 0, 10, 500), // 22:30Z on May 2
  row('spring', 'Zed', 'z1', 'TIKTOK', '2024-05-10T12:00:00', 10, 0, 0, 100), // no offset: UTC
  row('spring', 'amy', 'am1', 'tiktok', '2024-05-10 08:00', 10, 0, 0, 100), // ties with Zed on both rates
  row('spring', 'carol', 'c1', 'youtube', '', 900, 150, 50, 1000), // undated
  row('spring', 'tiny', 't1', 'tiktok', '2024-05-02T10:00:00Z', 5, 0, 0, 10),
  row('spring', EVIL, 'e1', 'instagram', '2024-06-15', 30, 0, 0, 300),
  row('spring', 'dave', 'd1', '', '2024-04-29T23:59:59.999Z', 50, 5, 5, 2000), // no platform
  row('spring', 'dave', 'd2', 'tiktok', '2024-05-31T23:00:00-01:00', 20, 0, 0, 400), // 00:00Z on June 1
  row('other', 'x', 'p1', 'tiktok', '2024-05-02', 1, 1, 1, 3),
];
const SECOND: Row[] = [
  row('spring', 'bob', 'b1', 'YouTube', '2024-06-20T10:00:00Z', 90, 5, 5, 500), // moves to another platform and day
  row('spring', 'erin', 'e2', 'tiktok', '2024-05-15', 8, 1, 1, 100),
];

/** What the app must hold after `uploads`: the later upload's version of each key, normalised as the contract says. */
function stored(uploads: Row[][]) {
  const latest = new Map<string, Row>();
  for (const rows of uploads) for (const r of rows) latest.set(JSON.stringify([r.c, r.i, r.p]), r);
  return [...latest.values()].map((r) => {
    const at = r.postedAt.trim() === '' ? null : instant(r.postedAt.trim());
    return { ...r, platform: r.platform.trim().toLowerCase() || null, at, day: at?.toISOString().slice(0, 10) ?? null };
  });
}
type Stored = ReturnType<typeof stored>[number];

function instant(v: string): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return new Date(`${v}T00:00:00Z`);
  const t = v.replace(' ', 'T');
  return new Date(/(Z|[+-]\d{2}:\d{2})$/.test(t) ? t : `${t}Z`);
}

interface Slice {
  platform?: string;
  from?: string;
  to?: string;
}

const inSlice = (r: Stored, campaignId: string, s: Slice) =>
  r.c === campaignId &&
  (s.platform === undefined || r.platform === s.platform.trim().toLowerCase()) &&
  (s.from === undefined || (r.day !== null && r.day >= s.from)) &&
  (s.to === undefined || (r.day !== null && r.day <= s.to));

const sum = (rows: Stored[]) => {
  const f = { posts: rows.length, likes: 0, comments: 0, shares: 0, views: 0 };
  for (const r of rows) {
    f.likes += r.likes;
    f.comments += r.comments;
    f.shares += r.shares;
    f.views += r.views;
  }
  return { ...f, engagementRate: f.views > 0 ? (f.likes + f.comments + f.shares) / f.views : null };
};
const byBinary = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function referenceRanking(rows: Stored[], campaignId: string, s: Slice, minViews: number, rankBy: 'rate' | 'adjusted') {
  const slice = rows.filter((r) => inSlice(r, campaignId, s));
  const whole = sum(slice);
  if (whole.engagementRate === null) return { p0: null, ranked: [] };
  const p0 = whole.engagementRate;
  const ranked = [...new Set(slice.map((r) => r.i))]
    .map((i) => {
      const { engagementRate, ...f } = sum(slice.filter((r) => r.i === i));
      const e = f.likes + f.comments + f.shares;
      return { influencerId: i, ...f, engagementRate: engagementRate!, adjustedRate: (e + K * p0) / (f.views + K) };
    })
    .filter((c) => c.views >= minViews)
    .sort(
      (a, b) =>
        (rankBy === 'rate' ? b.engagementRate - a.engagementRate : b.adjustedRate - a.adjustedRate) ||
        byBinary(a.influencerId, b.influencerId),
    )
    .map((c, n) => ({ rank: n + 1, campaignId, ...c }));
  return { p0, ranked };
}

function mondayOf(day: string) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

function referenceReport(rows: Stored[], campaignId: string, s: Slice, minViews: number, interval: 'day' | 'week' | 'month') {
  const slice = rows.filter((r) => inSlice(r, campaignId, s));
  const { p0, ranked } = referenceRanking(rows, campaignId, s, minViews, 'adjusted');
  const group = <K>(key: (r: Stored) => K) => {
    const m = new Map<K, Stored[]>();
    for (const r of slice) m.set(key(r), [...(m.get(key(r)) ?? []), r]);
    return [...m];
  };
  const period = (day: string) => (interval === 'day' ? day : interval === 'week' ? mondayOf(day) : `${day.slice(0, 8)}01`);
  return {
    campaignId,
    filters: { platform: s.platform?.trim().toLowerCase() ?? null, from: s.from ?? null, to: s.to ?? null, minViews, interval },
    prior: { views: K, rate: p0 },
    totals: { creators: new Set(slice.map((r) => r.i)).size, ...sum(slice) },
    byPlatform: group((r) => r.platform)
      .map(([platform, rs]) => ({ platform, creators: new Set(rs.map((r) => r.i)).size, ...sum(rs) }))
      .sort((a, b) => b.views - a.views || (a.platform === null ? 1 : b.platform === null ? -1 : byBinary(a.platform, b.platform))),
    series: group((r) => (r.day === null ? null : period(r.day)))
      .filter(([p]) => p !== null)
      .map(([p, rs]) => ({ period: p!, ...sum(rs) }))
      .sort((a, b) => byBinary(a.period, b.period)),
    undated: { posts: slice.filter((r) => r.day === null).length, views: sum(slice.filter((r) => r.day === null)).views },
    topCreators: ranked.slice(0, 10),
    topPosts: slice
      .filter((r) => r.views >= minViews)
      .map((r) => ({
        influencerId: r.i,
        postId: r.p,
        platform: r.platform,
        postedAt: r.at?.toISOString() ?? null,
        likes: r.likes,
        comments: r.comments,
        shares: r.shares,
        views: r.views,
        engagementRate: (r.likes + r.comments + r.shares) / r.views,
      }))
      .sort((a, b) => b.engagementRate - a.engagementRate || b.views - a.views || byBinary(a.influencerId, b.influencerId))
      .slice(0, 10),
  };
}

const SLICES: Slice[] = [
  {},
  { platform: 'tiktok' },
  { platform: ' TikTok ' },
  { platform: 'instagram' },
  { platform: 'youtube' },
  { from: '2024-05-02' },
  { to: '2024-05-02' },
  { from: '2024-05-02', to: '2024-05-02' },
  { from: '2024-06-01', to: '2024-06-30' },
  { platform: 'tiktok', from: '2024-05-01', to: '2024-05-31' },
  { platform: 'snapchat' },
  { from: '2030-01-01' },
];

describe('slices, the adjusted rate, the campaign report and the creators CSV (real database)', () => {
  let app: NestExpressApplication;
  const uri = isolatedMongoUri('slices');
  const get = (path: string, query: Record<string, string | number | undefined> = {}) =>
    request(app.getHttpServer())
      .get(path)
      .query(Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)));

  beforeAll(async () => {
    app = await startTestApp({ MONGODB_URI: uri });
    expect(await ingest(app, csvOf(FIRST))).toMatchObject({ status: 'completed', rowsAccepted: FIRST.length, rowsRejected: 0 });
  });
  afterAll(async () => app?.close());

  /** Every ranking and report the suite knows of, against the reference over `rows`. */
  async function expectAllMatch(rows: Stored[]) {
    for (const s of SLICES) {
      for (const rankBy of ['rate', 'adjusted'] as const) {
        for (const minViews of [0, 150]) {
          const res = await get('/top-performers', { campaignId: 'spring', limit: 100, ...s, minViews, rankBy }).expect(200);
          expect({ s, rankBy, minViews, body: res.body }).toEqual({
            s,
            rankBy,
            minViews,
            body: referenceRanking(rows, 'spring', s, minViews, rankBy).ranked,
          });
        }
      }
      for (const interval of ['day', 'week', 'month'] as const) {
        const res = await get('/campaigns/spring/report', { ...s, minViews: 150, interval }).expect(200);
        expect({ s, interval, body: res.body }).toEqual({ s, interval, body: referenceReport(rows, 'spring', s, 150, interval) });
      }
    }
  }

  it('ranks every slice as the reference does, rate and adjusted, with and without minViews; reports them too', async () => {
    await expectAllMatch(stored([FIRST]));
  });

  it('keeps the default ranking and its order, each item gaining adjustedRate; limit cuts the list', async () => {
    const rows = stored([FIRST]);
    const res = await get('/top-performers', { campaignId: 'spring', limit: 3 }).expect(200);
    expect(res.body).toEqual(referenceRanking(rows, 'spring', {}, 0, 'rate').ranked.slice(0, 3));
    const adjusted = await get('/top-performers', { campaignId: 'spring', limit: 2, platform: 'tiktok', rankBy: 'adjusted' }).expect(200);
    expect(adjusted.body).toEqual(referenceRanking(rows, 'spring', { platform: 'tiktok' }, 0, 'adjusted').ranked.slice(0, 2));
  });

  it('ties go to influencerId in binary order (Zed before amy) on both rates', async () => {
    for (const rankBy of ['rate', 'adjusted']) {
      const res = await get('/top-performers', {
        campaignId: 'spring',
        platform: 'tiktok',
        from: '2024-05-10',
        to: '2024-05-10',
        rankBy,
      }).expect(200);
      expect(res.body.map((r: { influencerId: string }) => r.influencerId)).toEqual(['Zed', 'amy']);
      expect(res.body[0].adjustedRate).toBe(res.body[1].adjustedRate);
    }
  });

  it('counts a date-time with an offset on its UTC day, across midnight both ways', async () => {
    const may2 = await get('/top-performers', { campaignId: 'spring', from: '2024-05-02', to: '2024-05-02', limit: 100 }).expect(200);
    expect(may2.body.map((r: { influencerId: string; posts: number }) => [r.influencerId, r.posts]).sort()).toEqual([
      ['alice', 2], // 23:30-02:00 on May 1, and the date-only May 2
      ['bob', 1], // 00:30+02:00 on May 3
      ['tiny', 1],
    ]);
    const june1 = await get('/campaigns/spring/report', { from: '2024-06-01', to: '2024-06-01' }).expect(200);
    expect(june1.body.topPosts.map((p: { postId: string; postedAt: string }) => [p.postId, p.postedAt])).toEqual([
      ['d2', '2024-06-01T00:00:00.000Z'],
    ]);
  });

  it('answers an unknown campaign or an empty slice with 200 [] on /top-performers; 404 on the report and the CSV of an unknown one', async () => {
    expect((await get('/top-performers', { campaignId: 'nope', platform: 'tiktok', rankBy: 'adjusted' }).expect(200)).body).toEqual([]);
    expect((await get('/top-performers', { campaignId: 'spring', from: '2030-01-01' }).expect(200)).body).toEqual([]);
    const missing = await get('/campaigns/nope/report').expect(404);
    expect(missing.body.message).toMatch(/nope/);
    await get('/campaigns/nope/creators.csv').expect(404);
    const empty = await get('/campaigns/spring/report', { platform: 'snapchat' }).expect(200);
    expect(empty.body).toMatchObject({
      prior: { views: K, rate: null },
      totals: { creators: 0, posts: 0, likes: 0, comments: 0, shares: 0, views: 0, engagementRate: null },
      byPlatform: [],
      series: [],
      undated: { posts: 0, views: 0 },
      topCreators: [],
      topPosts: [],
    });
  });

  it('exports the ranked slice as CSV: RFC 4180 quoting, the formula guard, an attachment', async () => {
    const rows = stored([FIRST]);
    const res = await get('/campaigns/spring/creators.csv', { rankBy: 'adjusted', minViews: 150 })
      .buffer(true)
      .parse((r, done) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c.toString()));
        r.on('end', () => done(null, text));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="spring-creators\.csv"/);
    const expected = referenceRanking(rows, 'spring', {}, 150, 'adjusted').ranked.map((c) =>
      [
        c.rank,
        c.influencerId === EVIL ? `"'=evil,""x"""` : c.influencerId,
        c.engagementRate,
        c.adjustedRate,
        c.likes,
        c.comments,
        c.shares,
        c.views,
        c.posts,
      ].join(','),
    );
    expect(res.body).toBe(
      ['rank,influencerId,engagementRate,adjustedRate,likes,comments,shares,views,posts', ...expected, ''].join('\r\n'),
    );
    expect(res.body).toContain(`"'=evil,""x"""`);
  });

  it.each([
    ['/top-performers', 'campaignId=spring&platform=', /platform must not be empty/],
    ['/top-performers', 'campaignId=spring&platform=%20%20', /platform must not be empty/],
    ['/top-performers', 'campaignId=spring&platform=a&platform=b', /platform must be given once/],
    ['/top-performers', 'campaignId=spring&platform[$ne]=x', /platform must be given once/],
    ['/top-performers', `campaignId=spring&platform=${'x'.repeat(201)}`, /platform must be at most 200/],
    ['/top-performers', 'campaignId=spring&from=2024-5-1', /from must be a date written YYYY-MM-DD/],
    ['/top-performers', 'campaignId=spring&from=2024-02-30', /from must be a date/],
    ['/top-performers', 'campaignId=spring&to=2024-05-01T00:00:00Z', /to must be a date/],
    ['/top-performers', 'campaignId=spring&to=yesterday', /to must be a date/],
    ['/top-performers', 'campaignId=spring&from=2024-05-02&to=2024-05-01', /from \(2024-05-02\) is after to \(2024-05-01\)/],
    ['/top-performers', 'campaignId=spring&minViews=-1', /minViews must be a non-negative integer/],
    ['/top-performers', 'campaignId=spring&minViews=1.5', /minViews/],
    ['/top-performers', 'campaignId=spring&minViews=1e3', /minViews/],
    ['/top-performers', 'campaignId=spring&rankBy=best', /rankBy must be rate or adjusted/],
    ['/top-performers', 'campaignId=spring&rankBy=rate&rankBy=adjusted', /rankBy/],
    ['/top-performers', 'campaignId=spring&interval=week', /property interval should not exist/],
    ['/top-performers', 'campaignId=spring&sort=views', /property sort should not exist/],
    ['/campaigns/spring/report', 'interval=year', /interval must be day, week or month/],
    ['/campaigns/spring/report', 'from=2024-06-01&to=2024-05-01', /is after to/],
    ['/campaigns/spring/report', 'rankBy=adjusted', /property rankBy should not exist/],
    ['/campaigns/spring/report', 'limit=5', /property limit should not exist/],
    ['/campaigns/spring/creators.csv', 'minViews=x', /minViews/],
    ['/campaigns/spring/creators.csv', 'limit=5', /property limit should not exist/],
  ])('400s %s?%s, naming the parameter', async (path, qs, reason) => {
    const res = await request(app.getHttpServer()).get(`${path}?${qs}`).expect(400);
    expect(res.body.message.join(' ')).toMatch(reason);
  });

  // Last: uploads a second file.
  it('moves a row rewritten by a later upload to its new platform and day in every slice, at once', async () => {
    expect(await ingest(app, csvOf(SECOND))).toMatchObject({ status: 'completed', rowsAccepted: SECOND.length });
    const rows = stored([FIRST, SECOND]);
    const bob = rows.find((r) => r.i === 'bob')!;
    expect([bob.platform, bob.day]).toEqual(['youtube', '2024-06-20']);
    await expectAllMatch(rows);
    await expectTotalsMatchRows(app, ['spring', 'other']);
  });
});
