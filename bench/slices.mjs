// Uncached sliced reads, one client: platform + a 30-day period + rankBy=adjusted on a
// 1,000-row and a 200,000-row campaign (5 platforms, 90 days of postedAt), the report of
// the same slice, and the default ranking for reference. Every request names a different
// minViews, so each one misses the cache and runs the full aggregation (minViews filters
// after it). Needs a built app (npx nest build) and the local services.
//   node bench/slices.mjs [--requests 40]
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { args, dbUri, startApp, TMP, uploadFile, waitForJob, writeJson } from './lib.mjs';

const opts = args({ requests: 40 });
const PLATFORMS = ['instagram', 'tiktok', 'youtube', 'twitter', 'facebook'];
const DAY = 86_400_000;
const START = Date.parse('2024-03-01T00:00:00Z');

/** `rows` rows of one campaign: 500 creators, 5 platforms, postedAt over 90 days; deterministic. */
function campaignFile(campaignId, rows) {
  mkdirSync(TMP, { recursive: true });
  // v2: the files before it came from a float LCG (seed * 1103515245 overflows 2^53), which
  // repeated after ~11,000 draws, so the 200,000-row campaign was one short pattern over and over.
  const file = join(TMP, `slices-${campaignId}-${rows}-v2.csv`);
  if (existsSync(file)) return file;
  let seed = 11;
  // mulberry32, as scripts/generate-samples.mjs
  const rand = () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const lines = ['campaignId,influencerId,postId,platform,postedAt,likes,comments,shares,views'];
  for (let n = 0; n < rows; n++) {
    const views = 100 + Math.floor(rand() * 50_000);
    const eng = Math.floor(views * (0.01 + rand() * 0.1));
    const at = new Date(START + Math.floor(rand() * 90 * DAY)).toISOString().slice(0, 19) + 'Z';
    lines.push(
      `${campaignId},inf_${Math.floor(rand() * 500)},post_${n},${PLATFORMS[n % 5]},${at},${Math.floor(eng * 0.8)},${Math.floor(eng * 0.15)},${Math.floor(eng * 0.05)},${views}`,
    );
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const p50 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed(url, path, n) {
  const ms = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    const res = await fetch(`${url}${path(i)}`);
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${path(i)}: ${res.status}`);
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { p50: +p50(ms).toFixed(2), max: +Math.max(...ms).toFixed(2) };
}

const db = `bench_slices_${process.pid}`;
const app = await startApp({ MONGODB_URI: dbUri(db), QUEUE_PREFIX: db, RATE_LIMIT_PER_MIN: '100000000' });
const results = {};
try {
  for (const [campaignId, rows] of [
    ['small', 1_000],
    ['big', 200_000],
  ]) {
    const job = await waitForJob(app.url, await uploadFile(app.url, campaignFile(campaignId, rows)));
    if (job.status !== 'completed') throw new Error(`upload of ${campaignId}: ${job.status}`);
    const slice = `campaignId=${campaignId}&platform=tiktok&from=2024-04-01&to=2024-04-30&rankBy=adjusted`;
    const n = Number(opts.requests);
    const ranking = await timed(app.url, (i) => `/top-performers?${slice}&minViews=${i}`, n);
    const report = await timed(
      app.url,
      (i) => `/campaigns/${campaignId}/report?platform=tiktok&from=2024-04-01&to=2024-04-30&minViews=${i}`,
      n,
    );
    const byDefault = await timed(app.url, (i) => `/top-performers?campaignId=${campaignId}&limit=${(i % 100) + 1}`, Math.min(n, 100));
    results[campaignId] = { rows, ranking, report, reportToRanking: +(report.p50 / ranking.p50).toFixed(2), defaultRanking: byDefault };
    console.log(campaignId, JSON.stringify(results[campaignId]));
  }
  // The load average says how busy the machine was: the figures are only comparable within a run.
  writeJson('slices', { date: new Date().toISOString(), loadavg: loadavg().map((l) => +l.toFixed(1)), results });
} finally {
  await app.stop();
  const client = await MongoClient.connect(dbUri(db));
  await client.db().dropDatabase();
  await client.close();
}
