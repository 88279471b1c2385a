#!/usr/bin/env node
// npm run bench:ingest [-- --rows 1000000 --update-base 1000000 --profile --no-update]
// End to end on the local services: POST /ingest (raw text/csv) → job completed →
// /top-performers answers, for two shapes of file (1,000 campaigns × 50 creators, ~20 posts
// a pair; and × 500 creators, nearly every row a new pair). Rows/s, the app's peak RSS and
// CPU µs per row, and CPU seconds of the app, the database server and Redis. The peer, in
// the same run on the same server and file: the engine's raw ceiling (rawCeiling below).
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { createRequire } from 'node:module';
import {
  args,
  cpuSeconds,
  dbUri,
  machine,
  peakRssMb,
  rssMb,
  sampleFile,
  servicePids,
  settleDatabase,
  startApp,
  stealMeter,
  TMP,
  uploadFile,
  waitForJob,
  writeJson,
  writeReadmeSection,
} from './lib.mjs';

// The app's own row key, from the build the bench runs (scripts/bench.sh builds first).
const { rowKey } = createRequire(import.meta.url)('../dist/ingest/csv/row-validator.js');

const opts = args({ rows: '1000000', 'bad-ratio': '0.02', 'update-base': '1000000' });
const ROWS = Number(opts.rows);
/** The app's defaults: INGEST_CHUNK_ROWS and INGEST_WORKER_CONCURRENCY. */
const CHUNK = 5000;
const WRITERS = 2;
const SHAPES = [
  { name: '1,000 campaigns × 50 creators', influencers: 50 },
  { name: '1,000 campaigns × 500 creators', influencers: 500 },
];
mkdirSync(TMP, { recursive: true });

