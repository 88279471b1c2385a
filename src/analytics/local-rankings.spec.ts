import type { TopRow } from './campaign-totals.repository';
import { LocalRankings } from './local-rankings';

const rows = (id: string): TopRow[] => [{ influencerId: id, engagementRate: 0.1, likes: 1, comments: 0, shares: 0, views: 10, posts: 1 }];

function setUp(maxCampaigns = 10, maxAgeMs = 1_000) {
  let now = 0;
  const local = new LocalRankings(maxCampaigns, maxAgeMs, () => now);
  local.resume();
  return { local, advance: (ms: number) => (now += ms) };
}

describe('LocalRankings', () => {
  it('answers what was filled, per campaign and limit', () => {
    const { local } = setUp();
    local.fill(local.ticket(), 'c1', 10, rows('a'));
    expect(local.get('c1', 10)).toEqual(rows('a'));
    expect(local.get('c1', 5)).toBeUndefined();
    expect(local.get('c2', 10)).toBeUndefined();
  });

  it('drops an invalidated campaign, and only that one', () => {
    const { local } = setUp();
    local.fill(local.ticket(), 'c1', 10, rows('a'));
    local.fill(local.ticket(), 'c2', 10, rows('b'));
    local.invalidate(['c1']);
    expect(local.get('c1', 10)).toBeUndefined();
    expect(local.get('c2', 10)).toEqual(rows('b'));
  });

  it('refuses a fill whose read began before an invalidation: it may hold the old ranking', () => {
    const { local } = setUp();
    const ticket = local.ticket();
    local.invalidate(['c9']);
    local.fill(ticket, 'c1', 10, rows('old'));
    expect(local.get('c1', 10)).toBeUndefined();
  });

  it('holds nothing and answers nothing while not subscribed, nor keeps fills begun before the pause', () => {
    const { local } = setUp();
    local.fill(local.ticket(), 'c1', 10, rows('a'));
    const ticket = local.ticket();
    local.pause();
    expect(local.get('c1', 10)).toBeUndefined();
    local.fill(local.ticket(), 'c1', 10, rows('b'));
    local.resume();
    expect(local.get('c1', 10)).toBeUndefined();
    local.fill(ticket, 'c1', 10, rows('c'));
    expect(local.get('c1', 10)).toBeUndefined();
  });

  it('keeps at most maxQueries queries of a campaign, dropping the oldest fill', () => {
    const local = new LocalRankings(10, 1_000, () => 0, 3);
    local.resume();
    for (const q of ['q1', 'q2', 'q3']) local.fill(local.ticket(), 'c1', q, rows(q));
    local.fill(local.ticket(), 'c1', 'q1', rows('q1 again')); // a refill counts as the newest
    local.fill(local.ticket(), 'c1', 'q4', rows('q4'));
    expect(['q1', 'q2', 'q3', 'q4'].map((q) => local.get('c1', q))).toEqual([rows('q1 again'), undefined, rows('q3'), rows('q4')]);
  });

  it('forgets entries older than the maximum age', () => {
    const { local, advance } = setUp(10, 1_000);
    local.fill(local.ticket(), 'c1', 10, rows('a'));
    advance(1_000);
    expect(local.get('c1', 10)).toEqual(rows('a'));
    advance(1);
    expect(local.get('c1', 10)).toBeUndefined();
  });

  it('evicts the least recently read campaign past its size', () => {
    const { local } = setUp(2);
    local.fill(local.ticket(), 'c1', 10, rows('a'));
    local.fill(local.ticket(), 'c2', 10, rows('b'));
    local.get('c1', 10);
    local.fill(local.ticket(), 'c3', 10, rows('c'));
    expect(local.get('c2', 10)).toBeUndefined();
    expect(local.get('c1', 10)).toEqual(rows('a'));
    expect(local.get('c3', 10)).toEqual(rows('c'));
  });
});
