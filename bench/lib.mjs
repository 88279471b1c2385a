// Shared by the bench:* scripts: start the built app as a child process on the local
// services, read /proc figures, and write results (JSON + a section of bench/README.md).
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const TMP = join(ROOT, 'bench', 'tmp');

export function args(defaults) {
  const out = { ...defaults };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    if (!argv[i].startsWith('--')) continue;
    const name = argv[i].slice(2);
    const next = argv[i + 1];
    out[name] = next === undefined || next.startsWith('--') ? true : (i++, next);
  }
  return out;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts dist/main.js with `env` and waits for /health; returns {url, pid, stop()}. */
export async function startApp(env, nodeArgs = []) {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, 'dist', 'main.js')], {
    env: { ...process.env, LOG_LEVEL: 'warn', NODE_ENV: 'production', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  // Never leave the app behind when the bench dies (timeout, Ctrl-C, an exception).
  const kill = () => child.exitCode === null && child.kill('SIGKILL');
  process.once('exit', kill);
  for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => (kill(), process.exit(130)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode} while starting`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error('the app did not become healthy within 60 s');
    await sleep(200);
  }
  return {
    url,
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Peak resident set size of a process so far, in MB (Linux VmHWM). */
export function peakRssMb(pid) {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : null;
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 Hz)
  } catch {
    return null;
  }
}

/** Pids of the local secantus-mdb and Redis that scripts/services.sh started (if it did). */
export function servicePids() {
  const read = (file) => (existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0].trim()) : null);
  return { database: read(join(ROOT, '.local', 'run', 'mongo.pid')), redis: read(join(ROOT, '.local', 'run', 'redis.pid')) };
}

/**
 * Waits until the database server is quiet (under 5 % of a core over a second), at most
 * `maxSeconds`; the seconds waited. The server can go on working after its clients are done
 * (evicting, checkpointing, purging a drop; once 74 s after a killed 1M-row writer), and a
 * phase started then would pay for what came before it. Null without a pid.
 */
export async function settleDatabase(maxSeconds = 120) {
  const pid = servicePids().database;
  if (!pid) return null;
  const t0 = performance.now();
  for (;;) {
    const before = cpuSeconds(pid);
    await sleep(1000);
    const busy = cpuSeconds(pid) - before;
    const waited = (performance.now() - t0) / 1000;
    if (busy < 0.05 || waited >= maxSeconds) return +waited.toFixed(1);
  }
}

/**
 * The share of this machine's CPU time the hypervisor gave to other guests ("steal") from
 * now until the returned function is called, in %. This machine is a VM on a shared host:
 * at 25 % steal the same work takes a third longer, so each phase records what it had.
 */
export function stealMeter() {
  const read = () => {
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
    // user nice system idle iowait irq softirq steal: guest time is already in user/nice.
    return { steal: ticks[7] ?? 0, total: ticks.slice(0, 8).reduce((a, b) => a + b, 0) };
  };
  const start = read();
  return () => {
    const end = read();
    const total = end.total - start.total;
    return total > 0 ? +((100 * (end.steal - start.steal)) / total).toFixed(1) : 0;
  };
}

/** Resident memory of a process now, MB. */
export function rssMb(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : null;
}

export function machine() {
  return { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version, date: new Date().toISOString() };
}

export function writeJson(name, data) {
  const file = join(ROOT, 'bench', 'results', `${name}.json`);
  writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
  return file;
}

/** Replaces the part of bench/README.md between <!-- name:start --> and <!-- name:end -->. */
export function writeReadmeSection(name, markdown) {
  const file = join(ROOT, 'bench', 'README.md');
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  writeFileSync(file, i >= 0 && j > i ? text.slice(0, i) + block + text.slice(j + end.length) : `${text.trimEnd()}\n\n${block}\n`);
}

export function dbUri(name) {
  const base = new URL(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27027/influencer?directConnection=true');
  base.pathname = `/${name}`;
  return base.toString();
}

/**
 * The synthetic exports the benches use, generated once per shape: 1,000 campaigns and
 * `influencers` creators (500: nearly every row a new creator pair; 50: ~20 posts a pair),
 * 5 platforms, postedAt over 90 days; from 1M rows on, 200,000 of them form one more
 * campaign, campaign_big (the sliced reads' large case). `v2` in the name: files of the
 * earlier generator (9 months of dates, no big campaign) are not reused.
 */
export function sampleFile(rows, badRatio = 0.02, seed = 7, influencers = 500) {
  mkdirSync(TMP, { recursive: true });
  const bigCampaign = rows >= 1_000_000 ? 200_000 : 0;
  const shape = `${badRatio === 0.02 ? '' : `-bad${badRatio}`}${seed === 7 ? '' : `-seed${seed}`}${influencers === 500 ? '' : `-inf${influencers}`}`;
  const file = join(TMP, `ingest-${rows}${shape}-v2.csv`);
  if (!existsSync(file)) {
    const res = spawnSync(
      process.execPath,
      [
        join(ROOT, 'scripts', 'generate-samples.mjs'),
        '--rows',
        String(rows),
        '--bad-ratio',
        String(badRatio),
        '--campaigns',
        '1000',
        '--influencers',
        String(influencers),
        '--seed',
        String(seed),
        '--big-campaign',
        String(bigCampaign),
        '--out',
        file,
      ],
      { stdio: 'inherit' },
    );
    if (res.status !== 0) throw new Error('sample generation failed');
  }
  return file;
}

/** POST /ingest with the file as a raw text/csv body, streamed; resolves with the 202 body. */
export function uploadFile(url, file) {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/ingest`,
      { method: 'POST', headers: { 'Content-Type': 'text/csv', 'Content-Length': statSync(file).size } },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => (res.statusCode === 202 ? resolve(JSON.parse(body)) : reject(new Error(`upload: ${res.statusCode} ${body}`))));
      },
    );
    req.on('error', reject);
    createReadStream(file).pipe(req);
  });
}

/** Polls an accepted upload until it ends; `onPoll(job)` sees every status on the way. */
export async function waitForJob(url, accepted, { intervalMs = 50, onPoll } = {}) {
  for (;;) {
    const res = await fetch(`${url}${accepted.statusUrl}`);
    // A 429 here would silently add up to a minute to the measurement: fail instead.
    if (!res.ok) throw new Error(`GET ${accepted.statusUrl}: ${res.status} ${await res.text()}`);
    const job = await res.json();
    if (job.status === 'completed' || job.status === 'failed') return job;
    onPoll?.(job);
    await sleep(intervalMs);
  }
}
