// The slice designs of docs/data-model.md on the database alone, back to back on one server:
// what each writes for a 1M-row upload and what a slice read costs. Rows as the bench file
// has them (1,000 campaigns × 50 creators, 5 platforms, 90 days of postedAt, and 200,000 rows
// of campaign_big), written in transactions of 5,000 from 2 writers, as the chunk workers do.
//   (raw) the rows, _id only: the ingest's raw ceiling;
//   (b)   the rows with the `slices` index;
//   (a)   aggregates per (campaign, creator, platform, day), one document each;
//   (a, packed)  the same aggregates, one document per (campaign, creator), cells packed;
//   (a, posts)   every post, one document per (campaign, creator), packed (what exact top
//                posts would need without an index on the rows).
// Then a slice of campaign_big (TikTok, April 2024) read each way. Needs the local services.
//   node bench/slice-designs.mjs [--rows 1000000]
import { Binary, MongoClient } from 'mongodb';
import { createHash } from 'node:crypto';
import { args, dbUri } from './lib.mjs';

const opts = args({ rows: '1000000' });
const N = Number(opts.rows);
const B = 5000;
const BIG = N >= 1_000_000 ? 200_000 : 0;
const PLATFORMS = ['instagram', 'tiktok', 'youtube', 'twitter', 'facebook'];
const DAY = 86_400_000;
const SEP = '\u0001';

