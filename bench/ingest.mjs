#!/usr/bin/env node
// npm run bench:ingest [-- --sizes 10000,100000,1000000 --update-base 1000000 --chunk-rows N --sweep --profile --no-update --no-mongoimport]
// End to end on the local services: POST /ingest (raw text/csv) → job completed →
// /top-performers answers. Rows/s, peak RSS of the app, and CPU seconds of the app,
// FerretDB, PostgreSQL and Redis over the run (which one is busy says what bounds the
// throughput). The same file is also loaded by mongoimport, MongoDB's own raw CSV loader,
// into the same database server: the ratio of the two rates is the cost of the product.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { spawnSync } from 'node:child_process';
import {
  args,
  cpuSeconds,
  dbUri,
  machine,
  MONGOIMPORT,
  peakRssMb,
  sampleFile,
  servicePids,
  startApp,
  TMP,
  treeCpuSeconds,
  uploadFile,
  waitForJob,
  writeJson,
  writeReadmeSection,
} from './lib.mjs';

const opts = args({ sizes: '10000,100000,1000000', 'bad-ratio': '0.02', 'update-base': '1000000' });
const sizes = String(opts.sizes).split(',').map(Number);
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

/** CPU seconds the app, FerretDB, PostgreSQL and Redis use from now until the returned function is called. */
function cpuMeter(app) {
  const svc = servicePids();
  const meters = {
    app: () => cpuSeconds(app.pid),
    ferretdb: () => cpuSeconds(svc.ferretdb),
    postgres: () => treeCpuSeconds(svc.postgres),
    redis: () => cpuSeconds(svc.redis),
  };
  const start = Object.fromEntries(Object.entries(meters).map(([name, read]) => [name, read()]));
  return () =>
    Object.fromEntries(
      Object.entries(meters).map(([name, read]) => [name, start[name] === null ? null : +(read() - start[name]).toFixed(1)]),
    );
}

/** mongoimport of the same file into a throwaway database on the same server: the raw-load peer. */
function mongoimport(file, rows) {
  if (opts['no-mongoimport'] || !existsSync(MONGOIMPORT)) return null;
  const db = `bench_mongoimport_${rows}_${Date.now()}`;
  const t0 = performance.now();
  const res = spawnSync(
    MONGOIMPORT,
    ['--uri', dbUri(db), '--collection', 'rows', '--type', 'csv', '--headerline', '--numInsertionWorkers', '2', '--quiet', '--file', file],
    { encoding: 'utf8' },
  );
  const seconds = (performance.now() - t0) / 1000;
  if (res.status !== 0) throw new Error(`mongoimport failed: ${res.stderr}`);
  return { seconds: +seconds.toFixed(2), rowsPerSecond: Math.round(rows / seconds), db };
}

async function dropDb(db) {
  const client = await MongoClient.connect(dbUri(db));
  await client
    .db()
    .dropDatabase()
    .catch(() => {});
  await client.close();
}

async function runOnce(rows, chunkRows, profile) {
  const file = sampleFile(rows, Number(opts['bad-ratio']));
  const env = chunkRows ? { INGEST_CHUNK_ROWS: String(chunkRows) } : {};
  const profileDir = join(TMP, 'profiles', `ingest-${rows}`);
  return withApp(`bench_ingest_${rows}_${Date.now()}`, env, profile ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [], async (app) => {
    const cpu = cpuMeter(app);
    // A long-running service has warm code and existing collections: so does the measured run.
    await waitForJob(app.url, await uploadFile(app.url, warmupFile()));
    const t0 = performance.now();
    const accepted = await uploadFile(app.url, file);
    const tUploaded = performance.now();
    let lastReport = performance.now();
    const job = await waitForJob(app.url, accepted, {
      onPoll: (j) => {
        if (performance.now() - lastReport < 5000) return;
        lastReport = performance.now();
        console.error(`  ${rows} rows: ${j.status}, ${j.rowsWritten} written, progress ${j.progress}`);
      },
    });
    const top = await fetch(`${app.url}/top-performers?campaignId=campaign_1&limit=10`);
    const ranked = (await top.json()).length;
    const seconds = (performance.now() - t0) / 1000;
    if (job.status !== 'completed' || ranked === 0)
      throw new Error(`run failed: ${job.status} ${job.failureReason ?? ''} ranked=${ranked}`);
    const result = {
      rows,
      chunkRows: chunkRows ?? 'default',
      fileMb: +(statSync(file).size / 1024 ** 2).toFixed(1),
      seconds: +seconds.toFixed(2),
      uploadSeconds: +((tUploaded - t0) / 1000).toFixed(2),
      rowsPerSecond: Math.round(rows / seconds),
      rowsAccepted: job.rowsAccepted,
      rowsRejected: job.rowsRejected,
      peakRssMb: peakRssMb(app.pid),
      cpuSeconds: cpu(),
    };
    const peer = mongoimport(file, rows);
    if (peer) {
      await dropDb(peer.db);
      result.mongoimport = { seconds: peer.seconds, rowsPerSecond: peer.rowsPerSecond };
      result.ratioToMongoimport = +(result.rowsPerSecond / peer.rowsPerSecond).toFixed(2);
    }
    console.log(JSON.stringify(result));
    return result;
  });
}

