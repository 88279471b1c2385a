#!/usr/bin/env node
// Synthetic engagement exports, deterministic for a given seed.
//   npm run samples:generate -- --rows 100000 [--bad-ratio 0.02] [--campaigns 20] [--influencers 50] [--seed 42]
//                               [--big-campaign 200000] [--out FILE]
// Without --out the CSV goes to stdout. Bad rows cover every rejection rule of the contract.
// Platforms: 5; postedAt: 90 days from 2024-03-01 (UTC). --big-campaign N: N rows, spread over
// the file, go to one more campaign, campaign_big (for the sliced reads of a large campaign).
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const rows = Number(args.rows ?? 10_000);
const badRatio = Number(args['bad-ratio'] ?? 0.03);
const campaigns = Number(args.campaigns ?? 20);
const influencers = Number(args.influencers ?? 50);
const bigCampaign = Number(args['big-campaign'] ?? 0);
let seed = Number(args.seed ?? 42) >>> 0;
const out = args.out ? createWriteStream(args.out) : process.stdout;

function rand() {
  // mulberry32
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (a) => a[Math.floor(rand() * a.length)];
const platforms = ['instagram', 'tiktok', 'youtube', 'twitter', 'facebook'];
const POSTED_FROM = Date.parse('2024-03-01T00:00:00Z');

const bad = [
  (r) => ({ ...r, views: '0' }),
  (r) => ({ ...r, views: '' }),
  (r) => ({ ...r, likes: '-5' }),
  (r) => ({ ...r, likes: '12.5' }),
  (r) => ({ ...r, comments: '1,200' }),
  (r) => ({ ...r, shares: 'n/a' }),
  (r) => ({ ...r, campaignId: '' }),
  (r) => ({ ...r, influencerId: '   ' }),
  (r) => ({ ...r, postedAt: '31/12/2024' }),
  (r) => ({ ...r, views: '9007199254740993' }),
  (r) => ({ ...r, likes: '1e3' }),
  (r) => ({ ...r, __short: true }),
];

function csv(v) {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

async function write(line) {
  if (!out.write(line)) await once(out, 'drain');
}

await write('campaignId,influencerId,postId,platform,likes,comments,shares,views,postedAt\n');
for (let i = 0; i < rows; i++) {
  const c = Math.floor(rand() * campaigns) + 1;
  // Every (rows / N)-th row, so the big campaign's rows are spread over the whole file.
  const big = bigCampaign > 0 && Math.floor(((i + 1) * bigCampaign) / rows) > Math.floor((i * bigCampaign) / rows);
  const inf = Math.floor(rand() * influencers) + 1;
  const views = Math.floor(500 + rand() * 200_000);
  const rate = 0.01 + rand() * 0.12;
  const eng = Math.floor(views * rate);
  const likes = Math.floor(eng * 0.8);
  const comments = Math.floor(eng * 0.12);
  const shares = eng - likes - comments;
  const day = Math.floor(rand() * 90);
  let r = {
    campaignId: big ? 'campaign_big' : `campaign_${c}`,
    influencerId: `influencer_${inf}`,
    postId: `post_${i + 1}`,
    platform: pick(platforms),
    likes,
    comments,
    shares,
    views,
    postedAt: new Date(POSTED_FROM + day * 86_400_000 + Math.floor(rand() * 24) * 3_600_000 + Math.floor(rand() * 60) * 60_000)
      .toISOString()
      .replace('.000Z', 'Z'),
  };
  if (rand() < badRatio) r = pick(bad)(r);
  const fields = [r.campaignId, r.influencerId, r.postId, r.platform, r.likes, r.comments, r.shares, r.views, r.postedAt];
  await write((r.__short ? fields.slice(0, 6) : fields).map(csv).join(',') + '\n');
}
if (out !== process.stdout) out.end();