let seed = 7;
function rand() {
  // mulberry32, as scripts/generate-samples.mjs
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const rows = [];
for (let n = 0; n < N; n++) {
  const big = BIG > 0 && Math.floor(((n + 1) * BIG) / N) > Math.floor((n * BIG) / N);
  const views = Math.floor(500 + rand() * 200_000);
  const eng = Math.floor(views * (0.01 + rand() * 0.12));
  const likes = Math.floor(eng * 0.8);
  const comments = Math.floor(eng * 0.12);
  rows.push({
    _id: `p${createHash('sha1').update(`r${n}`).digest('base64url').slice(0, 24)}`,
    uploadSeq: 1,
    line: n + 2,
    campaignId: big ? 'campaign_big' : `campaign_${1 + Math.floor(rand() * 1000)}`,
    influencerId: `influencer_${1 + Math.floor(rand() * 50)}`,
    postId: `post_${n}`,
    platform: PLATFORMS[Math.floor(rand() * 5)],
    postedAt: new Date(Date.parse('2024-03-01T00:00:00Z') + Math.floor(rand() * 90 * DAY)),
    likes,
    comments,
    shares: eng - likes - comments,
    views,
  });
}

const client = await MongoClient.connect(dbUri('bench_slice_designs'));
const db = client.db();
const byId = (x, y) => (x._id < y._id ? -1 : 1);

/** Inserts `docs` in transactions of 5,000 from 2 writers; seconds. */
async function writeAll(name, docs, label) {
  const col = db.collection(name);
  let next = 0;
  const t0 = Date.now();
  const lane = async () => {
    for (let b = next++; b * B < docs.length; b = next++) {
      const session = client.startSession();
      try {
        await session.withTransaction(() => col.insertMany(docs.slice(b * B, (b + 1) * B), { session }));
      } finally {
        await session.endSession();
      }
    }
  };
  await Promise.all([lane(), lane()]);
  const s = (Date.now() - t0) / 1000;
  console.log(`${label}: ${docs.length.toLocaleString('en')} documents, ${s.toFixed(1)} s`);
  return s;
}

await db.dropDatabase();
const raw = await writeAll('rows', rows, '(raw) rows, _id only');
await db.dropDatabase();
await db.collection('rows').createIndex({ campaignId: 1, platform: 1, postedAt: 1 }, { name: 'slices' });
const b = await writeAll('rows', rows, '(b) rows + slices index');

const dayOf = (d) => d.toISOString().slice(0, 10);
const cells = new Map();
for (const r of rows) {
  const k = [r.campaignId, r.influencerId, r.platform, dayOf(r.postedAt)].join(SEP);
  const c = cells.get(k);
  if (c) {
    for (const f of ['likes', 'comments', 'shares', 'views']) c[f] += r[f];
    c.posts++;
  } else {
    const { campaignId, influencerId, platform, likes, comments, shares, views } = r;
    cells.set(k, { _id: k, campaignId, influencerId, platform, day: dayOf(r.postedAt), likes, comments, shares, views, posts: 1 });
  }
}
const a = await writeAll('cells', [...cells.values()].sort(byId), '(a) one document per (campaign, creator, platform, day)');

const group = (list, key) => {
  const m = new Map();
  for (const x of list) (m.get(key(x)) ?? m.set(key(x), []).get(key(x))).push(x);
  return m;
};
const packed = [...group(cells.values(), (c) => c.campaignId + SEP + c.influencerId)].map(([_id, list]) => {
  const f = new Float64Array(list.length * 7);
  list.forEach((c, i) =>
    f.set([PLATFORMS.indexOf(c.platform), Date.parse(c.day) / DAY, c.likes, c.comments, c.shares, c.views, c.posts], i * 7),
  );
  return { _id, cells: new Binary(Buffer.from(f.buffer)) };
});
const aPacked = await writeAll('pairs', packed.sort(byId), '(a, packed) one document per (campaign, creator), cells packed');

const posts = [...group(rows, (r) => r.campaignId + SEP + r.influencerId)].map(([_id, list]) => {
  const f = new Float64Array(list.length * 8);
  list.forEach((r, i) =>
    f.set([PLATFORMS.indexOf(r.platform), r.postedAt.getTime(), r.likes, r.comments, r.shares, r.views, r.uploadSeq, r.line], i * 8),
  );
  return {
    _id,
    keys: list.map((r) => r._id).join(' '),
    postIds: list.map((r) => r.postId).join(SEP),
    figures: new Binary(Buffer.from(f.buffer)),
  };
});
const aPosts = await writeAll('posts', posts.sort(byId), '(a, posts) one document per (campaign, creator), posts packed');

const result = {
  rows: N,
  cells: cells.size,
  pairs: packed.length,
  seconds: { raw, b, a, aPacked, aPosts },
  overRaw: { b: +(b / raw).toFixed(2), a: +(a / raw).toFixed(2), aPacked: +(aPacked / raw).toFixed(2), aPosts: +(aPosts / raw).toFixed(2) },
};

if (BIG) {
  const from = new Date('2024-04-01T00:00:00Z');
  const to = new Date('2024-05-01T00:00:00Z');
  const range = { $gte: `campaign_big${SEP}`, $lt: 'campaign_big\u0002' };
  const p50 = async (f) => {
    const ms = [];
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      await f();
      ms.push(performance.now() - t0);
    }
    return +ms.sort((x, y) => x - y)[3].toFixed(1);
  };
  const unpack = (bin) => new Float64Array(Uint8Array.from(bin.buffer).buffer);
  /** Views per creator of the TikTok slice [lo, hi) from packed records of `stride` doubles: platform, time, …, views at 5. */
  const packedSliceViews = async (name, field, stride, lo, hi) => {
    const p = PLATFORMS.indexOf('tiktok');
    const views = new Map();
    for (const d of await db.collection(name).find({ _id: range }).toArray()) {
      const f = unpack(d[field]);
      let v = 0;
      for (let i = 0; i < f.length; i += stride) if (f[i] === p && f[i + 1] >= lo && f[i + 1] < hi) v += f[i + 5];
      views.set(d._id, v);
    }
    return views;
  };
  result.sliceReadMs = {
    b: await p50(() =>
      db
        .collection('rows')
        .aggregate([
          { $match: { campaignId: 'campaign_big', platform: 'tiktok', postedAt: { $gte: from, $lt: to } } },
          { $group: { _id: '$influencerId', views: { $sum: '$views' }, posts: { $sum: 1 } } },
        ])
        .toArray(),
    ),
    a: await p50(() =>
      db
        .collection('cells')
        .find({ _id: range, platform: 'tiktok', day: { $gte: '2024-04-01', $lt: '2024-05-01' } })
        .toArray(),
    ),
    aPacked: await p50(() => packedSliceViews('pairs', 'cells', 7, from.getTime() / DAY, to.getTime() / DAY)),
    aPosts: await p50(() => packedSliceViews('posts', 'figures', 8, from.getTime(), to.getTime())),
    bWholeCampaign: await p50(() =>
      db
        .collection('rows')
        .aggregate([
          { $match: { campaignId: 'campaign_big' } },
          { $group: { _id: '$influencerId', views: { $sum: '$views' }, posts: { $sum: 1 } } },
        ])
        .toArray(),
    ),
  };
}
console.log(JSON.stringify(result));
await db.dropDatabase();
await client.close();