function warmupFile() {
  const file = join(TMP, 'ingest-warmup.csv');
  const lines = ['campaignId,influencerId,postId,likes,comments,shares,views'];
  for (let i = 0; i < 200; i++) lines.push(`warmup_${i % 5},inf_${i % 17},p${i},${i},1,1,${100 + i}`);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/**
 * Runs `work(app)` against the app started on a database of its own (`db`), dropped after.
 * The bench polls job status every 50 ms: above the default per-client limit on long runs.
 */
async function withApp(db, env, nodeArgs, work) {
  const app = await startApp(
    { MONGODB_URI: dbUri(db), APP_ROLE: 'all', INGEST_MAX_BYTES: String(4 * 1024 ** 3), RATE_LIMIT_PER_MIN: '100000000', ...env },
    nodeArgs,
  );
  try {
    return await work(app);
  } finally {
    await app.stop();
    await dropDb(db);
  }
}

/** CPU seconds the app, the database server and Redis use from now until the returned function is called. */
function cpuMeter(app) {
  const svc = servicePids();
  const meters = { app: () => cpuSeconds(app.pid), database: () => cpuSeconds(svc.database), redis: () => cpuSeconds(svc.redis) };
  const start = Object.fromEntries(Object.entries(meters).map(([name, read]) => [name, read()]));
  return () =>
    Object.fromEntries(
      Object.entries(meters).map(([name, read]) => [name, start[name] === null ? null : +(read() - start[name]).toFixed(1)]),
    );
}

/**
 * The engine's raw ceiling on the same file and server: every line split on commas into a
 * row document with the app's own key (rowKey, so the same random spread over the primary
 * key; nothing validated, bad lines included), inserted with insertMany in batches of the
 * app's chunk size by as many writers as the app has.
 */
async function rawCeiling(file, rows) {
  const db = `bench_raw_${rows}_${Date.now()}`;
  const client = await MongoClient.connect(dbUri(db));
  try {
    const coll = client.db().collection('engagement_rows');
    const lines = readFileSync(file, 'utf8').split('\n').slice(1).filter(Boolean);
    const settledSeconds = await settleDatabase();
    const steal = stealMeter();
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    let next = 0;
    const writer = async () => {
      for (;;) {
        const from = next;
        next += CHUNK;
        if (from >= lines.length) return;
        const docs = lines.slice(from, from + CHUNK).map((l, i) => {
          const [campaignId, influencerId, postId, platform, likes, comments, shares, views, postedAt] = l.split(',');
          return {
            _id: rowKey({ campaignId, influencerId, postId }),
            uploadSeq: 1,
            line: from + i + 2,
            campaignId,
            influencerId,
            postId,
            platform,
            likes: Number(likes),
            comments: Number(comments),
            shares: Number(shares),
            views: Number(views),
            postedAt,
          };
        });
        await coll.insertMany(docs, { ordered: false });
      }
    };
    await Promise.all(Array.from({ length: WRITERS }, writer));
    const seconds = (performance.now() - t0) / 1000;
    const { user, system } = process.cpuUsage(cpu0);
    // The writer's own CPU (splitting, keys, BSON, the driver): what any client pays per row.
    const writerMicrosPerRow = +((user + system) / lines.length).toFixed(1);
    return {
      seconds: +seconds.toFixed(2),
      rowsPerSecond: Math.round(lines.length / seconds),
      writerMicrosPerRow,
      stealPercent: steal(),
      settledSeconds,
    };
  } finally {
    await client
      .db()
      .dropDatabase()
      .catch(() => {});
    await client.close();
  }
}

async function dropDb(db) {
  const client = await MongoClient.connect(dbUri(db));
  await client
    .db()
    .dropDatabase()
    .catch(() => {});
  await client.close();
}

/** One upload, end to end (POST → completed → ranked), with CPU per process. */
async function timedUpload(app, file, rows) {
  const settledSeconds = await settleDatabase();
  const steal = stealMeter();
  const cpu = cpuMeter(app);
  const t0 = performance.now();
  const job = await waitForJob(app.url, await uploadFile(app.url, file), { intervalMs: 100 });
  const seconds = (performance.now() - t0) / 1000;
  const top = await (await fetch(`${app.url}/top-performers?campaignId=campaign_1&limit=10`)).json();
  if (job.status !== 'completed' || top.length === 0)
    throw new Error(`run failed: ${job.status} ${job.failureReason ?? ''} ranked=${top.length}`);
  const used = cpu();
  return {
    seconds: +seconds.toFixed(2),
    rowsPerSecond: Math.round(rows / seconds),
    cpuSeconds: used,
    appMicrosPerRow: +((used.app * 1e6) / rows).toFixed(1),
    stealPercent: steal(),
    settledSeconds,
  };
}

async function runOnce(shape, rows, profile) {
  const file = sampleFile(rows, Number(opts['bad-ratio']), 7, shape.influencers);
  const profileDir = join(TMP, 'profiles', `ingest-${rows}`);
  const run = await withApp(
    `bench_ingest_${rows}_${Date.now()}`,
    {},
    profile ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
    async (app) => {
      // A long-running service has warm code and existing collections: so does the measured run.
      await waitForJob(app.url, await uploadFile(app.url, warmupFile()));
      const r = await timedUpload(app, file, rows);
      return { ...r, peakRssMb: peakRssMb(app.pid) };
    },
  );
  const raw = await rawCeiling(file, rows);
  const svc = servicePids();
  const result = {
    shape: shape.name,
    rows,
    fileMb: +(statSync(file).size / 1024 ** 2).toFixed(1),
    ...run,
    raw,
    ratioToRaw: +(run.rowsPerSecond / raw.rowsPerSecond).toFixed(2),
    databaseRssMb: svc.database ? rssMb(svc.database) : null,
  };
  console.log(JSON.stringify(result));
  return result;
}

/**
 * An update file into campaigns that already have data, against the same file into an
 * empty database, in the same run: the price of an upload should follow its own rows.
 */
async function runUpdate(baseRows, updateRows) {
  const update = sampleFile(updateRows, 0.02, 8);
  const empty = await withApp(`bench_ingest_empty_${Date.now()}`, {}, [], async (app) => {
    await waitForJob(app.url, await uploadFile(app.url, warmupFile()));
    return timedUpload(app, update, updateRows);
  });
  return withApp(`bench_ingest_update_${Date.now()}`, {}, [], async (app) => {
    const base = await waitForJob(app.url, await uploadFile(app.url, sampleFile(baseRows)), { intervalMs: 200 });
    if (base.status !== 'completed') throw new Error(`base load failed: ${base.failureReason}`);
    // New rows (another seed) for the same 1,000 campaigns: every ranking changes.
    const changed = await timedUpload(app, update, updateRows);
    // The same file again: nothing changes.
    const unchanged = await timedUpload(app, update, updateRows);
    const result = {
      storedRows: base.rowsAccepted,
      updateRows,
      empty,
      ...changed,
      ratioToEmpty: +(changed.seconds / empty.seconds).toFixed(2),
      reupload: unchanged,
    };
    console.log(JSON.stringify({ update: result }));
    return result;
  });
}

/** Top self-time functions of a --cpu-prof profile (the app process). */
function summariseProfile(rows) {
  const dir = join(TMP, 'profiles', `ingest-${rows}`);
  const latest = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort()
    .at(-1);
  const prof = JSON.parse(readFileSync(join(dir, latest), 'utf8'));
  const total = prof.endTime - prof.startTime;
  const dt = new Map();
  prof.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
  const by = new Map();
  for (const n of prof.nodes) {
    const f = n.callFrame;
    const where = f.url ? f.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(dist|src)\//, '$1/') : '';
    const key = `${f.functionName || '(anonymous)'} ${where}`.trim();
    by.set(key, (by.get(key) ?? 0) + (dt.get(n.id) ?? 0));
  }
  return [...by.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([fn, us]) => ({ fn, share: +(us / total).toFixed(3) }));
}

const results = [];
for (const shape of SHAPES) results.push(await runOnce(shape, ROWS, false));
const update = opts['no-update'] ? undefined : await runUpdate(Number(opts['update-base']), 10_000);
let profile;
if (opts.profile) {
  await runOnce(SHAPES[0], ROWS, true);
  profile = summariseProfile(ROWS);
}

const file = writeJson('ingest', {
  machine: machine(),
  badRatio: Number(opts['bad-ratio']),
  results,
  ...(update && { updateIntoExisting: update }),
  ...(profile && { appProfileTopSelfTime: profile }),
});
const cpu = (c) => `${c.app} / ${c.database} / ${c.redis}`;
writeReadmeSection(
  'ingest',
  [
    `### Ingest (\`npm run bench:ingest\`) — ${new Date().toISOString().slice(0, 10)}, ${machine().cpus} cores`,
    '',
    `End to end: raw \`text/csv\` upload → job completed → \`/top-performers\` answers; ${Number(opts['bad-ratio']) * 100} % malformed rows, one app process (APP_ROLE=all, 2 workers, chunks of 5,000, heap capped at 256 MB as \`npm start\` does), after a 200-row warm-up upload. Raw ceiling: the same file's lines inserted with \`insertMany\` (batches of 5,000, 2 writers, nothing validated) into the same server right after; "raw writer µs/row" is that writer's own CPU (splitting lines, keys, BSON, the driver), what any client pays to insert the rows. Each timed phase starts once the database server is quiet (under 5 % of a core for a second: it can go on evicting, checkpointing or purging after its clients are done); "steal" is the share of CPU time the VM's host gave to other guests during the app's run / the raw ceiling (the same work takes longer as it grows).`,
    '',
    '| file | rows | MB | seconds | rows/s | raw ceiling rows/s | ratio | app µs/row | raw writer µs/row | peak RSS app | RSS database | CPU s app / database / Redis | steal % |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|',
    ...results.map(
      (r) =>
        `| ${r.shape} | ${r.rows.toLocaleString('en')} | ${r.fileMb} | ${r.seconds} | ${r.rowsPerSecond.toLocaleString('en')} | ${r.raw.rowsPerSecond.toLocaleString('en')} | ${r.ratioToRaw} | ${r.appMicrosPerRow} | ${r.raw.writerMicrosPerRow} | ${r.peakRssMb} MB | ${r.databaseRssMb} MB | ${cpu(r.cpuSeconds)} | ${r.stealPercent} / ${r.raw.stealPercent} |`,
    ),
    ...(update
      ? [
          '',
          `Update: ${update.updateRows.toLocaleString('en')} new rows touching all 1,000 campaigns of a database holding ${update.storedRows.toLocaleString('en')} rows: **${update.seconds} s** (CPU s ${cpu(update.cpuSeconds)}), against **${update.empty.seconds} s** for the same file into an empty database: **${update.ratioToEmpty}×** (steal ${update.stealPercent} / ${update.empty.stealPercent} %). The same file uploaded again (new versions of the same rows, no total changes): ${update.reupload.seconds} s.`,
        ]
      : []),
    ...(profile
      ? [
          '',
          'Where the app spends its CPU (self time):',
          '',
          '| function | share |',
          '|---|---:|',
          ...profile.map((p) => `| \`${p.fn}\` | ${(p.share * 100).toFixed(1)} % |`),
        ]
      : []),
  ].join('\n'),
);
console.log(`results: ${file}`);
