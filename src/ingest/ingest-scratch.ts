import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS_CLIENT } from '../core/redis/redis.module';
import { EngagementRow } from './csv/row-validator';

const TTL_S = 7 * 24 * 3600;
const SEP = '\u0001';

// KEYS: done set, meta hash. ARGV: chunk index, rows, now (ISO), ttl seconds.
const CHUNK_DONE_SCRIPT = `
if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then redis.call('HINCRBY', KEYS[2], 'rowsWritten', ARGV[2]) end
redis.call('HSETNX', KEYS[2], 'startedAt', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('EXPIRE', KEYS[2], ARGV[4])
return {redis.call('SCARD', KEYS[1]), redis.call('HGET', KEYS[2], 'chunksTotal')}`;

/**
 * Per-upload working state in Redis, shared by the API process that reads the file and
 * the workers that write it (no shared disk is assumed). Expires on its own.
 *   latest:<campaignId>  hash  row key → influencer and numbers of the file's last line for it
 *   campaigns            set   campaign ids with a latest hash (one hash per campaign keeps
 *                              finalize's memory to a batch of campaigns, not the whole file)
 *   done    set   indexes of chunks written
 *   meta    hash  chunksTotal, rowsWritten
 */
@Injectable()
export class IngestScratch {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {}

  private key(uploadId: string, part: 'campaigns' | 'done' | 'meta') {
    return `influencer:ingest:${uploadId}:${part}`;
  }

  private latestKey(uploadId: string, campaignId: string) {
    return `influencer:ingest:${uploadId}:latest:${campaignId}`;
  }

  /** Records a chunk's rows in file order; returns how many keys were new to this file. */
  async recordRows(uploadId: string, rows: EngagementRow[]): Promise<number> {
    const byCampaign = new Map<string, string[]>();
    for (const r of rows) {
      let args = byCampaign.get(r.campaignId);
      if (!args) byCampaign.set(r.campaignId, (args = []));
      args.push(r.key, [r.influencerId, r.likes, r.comments, r.shares, r.views].join(SEP));
    }
    const campaigns = this.key(uploadId, 'campaigns');
    const tx = this.redis.multi().sadd(campaigns, ...byCampaign.keys()).expire(campaigns, TTL_S);
    for (const [campaignId, args] of byCampaign) {
      const k = this.latestKey(uploadId, campaignId);
      tx.hset(k, ...args).expire(k, TTL_S);
    }
    const res = await tx.exec();
    if (!res) throw new Error('Redis transaction aborted');
    let added = 0;
    for (let i = 2; i < res.length; i += 2) {
      const [err, n] = res[i];
      if (err) throw err;
      added += Number(n);
    }
    return added;
  }

  /**
   * The file's last values per row key of some campaigns: one pipelined HSCAN page per
   * campaign per round trip (pages of 1,000, so a reply stays small however big a campaign).
   */
  async *latestRows(uploadId: string, campaignIds: string[]): AsyncGenerator<{ campaignId: string; influencerId: string; likes: number; comments: number; shares: number; views: number }> {
    let pending = campaignIds.map((campaignId) => ({ campaignId, cursor: '0' }));
    while (pending.length > 0) {
      const pipeline = this.redis.pipeline();
      for (const p of pending) pipeline.hscan(this.latestKey(uploadId, p.campaignId), p.cursor, 'COUNT', 1000);
      const replies = (await pipeline.exec()) ?? [];
      const next: typeof pending = [];
      for (let i = 0; i < pending.length; i++) {
        const [err, reply] = replies[i] ?? [new Error('no reply')];
        if (err) throw err;
        const [cursor, flat] = reply as [string, string[]];
        const { campaignId } = pending[i];
        for (let j = 1; j < flat.length; j += 2) {
          const [influencerId, l, c, s, v] = flat[j].split(SEP);
          yield { campaignId, influencerId, likes: +l, comments: +c, shares: +s, views: +v };
        }
        if (cursor !== '0') next.push({ campaignId, cursor });
      }
      pending = next;
    }
  }

