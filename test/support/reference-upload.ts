import type { CreatorSums } from '../../src/analytics/scoring';

/**
 * A file with repeated keys (the later line must win) and a few malformed rows, with the
 * rankings a correct ingest must produce from it, computed independently of the app.
 */
export function referenceUpload(run: string, rows: number) {
  const lines = ['campaignId,influencerId,postId,likes,comments,shares,views'];
  const latest = new Map<string, { c: string; i: string; l: number; co: number; s: number; v: number }>();
  let bad = 0;
  for (let n = 0; n < rows; n++) {
    const k = n % Math.ceil(rows * 0.75); // the last quarter rewrites earlier posts (same key)
    const c = `${run}_c${k % 3}`;
    const i = `inf_${(k * 7) % 23}`;
    const p = `post_${k}`;
    const [l, co, s, v] = [(n * 13) % 500, n % 40, n % 11, 1_000 + ((n * 31) % 5_000)];
    if (n % 250 === 17) {
      lines.push(`${c},${i},${p},${l},${co},${s},0`); // views 0: rejected
      bad++;
      continue;
    }
    lines.push(`${c},${i},${p},${l},${co},${s},${v}`);
    latest.set(`${c}|${i}|${p}`, { c, i, l, co, s, v });
  }
  const totals = new Map<string, Map<string, { likes: number; comments: number; shares: number; views: number; posts: number }>>();
  for (const r of latest.values()) {
    const byInf = totals.get(r.c) ?? new Map();
    totals.set(r.c, byInf);
    const t = byInf.get(r.i) ?? { likes: 0, comments: 0, shares: 0, views: 0, posts: 0 };
    byInf.set(r.i, { likes: t.likes + r.l, comments: t.comments + r.co, shares: t.shares + r.s, views: t.views + r.v, posts: t.posts + 1 });
  }
  const reference = new Map(
    [...totals].map(([c, byInf]) => [
      c,
      [...byInf]
        .map(([influencerId, t]) => ({ influencerId, ...t, rate: (t.likes + t.comments + t.shares) / t.views }))
        .sort((a, b) => b.rate - a.rate || (a.influencerId < b.influencerId ? -1 : 1)),
    ]),
  );
  return { csv: lines.join('\n'), accepted: rows - bad, bad, duplicates: rows - bad - latest.size, reference };
}

export interface ReferenceRanked extends CreatorSums {
  rate: number;
}

/**
 * The rankings a correct ingest must hold after `uploads` (CSV texts with HEADER's columns in
 * its order, unquoted, every row with a postId) were accepted in this order: a later upload
 * wins over an earlier one, within a file a later line wins, a rejected line replaces nothing
 * (docs/csv-format.md#row-identity), and rates and order follow docs/ranking.md.
 */
export function laterUploadWins(uploads: string[]): Map<string, ReferenceRanked[]> {
  const count = /^\s*\d+\s*$/;
  const latest = new Map<string, { c: string; i: string; n: number[] }>();
  for (const csv of uploads) {
    for (const line of csv.split('\n').slice(1)) {
      if (!line.trim()) continue;
      const [c, i, p, ...numbers] = line.split(',').map((f) => f.trim());
      if (numbers.length !== 4 || !c || !i || !numbers.every((n) => count.test(n))) continue;
      const n = numbers.map(Number);
      if (n[3] < 1) continue; // views must be positive
      latest.set(JSON.stringify([c, i, p]), { c, i, n });
    }
  }
  const totals = new Map<string, Map<string, Omit<ReferenceRanked, 'rate'>>>();
  for (const { c, i, n } of latest.values()) {
    const byInf = totals.get(c) ?? new Map<string, Omit<ReferenceRanked, 'rate'>>();
    totals.set(c, byInf);
    const t = byInf.get(i) ?? { influencerId: i, likes: 0, comments: 0, shares: 0, views: 0, posts: 0 };
    byInf.set(i, {
      ...t,
      likes: t.likes + n[0],
      comments: t.comments + n[1],
      shares: t.shares + n[2],
      views: t.views + n[3],
      posts: t.posts + 1,
    });
  }
  // Ties by influencerId byte order: Buffer.compare, as UTF-16 order differs outside the BMP.
  const order = (a: ReferenceRanked, b: ReferenceRanked) =>
    b.rate - a.rate || Buffer.compare(Buffer.from(a.influencerId), Buffer.from(b.influencerId));
  // Campaigns in a fixed order, so two references compare equal whatever order keys came in.
  return new Map(
    [...totals]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([c, byInf]) => [c, [...byInf.values()].map((t) => ({ ...t, rate: (t.likes + t.comments + t.shares) / t.views })).sort(order)]),
  );
}
