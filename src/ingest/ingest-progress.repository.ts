import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { RedisKeys } from '../core/redis/redis-keys';
import { REDIS_CLIENT } from '../core/redis/redis.tokens';

const TTL_S = 7 * 24 * 3600;

// KEYS: done set, meta hash. ARGV: chunk index, rows written, rows superseded, ttl seconds.
const CHUNK_DONE_SCRIPT = `
if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then
  redis.call('HINCRBY', KEYS[2], 'rowsWritten', ARGV[2])
  redis.call('HINCRBY', KEYS[2], 'rowsSuperseded', ARGV[3])
end
redis.call('HDEL', KEYS[2], 'waiting')
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('EXPIRE', KEYS[2], ARGV[4])
return redis.call('SCARD', KEYS[1])`;

/** What became of a settled chunk's rows. */
export interface ChunkRows {
  /** Stored by this upload (inserted, or replacing an older version). */
  written: number;
  /** Not stored: a newer version of the key was (a later upload's, or a later line of the file). */
  superseded: number;
}

export interface LiveProgress {
  chunksDone: number;
  rowsWritten: number;
  rowsSuperseded: number;
  /** Why the upload is not moving right now (a dependency is down and its chunks are retried). */
  waiting?: string;
}

/**
 * An upload's live counters in Redis, shared by the API process that reads the file and
 * the workers that write it (no shared disk is assumed); what is decided once about an
 * upload (status, start, chunk count, failure) is the job document's alone
 * (docs/data-model.md). Expires on its own.
 *   keys  set   row keys seen in the file so far (counts rowsDuplicate as the file is read)
 *   done  set   indexes of the chunks settled
 *   meta  hash  rowsWritten, rowsSuperseded, waiting
 */
@Injectable()
export class IngestProgressRepository {
  @Inject(RedisKeys) private readonly redisKeys!: RedisKeys;

  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {}

  private key(jobId: string, part: 'keys' | 'done' | 'meta') {
    // Not under `prefix:ingest:`: that is Bull's queue, whose own job ids start with the jobId.
    return this.redisKeys.key('upload', jobId, part);
  }

  /** Records row keys in file order; returns how many were new to this file. */
  async recordKeys(jobId: string, keys: string[]): Promise<number> {
    const k = this.key(jobId, 'keys');
    const res = await this.redis
      .multi()
      .sadd(k, ...keys)
      .expire(k, TTL_S)
      .exec();
    const [err, added] = res?.[0] ?? [new Error('Redis transaction aborted')];
    if (err) throw err;
    return Number(added);
  }

  /**
   * Marks a chunk settled in one atomic step: its rows count once however often the chunk
   * is re-delivered. Returns how many chunks are settled.
   */
  async chunkDone(jobId: string, index: number, rows: ChunkRows): Promise<number> {
    const keys = [this.key(jobId, 'done'), this.key(jobId, 'meta')];
    return (await this.redis.eval(CHUNK_DONE_SCRIPT, 2, ...keys, String(index), rows.written, rows.superseded, TTL_S)) as number;
  }

  /** Cleared by the next chunk that lands. */
  async markWaiting(jobId: string, notice: string): Promise<void> {
    const meta = this.key(jobId, 'meta');
    await this.redis.multi().hset(meta, 'waiting', notice).expire(meta, TTL_S).exec();
  }

  async progress(jobId: string): Promise<LiveProgress> {
    const [done, meta] = await Promise.all([
      this.redis.scard(this.key(jobId, 'done')),
      this.redis.hmget(this.key(jobId, 'meta'), 'rowsWritten', 'rowsSuperseded', 'waiting'),
    ]);
    return {
      chunksDone: done,
      rowsWritten: Number(meta[0] ?? 0),
      rowsSuperseded: Number(meta[1] ?? 0),
      ...(meta[2] !== null && { waiting: meta[2] }),
    };
  }

  /** The key set is not needed once the file is read; the rest goes when the job ends. */
  async dropKeys(jobId: string): Promise<void> {
    await this.redis.unlink(this.key(jobId, 'keys'));
  }

  async clear(jobId: string): Promise<void> {
    await this.redis.unlink(this.key(jobId, 'keys'), this.key(jobId, 'done'), this.key(jobId, 'meta'));
  }
}