  /** False once the upload's scratch data is gone (expired, or Redis lost it). */
  async hasLatest(uploadId: string): Promise<boolean> {
    return (await this.redis.exists(this.key(uploadId, 'campaigns'))) === 1;
  }

  /**
   * Marks a chunk written (and the upload started), in one atomic step: `rows` counts
   * once however often the chunk is re-delivered. Returns what the caller needs to tell
   * whether this was the last chunk.
   */
  async chunkDone(uploadId: string, index: number, rows: number): Promise<{ chunksDone: number; chunksTotal: number | null }> {
    const [done, total] = (await this.redis.eval(
      CHUNK_DONE_SCRIPT,
      2,
      this.key(uploadId, 'done'),
      this.key(uploadId, 'meta'),
      String(index),
      rows,
      new Date().toISOString(),
      TTL_S,
    )) as [number, string | null];
    return { chunksDone: done, chunksTotal: total === null ? null : Number(total) };
  }

  async setChunksTotal(uploadId: string, total: number): Promise<number> {
    const meta = this.key(uploadId, 'meta');
    await this.redis.multi().hset(meta, 'chunksTotal', total).expire(meta, TTL_S).exec();
    return this.redis.scard(this.key(uploadId, 'done'));
  }

  /**
   * Workers record start (chunkDone) and failure here, not on the job document: FerretDB
   * 1.x applies concurrent updates of one document as read-modify-write, so a second
   * writer would lose the API's counts. The job document has one writer at a time (API,
   * then finalize).
   */
  async markFailed(uploadId: string, reason: string): Promise<void> {
    const meta = this.key(uploadId, 'meta');
    await this.redis.multi().hsetnx(meta, 'failureReason', reason).expire(meta, TTL_S).exec();
  }

  async progress(uploadId: string): Promise<{ chunksDone: number; chunksTotal: number | null; rowsWritten: number; startedAt?: Date; failureReason?: string }> {
    const [done, meta] = await Promise.all([
      this.redis.scard(this.key(uploadId, 'done')),
      this.redis.hmget(this.key(uploadId, 'meta'), 'chunksTotal', 'rowsWritten', 'startedAt', 'failureReason'),
    ]);
    return {
      chunksDone: done,
      chunksTotal: meta[0] === null ? null : Number(meta[0]),
      rowsWritten: Number(meta[1] ?? 0),
      ...(meta[2] !== null && { startedAt: new Date(meta[2]) }),
      ...(meta[3] !== null && { failureReason: meta[3] }),
    };
  }

  async clear(uploadId: string): Promise<void> {
    const campaigns = this.key(uploadId, 'campaigns');
    let cursor = '0';
    do {
      const [next, ids] = await this.redis.sscan(campaigns, cursor, 'COUNT', 1000);
      cursor = next;
      if (ids.length > 0) await this.redis.unlink(...ids.map((c) => this.latestKey(uploadId, c)));
    } while (cursor !== '0');
    await this.redis.unlink(campaigns);
  }

  /**
   * A cluster-wide mutex (SET NX PX) so totals of one campaign are never rebuilt twice at
   * once. The holder renews it every ttl/3, so a holder that dies (SIGKILL, lost host)
   * frees it within one ttl instead of stalling every later upload.
   */
  async withLock<T>(name: string, ttlMs: number, waitMs: number, fn: () => Promise<T>): Promise<T> {
    const key = `influencer:lock:${name}`;
    const token = `${process.pid}:${Math.random().toString(36).slice(2)}`;
    const deadline = Date.now() + waitMs;
    while ((await this.redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') {
      if (Date.now() > deadline) throw new Error(`lock ${name} is busy`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const renew = setInterval(() => {
      this.redis
        .eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end", 1, key, token, ttlMs)
        .catch(() => undefined); // Redis away: the lock lapses, which is the safe way to fail
    }, Math.max(100, Math.floor(ttlMs / 3)));
    try {
      return await fn();
    } finally {
      clearInterval(renew);
      await this.redis.eval(
        "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end",
        1,
        key,
        token,
      );
    }
  }
}
