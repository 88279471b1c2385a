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