/**
 * The other common case: an update file into campaigns that already have data. Rows are
 * written by key (an older version replaced in place) and the touched campaigns' totals
 * regrouped by the database over the campaign index.
 */
async function runUpdate(baseRows, updateRows) {
  return withApp(`bench_ingest_update_${Date.now()}`, {}, [], async (app) => {
    const base = await waitForJob(app.url, await uploadFile(app.url, sampleFile(baseRows)), { intervalMs: 200 });
    if (base.status !== 'completed') throw new Error(`base load failed: ${base.failureReason}`);
    const timed = async (file) => {
      const cpu = cpuMeter(app);
      const t0 = performance.now();
      const job = await waitForJob(app.url, await uploadFile(app.url, file));
      const seconds = (performance.now() - t0) / 1000;
      if (job.status !== 'completed') throw new Error(`update failed: ${job.failureReason}`);
      return { seconds: +seconds.toFixed(2), cpuSeconds: cpu() };
    };
    // New rows (another seed) for the same 1,000 campaigns: every ranking changes.
    const changed = await timed(sampleFile(updateRows, 0.02, 8));
    // The same file again: nothing changes.
    const unchanged = await timed(sampleFile(updateRows, 0.02, 8));
    const result = { storedRows: base.rowsAccepted, updateRows, ...changed, reupload: unchanged };
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
for (const rows of sizes) results.push(await runOnce(rows, opts['chunk-rows'] ? Number(opts['chunk-rows']) : undefined, false));
const update = opts['no-update'] ? undefined : await runUpdate(Number(opts['update-base']), 10_000);
const sweep = [];
if (opts.sweep) for (const c of [1000, 2000, 5000, 10000, 20000]) sweep.push(await runOnce(100_000, c, false));
let profile;
if (opts.profile) {
  await runOnce(Math.max(...sizes), undefined, true);
  profile = summariseProfile(Math.max(...sizes));
}

const file = writeJson('ingest', {
  machine: machine(),
  badRatio: Number(opts['bad-ratio']),
  results,
  ...(update && { updateIntoExisting: update }),
  ...(sweep.length && { chunkSweep: sweep }),
  ...(profile && { appProfileTopSelfTime: profile }),
});
const table = (list) => [
  '| rows | chunk rows | file MB | seconds | rows/s | mongoimport rows/s | ratio | peak RSS (app) | CPU s app / FerretDB / PostgreSQL / Redis |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ...list.map(
    (r) =>
      `| ${r.rows.toLocaleString('en')} | ${r.chunkRows} | ${r.fileMb} | ${r.seconds} | ${r.rowsPerSecond.toLocaleString('en')} | ${r.mongoimport?.rowsPerSecond.toLocaleString('en') ?? '–'} | ${r.ratioToMongoimport ?? '–'} | ${r.peakRssMb} MB | ${r.cpuSeconds.app} / ${r.cpuSeconds.ferretdb} / ${r.cpuSeconds.postgres} / ${r.cpuSeconds.redis} |`,
  ),
];
writeReadmeSection(
  'ingest',
  [
    `### Ingest (\`npm run bench:ingest\`) — ${new Date().toISOString().slice(0, 10)}, ${machine().cpus} cores`,
    '',
    `End to end: raw \`text/csv\` upload → job completed → \`/top-performers\` answers; ${Number(opts['bad-ratio']) * 100} % malformed rows, 1,000 campaigns, 500 influencers, one app process (APP_ROLE=all, 2 workers, heap capped at 256 MB as \`npm start\` does), after a 200-row warm-up upload. CPU seconds per process say where the time goes.`,
    '',
    ...table(results),
    ...(update
      ? [
          '',
          `Update into existing campaigns: ${update.updateRows.toLocaleString('en')} new rows touching all 1,000 campaigns of a database holding ${update.storedRows.toLocaleString('en')} rows: **${update.seconds} s** (CPU s app / FerretDB / PostgreSQL / Redis: ${update.cpuSeconds.app} / ${update.cpuSeconds.ferretdb} / ${update.cpuSeconds.postgres} / ${update.cpuSeconds.redis}); the same file uploaded again (no ranking changes): **${update.reupload.seconds} s**.`,
        ]
      : []),
    ...(sweep.length ? ['', 'Chunk size sweep (100k rows):', '', ...table(sweep)] : []),
    ...(profile
      ? [
          '',
          'Where the app spends its CPU (largest run, self time):',
          '',
          '| function | share |',
          '|---|---:|',
          ...profile.map((p) => `| \`${p.fn}\` | ${(p.share * 100).toFixed(1)} % |`),
        ]
      : []),
  ].join('\n'),
);
console.log(`results: ${file}`);
